"""Serve a built site on loopback without live reload: what tests and benchmarks look at.

A plain static server. Given header rules (from netlify.toml, see netlify_headers.py) it sends
exactly the headers Netlify would, and serves 404.html with status 404 for a missing path, as
Netlify does. `build.py serve` is the one for editing (it reloads the browser).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .netlify_headers import HeaderRule, headers_for_path


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

    header_rules: list[HeaderRule] | None = None  # None: plain server, no extra headers, default 404
    merge = "all"  # what to send when two rules set one header (see netlify_headers.headers_for_path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        """Add the headers the rules give this request's path, then end the header block."""
        if self.header_rules is not None:
            for name, value in headers_for_path(self.header_rules, self._url_path(), self.merge):
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing path with the site's 404.html when serving like Netlify (or its language's, which
        _redirects names)."""
        page = Path(self.directory) / not_found_page(Path(self.directory), self._url_path()).lstrip("/")
        if code != 404 or self.header_rules is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _url_path(self) -> str:
        return unquote(urlsplit(self.path).path)


def not_found_page(root: Path, path: str) -> str:
    """Return the page Netlify answers a missing `path` with: that of the first rule of _redirects whose `/x/*`
    matches it with status 404, else /404.html."""
    rules = root / "_redirects"
    for line in rules.read_text(encoding="utf-8").splitlines() if rules.is_file() else ():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "404" and parts[0].endswith("/*") and path.startswith(parts[0][:-1]):
            return parts[1]
    return "/404.html"


@contextlib.contextmanager
def serve_directory(path: Path, header_rules: list[HeaderRule] | None = None, merge: str = "all") -> Iterator[str]:
    """Serve ``path`` over HTTP on 127.0.0.1 (a free port) until the block ends.

    Yields the base URL without a trailing slash, e.g. ``http://127.0.0.1:41234``,
    so pages are addressed as ``f"{url}/listings/some-slug/"``. A plain static
    server (no live-reload script injected). Without ``header_rules`` a missing path
    gets Python's default 404 page; with them (``load_header_rules(netlify.toml)``)
    every response carries the headers Netlify would send and a missing path gets
    ``404.html``; ``merge`` says what is sent when two rules set one header.
    """
    handler_class = type("RuleHandler", (QuietHandler,), {"header_rules": header_rules, "merge": merge})
    with serve_with(handler_class, path) as url:
        yield url


@contextlib.contextmanager
def serve_with(handler_class: type[http.server.SimpleHTTPRequestHandler], path: Path) -> Iterator[str]:
    """Serve ``path`` with a request handler of this class on 127.0.0.1 (a free port) until the block ends; yield
    the base URL, as serve_directory does."""
    handler = functools.partial(handler_class, directory=str(path))
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

