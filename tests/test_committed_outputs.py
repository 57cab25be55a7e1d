"""The committed outputs/ are exactly what the current code and data produce (run `make reproduce` after a change)."""
from __future__ import annotations

from pathlib import Path

import pytest

from laocai_stats.run.reproduce import notebook_paths

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "outputs"


@pytest.fixture(scope="module")
def fresh(shipped_reproduce) -> Path:
    """A fresh `reproduce` of the shipped data (the session's one run, conftest.py)."""
    return shipped_reproduce[0]


@pytest.mark.parametrize("folder", ["tables", "audit", "figures"])
def test_committed_outputs_are_current(fresh, folder):
    made = sorted(p.relative_to(fresh) for p in (fresh / folder).rglob("*") if p.is_file())
    kept = sorted(p.relative_to(COMMITTED) for p in (COMMITTED / folder).rglob("*") if p.is_file())
    assert made == kept
    stale = [str(rel) for rel in made if (fresh / rel).read_bytes() != (COMMITTED / rel).read_bytes()]
    assert not stale, f"outputs/ is out of date ({stale[:3]}): run `make reproduce`"


def test_committed_executed_notebooks_match_the_notebooks():
    for path in notebook_paths():
        assert (COMMITTED / "notebooks" / path.name).read_bytes() == path.read_bytes(), path.name
