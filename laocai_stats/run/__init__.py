"""Stage 6, running everything: `reproduce` (validate, write tables, figures and audit, execute the notebooks,
write the report, all into one staged output folder), notebook execution, and warm forked kernels.

May import: every earlier stage (`data`, `workbook`, `stats`, `audit`, `publish`), `errors`, `text`.
"""
