"""`report/index.html`: the replication report `reproduce` writes beside the tables, figures and notebooks.

One self-contained page per output folder: no scripts, no styles or fonts from elsewhere, only relative
links, so it opens from the file system. Every number in it is computed from the data by the library's
own generators; nothing in it depends on the time or the machine, so the same data give the same bytes.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ..data.dataset import Dataset
from ..text import _, in_data_language, language, missing, number, percent, pgettext

REPORT_DIR = "report"
NOTEBOOK_HTML_DIR = "notebooks"

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:#1b1b1b;
 background:#fff;margin:0 auto;padding:0 1rem 3rem;max-width:60rem;font-size:16px;overflow-wrap:break-word}
h1{font-size:1.6rem;line-height:1.25;margin:1.2rem 0 .6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1.1rem}a{color:#0b57a4}nav ul{padding-left:1.2rem}
.citation{background:#f4f6f8;border-left:4px solid #0b57a4;padding:.6rem .8rem;margin:0}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;display:block;border:1px solid #eee}
figcaption{font-size:.9rem;color:#444}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:.8rem 0}
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .45rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
code{font-size:.85em;background:#f4f4f4;padding:0 .2em}
pre{overflow-x:auto;background:#f7f7f7;padding:.5rem;font-size:.8rem}
footer{margin-top:2.5rem;font-size:.85rem;color:#555}
"""

# After Pygments' styles: its default colour for operator words (`in`, `and`) fails WCAG AA contrast on grey.
NOTEBOOK_CSS = """
.prompt{display:none}.cell{margin:0 0 1rem}.input_area,.output_area{overflow-x:auto;max-width:100%}
.output_area img{max-width:100%;height:auto}.output_html{overflow-x:auto}.anchor-link{display:none}
.output_stderr pre{background:#fdd}
.highlight .ow{color:#7a1fa2}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def prose(text: str) -> str:
    """The project's own sentences (translations included) as HTML text: &, < and > escaped, quotes kept as typed."""
    return html.escape(text, quote=False)


# The report runs no scripts, so its pages forbid them all: a second wall behind the escaping of user text.
# Images are the output folder's own files (file: when opened from disk) or embedded (data:); styles are inline.
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
                           "base-uri 'none'; form-action 'none'")


def page(title: str, body: str, *, css: str = CSS, province: str | None = None) -> str:
    """A whole HTML document: inline CSS, a viewport for phones, nothing fetched from anywhere, no script allowed."""
    about = f"<meta name=\"province\" content=\"{esc(province)}\">\n" if province else ""
    return (f"<!DOCTYPE html>\n<html lang=\"{esc(language())}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" + about +
            f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def markdown_html(text: str) -> str:
    """Markdown (from the library's generators) as HTML; any raw HTML in it is escaped, not passed on."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])(text)


def html_table(headers, rows, *, numeric=()) -> str:
    """A table in a horizontally scrolling box; cells are HTML already (escape text with `esc`)."""
    head = "".join(f"<th scope=\"col\">{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f"<td class=\"num\">{c}</td>" if n in numeric else f"<td>{c}</td>" for n, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<div class=\"scroll\" tabindex=\"0\"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"


class Links:
    """Relative links from report/ to the output folder's files; a file that was not written is named, not linked."""

    def __init__(self, root: Path):
        self.root = root

    def to(self, rel: str, text: str | None = None) -> str:
        label = esc(text if text is not None else rel)
        if (self.root / rel).is_file():
            return f"<a href=\"../{esc(rel)}\">{label}</a>"
        return label


# ------------------------------------------------------------------------------------------
# Notebooks

def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook, or its file name (plain JSON: no schema validation needed here)."""
    import json

    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else source).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def focusable_scrollers(body: str) -> str:
    """nbconvert's code blocks and HTML outputs scroll sideways: give each a tab stop so keyboard users can scroll it."""
    body = re.sub(r"<pre(?=[ >])(?![^>]*tabindex)", '<pre tabindex="0"', body)
    return re.sub(r'(<div class="[^"]*\boutput_html\b[^"]*")(?![^>]*tabindex)', r'\1 tabindex="0"', body)


def render_notebook(source: Path, target: Path) -> Path:
    """An executed notebook as one self-contained HTML page (images embedded, no scripts) linked back to the report."""
    import nbformat
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter

    notebook = nbformat.read(source, as_version=4)
    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(notebook)
    title = notebook_title(source)
    back = prose(_("Report"))
    header = (f"<header><nav aria-label=\"{esc(_('Report'))}\"><p><a href=\"../index.html\">&larr; {back}</a> &middot; "
              f"<a href=\"../../notebooks/{esc(source.name)}\">{esc(source.name)}</a></p></nav></header>")
    css = CSS + HtmlFormatter().get_style_defs(".highlight") + NOTEBOOK_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    main = f"<main>\n{focusable_scrollers(body)}\n</main>"
    target.write_text(page(title, header + "\n" + main, css=css), encoding="utf-8")
    return target


# ------------------------------------------------------------------------------------------
# Sections of the report

def citation_section(dataset: Dataset) -> str:
    if dataset.citation:
        text = f"<p class=\"citation\">{esc(dataset.citation)}</p>"
    else:
        text = ("<p class=\"citation\">" + prose(_("Data for {province} from {file}, laid out as the tables of the paper this "
                                                   "package replicates.")).format(province=esc(dataset.province), file=esc(Path(dataset.source).name))
                + "</p>")
    return f"<section id=\"paper\"><h2>{prose(_('The paper'))}</h2>\n" + text + "</section>"


def figures_section(dataset: Dataset, links: Links) -> str:
    from .figures import figures_for

    parts = [f"<section id=\"figures\"><h2>{prose(_('Key figures'))}</h2>"]
    for spec in figures_for(dataset):
        png = f"figures/{spec.name}.png"
        if not (links.root / png).is_file():
            parts.append("<p>" + prose(_("No figure {name}: the data have no values in {tables}.")).format(
                name=esc(spec.name), tables=esc(", ".join(spec.tables))) + "</p>")
            continue
        made_by = notebook_link(spec.notebook, links)
        caption, notebook = _(spec.caption), prose(_("notebook"))
        parts.append(f"<figure id=\"figure-{esc(spec.name)}\"><img src=\"../{esc(png)}\" alt=\"{esc(caption)}\">"
                     f"<figcaption>{esc(caption)}. {links.to(png, 'PNG')}, {links.to(f'figures/{spec.name}.svg', 'SVG')}; "
                     f"{notebook} {made_by}.</figcaption></figure>")
    parts.append("</section>")
    return "\n".join(parts)


def sources_section(dataset: Dataset) -> str:
    """Where the figures come from, table by table and cell range by cell range where the data say."""
    from .figures import figures_for, source_line
    from .sources import sources_rows

    rows = [[esc(t), esc(c), esc(s)] for t, c, s in sources_rows(dataset)]
    figure_rows = [[esc(f.name), esc(source_line(dataset, f.tables))] for f in figures_for(dataset)]
    heading, intro, by_figure = prose(_("Sources")), prose(_("Where the figures come from, as the data give it.")), prose(_("Figure by figure"))
    return (f"<section id=\"sources\"><h2>{heading}</h2>\n<p>{intro}</p>\n"
            + html_table([_("Table"), _("Cells"), _("Source")], rows) + f"\n<h3>{by_figure}</h3>\n"
            + html_table([_("Figure"), _("Source line")], figure_rows) + "\n</section>")


def growth_rows(summary: pd.DataFrame, dataset: Dataset | None = None) -> list[list[str]]:
    rows = []
    for r in summary.itertuples():
        trend = percent(r.trend_growth)
        if pd.notna(r.trend_growth_low) and pd.notna(r.trend_growth_high):
            trend += _(" ({low} to {high})").format(low=percent(r.trend_growth_low), high=percent(r.trend_growth_high))
        tau = missing() if pd.isna(r.kendall_tau) else f"{number(r.kendall_tau, 2)} (p = {number(r.kendall_p, 3)})"
        title, unit = r.title, r.unit
        if dataset is not None and r.table in dataset.specs:
            indicator = next((i for i in dataset.spec(r.table).indicators if i.name == r.indicator), None)
            if indicator is not None:
                title, unit = indicator.display, indicator.text("unit")
        rows.append([prose(_("Table {number}").format(number=r.table_number)), esc(title), esc(unit), prose(_(r.kind)),
                     esc(f"{r.first_year}-{r.last_year}"), esc(number(r.first_value)), esc(number(r.last_value)),
                     esc(percent(r.cagr)), esc(trend), esc(tau)])
    return rows


def growth_section(dataset: Dataset, links: Links) -> str:
    from ..stats.summary import growth_summary

    summary = growth_summary(dataset)
    headers = [_("Table"), _("Indicator"), _("Unit"), _("Kind"), _("Years"), _("First"), _("Last"), _("CAGR"),
               _("Trend growth (95 % CI)"), _("Kendall's tau (p)")]
    intro = prose(_("One row per yearly indicator: compound annual growth from the first to the last year with a value, "
                  "the log-linear trend growth with its 95 % confidence interval, and Kendall's rank correlation with the year. "
                  "A level is a stock in place each year, a flow is counted during it. Full precision in {file}."))
    return (f"<section id=\"growth\"><h2>{prose(_('Growth summary'))}</h2>\n"
            f"<p>{intro.format(file=links.to('tables/growth.csv'))}</p>\n"
            + html_table(headers, growth_rows(summary, dataset), numeric=(5, 6, 7, 8, 9)) + "\n</section>")


def audit_section(dataset: Dataset, links: Links) -> str:
    from ..audit.checks import grade_tables, run_audit
    from ..audit.report import findings_markdown, table_name

    checks = run_audit(dataset)
    grades = grade_tables(checks)
    grade_rows = [[esc(table_name(g.table)), esc(pgettext("grade", g.grade)), esc(g.reasons)] for g in grades.itertuples()]
    files = ", ".join(links.to(f) for f in ("audit/audit.md", "audit/audit.csv", "audit/grades.csv"))
    heading, grades_heading = prose(_("Audit findings")), prose(_("Grades"))
    every = prose(_("Every check, with its rule, numbers and verdict:"))
    return (f"<section id=\"audit\"><h2>{heading}</h2>\n" + markdown_html(findings_markdown(checks, grades))
            + f"<h3>{grades_heading}</h3>\n" + html_table([_("Table"), _("Grade"), _("Reasons")], grade_rows)
            + f"\n<p>{every} {files}.</p>\n</section>")


def notebook_link(stem: str, links: Links) -> str:
    rendered = links.root / REPORT_DIR / NOTEBOOK_HTML_DIR / f"{stem}.html"
    if rendered.is_file():
        return f"<a href=\"{NOTEBOOK_HTML_DIR}/{esc(stem)}.html\">{esc(stem)}</a>"
    return esc(stem)


def notebooks_section(notebooks: list[Path], links: Links) -> str:
    if not notebooks:
        return (f"<section id=\"notebooks\"><h2>{prose(_('Notebooks'))}</h2>\n<p>"
                + prose(_("The notebooks were not run for this output ({command} without notebooks).")).format(command="<code>reproduce</code>")
                + "</p></section>")
    executed = _("executed .ipynb")
    items = [f"<li>{notebook_link(p.stem, links)}: {esc(notebook_title(p))} "
             f"({links.to(f'notebooks/{p.name}', executed)})</li>" for p in notebooks]
    heading, intro = prose(_("Notebooks")), prose(_("Each notebook, executed on these data, rendered as a page:"))
    return (f"<section id=\"notebooks\"><h2>{heading}</h2>\n<p>{intro}</p>\n<ul>\n"
            + "\n".join(items) + "\n</ul></section>")


def table_notebook(dataset: Dataset, table: str) -> str:
    """The notebook that presents a table: the one drawing a figure of that table alone."""
    from .figures import figures_for

    for spec in figures_for(dataset):
        if spec.tables == (table,):
            return spec.notebook
    return "01-overview"


def outputs_map(dataset: Dataset) -> list[dict]:
    """Replication-package map, one entry per paper table, the growth summary, the audit and each figure:
    paper (where in the paper), what, notebook (stem), inputs (data files) and files (under the output folder).
    The README and the report both render this list."""
    from .figures import figures_for
    from .sources import tables_label

    entries = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        files = [f"tables/data_{name}.csv"]
        if not dataset.table(name).totals.empty:  # written exactly when there is a printed total row
            files.append(f"tables/data_{name}_printed_totals.csv")
        entries.append({"paper": _("Table {number}").format(number=spec.number), "what": spec.text("caption"),
                        "notebook": table_notebook(dataset, name),
                        "inputs": [Path(spec.path).name] if spec.path else [], "files": files})
    numbers = [dataset.spec(n).number for n in dataset.table_names() if dataset.spec(n).keyed_by == "year"]
    if numbers:
        entries.append({"paper": tables_label(numbers), "what": _("Growth summary: CAGR, trend growth and 95 % CI, Kendall's tau"),
                        "notebook": "01-overview", "inputs": [], "files": ["tables/growth.csv"]})
    extra = [n for n in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number) if not dataset.spec(n).reference]
    entries.append({"paper": _("Tables the data add"), "what": _("Every table beyond the paper's five: figures, a chart per indicator, growth"),
                    "notebook": "10-more-tables", "inputs": [], "files": [f"tables/data_{n}.csv" for n in extra]})
    entries.append({"paper": _("Tables and text"), "what": _("Reviewer audit: totals, text counts, claims, grades"),
                    "notebook": "08-audit", "inputs": [], "files": ["audit/audit.csv", "audit/grades.csv", "audit/audit.md"]})
    for spec in figures_for(dataset):
        where = ", ".join(_("Table {number}").format(number=dataset.spec(t).number) for t in spec.tables if t in dataset.specs)
        entries.append({"paper": where, "what": _("Figure: {caption}").format(caption=_(spec.caption)), "notebook": spec.notebook, "inputs": [],
                        "files": [f"figures/{spec.name}.png", f"figures/{spec.name}.svg"]})
    return entries


def outputs_map_rows(dataset: Dataset, links: Links) -> list[list[str]]:
    rows = []
    for entry in outputs_map(dataset):
        files = [esc(_("input: {name}").format(name=name)) for name in entry["inputs"]] + [links.to(f) for f in entry["files"]]
        rows.append([esc(entry["paper"]), esc(entry["what"]), notebook_link(entry["notebook"], links), ", ".join(files)])
    return rows


def outputs_map_section(dataset: Dataset, links: Links) -> str:
    csvs = sorted((links.root / "tables").glob("*.csv"))
    every = ", ".join(links.to(f"tables/{p.name}", p.name) for p in csvs)
    intro = prose(_("Each of the paper's tables and each figure, the notebook that presents it and the files it is written to."))
    closing = prose(_("Every table as CSV: {every}; all of them, one sheet each, in {workbook}."))
    return (f"<section id=\"outputs\"><h2>{prose(_('What makes what'))}</h2>\n"
            f"<p>{intro}</p>\n"
            + html_table([_("Paper"), _("What"), _("Notebook"), _("Output files")], outputs_map_rows(dataset, links))
            + f"\n<p>{closing.format(every=every, workbook=links.to('tables/tables.xlsx'))}</p>\n</section>")


@in_data_language
def write_report(dataset: Dataset, root: Path, *, notebooks: list[Path]) -> list[str]:
    """Write report/index.html under `root`, the output folder written so far (tables, audit, figures, notebook pages)."""
    from .. import __version__

    links = Links(root)
    title = _("Replication report: policy communication in {province}").format(province=dataset.province)
    sections = (("paper", _("The paper")), ("figures", _("Key figures")), ("growth", _("Growth summary")),
                ("audit", _("Audit findings")), ("sources", _("Sources")), ("notebooks", _("Notebooks")),
                ("outputs", _("What makes what")))
    nav = "<nav><ul>" + "".join(f"<li><a href=\"#{key}\">{esc(text)}</a></li>" for key, text in sections) + "</ul></nav>"
    body = "\n".join([
        f"<header><h1>{esc(title)}</h1></header>", nav, "<main>",
        citation_section(dataset), figures_section(dataset, links), growth_section(dataset, links),
        audit_section(dataset, links), sources_section(dataset), notebooks_section(notebooks, links), outputs_map_section(dataset, links),
        "</main>", "<footer>" + _("Written by {command} (laocai-stats {version}) from {file}.").format(
            command="<code>laocai-stats reproduce</code>", version=esc(__version__), file=esc(Path(dataset.source).name)) + "</footer>",
    ])
    path = root / REPORT_DIR / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(title, body, province=dataset.province), encoding="utf-8")
    return [f"{REPORT_DIR}/index.html"]
