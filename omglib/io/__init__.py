"""Input: a user's file in, a validated canonical table out.

`sources` reads CSV and Excel files (long or wide) into text cells under canonical
column names; `schema` parses and validates columns, collecting every problem;
`consistency` checks a file's totals and percentages against its counts; `casedetails`
and `privacy` validate the learning-loop details of case files and keep CPR numbers out;
`readers` puts these together into the public readers (`read_data`, `read_counts`,
`read_cases`, `read_volumes`).
"""
