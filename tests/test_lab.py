"""`make lab` starts JupyterLab, as root too, and prints the token-free URL it serves."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_serves_the_url_it_prints(tmp_path):
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    log = (tmp_path / "lab.log").open("w+")
    lab = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}"], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        status = None
        while status is None:
            assert lab.poll() is None, f"make lab exited with {lab.returncode}:\n{(tmp_path / 'lab.log').read_text()}"
            assert time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
            printed = re.search(r"^JupyterLab: (http://\S+)", (tmp_path / "lab.log").read_text(), flags=re.M)
            try:
                if printed:
                    with urllib.request.urlopen(printed.group(1).replace("/lab", "/api/status"), timeout=5) as r:
                        status = json.loads(r.read())
            except OSError:
                time.sleep(0.5)
        assert printed.group(1) == f"http://127.0.0.1:{port}/lab"
        with urllib.request.urlopen(printed.group(1), timeout=10) as page:  # no token asked for
            assert page.status == 200 and b"JupyterLab" in page.read()
        if os.geteuid() == 0:
            assert "--allow-root" in (tmp_path / "lab.log").read_text()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
        log.close()
