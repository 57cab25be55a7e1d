"""Stage 2, the Excel workbook another province fills: cell parsing, the layout shared by reader and writer, one
table sheet, the reader (registered as a data format) and the writer (template and export).

May import: `data` (specs, frames, the package reader, `Dataset` for export), `errors`, `text`.
"""
