"""Execute notebooks: in place for the committed ones, or with papermill on other data for `reproduce`."""
from __future__ import annotations

from pathlib import Path

import nbformat

# Metadata that records when or how long something ran: never stored, so outputs compare byte for byte.
VOLATILE_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled")
VOLATILE_NOTEBOOK_METADATA = ("papermill", "widgets")
# The kernel's own log (e.g. ipykernel's note that its local TCP sockets are unencrypted) is not the
# notebook's output (nor is its "KeyboardInterrupt caught" when papermill stops it); errors in cells
# still reach us as execution messages.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


def clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop timing and run metadata in place; return the notebook."""
    for key in VOLATILE_NOTEBOOK_METADATA:
        notebook.metadata.pop(key, None)
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]  # papermill adds empty tag lists
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill picks a random id
    return notebook


def execute_in_place(path: Path, *, timeout: int = 600) -> None:
    """Run a committed notebook top to bottom in its own folder and store its outputs."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            extra_arguments=list(KERNEL_ARGUMENTS), resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(clean(notebook), path)


# The notebooks' own prose (their Markdown cells) is translated like the code's messages: each block of a Markdown
# cell (text between blank lines) is a message of the catalogue, its English the msgid. The committed notebooks stay
# English; `reproduce` in another language runs a copy whose Markdown is translated (`in_language`).

def markdown_blocks(source: str) -> list[str]:
    """A Markdown cell's blocks: its paragraphs and headings, split at blank lines."""
    return [block for block in source.split("\n\n") if block.strip()]


def in_language(notebook: nbformat.NotebookNode, lang: str | None) -> nbformat.NotebookNode:
    """A copy of `notebook` whose Markdown cells are in `lang` (each block through the catalogue; a block without a
    translation stays English). The code cells are unchanged: they follow the `lang` parameter themselves."""
    import copy

    from ..text import DEFAULT_LANGUAGE, _, use_language

    out = copy.deepcopy(notebook)
    if lang is None or lang == DEFAULT_LANGUAGE:
        return out
    with use_language(lang):
        for cell in out.cells:
            if cell.cell_type == "markdown":
                cell.source = "\n\n".join(_(block) for block in markdown_blocks(cell.source))
    return out


def extract_markdown(fileobj, keywords, comment_tags, options):
    """Babel extractor (babel.cfg): every block of a notebook's Markdown cells, as a message to translate."""
    notebook = nbformat.reads(fileobj.read().decode("utf-8"), as_version=4)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            for block in markdown_blocks(cell.source):
                yield number, None, block, [f"Markdown cell {number}"]
