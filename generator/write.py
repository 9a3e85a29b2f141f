"""The one module that touches the output folder: everything is written to a temporary folder
beside it, then swapped in, so a failed build leaves the previous site exactly as it was."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class DuplicateOutput(Exception):
    """Two renderers produced the same output path (a bug, not a content problem)."""


def check_paths(files: list[tuple[str, bytes]]) -> None:
    """Refuse unsafe output paths and two writes to one path."""
    seen = set()
    for path, _ in files:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ValueError(f"unsafe output path {path!r}")
        if path in seen:
            raise DuplicateOutput(f"two pages would be written to {path}")
        seen.add(path)


def write_site(files: list[tuple[str, bytes]], output: Path) -> None:
    """Write (path, bytes) pairs as the new contents of `output`, replacing it in one swap."""
    check_paths(files)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for path, data in files:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    """Move the staged folder into place; the old output is removed only after the new one is in."""
    if not output.exists():
        os.replace(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.replace(output, retired / "site")
    try:
        os.replace(staging, output)
    except OSError:
        os.replace(retired / "site", output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
