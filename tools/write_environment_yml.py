"""Write environment.yml and binder/requirements.txt from requirements.lock, so conda and Binder get the same pins."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
pins = [
    line.strip()
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
lines = [
    "# Conda environment with the same pins as requirements.lock (written by tools/write_environment_yml.py).",
    "# conda env create -f environment.yml && conda activate laocai-stats",
    "name: laocai-stats",
    "channels:",
    "  - conda-forge",
    "dependencies:",
    "  - python=3.11",
    "  - pip=24.3.1",
    "  - pip:",
    # A pin with a marker is quoted: the marker holds quotes and spaces.
    *[f"      - '{pin}'" if " ; " in pin else f"      - {pin}" for pin in pins],
    "      - -e .",
    "",
]
(ROOT / "environment.yml").write_text("\n".join(lines), encoding="utf-8")

# Binder (repo2docker) reads binder/: runtime.txt picks Python, requirements.txt the pins (a copy, not `-r ../`, so that
# repo2docker can install them before it copies the repository and cache that layer), postBuild installs the package.
binder = [
    "# The pins of requirements.lock, for Binder (repo2docker); written by tools/write_environment_yml.py.",
    *pins,
    "",
]
(ROOT / "binder").mkdir(exist_ok=True)
(ROOT / "binder" / "requirements.txt").write_text("\n".join(binder), encoding="utf-8")
