"""The build as a whole: all or nothing, output swapped in atomically, stale files gone."""
from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.pipeline import build_site
from generator.trees import scan_output_tree
from generator.trees import spare_folder
from generator.write import DuplicateOutput, Staging, commit_changes, write_site
from helpers import ARTICLE, ONLINE, dedent, run_build_py, snapshot, write_article, write_listing


BROKEN = dedent(ONLINE).replace("[smart-recovery]", "[12step]")


@pytest.fixture
def site_content(content):
    """Two online listings and an article (online listings need no map lookup, which keeps `build.py` fast)."""
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_listing(content, "online/night-owls.yaml", dedent(ONLINE).replace("Anytime Online Recovery Forum",
                                                                            "Night Owls Online Meeting"))
    write_article(content, "finding-a-group.md", ARTICLE)
    return content


def leftovers(folder):
    """Return the staging/retired folders a build may create beside the output folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".output."))


def test_failed_build_leaves_output_byte_for_byte_unchanged(project, site_content):
    output = project / "output"
    build_site(site_content, output)
    before = snapshot(output)
    assert "listings/anytime-forum/index.html" in before

    write_listing(site_content, "online/anytime-forum.yaml", BROKEN)
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project)

    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/listings/online/anytime-forum.yaml:3: support_types[0]: unknown support type '12step' — "
        "did you mean '12-step'?",
        "1 error, 0 warnings",
        "Build stopped; output/ was left as it was.",
    ]
    assert snapshot(output) == before
    assert leftovers(project) == []


def test_failed_build_in_process_raises_and_writes_nothing(project, site_content):
    output = project / "output"
    build_site(site_content, output)
    before = snapshot(output)
    write_listing(site_content, "ct/extra.yaml", "name: [unfinished\n")
    with pytest.raises(ContentError) as info:
        build_site(site_content, output)
    assert [p.path.endswith("extra.yaml") for p in info.value.problems] == [True]
    assert str(info.value) == "1 content error"
    assert snapshot(output) == before
    assert leftovers(project) == []


def test_failed_first_build_creates_no_output(project, content):
    write_listing(content, "ct/broken.yaml", BROKEN)
    with pytest.raises(ContentError):
        build_site(content, project / "output")
    assert not (project / "output").exists()
    assert leftovers(project) == []


def test_rebuild_replaces_stale_files(project, site_content):
    output = project / "output"
    build_site(site_content, output)
    (output / "stray.txt").write_text("left from an old build")
    (site_content / "listings" / "online" / "anytime-forum.yaml").unlink()

    build_site(site_content, output)

    assert not (output / "listings" / "anytime-forum").exists()
    assert not (output / "stray.txt").exists()
    assert (output / "listings" / "night-owls" / "index.html").is_file()
    assert b"Anytime Online Recovery Forum" not in (output / "directory" / "index.html").read_bytes()
    assert leftovers(project) == []


def test_build_creates_missing_parent_folders(site_content, tmp_path):
    output = tmp_path / "deep" / "er" / "site"
    build_site(site_content, output)
    assert (output / "index.html").is_file()


def test_write_site_refuses_two_writes_to_one_path(tmp_path):
    output = tmp_path / "output"
    write_site([("index.html", b"old")], output)
    with pytest.raises(DuplicateOutput, match="two pages would be written to a/index.html"):
        write_site([("a/index.html", b"1"), ("b.html", b"2"), ("a/index.html", b"3")], output)
    assert snapshot(output) == {"index.html": b"old"}
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html", ""])
def test_write_site_refuses_unsafe_paths(tmp_path, path):
    with pytest.raises(ValueError, match="unsafe output path"):
        write_site([("index.html", b"ok"), (path, b"bad")], tmp_path / "output")
    assert not (tmp_path / "output").exists()
    assert not (tmp_path / "escape.html").exists()


def test_write_site_writes_exactly_the_given_files(tmp_path):
    files = [("index.html", b"<h1>home</h1>"), ("a/b/c.txt", b"\x00\xff"), ("robots.txt", b"User-agent: *\n")]
    write_site(files, tmp_path / "output")
    assert snapshot(tmp_path / "output") == dict(files)


def test_incremental_commit_stages_files_without_a_folder_or_file_per_page(tmp_path):
    """Paths that differ only in '/' versus '%2F', and one too long for a file name, stay apart."""
    output = tmp_path / "output"
    long_path = "/".join(["fake-folder-name"] * 20) + "/index.html"
    write_site([("a/b.html", b"old"), ("gone.html", b"x")], output)
    files, folders = scan_output_tree(output)
    staging = Staging(output, files)
    made = staging.write([("a/b.html", b"new"), ("a%2Fb.html", b"flat"), ("a%252Fb.html", b"quoted"),
                          (long_path, b"deep")])
    assert [entry.is_file() for entry in staging.folder.iterdir()] == [True]  # one staging file for all
    commit_changes(staging, made, set(), files, folders)
    assert snapshot(output) == {"a/b.html": b"new", "a%2Fb.html": b"flat", "a%252Fb.html": b"quoted",
                                long_path: b"deep"}
    assert leftovers(tmp_path) == []


def incremental_write(output, pages, spare=None):
    """Write pages into an existing output the way an incremental build does; return its files and the
    spare's record afterwards (pass the record back in, as the manifest does for the next build)."""
    files, folders = scan_output_tree(output)
    staging = Staging(output, files)
    made = staging.write(pages)
    files, _, spare = commit_changes(staging, made, set(files), files, folders, spare)
    return files, spare


def test_incremental_commit_swaps_in_a_spare_and_never_writes_the_live_output(tmp_path):
    """The changed pages go into a spare copy that is then exchanged with the output in one step: the
    folder that was live keeps every byte it had (a reader saw the old site or the new one)."""
    output = tmp_path / "output"
    write_site([("a/long.html", b"a much longer old page"), ("b.html", b"old")], output)
    old_folder = output.stat().st_ino
    files, spare = incremental_write(output, [("a/long.html", b"short"), ("b.html", b"new"), ("a/new.html", b"made")])
    assert snapshot(output) == {"a/long.html": b"short", "b.html": b"new", "a/new.html": b"made"}
    assert files == scan_output_tree(output)[0]
    assert output.stat().st_ino != old_folder
    assert snapshot(spare_folder(output)) == {"a/long.html": b"a much longer old page", "b.html": b"old"}
    assert spare[2] == {"a/long.html", "b.html", "a/new.html"}  # where the spare is now a build behind
    assert leftovers(tmp_path) == []


def test_incremental_commit_writes_changed_bytes_into_the_spares_own_files(tmp_path):
    """Once the spare holds files of its own, a changed page is written into the file there (no rename,
    which costs seven times as much; a shorter page is cut to its length); where the spare was a build
    behind, the output's file is copied in with its modification time."""
    output = tmp_path / "output"
    write_site([("a/long.html", b"a much longer old page"), ("b.html", b"old")], output)
    inodes = {path: (output / path).stat().st_ino for path in ("a/long.html", "b.html")}
    _, spare = incremental_write(output, [("a/long.html", b"short"), ("b.html", b"new"), ("a/new.html", b"made")])
    made = (output / "a/new.html").stat()
    files, spare = incremental_write(output, [("a/long.html", b"again"), ("b.html", b"newer")], spare)
    assert snapshot(output) == {"a/long.html": b"again", "b.html": b"newer", "a/new.html": b"made"}
    assert {path: (output / path).stat().st_ino for path in inodes} == inodes
    assert (output / "a/new.html").stat().st_mtime_ns == made.st_mtime_ns
    assert files == scan_output_tree(output)[0]
    assert snapshot(spare_folder(output)) == {"a/long.html": b"short", "b.html": b"new", "a/new.html": b"made"}


def test_incremental_commit_with_nothing_changed_touches_nothing(tmp_path):
    output = tmp_path / "output"
    write_site([("a.html", b"one")], output)
    _, spare = incremental_write(output, [("a.html", b"two")])
    before = (output.stat().st_ino, (output / "a.html").stat().st_mtime_ns)
    files, again = incremental_write(output, [("a.html", b"two")], spare)
    assert (output.stat().st_ino, (output / "a.html").stat().st_mtime_ns) == before
    assert again == spare


def test_a_spare_changed_by_hand_is_made_afresh(tmp_path):
    output = tmp_path / "output"
    write_site([("a.html", b"one"), ("b.html", b"bee")], output)
    _, spare = incremental_write(output, [("a.html", b"two")])
    (spare_folder(output) / "stray.html").write_bytes(b"put here by hand")
    incremental_write(output, [("a.html", b"three")], spare)
    assert snapshot(output) == {"a.html": b"three", "b.html": b"bee"}


def test_incremental_commit_does_not_write_through_links(tmp_path):
    """A hard-linked page or a symbolic link in the output is replaced by a file of its own; what it
    pointed to keeps its bytes."""
    output = tmp_path / "output"
    write_site([("hard.html", b"old one"), ("soft.html", b"old two")], output)
    kept, elsewhere = tmp_path / "kept.html", tmp_path / "elsewhere.html"
    kept.hardlink_to(output / "hard.html")
    elsewhere.write_bytes(b"not the site's")
    (output / "soft.html").unlink()
    (output / "soft.html").symlink_to(elsewhere)
    incremental_write(output, [("hard.html", b"new one"), ("soft.html", b"new two")])
    assert snapshot(output) == {"hard.html": b"new one", "soft.html": b"new two"}
    assert not (output / "soft.html").is_symlink()
    assert kept.read_bytes() == b"old one" and elsewhere.read_bytes() == b"not the site's"
    assert leftovers(tmp_path) == []


def test_a_large_file_the_spare_is_behind_on_is_linked_not_copied(tmp_path, monkeypatch):
    """The open data runs to hundreds of megabytes: where the spare is a build behind on such a file, it
    takes a hard link to the output's (no copy), so both folders share one file until it changes."""
    monkeypatch.setattr("generator.write.LINK_ABOVE", 10)
    output = tmp_path / "output"
    write_site([("api/big.json", b"[" + b"1," * 50 + b"1]"), ("small.html", b"old")], output)
    _, spare = incremental_write(output, [("api/big.json", b"[" + b"2," * 50 + b"2]")])
    incremental_write(output, [("small.html", b"new")], spare)
    assert snapshot(output) == {"api/big.json": b"[" + b"2," * 50 + b"2]", "small.html": b"new"}
    assert (output / "api/big.json").stat().st_ino == (spare_folder(output) / "api/big.json").stat().st_ino


def test_a_page_a_preview_wrote_that_no_build_makes_is_removed(tmp_path):
    """serve's preview writes into the live output between builds; a page it wrote that the next build does
    not make is not in the build's record of the output, and must not outlive that build."""
    output = tmp_path / "output"
    write_site([("a.html", b"one")], output)
    _, spare = incremental_write(output, [("a.html", b"two")])
    (output / "preview.html").write_bytes(b"previewed")
    files, folders = scan_output_tree(output)
    del files["preview.html"]
    staging = Staging(output, files)
    made = staging.write([("a.html", b"two")])
    commit_changes(staging, made, set(), files, folders, spare, {"preview.html"})
    assert snapshot(output) == {"a.html": b"two"}


def test_the_swapped_in_spare_keeps_the_outputs_permissions(tmp_path):
    output = tmp_path / "output"
    write_site([("a.html", b"one")], output)
    output.chmod(0o750)
    incremental_write(output, [("a.html", b"two")])
    assert output.stat().st_mode & 0o777 == 0o750


def test_a_plain_build_is_the_stages_alone_and_makes_the_same_output(site_content, tmp_path, monkeypatch):
    """`build --plain` runs generator.stages alone, and makes what the speed layer makes."""
    from generator import pipeline

    build_site(site_content, tmp_path / "fast")
    monkeypatch.setattr(pipeline, "Builder", None)  # the speed layer's builder: not to be used
    build_site(site_content, tmp_path / "plain", plain=True)
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "fast")


def test_the_stages_import_none_of_the_speed_layer(repo_root):
    import subprocess
    import sys

    code = "import sys, generator.stages, generator.render; print(' '.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    speed_layer = {"generator.incremental", "generator.cachedread", "generator.buildcache", "generator.parallel",
                   "generator.processes", "generator.memory", "generator.sharing", "generator.templatecache",
                   "generator.placescache"}
    assert not speed_layer & set(run.stdout.split())
