"""`report/index.html`: its content checked from the file, then opened from disk in a real headless Chromium.

The browser part drives Debian's `chromium` over the Chrome DevTools Protocol (a websocket; no Selenium or
Playwright): every image loads, every local link resolves, nothing is fetched from the network, no console
errors, no sideways scrolling on a phone-sized screen; screenshots are kept in test-artifacts/. Without
Chromium it is skipped with a message (`make browser` installs it), except in CI (CI set), where it fails.
"""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from laocai_stats.audit.checks import grade_tables, run_audit
from laocai_stats.audit.report import summary_line
from laocai_stats.data.dataset import open_dataset
from laocai_stats.publish.figures import FIGURES
from laocai_stats.publish.report import render_notebook, write_report
from laocai_stats.run.reproduce import notebook_paths
from laocai_stats.stats.summary import growth_summary
from laocai_stats.text import percent

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def out(shipped_reproduce) -> Path:
    """One full `reproduce` of the shipped data, notebooks included (their pages need the executed notebooks);
    the session's one run (conftest.py)."""
    return shipped_reproduce[0]


@pytest.fixture(scope="module")
def index_html(out) -> str:
    return (out / "report" / "index.html").read_text(encoding="utf-8")


def report_pages(out: Path) -> list[Path]:
    return [out / "report" / "index.html", *sorted((out / "report" / "notebooks").glob("*.html"))]


# ------------------------------------------------------------------------------------------
# Content, read from the file

def test_the_report_cites_the_paper(index_html):
    citation = open_dataset().citation
    assert citation and html.escape(citation) in index_html


def test_every_figure_is_shown_with_its_caption(out, index_html):
    for spec in FIGURES:
        assert f'<img src="../figures/{spec.name}.png" alt="{html.escape(spec.caption)}">' in index_html
        assert (out / "figures" / f"{spec.name}.png").is_file()
        assert f'href="../figures/{spec.name}.svg"' in index_html


def test_the_growth_summary_is_there_with_numbers_from_the_data(index_html):
    section = index_html.split('id="growth"')[1].split("</section>")[0]
    summary = growth_summary(open_dataset())
    assert section.count("<tr>") == len(summary) + 1  # the header row, then one per indicator
    training = summary[summary["indicator"] == "training_conferences"].iloc[0]
    assert percent(training["cagr"]) == "29.5 %"
    assert f"<td>{html.escape(training['title'])}</td>" in section
    assert f'<td class="num">{percent(training["cagr"])}</td>' in section
    assert 'href="../tables/growth.csv"' in section


def test_the_audit_findings_are_there(index_html):
    checks = run_audit(open_dataset())
    section = index_html.split('id="audit"')[1].split("</section>")[0]
    assert html.escape(summary_line(checks)) in section
    assert "<strong>Printed totals.</strong>" in section and "1,116" in section
    for grade in grade_tables(checks).itertuples():
        assert f"<td>{html.escape(grade.table)}</td><td>{html.escape(grade.grade)}</td>" in section
    assert 'href="../audit/audit.md"' in section


def test_every_notebook_is_rendered_and_linked(out, index_html):
    for path in notebook_paths():
        page = out / "report" / "notebooks" / f"{path.stem}.html"
        assert f'href="notebooks/{path.stem}.html"' in index_html
        text = page.read_text(encoding="utf-8")
        assert 'href="../index.html"' in text and f'href="../../notebooks/{path.name}"' in text
        assert "<script" not in text


def test_the_outputs_map_links_each_paper_table_and_figure(out, index_html):
    section = index_html.split('id="outputs"')[1].split("</section>")[0]
    dataset = open_dataset()
    for name in dataset.table_names():
        assert f"<td>Table {dataset.spec(name).number}</td>" in section
        assert f'href="../tables/data_{name}.csv"' in section
    for spec in FIGURES:
        assert f"<td>Figure: {html.escape(spec.caption)}</td>" in section
        assert f'<a href="notebooks/{spec.notebook}.html">' in section
    assert 'href="../tables/tables.xlsx"' in section


@pytest.mark.parametrize("which", ["index", "notebooks"])
def test_pages_fetch_nothing_from_elsewhere_and_fit_a_phone(out, which):
    pages = report_pages(out)
    for page in pages[:1] if which == "index" else pages[1:]:
        text = page.read_text(encoding="utf-8")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert not re.search(r"<(script|link|iframe)\b", text), page.name
        assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", text), page.name
        assert not re.search(r"""url\(\s*["']?(https?:)?//|@import""", text), page.name
        assert str(out) not in text and "/work/" not in text and "/tmp/" not in text, f"{page.name}: absolute path"


def test_every_local_link_in_the_files_resolves(out):
    for page in report_pages(out):
        for target in re.findall(r'(?:href|src)="([^"#][^"]*)"', page.read_text(encoding="utf-8")):
            if target.startswith(("http:", "https:", "data:", "mailto:")):
                continue
            assert (page.parent / unquote(target)).resolve().is_file(), f"{page.name}: {target}"


def test_the_report_is_byte_identical_when_written_again(out, tmp_path):
    copy = tmp_path / "outputs"
    shutil.copytree(out, copy)
    (copy / "report" / "index.html").unlink()
    write_report(open_dataset(), copy, notebooks=sorted((copy / "notebooks").glob("*.ipynb")))
    assert (copy / "report" / "index.html").read_bytes() == (out / "report" / "index.html").read_bytes()
    first = notebook_paths()[0]
    again = render_notebook(out / "notebooks" / first.name, tmp_path / "again.html")
    assert again.read_bytes() == (out / "report" / "notebooks" / f"{first.stem}.html").read_bytes()


def test_without_notebooks_the_report_links_no_notebook_page(shipped_without_notebooks):
    folder = shipped_without_notebooks  # `reproduce(notebooks=False)` of the shipped data (conftest.py)
    text = (folder / "report" / "index.html").read_text(encoding="utf-8")
    assert "The notebooks were not run" in text
    assert 'href="notebooks/' not in text
    for target in re.findall(r'(?:href|src)="([^"#][^"]*)"', text):
        assert (folder / "report" / unquote(target)).resolve().is_file(), target


# ------------------------------------------------------------------------------------------
# A real browser

class DevTools:
    """A minimal Chrome DevTools Protocol client: one websocket to the browser, one flattened session per page."""

    def __init__(self, url: str):
        import websocket

        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        seen = len(self.events)
        while time.monotonic() < deadline:
            if any(e.get("method") == method and e.get("sessionId") == session for e in self.events[seen:]):
                return
            self.events.append(json.loads(self.ws.recv()))
        raise AssertionError(f"no {method} within {timeout} s")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is not installed: run `make browser` (as root) to install Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {message}")
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
         "--hide-scrollbars", f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            assert process.poll() is None, f"{CHROMIUM} exited with status {process.returncode}"
            assert time.monotonic() < deadline, f"{CHROMIUM} did not open its DevTools port within 60 s"
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        tools = DevTools(f"ws://127.0.0.1:{port}{path}")
        yield tools
        tools.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


PAGE_FACTS = """({
  images: Array.from(document.images).map(i => ({src: i.currentSrc || i.src, loaded: i.complete && i.naturalWidth > 0})),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  sources: Array.from(document.querySelectorAll('[src]')).map(e => e.src),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  scripts: document.scripts.length,
  pageWidth: document.documentElement.scrollWidth,
  pageHeight: document.documentElement.scrollHeight,
  viewWidth: window.innerWidth,
  title: document.title
})"""


def open_page(browser: DevTools, url: str) -> tuple[str, dict, list[dict]]:
    """Load `url` in a fresh phone-sized tab; return the session, the page's facts and the events it caused."""
    target = browser.call("Target.createTarget", url="about:blank")["targetId"]
    session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable", session)
    browser.call("Emulation.setDeviceMetricsOverride", session, width=PHONE["width"], height=PHONE["height"],
                 deviceScaleFactor=2, mobile=True)
    start = len(browser.events)
    browser.call("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired", session)
    facts = browser.call("Runtime.evaluate", session, expression=PAGE_FACTS, returnByValue=True)["result"]["value"]
    events = [e for e in browser.events[start:] if e.get("sessionId") == session]
    return session, facts, events


def problems_in(events: list[dict]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            found.append(f"failed to load: {params.get('errorText')}")
    return found


def requested_urls(events: list[dict]) -> list[str]:
    return [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]


def local_file(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_the_report_opens_from_disk_in_chromium(browser, out):
    ARTIFACTS.mkdir(exist_ok=True)
    index = (out / "report" / "index.html").as_uri()
    session, facts, events = open_page(browser, index)

    assert facts["title"].startswith("Replication report")
    assert facts["scripts"] == 0
    assert len(facts["images"]) == len(FIGURES)
    assert all(image["loaded"] for image in facts["images"]), [i["src"] for i in facts["images"] if not i["loaded"]]
    assert problems_in(events) == []
    assert [u for u in requested_urls(events) if not u.startswith(("file:", "data:"))] == [], "fetched from the network"
    assert facts["pageWidth"] <= facts["viewWidth"], "the page scrolls sideways on a phone"
    for url in facts["links"] + facts["sources"]:
        assert url.startswith("file:"), f"not a local link: {url}"
        assert local_file(url).is_file(), f"broken link: {url}"
        fragment = urlparse(url).fragment
        if fragment and local_file(url) == local_file(index):
            assert unquote(fragment) in facts["ids"], f"no #{fragment} on the page"

    shot = browser.call("Page.captureScreenshot", session, format="png")["data"]
    (ARTIFACTS / "report-phone.png").write_bytes(base64.b64decode(shot))
    full = browser.call("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": 0, "width": PHONE["width"], "height": min(facts["pageHeight"], 20000), "scale": 0.5})
    (ARTIFACTS / "report-phone-full.png").write_bytes(base64.b64decode(full["data"]))
    assert (ARTIFACTS / "report-phone.png").read_bytes().startswith(b"\x89PNG")


def test_every_notebook_page_opens_in_chromium(browser, out):
    for page in report_pages(out)[1:]:
        session, facts, events = open_page(browser, page.as_uri())
        assert problems_in(events) == [], page.name
        assert facts["scripts"] == 0, page.name
        assert all(image["loaded"] for image in facts["images"]), page.name
        assert [u for u in requested_urls(events) if not u.startswith(("file:", "data:"))] == [], page.name
        assert facts["pageWidth"] <= facts["viewWidth"], f"{page.name} scrolls sideways on a phone"
        for url in facts["links"]:
            if url.startswith("file:"):
                assert local_file(url).is_file(), f"{page.name}: broken link {url}"


# ------------------------------------------------------------------------------------------
# Accessibility: axe-core, npm's package pinned in package-lock.json (`make axe`), run inside Chromium

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Moderate in axe's scale, but a screen-reader user navigates by landmarks: a page without them fails too.
LANDMARK_RULES = {"landmark-one-main", "region"}
AXE_RUN = """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = f"{AXE.relative_to(ROOT)} is missing: run `make axe` (npm ci; installs Debian's npm when missing)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the accessibility test: {message}")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(browser: DevTools, session: str, axe_source: str) -> list[dict]:
    browser.call("Runtime.evaluate", session, expression=axe_source)
    reply = browser.call("Runtime.evaluate", session, expression=AXE_RUN, awaitPromise=True, returnByValue=True)
    assert "exceptionDetails" not in reply, reply["exceptionDetails"]
    return reply["result"]["value"]


def test_axe_finds_no_serious_violation_on_any_report_page(browser, out, axe_source):
    """The report and every notebook page, as axe-core sees them: no serious or critical violation, landmarks."""
    found = {}
    for page in report_pages(out):
        session, _, _ = open_page(browser, page.as_uri())
        serious = [v for v in axe_violations(browser, session, axe_source)
                   if v["impact"] in ("serious", "critical") or v["id"] in LANDMARK_RULES]
        if serious:
            found[page.name] = serious
    assert found == {}, json.dumps(found, indent=1)


def test_axe_would_report_a_serious_violation(browser, tmp_path, axe_source):
    """The check itself can fail: a page with an unlabelled image and an unfocusable scrolling box."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                    '<img src="x.png"><div style="overflow:auto;height:40px"><pre>' + "line\n" * 40 + "</pre></div>"
                    "</main></body></html>", encoding="utf-8")
    session, _, _ = open_page(browser, page.as_uri())
    ids = {v["id"] for v in axe_violations(browser, session, axe_source) if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "scrollable-region-focusable"} <= ids


def test_notebook_images_carry_the_figure_registry_caption_as_alt_text(out):
    """Not nbconvert's placeholder: each figure a notebook shows is described by its caption in the registry."""
    for page in report_pages(out)[1:]:
        text = page.read_text(encoding="utf-8")
        assert "No description has been provided" not in text, page.name
        alts = re.findall(r'<img [^>]*alt="([^"]*)"', text)
        own = {html.escape(spec.caption) for spec in FIGURES if spec.notebook == page.stem}
        captions = {html.escape(spec.caption) for spec in FIGURES}
        assert own <= set(alts), page.name
        assert all(alt in captions or alt.startswith("Growth by province: ") for alt in alts), (page.name, alts)
        # The audit draws nothing, and 10-more-tables has no table to draw on the paper's own data.
        assert alts or page.stem in ("08-audit", "10-more-tables"), f"{page.name} shows no figure"


# Hostile names: a province's name is data, never markup, on every page (escaping, then the CSP as a second wall)

HOSTILE = ("<script>document.title='pwned'; window.pwned = 1</script><img src=x onerror=\"document.title='pwned'\">"
           " [x](javascript:document.title='pwned') ![i](x \"t\") *em* $\\href{javascript:alert(1)}{m}$")


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    """The report, the audit and one executed notebook's page for a data set whose province is named HOSTILE."""
    from laocai_stats.run.reproduce import _run_notebook, write_audit

    root = tmp_path_factory.mktemp("hostile")
    dataset = open_dataset(province=HOSTILE)
    source = next(p for p in notebook_paths() if p.name.startswith("01-"))
    (root / "notebooks").mkdir()
    executed = root / "notebooks" / source.name
    _run_notebook(str(source), str(executed), {"province": HOSTILE}, str(root / "report" / "notebooks" / f"{source.stem}.html"))
    write_audit(dataset, root / "audit")
    write_report(dataset, root, notebooks=[executed])
    return root


def test_hostile_names_are_escaped_in_the_files(hostile_out):
    audit_md = (hostile_out / "audit" / "audit.md").read_text(encoding="utf-8")
    assert "<script>" not in audit_md and "<img" not in audit_md
    assert re.search(r"(?<!\\)\]\(javascript:", audit_md) is None, "an unescaped Markdown link"
    for page in report_pages(hostile_out):
        text = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text and "default-src 'none'" in text, page.name
        assert active_markup(text) == [], page.name


def active_markup(text: str) -> list[str]:
    """Elements and attributes of an HTML page that could run something: scripts, event handlers, javascript: links."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"{tag} {name}={value}")

    Finder().feed(text)
    return found


def test_no_script_runs_on_pages_built_from_hostile_names(browser, hostile_out):
    pages = report_pages(hostile_out)
    assert len(pages) == 2
    for page in pages:
        session, facts, events = open_page(browser, page.as_uri())
        ran = browser.call("Runtime.evaluate", session, returnByValue=True,
                           expression="({title: document.title, pwned: typeof window.pwned,"
                                      " js: document.querySelectorAll('a[href^=\"javascript:\"]').length,"
                                      " handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length})")
        ran = ran["result"]["value"]
        assert ran == {"title": facts["title"], "pwned": "undefined", "js": 0, "handlers": 0}, page.name
        assert ran["title"] != "pwned", page.name  # the hostile script would set exactly this
        assert facts["scripts"] == 0, page.name
        dialogs = [e for e in events if e.get("method") == "Page.javascriptDialogOpening"]
        assert dialogs == [] and problems_in(events) == [], (page.name, problems_in(events))
