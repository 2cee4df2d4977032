"""Reports: parameterised notebooks executed and rendered to HTML and PDF, one by one or
as a batch.

Small modules, one job each: `parameters` validates what the user asked for and expands
it into jobs, `engines` executes a notebook, `render` turns an executed notebook into HTML
and PDF, `manifest` records what was made from what, `batch` runs the jobs in parallel.
"""
