"""The one way the build starts processes: forked workers that share the parent's memory.

Render workers (generator.parallel), listing files read on every core (fork_map) and the ZIP tables
loaded in a short-lived child (in_child) all go through `Workers`. Standard library only, so that
`check` (which gathers) does not import the renderer.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait


def default_workers() -> int:
    """Return how many processes to use: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Return whether this process may fork workers (not on every system, and not from a worker itself)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


class WorkerStopped(Exception):
    """A worker ended before finishing its task (killed, most likely for lack of memory)."""

    def __init__(self, code: int | None, name: str = "render worker", work: str = "pages"):
        how = f"exit code {code}"
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                how = f"killed by {signal.Signals(-code).name}"
        super().__init__(f"a {name} stopped before finishing its {work} ({how}) — if the machine ran short "
                         "of memory, build with fewer processes (--jobs 1 uses the least)")


class Workers:
    """Forked worker processes that call `run(task)` for each task they are sent and send back its result.

    Workers inherit `run` and everything it reaches (nothing is sent to them but tasks), so both may
    hold anything; only the results travel back, pickled. With `retire_at`, a worker is replaced once
    the `weight` of the tasks it ran adds up to that much (see generator.parallel.WORKER_LISTINGS for
    why). A worker that stops unexpectedly (killed for lack of memory) fails the run instead of leaving
    it waiting.
    """

    def __init__(self, count: int, run: Callable, weight: Callable[[object], int] | None = None,
                 retire_at: int = 0, name: str = "worker", work: str = "task"):
        self.count, self.task_runner = count, (run, weight, retire_at)
        self.name, self.work = name, work
        self.context = multiprocessing.get_context("fork")
        self.running: dict = {}  # connection → process
        self.failure: BaseException | None = None
        self.cancelled = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def run(self, tasks: Sequence, take: Callable[[object], None]) -> None:
        """Run every task, calling take(result) with each task's result as it comes; a failure is kept
        for raise_failure (this may run on a thread of its own)."""
        pending = deque(tasks)
        try:
            for _ in range(min(self.count, len(pending))):
                self._give(self._start(), pending)
            while self.running:
                for conn in wait(list(self.running)):
                    try:
                        kind, value, retiring = conn.recv()
                    except EOFError:
                        if self.cancelled:
                            return
                        process = self.running[conn]
                        process.join()
                        raise WorkerStopped(process.exitcode, self.name, self.work) from None
                    if kind == "failed":
                        raise value
                    take(value)
                    if retiring:
                        self._end(conn)
                        if pending and not self.cancelled:
                            self._give(self._start(), pending)
                    else:
                        self._give(conn, pending)
        except BaseException as exc:
            if not self.cancelled:
                self.failure = exc
            self.stop()

    def run_all(self, tasks: Sequence, take: Callable[[object], None]) -> None:
        """Run every task as `run` does, then raise its failure, if any."""
        self.run(tasks, take)
        self.raise_failure()

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, *self.task_runner), name=self.name, daemon=True)
        process.start()
        child.close()
        self.running[parent] = process
        return parent

    def _give(self, conn, pending: deque) -> None:
        if pending:
            conn.send((pending.popleft(),))
        else:
            conn.send(None)
            self._end(conn)

    def _end(self, conn) -> None:
        process = self.running.pop(conn)
        conn.close()
        process.join()

    def cancel(self) -> None:
        """Stop the workers from another thread than the one running them (which then returns)."""
        self.cancelled = True
        for process in list(self.running.values()):
            process.terminate()

    def stop(self) -> None:
        """Stop every worker still running (after a failure or an interruption)."""
        for conn, process in list(self.running.items()):
            process.terminate()
            process.join()
            conn.close()
        self.running.clear()


def _serve(conn, run: Callable, weight: Callable | None, retire_at: int) -> None:
    """A worker's life: run the tasks it is sent until told to stop, or until their weight reaches retire_at."""
    carried = 0
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the main process is gone
            return
        if message is None:
            return
        task = message[0]
        try:
            result = run(task)
        except BaseException as exc:  # sent to the main process, which raises it
            exc.add_note("".join(traceback.format_exception(exc)).rstrip())  # where, in the worker
            try:
                conn.send(("failed", exc, True))
            except Exception:  # it cannot be pickled
                conn.send(("failed", RuntimeError("".join(traceback.format_exception(exc))), True))
            return
        carried += weight(task) if weight is not None else 0
        retiring = bool(retire_at) and carried >= retire_at
        conn.send(("done", result, retiring))
        if retiring:
            return


def fork_map(function: Callable[[Sequence], object], items: Sequence, workers: int, chunk: int) -> list:
    """Return [function(part) for consecutive parts of `items`, `chunk` long], computed in forked workers."""
    bounds = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    results: dict[int, object] = {}

    def run(index: int) -> tuple[int, object]:
        start, end = bounds[index]
        return index, function(items[start:end])

    with Workers(workers, run, name="reading worker", work="files") as pool:
        pool.run_all(range(len(bounds)), lambda result: results.__setitem__(*result))
    return [results[index] for index in range(len(bounds))]


def in_child(function: Callable[[], object]) -> object:
    """Return function(), computed in a short-lived forked child: what it leaves in memory goes with it."""
    results = []
    with Workers(1, lambda _: function(), name="child process", work="work") as pool:
        pool.run_all([None], results.append)
    return results[0]
