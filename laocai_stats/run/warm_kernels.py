"""Kernels forked from a warm process, so that eight notebooks do not each pay for importing the same libraries.

A normal Jupyter kernel is a new Python process that imports pandas, matplotlib, seaborn, scipy and
this package before the first cell finishes: several seconds per notebook, most of a notebook's run
time. `reproduce` instead imports them once in each worker process (`preload`), then starts each
notebook's kernel with os.fork() from that worker. The kernel is the usual IPython kernel
(ipykernel's IPKernelApp, the same command line and connection file as `python -m ipykernel_launcher`),
starting with the modules already in memory, so a notebook's `import` lines find them loaded; its
namespace, working folder and environment are new, as with any kernel. jupyter_client manages it
through a Popen-like handle. Where fork() does not exist, or with LAOCAI_STATS_FORK_KERNELS=0, the kernel
is launched as usual. The executed notebooks are byte-identical either way (tests/test_reproduce.py).
"""
from __future__ import annotations

import asyncio
import importlib
import os
import signal
import sys
import time
import traceback

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

# Imported once per worker before the first kernel is forked: what the notebooks' first cell imports.
PRELOAD = (
    "pandas", "numpy", "scipy.stats", "matplotlib", "matplotlib.pyplot", "seaborn", "IPython", "IPython.display",
    "ipykernel.kernelapp", "matplotlib_inline.backend_inline", "laocai_stats", "laocai_stats.stats",
    "laocai_stats.audit", "laocai_stats.publish", "laocai_stats.publish.figures", "laocai_stats.publish.narrative",
    "laocai_stats.publish.style",
)


#: Set to 0 to start every kernel as a new process, the way Jupyter does.
SWITCH = "LAOCAI_STATS_FORK_KERNELS"


def can_fork() -> bool:
    if os.environ.get(SWITCH, "1") == "0":
        return False
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS system frameworks are not fork-safe


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGKILL when `parent` dies (Linux), so that a `kill -9` of `reproduce`
    leaves no worker or kernel behind; elsewhere a no-op. If the parent died already, exit now."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the parent died before the request was made: nobody would signal us
        os._exit(1)


def preload() -> None:
    """Import the notebooks' libraries into this process; a module that fails to import is left to the kernel."""
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel reports it the usual way when the notebook imports it
            pass


class ForkedProcess:
    """The subset of subprocess.Popen that jupyter_client's LocalProvisioner uses, for a forked child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel process {self.pid} still running")
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _become_kernel(cmd: list[str], cwd: str | None, env: dict | None, parent: int) -> None:
    """In the forked child: leave the parent's event loop behind and run the IPython kernel; never returns."""
    code = 1
    try:
        die_with_parent(parent)
        os.setpgid(0, 0)  # its own group: a Ctrl-C reaches `reproduce`, which ends the workers, which end their kernels
        asyncio.events._set_running_loop(None)  # the fork happened inside the parent's running loop
        asyncio.set_event_loop(asyncio.new_event_loop())
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd:
            os.chdir(cwd)
            sys.path[0:0] = [str(cwd)]  # as `python -m ipykernel_launcher` started in cwd would have it
        argv = cmd[cmd.index("ipykernel_launcher") + 1:]
        sys.argv = [cmd[0], *argv]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - report, then leave without running the parent's cleanup
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed or missing stream; nothing left to say
                pass
        os._exit(code)


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernel is forked from this (warm) process when the command is ipykernel's."""

    async def launch_kernel(self, cmd, **kwargs):
        if not can_fork() or "ipykernel_launcher" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = kwargs.get("cwd")
        env = kwargs.get("env")
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _become_kernel(list(cmd), cwd, env, parent)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child set it already
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (nbclient's default) that starts local IPython kernels by forking."""

    async def _async_pre_start_kernel(self, **kw):
        result = await super()._async_pre_start_kernel(**kw)
        if type(self.provisioner) is LocalProvisioner:
            self.provisioner.__class__ = ForkProvisioner
        return result
