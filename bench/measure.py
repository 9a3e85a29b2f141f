"""Helpers the build benchmark shares: run a child and time it, medians, a description of the machine."""
from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ChildRun:
    """One finished child process: exit code, wall seconds, peak RSS in MiB, what it printed, CPU seconds."""

    code: int
    wall: float
    rss_mb: float
    output: str
    cpu: float = float("nan")

    @property
    def ok(self) -> bool:
        return self.code == 0


def log(message: str) -> None:
    """Print progress to stderr (stdout carries the table)."""
    print(message, file=sys.stderr, flush=True)


def run_child(command: list[str], timeout: float, cwd: Path = REPO_ROOT) -> ChildRun:
    """Run a command to the end; return its wall time, CPU time and peak memory.

    Peak memory is the larger of two readings: the child's own maximum resident set size (`os.wait4`
    gives the rusage of exactly this child, so runs do not mix their peaks) and the highest total
    proportional set size (PSS) of the child and all its descendants, sampled every 50 ms — the build
    forks render workers, and their memory counts too (PSS splits pages they share, so nothing is
    counted twice).
    """
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    sampler = TreeMemory(proc.pid)
    sampler.start()
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    sampler.stop()
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    peak_mb = max(usage.ru_maxrss / 1024, sampler.peak_kb / 1024)
    return ChildRun(proc.returncode, wall, peak_mb, output.strip(), usage.ru_utime + usage.ru_stime)


class TreeMemory(threading.Thread):
    """Sample the total PSS of a process and its descendants until stopped; keep the highest (KiB)."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.pid)))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _tree(root: int) -> list[int]:
    """Return the pid and every descendant's pid (from /proc/<pid>/task/*/children)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        with contextlib.suppress(OSError, ValueError):
            for task in os.listdir(f"/proc/{pid}/task"):
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def median(values: list[float]) -> float:
    """Return the median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def hugo_version() -> str:
    """Return Hugo's version line, or '' when hugo is not on PATH."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["hugo", "version"], capture_output=True, text=True, timeout=30).stdout
        return out.split("BuildDate")[0].strip()
    return ""


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    """Return total RAM in GiB (NaN when unknown)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1]) / 1024 / 1024
    return float("nan")


def load_average() -> str:
    """Return the 1/5/15-minute load averages, which show whether the machine was shared."""
    with contextlib.suppress(OSError):
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return "unknown"


def machine_info(hugo: str, chromium: str) -> str:
    """Return one line naming the machine and the tools the figures came from."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    parts = [f"{cpus} cores ({cpu_model()})", f"{memory_gib():.0f} GiB RAM",
             f"Python {platform.python_version()}", hugo or "Hugo not installed"]
    if chromium:
        parts.append(f"Chromium {chromium} (headless)")
    return ", ".join(parts)
