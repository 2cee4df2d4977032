"""Input: a user's file in, a validated canonical table out.

`sources` reads CSV and Excel files (long or wide) into text cells under canonical
column names; `schema` parses and validates columns, collecting every problem;
`consistency` checks a file's totals and percentages against its counts; `casedetails`
validates the learning-loop details of case files; `privacy` keeps CPR numbers out of
every file (tables and, through `yamlfile`, action plans);
`readers` puts these together into the public readers (`read_data`, `read_counts`,
`read_cases`, `read_volumes`).
"""
