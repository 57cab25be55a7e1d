"""Stage 5, what people read: figures and their style, the computed narrative, the HTML report, the tables
workbook, compare's outputs, output folders written atomically, and the README's generated parts (docs).

May import: `data`, `workbook`, `stats`, `audit`, `errors`, `text`.
"""
