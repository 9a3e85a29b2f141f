"""Processes and memory: pausing the garbage collector, and running work on every core.

Standard library only, so that `check` (which gathers) does not import the renderer.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence


@contextlib.contextmanager
def collector_paused():
    """Pause the cyclic collector (reference counting still frees memory), then resume it if it ran.

    Gathering and the open data make millions of objects that live until the build ends; the collector
    walked them again and again as they piled up (a quarter of gathering's time at 10,000 listings, a
    quarter of the open data's at 100,000). The few cycles made meanwhile are collected once it resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def with_collector_paused(function):
    """Decorate `function` to run with the collector paused."""
    @functools.wraps(function)
    def paused(*args, **kwargs):
        with collector_paused():
            return function(*args, **kwargs)
    return paused


def release_free_memory() -> None:
    """Give the memory that freed objects leave behind back to the system, where the C library can.

    Large objects come from malloc, which keeps what they leave free (glibc trims only the top of its
    heap). Measured at 100,000 listings: the HSDS CSV job peaked 200 MB lower after the HSDS JSON
    job once its leftovers were handed back (malloc_trim); without, the two stacked up.
    """
    if _malloc_trim is not None:
        _malloc_trim(0)


def _find_malloc_trim():
    try:
        import ctypes
        return ctypes.CDLL(None).malloc_trim  # glibc only
    except (OSError, AttributeError, ImportError):
        return None


_malloc_trim = _find_malloc_trim()


def default_workers() -> int:
    """Return how many processes to use: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_shared: Callable | None = None  # what forked workers inherit


def fork_map(function: Callable[[Sequence], object], items: Sequence, workers: int, chunk: int) -> Iterator:
    """Yield function(part) for consecutive parts of `items`, in order, computed in forked workers.

    The workers inherit `function` and `items` (nothing is sent to them but part numbers), so both may
    hold anything; only the results travel back, pickled.
    """
    global _shared
    parts = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    _shared = lambda bounds: function(items[bounds[0]:bounds[1]])  # noqa: E731
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run_shared, parts)
    finally:
        _shared = None


def _run_shared(bounds: tuple[int, int]):
    return _shared(bounds)
