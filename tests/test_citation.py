"""Citable and licensed: CITATION.cff valid under cffconvert, one version, LICENSE and the data's rights statement."""
from __future__ import annotations

import json
import os
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"
DESCRIPTOR = ROOT / "data" / "laocai" / "datapackage.json"


def cffconvert(*args: str) -> subprocess.CompletedProcess:
    if not CFFCONVERT.is_file():
        message = f"{CFFCONVERT} is missing: run `make cff` (make test builds it)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must validate CITATION.cff: {message}")
        pytest.skip(message)
    return subprocess.run([str(CFFCONVERT), *args], capture_output=True, text=True, timeout=120)


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def cff_value(key: str) -> str:
    """A top-level scalar of CITATION.cff (the file is plain YAML; cffconvert checks the rest)."""
    for line in (ROOT / "CITATION.cff").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise AssertionError(f"CITATION.cff has no {key}")


def test_citation_cff_is_valid():
    result = cffconvert("--validate", "-i", str(ROOT / "CITATION.cff"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_cffconvert_rejects_an_invalid_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken.write_text(text.replace("cff-version: 1.2.0", "cff-version: 1.2.0\ndate-released: someday"), encoding="utf-8")
    assert cffconvert("--validate", "-i", str(broken)).returncode != 0


def test_citation_cites_the_software_and_the_paper():
    result = cffconvert("-i", str(ROOT / "CITATION.cff"), "-f", "zenodo")
    assert result.returncode == 0, result.stderr
    zenodo = json.loads(result.stdout)
    assert zenodo["license"] == {"id": "MIT"} and zenodo["version"] == project_version()
    assert zenodo["creators"] == [{"name": "laocai-stats contributors"}]
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    paper = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["citation"]
    title = paper.split('"')[1]
    assert f'title: "{title}"' in cff and "type: article" in cff and "issn: 2583-049X" in cff


def test_one_version_everywhere():
    version = project_version()
    assert cff_value("version") == version
    assert metadata.version("laocai-stats") == version
    import laocai_stats

    assert laocai_stats.__version__ == version
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_license_file_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" == cff_value("license")
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_data_package_states_rights_and_provenance():
    descriptor = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert all(resource["type"] == "table" for resource in descriptor["resources"])
    assert descriptor["version"] and descriptor["licenses"] and descriptor["contributors"]
    assert descriptor["sources"][0]["title"] == descriptor["citation"]
    assert "publisher" in descriptor["rights"] and "redistributes only" in descriptor["rights"]
    authors = {c["title"] for c in descriptor["contributors"] if "author" in c["roles"]}
    assert authors == {"Le Thi Xuan Huong", "Bui Thi Thu Ha"}


def test_make_test_builds_the_cffconvert_venv_first(tmp_path):
    """On a fresh clone `make test` must build .venv-cff before pytest runs, or the checks above could not run."""
    dry = subprocess.run(["make", "-n", "test", f"CFF_VENV={tmp_path / 'fresh'}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60).stdout.splitlines()
    build = [n for n, line in enumerate(dry) if "-r requirements-cff.lock" in line]
    tests = [n for n, line in enumerate(dry) if "-m pytest" in line]
    assert build and tests and build[0] < tests[0], dry
