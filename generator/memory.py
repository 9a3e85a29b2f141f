"""Every call to the garbage collector and the C library's allocator: the build's memory tricks, in one place.

None of them changes what a build makes; each only saves time or memory (see the measurements in each).
"""
from __future__ import annotations

import contextlib
import functools
import gc


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


def hide_from_collector() -> None:
    """Move every object alive now out of the collector's sight, until `show_to_collector` (gc.freeze)."""
    gc.freeze()


def show_to_collector() -> None:
    """Let the collector see the objects hidden from it again."""
    gc.unfreeze()


@contextlib.contextmanager
def shared_with_workers():
    """Hide every object alive now from the collector while forked workers share them (were it to walk
    them, it would write to, and so copy, the pages they lie in); show them again unless hidden before."""
    hidden_before = gc.get_freeze_count() > 0  # a one-off build's loaded cache (generator.incremental.Builder)
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if not hidden_before:
            gc.unfreeze()


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
