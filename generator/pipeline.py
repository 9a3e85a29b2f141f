"""The build's entry points: the stages of generator.stages, run plainly or through the speed layer.

The stages (gather: load → validate → model; render; write) are generator.stages. The speed layer runs
them faster and makes the same output: the build cache and serve's in-memory builder
(generator.incremental, generator.cachedread, generator.buildcache), forked workers
(generator.parallel, generator.processes) and memory savings (generator.memory, generator.sharing).
`build --plain` runs the stages alone, to compare with.
"""
from __future__ import annotations

from pathlib import Path

from . import stages
from .cachedread import gather_site
from .incremental import Builder
from .stages import CheckResult, WriteFailed

__all__ = ["Builder", "CheckResult", "WriteFailed", "build_site", "gather_site"]


def build_site(content: Path, output: Path, base_url: str | None = None, templates: Path | None = None,
               repository: str | None = None, strict: bool = False, cache: bool = True,
               workers: int | None = None, stamp: str | None = None, plain: bool = False) -> CheckResult:
    """Validate, render and write the whole site; return it with its warnings.

    On errors (and with `strict`, on warnings too) raise ContentError and leave output/ untouched.
    With `cache`, only the jobs whose inputs changed since the last build are rendered, and only
    files whose bytes changed are written; the output is the same as without it. With `plain`, the
    build is generator.stages.build alone: no speed layer at all (no cache, one process, no memory savings).
    """
    if plain:
        return stages.build(content, output, base_url, templates, repository, strict)
    return Builder(content, output, base_url, templates, repository, strict, cache, workers).build(stamp)
