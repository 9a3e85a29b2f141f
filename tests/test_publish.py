"""A reader of the output sees the previous site or the new one, never a mix, even when a build is killed.

Each test kills a real `build.py build` (SIGKILL, which no code can catch) at a chosen step of writing its
output, then checks that the output is byte for byte the site before the build or the site after it, and
that the next build cleans up and gives what a build from nothing gives.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.pipeline import build_site
from generator.trees import build_lock
from helpers import snapshot
from test_incremental import cold, delete_listing, edit_summary, listing_files, replace_line, site  # noqa: F401

# Runs build.py's main with one function replaced by one that kills the process on its nth call.
KILLER = """
import importlib, os, signal, sys
sys.path.insert(0, sys.argv[1])
module, name, nth = importlib.import_module(sys.argv[2]), sys.argv[3], int(sys.argv[4])
original, calls = getattr(module, name), 0
def killing(*args, **kwargs):
    global calls
    calls += 1
    if calls == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)
setattr(module, name, killing)
from generator.cli import main
sys.exit(main(sys.argv[5:]))
"""


@pytest.fixture
def built(site):
    """test_incremental's fake directory (60 listings, its own templates), built once more after a template
    edit, so that the output has a spare copy a build behind on every page."""
    content, templates, output = site
    edit_footer(content, templates, "first")
    build_site(content, output, templates=templates)
    return site


def edit_footer(content: Path, templates: Path, word: str = "second") -> None:
    """Change a template every page uses: every page of the site changes."""
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", f"<!-- {word} --></footer>", 1),
                    encoding="utf-8")


def edit_and_delete(content: Path, templates: Path) -> None:
    """A few files change, one listing's files go: the spare takes every other page from the output."""
    edit_summary(content, templates)
    delete_listing(content, templates)


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}."))


def killed_build(repo_root: Path, built, step: tuple[str, str, int], *options: str) -> None:
    content, templates, output = built
    args = [sys.executable, "-c", KILLER, str(repo_root), *map(str, step), "build", "--content", str(content),
            "--output", str(output), "--templates", str(templates), "--jobs", "1", *options]
    done = subprocess.run(args, cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, f"the build was not killed at {step}: {done.stderr[-2000:]}"


@pytest.mark.parametrize("edit, step", [
    (edit_footer, ("generator.write", "_write_into", 1)),
    (edit_footer, ("generator.write", "_write_into", 40)),  # pages half written into the spare
    (edit_and_delete, ("generator.write", "_copy_into", 30)),  # the spare half caught up with the output
    (edit_and_delete, ("generator.write", "_remove", 2)),
    (edit_footer, ("generator.write", "exchange", 1)),  # everything ready, not yet swapped
    (edit_footer, ("generator.incremental", "save", 1)),  # swapped, the cache not yet saved
], ids=["first-write", "mid-writes", "mid-copies", "mid-deletes", "before-swap", "after-swap"])
def test_a_killed_incremental_build_leaves_the_old_site_or_the_new(repo_root, built, tmp_path, edit, step):
    content, templates, output = built
    old = snapshot(output)
    edit(content, templates)
    new = cold(content, templates, tmp_path / "cold")
    assert new != old
    killed_build(repo_root, built, step)
    found = snapshot(output)
    assert found == (new if step[1] == "save" else old)
    build_site(content, output, templates=templates)
    assert snapshot(output) == new
    assert leftovers(output) == []


def test_a_killed_full_build_leaves_the_old_site_and_no_staging_folder(repo_root, built, tmp_path):
    content, templates, output = built
    old = snapshot(output)
    edit_footer(content, templates)
    killed_build(repo_root, built, ("generator.write", "exchange", 1), "--no-cache")
    assert snapshot(output) == old
    assert leftovers(output) != []  # the killed build's staging folder…
    build_site(content, output, templates=templates)
    assert leftovers(output) == []  # …is removed by the next build
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_a_reader_sees_whole_sites_while_builds_run(built):
    """A reader that opens one page again and again during many builds always finds a whole file from one
    of the builds, never a missing or half-written one."""
    content, templates, output = built
    page = output / "index.html"
    seen: set[bytes] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(page.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for word in ("one", "two", "three", "four"):
            edit_footer(content, templates, word)
            build_site(content, output, templates=templates)
    finally:
        stop.set()
        reader.join()
    assert all(data.rstrip().endswith(b"</html>") for data in seen)
    assert len(seen) >= 2


def test_two_builds_of_one_output_take_turns(repo_root, built):
    content, templates, output = built
    replace_line(listing_files(content)[0], "summary", '"A summary changed while another build runs."')
    with build_lock(output):
        build = subprocess.Popen([sys.executable, "build.py", "build", "--content", str(content), "--output",
                                  str(output), "--templates", str(templates)],
                                 cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert build.poll() is None  # waiting for the lock
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert f"Waiting for another build of {output}/ to finish" in err
    assert b"A summary changed while another build runs." in b"".join(snapshot(output).values())
