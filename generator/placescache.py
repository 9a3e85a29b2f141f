"""The place lookup files, kept between builds in the user's cache folder: part of the speed layer.

The files (ZIP code and city centroids for the browser's "near" search) depend on the bundled ZIP data and on
the code that makes them, never on a site's content, yet making them means reading the whole ZIP tables: about
2.5 s, most of a small site's build. A build through the speed layer keeps them once per machine, under
$XDG_CACHE_HOME (or ~/.cache)/peer-support-directory/, named after the zipcodes release and the code, and
takes them from there while both are the same. A file that cannot be read or written is made again.
"""
from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

from .digest import PACKAGE, digest
from .files import Files


def cache_file() -> Path | None:
    """Return where this machine keeps the place files of the current ZIP data and code (None: unknown)."""
    try:
        import zipcodes

        data = Path(zipcodes.__file__).parent
        stamp = [f"{p.name}:{p.stat().st_size}" for p in sorted(data.iterdir()) if p.suffix in (".so", ".py", ".json")]
        key = digest(getattr(zipcodes, "__version__", ""), *stamp, (PACKAGE / "geo.py").read_bytes(),
                     (PACKAGE / "addresses.py").read_bytes())
    except (ImportError, OSError):
        return None
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "peer-support-directory" / f"places-{key}.pickle"


def remembered(make: Callable[[], Files]) -> Files:
    """Return make()'s files, from this machine's cache when it has them (and into it when not)."""
    path = cache_file()
    if path is not None:
        try:
            files = pickle.loads(path.read_bytes())
            if isinstance(files, list) and all(isinstance(f, tuple) and len(f) == 2 for f in files):
                return files
        except Exception:  # noqa: BLE001 — a missing, damaged or foreign file is made again
            pass
    files = make()
    if path is not None:
        _save(path, files)
    return files


def _save(path: Path, files: Files) -> None:
    """Write the cache file whole or not at all (a temporary file renamed over it); never fail the build."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
