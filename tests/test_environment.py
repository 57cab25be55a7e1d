"""The pins: one lock, the same pins in environment.yml, every dependency pinned."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[_norm(name)] = version
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_lock_line_is_an_exact_pin():
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line), line


def test_environment_yml_has_the_same_pins():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    yml = {}
    for match in re.finditer(r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)$", text, flags=re.M):
        yml[_norm(match.group(1))] = match.group(2)
    assert yml == lock_pins()


def test_every_declared_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["dev"]
    declared += project["build-system"]["requires"]
    pins = lock_pins()
    for requirement in declared:
        name = _norm(re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0])
        assert name in pins, f"{name} is not pinned in requirements.lock"


def test_build_backend_pin_matches_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    backend = project["build-system"]["requires"][0]
    assert backend == f"hatchling=={lock_pins()['hatchling']}"
