"""The learning loop: what a kommune does with its overturned cases.

`analyses` (reasons, remands and what followed, complaints behind the figures),
`knowledgebank` (every overturned decision with its learning point, as CSV/XLSX),
`actionplan` (the kommune's handleplan: YAML model, validation, targets measured and
judged, and their presentation) and `followup` (the sections of the follow-up report
and the briefing pack, for the notebooks).
"""
