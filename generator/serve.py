"""Local preview: build, serve the output with live reload, rebuild when content or templates change."""
from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import time
from pathlib import Path

from .errors import ContentError
from .render import TEMPLATES_DIR
from .pipeline import Builder, WriteFailed
from .messages import print_problems, write_failure


def rebuild(builder: Builder) -> bool:
    """Build once; on content errors print them and keep the last good site. Return success."""
    output = builder.output
    try:
        builder.build()
    except ContentError as exc:
        print_problems(exc.problems)
        print("Fix the problems above; the last good build is still being served.", file=sys.stderr)
        return False
    except WriteFailed as exc:
        print(write_failure(exc, output), file=sys.stderr)
        return False
    print(f"Rebuilt {output}/", file=sys.stderr)
    return True


# An editor's save is often several events (write a temporary file, rename it over the old one; or
# truncate, then write): wait this long after the last one, so a half-written file is not built.
SETTLE_S = 0.05
# A page reloaded for a preview is briefly not connected to the live-reload socket; the reload after
# the full build waits at least this long after the preview's, so that the page gets it too.
RECONNECT_S = 1.5
# Stopping waits at most this long for a build under way (it runs on a daemon thread).
STOP_WAIT_S = 10


class Rebuilds:
    """serve's rebuilds, so that an edited listing shows within a moment even on a large site.

    On the server's loop, the pages of edited listing files are rendered straight into the output
    (Builder.preview, a few milliseconds) and the browser reloads. The full build then runs on a
    thread, so the server keeps answering, and the browser reloads again when it is done. Changes
    that arrive meanwhile wait for the next build.
    """

    def __init__(self, builder: Builder):
        self.builder = builder
        self.pending: set[str] = set()
        self.thread: threading.Thread | None = None
        self.loop = None
        self.previewed_at = 0.0
        self.later = None  # the reload after a full build, when it waits for pages to reconnect

    def changed(self, paths: set[str]) -> bool:
        """Start building for changed files (on the loop); return whether the browser should reload now."""
        from tornado.ioloop import IOLoop

        self.pending |= paths
        if self.thread is not None or not self.pending:
            return False
        paths, self.pending = self.pending, set()
        shown = self.builder.preview(sorted(paths))
        self.loop = IOLoop.current()
        if shown:
            print(f"Showing {shown[0]} at once; rebuilding the rest of the site", file=sys.stderr)
            self.previewed_at = time.monotonic()
            if self.later is not None:  # this reload shows that build too; two at once, a page could miss one
                self.loop.remove_timeout(self.later)
                self.later = None
        self.thread = threading.Thread(target=self._build, name="rebuild", daemon=True)
        self.thread.start()
        return bool(shown)

    def _build(self) -> None:
        try:
            rebuild(self.builder)
        finally:
            try:
                self.loop.add_callback(self._done)
            except RuntimeError:  # the loop is closed: serve is stopping
                pass

    def _done(self) -> None:
        from livereload.handlers import LiveReloadHandler

        self.thread.join()
        self.thread = None
        if self.changed(set()):  # more changes came meanwhile: show them, then build again
            LiveReloadHandler.reload_waiters()
            return
        wait = self.previewed_at + RECONNECT_S - time.monotonic()
        if wait > 0:
            self.later = self.loop.call_later(wait, self._reload_later)
        else:
            LiveReloadHandler.reload_waiters()

    def _reload_later(self) -> None:
        from livereload.handlers import LiveReloadHandler

        self.later = None
        LiveReloadHandler.reload_waiters()

    def stop(self) -> bool:
        """Wait a while for a build under way; return whether none is running (then the cache can be saved whole)."""
        if self.thread is not None:
            self.thread.join(STOP_WAIT_S)
        return self.thread is None or not self.thread.is_alive()


class EventWatcher:
    """Rebuild as soon as the operating system reports a change (inotify, through `watchdog`).

    livereload's own watcher walks every watched file's modification time every 0.8 s: at
    10,000 listings that is a 10,000-file scan per tick, and up to 0.8 s before a rebuild starts.
    This one is told of changes instead, and hands the changed paths under the watched folders
    to `on_change`, which returns whether livereload should reload the browser now.
    """

    def __init__(self, on_change):
        from livereload.watcher import Watcher

        self._inner = Watcher()
        self._on_change = on_change
        self._changed: set[str] = set()
        self._lock = threading.Lock()
        self._observer = None
        self.filepath = None

    def __getattr__(self, name):  # the rest of livereload's watcher interface
        return getattr(self._inner, name)

    def watch(self, path, func=None, delay=None, ignore=None):
        self._inner.watch(path, func, delay, ignore)

    def start(self, callback) -> bool:
        """Start watching; livereload calls `callback` (which calls `examine`) on the server's loop."""
        from tornado.ioloop import IOLoop
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        loop, watcher = IOLoop.current(), self
        timer = None

        def settle():  # on the loop: examine once the events of one save have all arrived
            nonlocal timer
            if timer is not None:
                loop.remove_timeout(timer)
            timer = loop.call_later(SETTLE_S, callback)

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in ("opened", "closed_no_write") or event.is_directory and \
                        event.event_type == "modified":
                    return
                with watcher._lock:
                    watcher._changed.add(os.fsdecode(event.src_path))
                    if getattr(event, "dest_path", ""):  # a rename: the new name changed too
                        watcher._changed.add(os.fsdecode(event.dest_path))
                loop.add_callback(settle)

        self._observer = Observer()
        for path in self._inner._tasks:
            self._observer.schedule(Handler(), path, recursive=True)
        self._observer.daemon = True
        self._observer.start()
        return True

    def examine(self):
        """Hand on the changes under the watched folders; return (a changed path, no delay) to reload now."""
        queued = self._inner._changes.pop() if self._inner._changes else None  # livereload's own, at start
        with self._lock:
            changed, self._changed = self._changed, set()
        roots = [root.rstrip(os.sep) for root in self._inner._tasks]
        changed = {path for path in changed if any(path == root or path.startswith(root + os.sep) for root in roots)}
        if not changed:
            return queued or (None, None)
        if not self._on_change(changed):
            return None, None
        self.filepath = sorted(changed)[0]
        return self.filepath, None


def port_problem(host: str, port: int) -> str:
    """Return why the server could not listen at host:port (another server has it, say), or "" when it can; asked
    before the build, so that a busy port is one line rather than a traceback after it."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return f"{host} is not an address this computer has ({getattr(exc, 'strerror', None) or exc}) — use " \
               "--host 127.0.0.1"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closed one's wait is fine
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} is in use (another server, or `make serve` already running) — stop it, or " \
                       f"pass --port {port + 1 if port < 65535 else 8000}"
            return f"cannot listen on {host}:{port} ({exc.strerror}) — pass another --port, e.g. 8000"
    return ""


def serve(content: Path, output: Path, base_url: str | None, host: str, port: int,
          repository: str | None = None, templates: Path | None = None, workers: int | None = None) -> int:
    """Serve until interrupted; return an exit code."""
    from livereload import Server

    builder = Builder(content, output, base_url, templates, repository, workers=workers, keep_in_memory=True)
    if not rebuild(builder) and not output.is_dir():
        return 1
    from livereload.handlers import LiveReloadHandler

    # livereload skips a reload within 3 s of the previous one; changes come from a person saving files
    # here, and each one should show.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    rebuilds = Rebuilds(builder)
    server = Server(watcher=EventWatcher(rebuilds.changed))
    for folder in (content, templates or TEMPLATES_DIR):
        server.watch(str(folder.resolve()))
    print(f"Serving http://{host}:{port}/ — press Ctrl+C to stop.", file=sys.stderr)
    # Stop cleanly on SIGTERM or Ctrl+C, so the cache is saved. Through the event loop: a signal may be
    # delivered to any thread (the watcher's, a build's), and a Python handler waits for the main thread,
    # which may be asleep in the loop's poll with nothing else to wake it; the loop's handler wakes it.
    from tornado.ioloop import IOLoop

    loop = IOLoop.current()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.asyncio_loop.add_signal_handler(number, loop.stop)
    try:
        server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0)
    finally:
        if rebuilds.stop():
            try:
                builder.save_cache()
            except OSError as exc:
                print(write_failure(WriteFailed(exc, WriteFailed.COMPLETE), output), file=sys.stderr)
        else:
            print("A rebuild was still running: its cache is not saved, so the next build starts afresh.",
                  file=sys.stderr)
    return 0
