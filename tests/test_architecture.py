"""The house rules of ARCHITECTURE.md: imports only go down the pipeline, no import loops, no module over 500 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "laocai_stats"
# The stages in pipeline order; a module may import its own stage and the ones before it.
STAGES = ["text", "errors", "data", "workbook", "stats", "audit", "publish", "run", "cli"]
SHARED = {"text", "errors"}  # used by every stage; text imports nothing of the package, errors only text (its messages)
FACADE = {"__init__", "__main__"}  # the package's front door re-exports from the stages
MAX_LINES = 500


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The package's own modules that `name` imports, anywhere in the file (function-level imports included)."""
    package = name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "laocai_stats":
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                candidate = ".".join(target + [alias.name])
                out.add(candidate if candidate in modules() or f"{candidate}.__init__" in modules() else ".".join(target))
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("laocai_stats.")}
    return {m.removesuffix(".__init__") for m in out if m}


def stage(module: str) -> str:
    return module.split(".")[0]


def test_every_module_belongs_to_a_stage_or_is_at_most_four_at_the_top():
    top = [m for m in modules() if "." not in m]
    assert len(top) <= 4, top
    assert {stage(m) for m in modules()} <= set(STAGES) | FACADE


@pytest.mark.parametrize("name", [m for m in modules() if m not in FACADE])
def test_imports_only_go_down_the_pipeline(name):
    mine = STAGES.index(stage(name))
    for target in imported(name, modules()[name]):
        if target in ("", "__version__"):
            continue  # `from .. import __version__`: the version, read from the installed metadata
        theirs = STAGES.index(stage(target))
        assert theirs <= mine, f"{name} (stage {stage(name)}) imports {target}, of a later stage ({stage(target)})"
        if stage(name) in SHARED:
            assert theirs < mine, f"{name} is shared by every stage and may import no other module of the package"


def test_no_two_modules_import_each_other_in_a_loop():
    graph = {name: {t for t in imported(name, path) if t in modules() or f"{t}.__init__" in modules()}
             for name, path in modules().items() if name not in FACADE}
    graph = {k.removesuffix(".__init__"): {t for t in v if t not in FACADE} for k, v in graph.items()}
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node:
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                pytest.fail("import loop: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


@pytest.mark.parametrize("name", list(modules()))
def test_no_module_is_over_500_lines(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by its parts"


def test_every_stage_says_what_it_does_and_what_it_may_import():
    for name in STAGES:
        init = PACKAGE / name / "__init__.py"
        if init.exists():
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
            assert "May import" in doc, f"{name}/__init__.py: say what the stage may import"


def test_the_test_sees_an_upward_import(tmp_path, monkeypatch):
    # The checker itself must be able to fail: an import of a later stage from the data layer is caught.
    fake = tmp_path / "fake.py"
    fake.write_text("from ..publish.figures import FIGURES\n", encoding="utf-8")
    found = imported("data.fake", fake)
    assert "publish.figures" in found and STAGES.index(stage("publish.figures")) > STAGES.index("data")
