"""Measure how long `build.py serve` takes to show an edited listing in a real browser.

Starts `build.py serve` as a child on a free port, opens the listing's page in headless Debian
Chromium (Playwright), waits until livereload's script has connected (livereload only acts while a
browser is connected), rewrites the listing's `name:` line, and polls the page's <h1> until it shows
the new name. serve shows an edited listing's own page first and then rebuilds the rest of the site;
the child's stderr is read in a thread, so the moment it printed "Rebuilt" gives the second figure:
when the whole site (lists, search, open data) had caught up. The next edit waits for that moment.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import REPO_ROOT, log

CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
POLL_S = 0.02


@dataclass
class ServeRun:
    """One edit seen through `serve`: seconds to the browser showing it, and to the rebuild finishing."""

    shown: float
    rebuilt: float


@dataclass
class ServeLog:
    """Lines the serve child printed, with the time each arrived."""

    lines: list[tuple[float, str]] = field(default_factory=list)

    def first_after(self, started: float, text: str) -> float | None:
        """Return when the first line containing text arrived after `started`."""
        return next((t for t, line in list(self.lines) if t >= started and text in line), None)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_available() -> bool:
    """Return whether Playwright and Chromium are both installed."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def start_serve(content: Path, output: Path, templates: Path, port: int) -> tuple[subprocess.Popen, ServeLog]:
    """Start `build.py serve` and a thread that timestamps what it prints."""
    proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "build.py"), "serve", "--content", str(content),
                             "--output", str(output), "--templates", str(templates), "--port", str(port)],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = ServeLog()

    def pump() -> None:
        for line in proc.stdout:
            served.lines.append((time.perf_counter(), line.rstrip()))

    threading.Thread(target=pump, daemon=True).start()
    return proc, served


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Wait until the page answers (the first build has finished); raise if serve died or timed out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"serve did not answer {url} within {timeout:.0f} s")


def rename_listing(path: Path, new_name: str) -> None:
    """Rewrite the listing's name: line in place."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^name: .*$", f"name: \"{new_name}\"", text, count=1), encoding="utf-8")


def open_connected(browser, url: str, timeout: float = 30.0):
    """Open url in a fresh page and wait until livereload's websocket has said hello.

    The frame listener goes on the socket the moment the page opens it: the server's hello can
    arrive before `goto` returns, and waiting for a frame after that would wait for one that
    already came."""
    page = browser.new_page()
    frames: list[object] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
    page.goto(url)
    deadline = time.monotonic() + timeout
    while not frames:
        if time.monotonic() > deadline:
            raise TimeoutError(f"livereload's websocket said nothing to {url} within {timeout:.0f} s")
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)  # the client's reply to hello; then the server counts it as a waiter
    return page


def wait_for_heading(page, text: str, timeout: float) -> float | None:
    """Poll the page's h1 until it contains text; return the time it did, or None."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            heading = page.evaluate("() => document.querySelector('h1')?.textContent || ''")
        except Exception:  # noqa: BLE001 — the page is mid-navigation while livereload reloads it
            heading = ""
        if text in heading:
            return time.perf_counter()
        page.wait_for_timeout(POLL_S * 1000)
    return None


def wait_for_line(served: ServeLog, started: float, text: str, timeout: float) -> float | None:
    """Wait until serve prints a line containing text (after `started`); return when it did, or None."""
    deadline = time.perf_counter() + timeout
    while (found := served.first_after(started, text)) is None and time.perf_counter() < deadline:
        time.sleep(POLL_S)
    return found


def measure_serve(content: Path, output: Path, templates: Path, listing: Path, repeat: int,
                  timeout: float) -> list[ServeRun]:
    """Edit a listing's name `repeat` times under `serve`; return how long each took to show."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/listings/{listing.stem}/"
    proc, served = start_serve(content, output, templates, port)
    runs = []
    try:
        wait_until_up(url, proc, timeout)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_connected(browser, url)
            for n in range(repeat):
                page.wait_for_timeout(1000)  # after the previous rebuild finished, a pause as between edits
                new_name = f"Synthetic Renamed Listing {n + 1}"
                started = time.perf_counter()
                rename_listing(listing, new_name)
                shown = wait_for_heading(page, new_name, timeout)
                if shown is None:
                    log(f"serve: the edit did not show within {timeout:.0f} s")
                    break
                rebuilt = wait_for_line(served, started, "Rebuilt", timeout)
                runs.append(ServeRun(shown - started, (rebuilt or float("nan")) - started))
                log(f"serve: edit {n + 1} shown after {shown - started:.2f} s (rebuilt at {runs[-1].rebuilt:.2f} s)")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return runs
