"""Make the Linux `pip freeze` a lock for every platform: markers on Linux-only pins, pins for the others' extras.

`make lock` resolves on Linux, so `pip freeze` holds packages that only Linux and macOS need (pexpect, ptyprocess)
and lacks those that only Windows or macOS need (colorama, pywinpty, appnope). tests/test_environment.py recomputes,
from the installed packages' own requirements, which pins each platform needs, and fails when this table is out of date.
"""
from __future__ import annotations

import sys

# name: the marker under which the package is needed (the marker its dependants state).
ONLY_ON = {
    "pexpect": 'sys_platform != "win32"',
    "ptyprocess": 'os_name != "nt"',
}
# Needed only on a platform `make lock` does not run on: name, version, marker. Versions checked with
# `pip install --dry-run --no-deps --only-binary=:all: --python-version 3.11.0 --platform PLATFORM NAME==VERSION`.
ELSEWHERE = [
    ("appnope", "1.0.0", 'sys_platform == "darwin"'),
    ("colorama", "0.4.6", 'sys_platform == "win32"'),
    ("pywinpty", "3.1.2", 'os_name == "nt"'),
]


def with_markers(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        name = line.split("==")[0].strip().lower()
        out.append(f"{line} ; {ONLY_ON[name]}" if name in ONLY_ON else line)
    out += [f"{name}=={version} ; {marker}" for name, version, marker in ELSEWHERE]
    return sorted(out, key=str.upper)  # as `LC_ALL=C sort -f` did


if __name__ == "__main__":
    pins = [line.strip() for line in sys.stdin if line.strip() and not line.startswith("#")]
    sys.stdout.write("".join(f"{pin}\n" for pin in with_markers(pins)))
