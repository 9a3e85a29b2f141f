"""`build.py serve`: builds, serves over HTTP, rebuilds when content changes, keeps the last good site."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def served(repo_root: Path, tmp_path: Path):
    """Run `serve` on a copy of the starter content; yield (content folder, base URL, process)."""
    content = tmp_path / "content"
    shutil.copytree(repo_root / "content", content)
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(repo_root / "build.py"), "serve", "--content", str(content),
                             "--output", str(tmp_path / "output"), "--port", str(port)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "<h1" in fetch(base + "/")), "serve did not start"
        yield content, base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_rebuilds_on_change_and_keeps_last_good_site(served):
    content, base, proc = served
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("title: Peer Support Directory", "title: Renamed Directory"))
    assert wait_for(lambda: "<title>Renamed Directory</title>" in fetch(base + "/"))

    (content / "listings" / "broken.yaml").write_text("name: [unclosed\n")
    time.sleep(2)  # give the watcher time to try (and fail) a rebuild
    assert "<title>Renamed Directory</title>" in fetch(base + "/")
    proc.terminate()
    log = proc.communicate(timeout=10)[0]
    assert "broken.yaml:2: (file): YAML syntax error" in log
    assert "the last good build is still being served" in log
    assert "Traceback" not in log


def test_serve_saves_its_build_cache_when_stopped(served, repo_root):
    """serve keeps the cache in memory; stopped, it writes it, so the next build has nothing to do."""
    content, base, proc = served
    output = content.parent / "output"
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("title: Peer Support Directory", "title: Edited While Served"))
    assert wait_for(lambda: "<title>Edited While Served</title>" in fetch(base + "/"))
    proc.terminate()
    proc.wait(timeout=10)
    result = subprocess.run([sys.executable, str(repo_root / "build.py"), "build", "--content", str(content),
                             "--output", str(output)], cwd=content.parent, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Nothing changed" in result.stdout


def test_stopping_waits_for_a_build_under_way_but_not_forever(monkeypatch):
    """serve saves its cache at exit only when no build is half done, and a stuck build cannot keep it running."""
    import threading

    from generator import serve

    release = threading.Event()
    rebuilds = serve.Rebuilds(builder=None)
    rebuilds.thread = threading.Thread(target=release.wait, daemon=True)
    rebuilds.thread.start()
    monkeypatch.setattr(serve, "STOP_WAIT_S", 0.1)
    assert rebuilds.stop() is False
    release.set()
    assert rebuilds.stop() is True


def test_a_port_in_use_is_one_line_before_any_build(project, sample_content):
    """`make serve` run twice, or another server on the port: one line saying what to do, not a traceback after a
    build."""
    from helpers import run_build_py

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_build_py("serve", "--content", "content", "--output", "site", "--port", str(port), cwd=project)
    assert result.returncode == 2
    assert result.stderr == (f"build.py serve: port {port} is in use (another server, or `make serve` already "
                             f"running) — stop it, or pass --port {port + 1}\n")
    assert not (project / "site").exists()
