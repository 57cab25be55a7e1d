"""Exceptions raised by laocai-stats; every one a user can see derives from LaocaiError."""
from __future__ import annotations

from dataclasses import dataclass

from .text import N_, _

SEVERITIES = (N_("error"), N_("warning"))  # how `validate` labels each problem


class LaocaiError(Exception):
    """Base class: the command line prints its message on one line and exits with status 2."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a data file: where it is and what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    cell: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(_("sheet '{sheet}'").format(sheet=self.sheet))
        if self.cell is not None:
            where.append(_("cell {cell}").format(cell=self.cell))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            where.append(_("column '{column}'").format(column=self.column))
        return f"{', '.join(where)}: {self.message}"


class DataError(LaocaiError):
    """Data that does not meet its schema; carries every problem found, names the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one problem")
        first = str(self.problems[0])
        more = len(self.problems) - 1
        if more:
            first += (_(" (and {more} more problem; `laocai-stats validate` lists them all)") if more == 1 else
                      _(" (and {more} more problems; `laocai-stats validate` lists them all)")).format(more=more)
        super().__init__(first)


class AggregationError(LaocaiError):
    """A sum that has no meaning, such as adding up a level across years."""


# A Ctrl-C, remembered. Some libraries catch KeyboardInterrupt in their own code (a bare `except:` around an import),
# and the run would then go on to the end and put its outputs in place. The command line therefore records the
# Ctrl-C here (`stop_on_ctrl_c`), and nothing is put in place once it has been seen (`raise_if_interrupted`).
_interrupted = False


def _on_ctrl_c(signum, frame):
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def stop_on_ctrl_c() -> None:
    """In the main thread, where Ctrl-C raises KeyboardInterrupt (Python's default): also remember it. Each command
    starts with none remembered (a second command in the same process, after an interrupted one, runs)."""
    import signal
    import threading

    global _interrupted
    _interrupted = False
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_ctrl_c)


def raise_if_interrupted() -> None:
    """KeyboardInterrupt again if a Ctrl-C was seen, even one that a library caught and dropped."""
    if _interrupted:
        raise KeyboardInterrupt
