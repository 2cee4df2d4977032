"""The learning loop: what a kommune does with its overturned cases.

`analyses` (reasons, remands and what followed, complaints behind the figures),
`knowledgebank` (every overturned decision with its learning point, as CSV/XLSX), the
kommune's handleplan in three modules (`handleplan`: the YAML model, its validation and
overdue actions; `plantargets`: the figures a target can name, measured and judged;
`planview`: tables, sentences and text for reports and the command line) and
`followup` (the sections of the follow-up report and the briefing pack, for the
notebooks), and `running` (the year's running figure from the kommune's own register,
with the full-year forecast of `omglib.forecast`: the early warning).
"""
