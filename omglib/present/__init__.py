"""Presentation: the domain's numbers and verdicts as Danish text, tables and charts.

`danish` (number, percent and date formats, words), `display` (values that show
themselves in JupyterLab and in reports: Markdown, tables, figures), `narrative` (the
report's sentences and headings), `summaries` (the command line's text, CSV and JSON),
`contrast` (WCAG colour contrast) and `charts` (altair charts as values).
"""
