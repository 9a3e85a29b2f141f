"""Compiled templates kept in the build cache (`jinja/`): Jinja's bytecode cache, each file checked.

Jinja's own FileSystemBytecodeCache trusts its files: a few flipped bytes make it raise on every
later build (an unpickling error it does not catch) or, worse, load a code object that renders
something else. Here each file is written and read through generator.cachefiles, so a damaged
one is compiled again and rewritten, with a note.
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from .cachefiles import Damaged, check_folder, note, read, remove, write

WHAT = "compiled template"


class CheckedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder, with every file checked before its code is used."""

    def load_bytecode(self, bucket: Bucket) -> None:
        path = Path(self._get_cache_filename(bucket))
        try:
            data = read(path)
        except Damaged as exc:  # (check_templates removed the damaged ones: this one broke since)
            note(WHAT, path, str(exc))
            return
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja itself ignores code of another Python or an edited template

    def dump_bytecode(self, bucket: Bucket) -> None:
        write(Path(self._get_cache_filename(bucket)), bucket.write_bytecode)


def template_cache(folder: Path) -> CheckedBytecodeCache:
    """Return the bytecode cache of a folder, made a real folder and rid of damaged files.

    Checking every file here, before any worker forks, says once what was damaged, however many
    processes would have met it.
    """
    check_folder(folder, create=True)
    cache = CheckedBytecodeCache(str(folder))
    for name in sorted(fnmatch.filter(os.listdir(folder), cache.pattern % "*")):
        path = folder / name
        try:
            read(path)
        except Damaged as exc:
            note(WHAT, path, str(exc))
            remove(path)
    return cache
