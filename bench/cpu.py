"""CPU time spent by groups of processes during a benchmark run (Linux).

Throughput on a shared machine depends on what else runs; the CPU time one
submission costs the web server, the database and the client much less so.
CpuMeter samples /proc a few times a second, so processes that start during
the run (database connections) and ones that end (a recycled connection)
are both counted, each from its first to its last sample."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    return (PROC / "self" / "stat").exists()


def process_seconds(pid: int) -> float | None:
    """User plus system CPU seconds of one process (all its threads)."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces.
    fields = text[text.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    """The direct children of a process."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            if int(text[text.rfind(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def matching(fragment: str) -> list[int]:
    """Processes whose command line contains `fragment` (PostgreSQL names its
    backends "postgres: 15/main: user database address state")."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if fragment in cmdline:
                found.append(int(entry.name))
    return found


def machine_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, which is counted in user
    return (total - idle) / TICK, total / TICK


class CpuMeter:
    """CPU seconds per group between start() and stop(). Each group is a
    function giving the pids that belong to it now."""

    def __init__(self, groups: dict[str, Callable[[], Iterable[int]]], interval: float = 1.0) -> None:
        self.groups = groups
        self.interval = interval
        self._first: dict[str, dict[int, float]] = {name: {} for name in groups}
        self._last: dict[str, dict[int, float]] = {name: {} for name in groups}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._machine_start = (0.0, 0.0)
        self._machine_end = (0.0, 0.0)

    def _sample(self, *, initial: bool = False) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                seconds = process_seconds(pid)
                if seconds is None:
                    continue
                # A process first seen after the start spent all its time
                # during the run.
                self._first[name].setdefault(pid, seconds if initial else 0.0)
                self._last[name][pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> None:
        self._machine_start = machine_seconds()
        self._sample(initial=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self._machine_end = machine_seconds()

    def seconds(self) -> dict[str, float]:
        return {
            name: sum(self._last[name][pid] - first for pid, first in self._first[name].items()) for name in self.groups
        }

    def machine(self) -> tuple[float, float]:
        """(busy, total) CPU seconds of the whole machine during the run."""
        return (
            self._machine_end[0] - self._machine_start[0],
            self._machine_end[1] - self._machine_start[1],
        )
