"""The pins: one lock for every platform and every Python promised, the same pins in environment.yml."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "linux": {"sys_platform": "linux", "os_name": "posix", "platform_system": "Linux", "platform_machine": "x86_64"},
    "macos": {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin", "platform_machine": "arm64"},
    "windows": {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows", "platform_machine": "AMD64"},
}


def lock_lines(name: str = "requirements.lock") -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in lock_lines():
        name, version = line.split(" ; ")[0].split("==")
        pins[_norm(name)] = version
    return pins


def oldest_python() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return re.fullmatch(r">=([0-9.]+)", project["requires-python"]).group(1)


def environment_of(platform: str) -> dict[str, str]:
    version = oldest_python()
    full = version if version.count(".") == 2 else f"{version}.0"
    return {**PLATFORMS[platform], "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": ".".join(full.split(".")[:2]), "python_full_version": full}


def needed_on(platform: str) -> set[str]:
    """Every package the project needs on a platform: pyproject's requirements and, recursively, what each
    installed package's own metadata requires there (with the extras asked for)."""
    env = environment_of(platform)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    roots = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["dev"]
    roots += project["build-system"]["requires"] + ["editables"]  # editables: the editable install in `make env`
    extras_of: dict[str, set[str]] = {}
    todo = [Requirement(r) for r in roots]
    while todo:
        requirement = todo.pop()
        name = _norm(requirement.name)
        if name in extras_of and set(requirement.extras) <= extras_of[name]:
            continue
        extras_of.setdefault(name, set()).update(requirement.extras)
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # not installable here (another platform's package): it has to be pinned, and is checked
        for text in requires:
            dependency = Requirement(text)
            extras = [""] + sorted(extras_of[name])
            if dependency.marker is None or any(dependency.marker.evaluate({**env, "extra": e}) for e in extras):
                todo.append(dependency)
    return set(extras_of)


def pinned_on(platform: str) -> set[str]:
    env = environment_of(platform)
    pinned = set()
    for line in lock_lines():
        pin, _, marker = line.partition(" ; ")
        if not marker or Marker(marker).evaluate(env):
            pinned.add(_norm(pin.split("==")[0]))
    return pinned


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-cff.lock"])
def test_every_lock_line_is_an_exact_pin(lock):
    for line in lock_lines(lock):
        pin, _, marker = line.partition(" ; ")
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", pin), line
        if marker:
            Marker(marker)  # raises on a malformed marker


def test_environment_yml_has_the_same_pins():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    yml = re.findall(r"^      - '?([^'\n]+?)'?$", text, flags=re.M)
    assert [line for line in yml if line != "-e ."] == lock_lines()


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_lock_pins_exactly_what_each_platform_needs(platform):
    """A Linux-only package pinned without a marker breaks Windows; a Windows-only one left out goes unpinned there."""
    needed, pinned = needed_on(platform), pinned_on(platform)
    assert not needed - pinned, f"needed on {platform} but not pinned for it (see tools/lock_platforms.py)"
    assert not pinned - needed, f"pinned for {platform} but nothing needs it there (add a marker in tools/lock_platforms.py)"


def test_every_installed_pin_supports_the_oldest_python_promised():
    """Each pinned release's own Requires-Python admits the oldest Python that pyproject.toml promises."""
    oldest = oldest_python()
    for line in lock_lines():
        pin, _, marker = line.partition(" ; ")
        if marker and not Marker(marker).evaluate():
            continue  # another platform's package: not installed here (its Requires-Python was checked by hand)
        name, version = pin.split("==")
        dist = metadata.distribution(name)
        assert dist.version == version, f"{name} {dist.version} is installed, the lock says {version}: run `make env`"
        requires = dist.metadata.get("Requires-Python")
        assert not requires or SpecifierSet(requires).contains(oldest, prereleases=True), (
            f"{pin} needs Python {requires}, but pyproject.toml promises >={oldest}")


def test_lock_constraints_hold_in_the_lock():
    for line in lock_lines("tools/lock-constraints.txt"):
        requirement = Requirement(line)
        assert requirement.specifier.contains(lock_pins()[_norm(requirement.name)]), line


@pytest.mark.parametrize("version, ok", [("3.10.12", False), ("3.11.0", True), ("3.11.2", True), ("3.13.1", True)])
def test_make_says_in_one_line_when_python_is_too_old(version, ok):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "check_python.py"), version],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode == 0) == ok
    if not ok:
        assert result.stderr.count("\n") == 1 and f"needs Python {oldest_python()} or newer" in result.stderr


def test_every_declared_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["dev"]
    declared += project["build-system"]["requires"]
    pins = lock_pins()
    for requirement in declared:
        name = _norm(Requirement(requirement).name)
        assert name in pins, f"{name} is not pinned in requirements.lock"


def test_build_backend_pin_matches_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    backend = project["build-system"]["requires"][0]
    assert backend == f"hatchling=={lock_pins()['hatchling']}"


def test_binder_reads_the_lock():
    """repo2docker reads binder/: the Python of the promise, the lock's pins, then the package without dependencies."""
    binder = ROOT / "binder"
    assert lock_lines("binder/requirements.txt") == lock_lines()
    assert (binder / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{oldest_python()}"
    assert "  - python=" + oldest_python() in (ROOT / "environment.yml").read_text(encoding="utf-8")
    post_build = binder / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    commands = [line for line in post_build.read_text(encoding="utf-8").splitlines() if line and not line.startswith(("#", "set "))]
    assert commands == ["python -m pip install --no-deps --no-build-isolation ."]
