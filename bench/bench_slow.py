"""Measure the starter site's directory on a slow phone connection: how many files it fetches and how long until
the results are complete.

    make bench-slow [BENCH_ARGS="--repeat 5"]
    python -m bench.bench_slow [--repeat 3] [--site DIR]

Builds the starter content (or takes --site), serves it on 127.0.0.1 and opens each page below in headless Debian
Chromium at phone size (390 × 800), with the connection slowed by Chromium's own network emulation to 150 ms of
latency per request, 1.6 Mbit/s down and 750 kbit/s up (Lighthouse's "slow 4G"). For each page and run it records
when the first results were drawn, when the status said the results were complete, and the files and bytes fetched
from /search/ by then (the index, the articles, place lookups and listings' data and words), raw (as decompressed)
and gzip-compressed at level 6 (what the server sends).

The loopback server sends what a CDN would: files gzip-compressed (level 6) over kept-alive HTTP/1.1 connections.
The browser opens at most six of those, and each file waits its turn; a CDN's HTTP/2 sends many files over one
connection at once, so with many files the times here are on the slow side. The count of files and their bytes do
not depend on the server. Prints a Markdown table and writes it to bench/results-slow.md.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_search import CHROMIUM, CHROMIUM_ARGS, build, gz, kb, log, machine_info
from generator.static_server import serve_with

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results-slow.md"

# Lighthouse's mobile throttling ("slow 4G"): latency in ms, throughput in bytes per second.
LATENCY_MS = 150
DOWN_BPS = 1.6e6 / 8
UP_BPS = 750e3 / 8

# (label, address under the site) opened once per run.
PAGES = [
    ("Every listing (no filters)", "/directory/"),
    ("Near ZIP 06510 (from the home page's box)", "/directory/#place=06510&sort=distance"),
    # "Use my location" on the home page gives the point alone; the directory finds its state in the grid of
    # states (near a state line, the map's outlines) and adds it to the address, so a link shared from there (or
    # a reload) has it. The bytes counted are those from /search/ only, not the grid's.
    ("Near a location in New Haven, from the home page (“Use my location”)",
     "/directory/#at=41.31%2C-72.92&sort=distance"),
    ("Near a shared location in New Haven, with its state", "/directory/#at=41.31%2C-72.92%2CCT&sort=distance"),
    ("Words: “family”", "/directory/?q=family"),
    ("One state (Connecticut) and a support type", "/directory/?region=CT&type=12-step"),
]

class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that compresses what it sends, as a CDN does, and keeps connections open."""

    protocol_version = "HTTP/1.1"
    compressed: dict[str, bytes] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].split("#")[0].endswith("/"):
                return super().do_GET()  # the redirect to the folder's address
            path = path / "index.html"
        if not path.is_file():
            return self.send_error(404)
        key = str(path)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=6)
        body = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


COMPLETE = "() => /\\d+ listings? found/.test(document.getElementById('result-status')?.textContent || '')"


def open_slowly(browser, base: str, path: str) -> dict:
    """Open `path` at phone size on a slowed connection; return the times (ms) and the /search/ files fetched."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                   "downloadThroughput": DOWN_BPS, "uploadThroughput": UP_BPS})
    bodies: list[bytes] = []
    page.on("response", lambda r: bodies.append(r) if "/search/" in r.url else None)
    page.goto(base + path, wait_until="commit")
    page.wait_for_function(COMPLETE, timeout=300_000, polling=20)
    times = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const first = performance.getEntriesByName('directory-update')[0];
        return {start: nav ? nav.startTime : 0, first: first ? first.startTime + first.duration : null,
                complete: performance.now()};
    }""")
    files = [response.body() for response in bodies]
    context.close()
    return {"first_ms": times["first"] - times["start"], "complete_ms": times["complete"] - times["start"],
            "files": len(files), "raw": sum(len(b) for b in files), "gzip": sum(gz(b) for b in files)}


def report(rows: list[tuple[str, str, list[dict]]], machine: str, repeat: int, built: str) -> str:
    lines = ["# The directory on a slow phone connection (the starter site)", "",
             f"Machine: {machine}. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. {built}", "",
             f"Each page opened {repeat} times at 390 × 800 px with {LATENCY_MS} ms latency per request, "
             f"{DOWN_BPS * 8 / 1e6:.1f} Mbit/s down, {UP_BPS * 8 / 1e3:.0f} kbit/s up (Chromium's network emulation). "
             "Times are medians, from the start of navigation. The loopback server sends every file gzip-compressed "
             "over kept-alive HTTP/1.1, as a CDN would, but without HTTP/2: with many files a CDN would be quicker. "
             "Files and bytes are those fetched from /search/ by the time the results were complete.", "",
             "| Page | First results | Complete | Search files | Bytes raw / gzip |", "|---|---|---|---|---|"]
    for label, path, runs in rows:
        first = statistics.median(r["first_ms"] for r in runs)
        complete = statistics.median(r["complete_ms"] for r in runs)
        files = statistics.median(r["files"] for r in runs)
        lines.append(f"| {label}: `{path}` | {first / 1000:.2f} s | {complete / 1000:.2f} s | {files:.0f} | "
                     f"{kb(statistics.median(r['raw'] for r in runs))} / {kb(statistics.median(r['gzip'] for r in runs))} |")
    lines += ["", "Every run, complete (s): " + "; ".join(
        f"{label.split(' (')[0]}: " + ", ".join(f"{r['complete_ms'] / 1000:.2f}" for r in runs) for label, _, runs in rows)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each page (default 3)")
    parser.add_argument("--site", type=Path, help="a built site to measure instead of building the starter content")
    parser.add_argument("--no-write", action="store_true", help="print the table without writing bench/results-slow.md")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-slow-") as scratch:
        site = args.site
        built = "Site given with --site."
        if site is None:
            site = Path(scratch) / "site"
            log("building the starter content…")
            result = build(REPO_ROOT / "content", site, timeout=600)
            if not result["ok"]:
                print(result["output"], file=sys.stderr)
                return 1
            built = f"Built from content/ in {result['wall']:.1f} s."
        with serve_with(GzipHandler, site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            rows = []
            for label, path in PAGES:
                runs = []
                for i in range(args.repeat):
                    runs.append(open_slowly(browser, base, path))
                    log(f"{label}, run {i + 1}: {runs[-1]['complete_ms'] / 1000:.2f} s, {runs[-1]['files']} files")
                rows.append((label, path, runs))
            machine = machine_info(browser.version)
            browser.close()
    text = report(rows, machine, args.repeat, built)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
