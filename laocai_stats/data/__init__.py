"""Stage 1, reading one province's data: table definitions (specs), the data-package reader, the `Dataset` that
hides which format the data came in, tidy frames, and the public loaders.

May import: `laocai_stats.errors` and `laocai_stats.text` only. Readers of other formats (the workbook) are not
imported here: they register themselves in `formats.READERS` (see `laocai_stats/__init__.py`).
"""
