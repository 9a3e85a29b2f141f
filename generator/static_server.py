"""Serve a built site on loopback without live reload: what tests and benchmarks look at.

A plain static server, like a production host except that a missing path gets Python's default
404 page rather than 404.html. `build.py serve` is the one for editing (it reloads the browser).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler without per-request logging on stderr."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
        ".woff2": "font/woff2",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_directory(path: Path) -> Iterator[str]:
    """Serve ``path`` over HTTP on 127.0.0.1 (a free port) until the block ends.

    Yields the base URL without a trailing slash, e.g. ``http://127.0.0.1:41234``,
    so pages are addressed as ``f"{url}/listings/some-slug/"``. A plain static
    server (no live-reload script injected), like a production host except that
    missing paths get Python's default 404 page rather than ``404.html``.
    """
    handler = functools.partial(QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, name=f"serve {path}", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

