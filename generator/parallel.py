"""Run render jobs, on every core when there are enough of them.

Workers are forked after the site is gathered, so they share the parsed site with the main process
instead of receiving it through a pipe; each writes its files straight into the staging folder and
sends back only their paths. Which worker renders a page never changes its bytes.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing

from .errors import Problem
from .processes import can_fork, collector_paused, default_workers, release_free_memory
from .render import Job, TemplateProblem, run_job
from .write import Staging

PARALLEL_FROM = 200  # fewer jobs than this are not worth forking for
CHUNK = 64  # jobs per task sent to a worker
# A worker is replaced after this many jobs. Rendering touches the listings it shows, and on a forked
# worker every page of memory it touches becomes its own copy: at 100,000 listings each worker ended
# up with a private copy of most of the parsed site (about 1 GB each). A fresh worker starts from the
# shared pages again. A replacement is not free: a fork and the templates loaded again; every 2,500
# jobs cost about 20% more time. Measured at 100,000: a template edit peaked at 3.05 GiB instead of 3.9.
# (The open data used to be made in the main process meanwhile, and a new worker kept the pages that
# process changed; it is now made on a worker too, when the build keeps no cache in memory.)
WORKER_JOBS = 10_000

_work: tuple[list[Job], object, Staging] | None = None  # what forked workers inherit


def run_jobs(jobs: list[Job], templates, staging: Staging, workers: int | None = None) -> dict[str, list[str]]:
    """Run every job, writing its files into staging; return {job name: paths}.

    Raises TemplateProblem for the first broken template met (in job order).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not can_fork():
        done = {}
        for job in jobs:
            with collector_paused() if job.many_objects else contextlib.nullcontext():
                done[job.name] = staging.write(run_job(job, templates))
                if job.after:
                    job.after()
            if job.many_objects:
                release_free_memory()
        return done
    global _work
    _work = (jobs, templates, staging)
    chunks = _chunks(jobs)
    done: dict[str, list[str]] = {}
    problems: list[tuple[int, Problem]] = []
    frozen_before = gc.get_freeze_count() > 0  # a one-off build's loaded cache (pipeline.Builder)
    gc.collect()
    gc.freeze()  # keep the collector from touching (and so copying) the shared objects in workers
    try:
        with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=max(1, WORKER_JOBS // CHUNK)) as pool:
            running = pool.imap_unordered(_run_chunk, chunks)
            results, problem, _ = _run_indexes([i for i, job in enumerate(jobs) if job.local])
            done.update(results)
            if problem:
                problems.append(problem)
            for results, problem, (same, streamed) in running:
                done.update(results)
                staging.same.update(same)
                staging.streamed.update(streamed)
                if problem:
                    problems.append(problem)
    finally:
        if not frozen_before:
            gc.unfreeze()
        _work = None
    if problems:
        raise TemplateProblem(*_fields(min(problems, key=lambda p: p[0])[1]))
    return done


def _chunks(jobs: list[Job]) -> list[list[int]]:
    """Split the workers' job indexes into tasks: first every site-wide job in one task (the open data and
    search files first), then pages in batches. Jobs marked `local` run in the main process meanwhile.

    One worker makes the site-wide jobs one after the other, so the open data's pieces are never in
    memory side by side, and only that worker reads every listing: a forked worker that reads an
    object gets its own copy of the memory it lies in (its reference count is written). At 100,000
    listings, the sitemaps made on the other worker copied all the listings a second time (~270 MB),
    and the main process's own pages no longer shared with anyone counted as much again.
    """
    site_wide = [i for i, job in enumerate(jobs) if "/" not in job.name and not job.local]
    site_wide.sort(key=lambda i: not jobs[i].many_objects)  # stable: otherwise in plan order
    pages = [i for i, job in enumerate(jobs) if "/" in job.name and not job.local]
    return ([site_wide] if site_wide else []) + [pages[i:i + CHUNK] for i in range(0, len(pages), CHUNK)]


def _run_chunk(indexes: list[int]) -> tuple[dict[str, list[str]], tuple[int, Problem] | None,
                                            tuple[list[str], list[str]]]:
    return _run_indexes(indexes)


def _run_indexes(indexes: list[int]) -> tuple[dict[str, list[str]], tuple[int, Problem] | None,
                                              tuple[list[str], list[str]]]:
    """Run jobs by index; return their paths, the first template problem, and what the staging object
    noted of them (Staging.same and Staging.streamed, which a worker's copy cannot share otherwise)."""
    jobs, templates, staging = _work
    results = {}
    problem = None
    for i in indexes:
        try:
            with collector_paused() if jobs[i].many_objects else contextlib.nullcontext():
                results[jobs[i].name] = staging.write(run_job(jobs[i], templates))
                if jobs[i].after:
                    jobs[i].after()
            if jobs[i].many_objects:
                release_free_memory()
        except TemplateProblem as exc:
            problem = (i, exc.problem)
            break
    made = [path for paths in results.values() for path in paths]
    return results, problem, ([p for p in made if p in staging.same], [p for p in made if p in staging.streamed])


def _fields(problem: Problem) -> tuple[str, int, str]:
    return problem.path, problem.line, problem.message
