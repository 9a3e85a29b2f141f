"""Run render jobs, on every core when there are enough of them.

Workers are forked after the site is gathered, so they share the parsed site with the main process
instead of receiving it through a pipe; each writes its files straight into the staging folder and
sends back only their paths. Which worker renders a page never changes its bytes.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import threading
import traceback
from collections import deque
from multiprocessing.connection import wait

from .errors import Problem
from .processes import can_fork, collector_paused, default_workers, release_free_memory
from .render import Job, TemplateProblem, run_job
from .write import Staging

PARALLEL_FROM = 200  # fewer jobs than this are not worth forking for
CHUNK = 256  # listings' worth of jobs per task sent to a worker (Job.shows: a page of 50 listings counts 50)
# A worker is replaced once the jobs it ran showed this many listings. On a forked worker, every page of
# memory it reads an object from becomes its own copy (the object's reference count is written), and a
# page of memory holds parts of many listings: a worker that had shown every listing once held a copy of
# most of the parsed site. A fresh worker starts from the shared pages again; one costs a fork and its
# first pages (~0.1 s). Measured at 100,000 listings, a template edit (some 40 workers in turn instead of
# 11): peak memory 1.50 -> 1.23 GiB, the time the same within the machine's noise (68-72 s).
WORKER_LISTINGS = 20_000

_work: tuple[list[Job], object, Staging] | None = None  # what forked workers inherit


class WorkerStopped(Exception):
    """A render worker ended before finishing its task (killed, most likely for lack of memory)."""

    def __init__(self, code: int | None):
        how = f"exit code {code}"
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                how = f"killed by {signal.Signals(-code).name}"
        super().__init__(f"a render worker stopped before finishing its pages ({how}) — if the machine ran short "
                         "of memory, build with fewer processes (--jobs 1 uses the least)")


Noted = tuple[list[str], list[str], dict[str, tuple[str, int, int]]]  # Staging's same, streamed, packed
Result = tuple[dict[str, list[str]], tuple[int, Problem] | None, Noted]


def run_jobs(jobs: list[Job], templates, staging: Staging, workers: int | None = None) -> dict[str, list[str]]:
    """Run every job, writing its files into staging; return {job name: paths}.

    Raises TemplateProblem for the first broken template met (in job order).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not can_fork():
        return {job.name: _run_one(job, templates, staging) for job in jobs}
    global _work
    _work = (jobs, templates, staging)
    done: dict[str, list[str]] = {}
    problems: list[tuple[int, Problem]] = []

    def take(result: Result) -> None:
        results, problem, (same, streamed, packed) = result
        done.update(results)
        staging.same.update(same)
        staging.streamed.update(streamed)
        staging.packed.update(packed)
        if problem:
            problems.append(problem)

    frozen_before = gc.get_freeze_count() > 0  # a one-off build's loaded cache (pipeline.Builder)
    gc.collect()
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects in workers
    try:
        local = [i for i, job in enumerate(jobs) if job.local]
        with Workers(workers) as pool:
            if local:  # the workers' tasks are handed out meanwhile, from another thread
                thread = threading.Thread(target=pool.run, args=(_tasks(jobs), take), name="render workers")
                thread.start()
                try:
                    results, problem, _ = _run_indexes(local)
                except BaseException:
                    pool.cancel()
                    raise
                finally:
                    thread.join()
                pool.raise_failure()
                done.update(results)
                if problem:
                    problems.append(problem)
            else:
                pool.run(_tasks(jobs), take)
                pool.raise_failure()
    finally:
        if not frozen_before:
            gc.unfreeze()
        _work = None
    if problems:
        raise TemplateProblem(*_fields(min(problems, key=lambda p: p[0])[1]))
    return done


def _tasks(jobs: list[Job]) -> list[list[int]]:
    """Split the workers' job indexes into tasks: first every site-wide job in one task (the open data and
    search files first), then single jobs that show more than CHUNK listings (the largest first, so that
    none is left to the end), then the other pages in batches. Jobs marked `local` run in the main
    process meanwhile.

    One worker makes the site-wide jobs one after the other, so the open data's pieces are never in
    memory side by side, and only that worker reads every listing: a forked worker that reads an
    object gets its own copy of the memory it lies in (its reference count is written). At 100,000
    listings, the sitemaps made on the other worker copied all the listings a second time (~270 MB),
    and the main process's own pages no longer shared with anyone counted as much again.
    """
    site_wide = [i for i, job in enumerate(jobs) if job.site_wide and not job.local]
    site_wide.sort(key=lambda i: not jobs[i].many_objects)  # stable: otherwise in plan order
    pages = [i for i, job in enumerate(jobs) if not job.site_wide and not job.local]
    large = sorted((i for i in pages if jobs[i].shows > CHUNK), key=lambda i: -jobs[i].shows)
    batches: list[list[int]] = []
    shown = CHUNK
    for i in pages:
        if jobs[i].shows <= CHUNK:
            if shown + jobs[i].shows > CHUNK:
                batches.append([])
                shown = 0
            batches[-1].append(i)
            shown += jobs[i].shows
    return ([site_wide] if site_wide else []) + [[i] for i in large] + batches


class Workers:
    """Forked worker processes that run tasks of job indexes, each replaced once its jobs showed
    WORKER_LISTINGS listings (see there why).

    multiprocessing.Pool replaces its workers after a number of tasks, not by what the tasks held, so a
    worker that made the open data (every listing, several times) or a region's printable page lived on
    with all it had copied. A worker that stops unexpectedly (killed for lack of memory) fails the build
    instead of leaving it waiting.
    """

    def __init__(self, count: int):
        self.count = count
        self.context = multiprocessing.get_context("fork")
        self.running: dict = {}  # connection → process
        self.failure: BaseException | None = None
        self.cancelled = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def run(self, tasks: list[list[int]], take) -> None:
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
                        raise WorkerStopped(process.exitcode) from None
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

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child,), name="render worker", daemon=True)
        process.start()
        child.close()
        self.running[parent] = process
        return parent

    def _give(self, conn, pending: deque) -> None:
        if pending:
            conn.send(pending.popleft())
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


def _serve(conn) -> None:
    """A worker's life: run the tasks it is sent until told to stop, or until its jobs showed WORKER_LISTINGS."""
    jobs = _work[0]
    shown = 0
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the main process is gone
            return
        if task is None:
            return
        try:
            result = _run_indexes(task)
        except BaseException as exc:  # sent to the main process, which raises it
            exc.add_note("".join(traceback.format_exception(exc)).rstrip())  # where, in the worker
            try:
                conn.send(("failed", exc, True))
            except Exception:  # it cannot be pickled
                conn.send(("failed", RuntimeError("".join(traceback.format_exception(exc))), True))
            return
        shown += sum(jobs[i].shows for i in task)
        retiring = shown >= WORKER_LISTINGS
        conn.send(("done", result, retiring))
        if retiring:
            return


def _run_one(job: Job, templates, staging: Staging) -> list[str]:
    """Run one job and stage its files; return their paths."""
    with collector_paused() if job.many_objects else contextlib.nullcontext():
        paths = staging.write(run_job(job, templates))
        if job.after:
            job.after()
    if job.many_objects:
        release_free_memory()
    return paths


def _run_indexes(indexes: list[int]) -> Result:
    """Run jobs by index; return their paths, the first template problem, and what the staging object
    noted of them (Staging.same, .streamed and .packed, which a worker's copy cannot share otherwise)."""
    jobs, templates, staging = _work
    results = {}
    problem = None
    for i in indexes:
        try:
            results[jobs[i].name] = _run_one(jobs[i], templates, staging)
        except TemplateProblem as exc:
            problem = (i, exc.problem)
            break
    made = [path for paths in results.values() for path in paths]
    packed = staging.packed
    return results, problem, ([p for p in made if p in staging.same], [p for p in made if p in staging.streamed],
                              {p: packed[p] for p in made if p in packed})


def _fields(problem: Problem) -> tuple[str, int, str]:
    return problem.path, problem.line, problem.message
