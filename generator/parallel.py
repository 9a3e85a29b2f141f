"""Run render jobs, on every core when there are enough of them.

Workers are forked after the site is gathered, so they share the parsed site with the main process
instead of receiving it through a pipe; each writes its files straight into the staging folder and
sends back only their paths. Which worker renders a page never changes its bytes.
"""
from __future__ import annotations

import contextlib
import threading

from .errors import Problem
from .memory import collector_paused, release_free_memory, shared_with_workers
from .processes import WorkerStopped, Workers, can_fork, default_workers  # noqa: F401 (WorkerStopped: for callers)
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

Noted = tuple[list[str], list[str], dict[str, tuple[str, int, int]]]  # Staging's same, streamed, packed
Result = tuple[dict[str, list[str]], tuple[int, Problem] | None, Noted]


def run_jobs(jobs: list[Job], templates, staging: Staging, workers: int | None = None) -> dict[str, list[str]]:
    """Run every job, writing its files into staging; return {job name: paths}.

    Raises TemplateProblem for the first broken template met (in job order).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not can_fork():
        return {job.name: _run_one(job, templates, staging) for job in jobs}
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

    def run(task: list[int]) -> Result:  # on a worker, which inherits the jobs
        return _run_indexes(jobs, templates, staging, task)

    local = [i for i, job in enumerate(jobs) if job.local]
    with shared_with_workers(), Workers(workers, run, lambda task: sum(jobs[i].shows for i in task),
                                        WORKER_LISTINGS, "render worker", "pages") as pool:
        if local:  # the workers' tasks are handed out meanwhile, from another thread
            thread = threading.Thread(target=pool.run, args=(_tasks(jobs), take), name="render workers")
            thread.start()
            try:
                take(_run_indexes(jobs, templates, staging, local))
            except BaseException:
                pool.cancel()
                raise
            finally:
                thread.join()
            pool.raise_failure()
        else:
            pool.run_all(_tasks(jobs), take)
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


def _run_one(job: Job, templates, staging: Staging) -> list[str]:
    """Run one job and stage its files; return their paths."""
    with collector_paused() if job.many_objects else contextlib.nullcontext():
        paths = staging.write(run_job(job, templates))
        if job.after:
            job.after()
    if job.many_objects:
        release_free_memory()
    return paths


def _run_indexes(jobs: list[Job], templates, staging: Staging, indexes: list[int]) -> Result:
    """Run jobs by index; return their paths, the first template problem, and what the staging object
    noted of them (Staging.same, .streamed and .packed, which a worker's copy cannot share otherwise)."""
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
