"""A damaged build cache costs time, never the build or its output.

Each test damages one part of `.build-cache/<output>/` the way a disk, a crash or a person could,
builds through the command line and checks: exit code 0, one note saying what was ignored, no
traceback, the output byte for byte what a build from nothing gives, and a next build that uses
the cache again (the damaged part was written anew).
"""
from __future__ import annotations

import gc
import hashlib
import os
import random
import re
import shutil

import jinja2
import pytest

from generator import cli, stages
from generator.buildcache import cache_folder
from generator.cachefiles import MAGIC, read
from generator.buildcache import Pieces
from helpers import snapshot
from test_incremental import cold, edit_summary, edit_template, listing_files, mtimes, replace_line, site  # noqa: F401

# Bytes that are no cache file, the same every run: random bytes began, 1 run in 256, with the byte that marks
# the pickles of the code before cache files had a header (which are set aside quietly, so the test failed).
GARBAGE = b"not a cache file " + random.Random(174).randbytes(283)


def build(content, templates, output, *options) -> int:
    """Run `build.py build` in this process (its last act, freezing the heap for a quick exit, undone)."""
    try:
        return cli.main(["build", "--content", str(content), "--templates", str(templates), "--output", str(output),
                         *options])
    finally:
        gc.unfreeze()


def notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note:")]


def shard_holding(folder, text: bytes):
    """Return the shard file of a folder whose bytes hold `text`."""
    [path] = [p for p in sorted(folder.glob("[0-9][0-9].pickle")) if text in p.read_bytes()]
    return path


def template_entry(cache, tmp, name: str = "base.html"):
    """Return the compiled template file of a template of the site's templates folder (tmp/templates)."""
    filename = f"{(tmp / 'templates').resolve()}/{name}"
    return cache / "jinja" / f"__jinja2_{hashlib.sha1(f'{name}|{filename}'.encode()).hexdigest()}.cache"


def flip(path, old: bytes, new: bytes) -> None:
    """Change bytes inside a file so that it still loads: a letter of a text the file holds."""
    data = path.read_bytes()
    assert data.count(old) >= 1
    path.write_bytes(data.replace(old, new, 1))


def truncate(path, size: int) -> None:
    path.write_bytes(path.read_bytes()[:size])


def elsewhere(tmp_path):
    """A folder outside the cache that a symbolic link in it points to; nothing may be written there."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "keep.txt").write_text("not the cache's")
    return folder


def make_link(path, target) -> None:
    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    path.symlink_to(target)


def make_file(path) -> None:
    shutil.rmtree(path)
    path.write_text("not a folder")


def make_folder(path) -> None:
    path.unlink()
    (path / "stray").mkdir(parents=True)


# Each damages the cache (given its folder, and tmp_path) and returns the note the build must print.
def template_code_changed(cache, tmp):
    """A flipped byte inside the marshalled code: Jinja alone would render "Slip to main content"."""
    path = template_entry(cache, tmp)
    flip(path, b"Skip to main content", b"Slip to main content")
    return f"note: the build cache's compiled template ({cache}/jinja/{path.name}) was damaged; it was rebuilt"


def template_truncated(cache, tmp):
    path = template_entry(cache, tmp)
    truncate(path, 40)  # Jinja alone raises: its own check stops short of this
    return f"note: the build cache's compiled template ({cache}/jinja/{path.name}) was damaged; it was rebuilt"


def template_emptied(cache, tmp):
    path = template_entry(cache, tmp)
    truncate(path, 0)
    return f"note: the build cache's compiled template ({cache}/jinja/{path.name}) was damaged; it was rebuilt"


def template_garbage(cache, tmp):
    path = template_entry(cache, tmp)
    path.write_bytes(MAGIC + GARBAGE * 7)
    return f"note: the build cache's compiled template ({cache}/jinja/{path.name}) was damaged; it was rebuilt"


def template_is_a_folder(cache, tmp):
    path = template_entry(cache, tmp)
    make_folder(path)
    return f"note: the build cache's compiled template ({cache}/jinja/{path.name}) was not a file; it was rebuilt"


def template_folder_is_a_file(cache, tmp):
    make_file(cache / "jinja")
    return f"note: the build cache's folder ({cache}/jinja) was not a folder; it was rebuilt"


def template_folder_links_elsewhere(cache, tmp):
    make_link(cache / "jinja", elsewhere(tmp))
    return f"note: the build cache's folder ({cache}/jinja) was a symbolic link; it was rebuilt"


def cache_top_is_a_file(cache, tmp):
    make_file(cache.parent)
    return f"note: the build cache's folder ({cache.parent}) was not a folder; it was rebuilt"


def output_cache_is_a_file(cache, tmp):
    make_file(cache)
    return f"note: the build cache's folder ({cache}) was not a folder; it was rebuilt"


def output_cache_links_elsewhere(cache, tmp):
    shutil.copytree(cache, elsewhere(tmp) / "copy")
    make_link(cache, elsewhere(tmp) / "copy")  # a whole cache there: still not read through a link
    return f"note: the build cache's folder ({cache}) was a symbolic link; it was rebuilt"


def manifest_truncated(cache, tmp):
    truncate(cache / "manifest.pickle", (cache / "manifest.pickle").stat().st_size // 2)
    return f"note: the build cache's record of the last build ({cache}/manifest.pickle) was damaged; it was rebuilt"


def manifest_is_a_folder(cache, tmp):
    make_folder(cache / "manifest.pickle")
    return f"note: the build cache's record of the last build ({cache}/manifest.pickle) was not a file; it was rebuilt"


def listing_name(tmp) -> bytes:
    """Return the name of the first listing file, which no test edits."""
    text = listing_files(tmp / "content")[0].read_text(encoding="utf-8")
    return re.search(r'(?m)^name: "?(.+?)"?$', text).group(1).encode()


def sources_shard_changed(cache, tmp):
    """A listing's name changed inside its parsed copy: its page is made from that (after a template edit)."""
    name = listing_name(tmp)
    path = shard_holding(cache / "sources", name)
    flip(path, name, name[:-1] + b"#")
    return f"note: the build cache's parsed listings ({cache}/sources/{path.name}) was damaged; it was rebuilt"


def sources_shards_truncated(cache, tmp):
    for path in (cache / "sources").glob("[0-9][0-9].pickle"):
        truncate(path, path.stat().st_size - 1)
    return f"note: the build cache's parsed listings (64 files in {cache}/sources) were damaged; they were rebuilt"


def sources_header_garbage(cache, tmp):
    (cache / "sources" / "header.pickle").write_bytes(GARBAGE)
    return f"note: the build cache's parsed listings ({cache}/sources/header.pickle) was damaged; it was rebuilt"


def sources_folder_is_a_file(cache, tmp):
    make_file(cache / "sources")
    return f"note: the build cache's folder ({cache}/sources) was not a folder; it was rebuilt"


def sources_shard_is_a_pipe(cache, tmp):
    """A named pipe would block a plain read for ever."""
    path = cache / "sources" / "03.pickle"
    path.unlink()
    os.mkfifo(path)
    return f"note: the build cache's parsed listings ({cache}/sources/03.pickle) was not a file; it was rebuilt"


def pieces_shard_changed(cache, tmp):
    """A listing's name changed inside its open data record: api/listings.json would carry it."""
    name = listing_name(tmp)
    path = shard_holding(cache / "pieces" / "json", name)
    flip(path, name, name[:-1] + b"#")
    return f"note: the build cache's open data pieces ({cache}/pieces/json/{path.name}) was damaged; it was rebuilt"


def pieces_shard_links_to_another(cache, tmp):
    path = cache / "pieces" / "csv" / "05.pickle"
    make_link(path, "06.pickle")
    return f"note: the build cache's open data pieces ({cache}/pieces/csv/05.pickle) was a symbolic link; it was rebuilt"


def pieces_shard_is_a_folder(cache, tmp):
    make_folder(cache / "pieces" / "hsds" / "00.pickle")
    return f"note: the build cache's open data pieces ({cache}/pieces/hsds/00.pickle) was not a file; it was rebuilt"


def pieces_folder_is_a_file(cache, tmp):
    make_file(cache / "pieces")
    return f"note: the build cache's folder ({cache}/pieces) was not a folder; it was rebuilt"


def pieces_kind_links_elsewhere(cache, tmp):
    make_link(cache / "pieces" / "search", elsewhere(tmp))
    return f"note: the build cache's folder ({cache}/pieces/search) was a symbolic link; it was rebuilt"


DAMAGE = [template_code_changed, template_truncated, template_emptied, template_garbage, template_is_a_folder,
          template_folder_is_a_file, template_folder_links_elsewhere, cache_top_is_a_file, output_cache_is_a_file,
          output_cache_links_elsewhere, manifest_truncated, manifest_is_a_folder, sources_shard_changed,
          sources_shards_truncated, sources_header_garbage, sources_folder_is_a_file, sources_shard_is_a_pipe,
          pieces_shard_changed, pieces_shard_links_to_another, pieces_shard_is_a_folder, pieces_folder_is_a_file,
          pieces_kind_links_elsewhere]


# A build from nothing of the site after the given edits: the same for every test (the site is made
# from a fixed seed, and its pages do not show where its files are).
_COLD: dict[tuple, dict[str, bytes]] = {}


def cold_after(edits, content, templates, where) -> dict[str, bytes]:
    key = tuple(edit.__name__ for edit in edits)
    if key not in _COLD:
        _COLD[key] = cold(content, templates, where)
    return _COLD[key]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__ for d in DAMAGE])
def test_a_damaged_cache_is_noted_ignored_and_rebuilt(site, tmp_path, monkeypatch, capfd, damage):
    content, templates, output = site
    expected = damage(cache_folder(output), tmp_path)
    capfd.readouterr()
    # The edit makes the open data again (from the pieces of the listings not edited) and the pages
    # that show the listing or every listing's count (from base.html's compiled code and the parsed
    # listings); a template edit, when the damage is in a listing that only its own page shows.
    edits = [edit_summary, edit_template] if damage is sources_shard_changed else [edit_summary]
    for edit in edits:
        edit(content, templates)
    code = build(content, templates, output)
    err = capfd.readouterr().err
    assert code == 0 and "Traceback" not in err
    assert notes(err) == [expected]
    assert snapshot(output) == cold_after(edits, content, templates, tmp_path / "cold")
    if (tmp_path / "elsewhere").exists():
        assert [p.name for p in (tmp_path / "elsewhere").iterdir()] in (["keep.txt"], ["copy", "keep.txt"],
                                                                         ["keep.txt", "copy"])
    assert_the_cache_is_used_again(content, templates, output, monkeypatch, capfd)


def assert_the_cache_is_used_again(content, templates, output, monkeypatch, capfd) -> None:
    """Build with nothing changed (the no-op check), then after another edit: only the edited listing is
    parsed and encoded again, no template is compiled, and nothing is noted."""
    capfd.readouterr()
    assert build(content, templates, output) == 0
    out, err = capfd.readouterr()
    assert "Nothing changed" in out and notes(err) == []
    counts = {"parsed": 0, "compiled": 0}
    made: dict[str, int] = {}
    real_validate, real_compile, real_take = stages.validate_listing, jinja2.Environment.compile, Pieces.take

    def validate(*args, **kwargs):
        counts["parsed"] += 1
        return real_validate(*args, **kwargs)

    def compile_(*args, **kwargs):
        counts["compiled"] += 1
        return real_compile(*args, **kwargs)

    def take(self, kind, listing, make):
        return real_take(self, kind, listing, lambda l: made.update({kind: made.get(kind, 0) + 1}) or make(l))

    monkeypatch.setattr(stages, "validate_listing", validate)
    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    monkeypatch.setattr(Pieces, "take", take)
    replace_line(listing_files(content)[8], "summary", '"Another changed summary for a fake listing."')
    before = mtimes(output)
    assert build(content, templates, output) == 0
    assert notes(capfd.readouterr().err) == []
    assert counts == {"parsed": 1, "compiled": 0}
    assert made and all(count == 1 for count in made.values()), made
    assert mtimes(output)["about/index.html"] == before["about/index.html"]


def test_a_quick_record_changed_inside_is_not_believed(site, capfd):
    """The no-op check reads only quick.pickle: a changed byte there must not repeat a wrong warning."""
    content, templates, output = site
    assert build(content, templates, output) == 0
    first = capfd.readouterr()
    assert "Nothing changed" in first.out and "more than 12 months ago" in first.err
    flip(cache_folder(output) / "quick.pickle", b"more than 12 months ago", b"more than 13 months ago")
    assert build(content, templates, output) == 0
    second = capfd.readouterr()
    assert notes(second.err) == [f"note: the build cache's record of the last build ({cache_folder(output)}/quick.pickle) "
                                 "was damaged; it was rebuilt"]
    assert "13 months" not in second.err and "Built 60 listings" in second.out
    assert [line for line in second.err.splitlines() if not line.startswith("note:")] == first.err.splitlines()
    assert build(content, templates, output) == 0
    third = capfd.readouterr()
    assert "Nothing changed" in third.out and third.err == first.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its permissions")
def test_an_unreadable_cache_file_is_noted_and_replaced(site, tmp_path, monkeypatch, capfd):
    content, templates, output = site
    path = cache_folder(output) / "sources" / "01.pickle"
    path.chmod(0)
    edit_summary(content, templates)
    assert build(content, templates, output) == 0
    assert notes(capfd.readouterr().err) == [f"note: the build cache's parsed listings ({path}) "
                                             "could not be read; it was rebuilt"]
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")
    assert read(path) is not None
    assert_the_cache_is_used_again(content, templates, output, monkeypatch, capfd)


def test_a_cache_of_another_version_is_ignored_without_a_note(site, tmp_path, monkeypatch, capfd):
    """After the code changes, the cache it left is ignored as stale, not reported as damaged: the
    manifest and a shard written by other code, and files in the format of the code before the checks."""
    content, templates, output = site
    cache = cache_folder(output)
    import pickle
    from generator import cachefiles

    cachefiles.write(cache / "manifest.pickle", lambda f: pickle.dump(("another version", {"jobs": {}}), f))
    (cache / "quick.pickle").write_bytes(pickle.dumps(("an older format", None)))
    entry = sorted((cache / "jinja").iterdir())[0]
    entry.write_bytes(b"j2" + entry.read_bytes()[100:])
    edit_summary(content, templates)
    capfd.readouterr()
    assert build(content, templates, output) == 0
    assert notes(capfd.readouterr().err) == []
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")
    assert_the_cache_is_used_again(content, templates, output, monkeypatch, capfd)


def test_every_file_the_cache_writes_is_checked(site):
    """The tests above damage some of them; this says every kind of file carries the check."""
    content, templates, output = site
    spare = cache_folder(output) / "spare"  # a copy of the output (generator.trees), not cache files
    files = [p for p in cache_folder(output).rglob("*") if p.is_file() and spare not in p.parents and p.name != "lock"]
    assert {p.parent.name for p in files} >= {"out", "jinja", "sources", "json", "csv", "hsds", "search"}
    assert all(p.read_bytes().startswith(MAGIC) and read(p) is not None for p in files)
    assert not [p for p in files if re.match(r"\.", p.name)]  # no temporary file left behind
