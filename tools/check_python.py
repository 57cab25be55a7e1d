"""Say in one line, before anything is built, when this Python is older than pyproject.toml's requires-python."""
# Runs on whatever `python3` is found, possibly much older than the project's Python: keep it Python 3.6-compatible.
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def minimum():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^requires-python\s*=\s*">=\s*([0-9.]+)"', text, flags=re.M).group(1)
    return tuple(int(part) for part in found.split("."))


def main(argv):
    version = tuple(int(part) for part in argv[1].split(".")) if len(argv) > 1 else tuple(sys.version_info[:3])
    needed = minimum()
    if version < needed:
        shown = ".".join(str(part) for part in version)
        wanted = ".".join(str(part) for part in needed)
        print("laocai-stats needs Python %s or newer, and %s is %s: set PYTHON=/path/to/python3.11 (e.g. make PYTHON=python3.12)"
              % (wanted, sys.executable if len(argv) == 1 else "this Python", shown), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
