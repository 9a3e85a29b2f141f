"""The output folder: the build replaces it whole, so it never touches a folder it did not make.

Refused outputs end with one line and exit code 2 before anything is written; a write the machine
refuses ends with one line and exit code 1, and the previous output still usable.
"""
from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, incremental, write
from generator.outputdir import MARKER, MARKER_TEXT, OutputRefused, check_output
from helpers import ARTICLE, ONLINE, REPO_ROOT, dedent, run_build_py, snapshot, write_article, write_listing

SUGGEST = "; the build replaces its output folder whole — choose another folder, e.g. --output output\n"
FOREIGN = (f"that folder holds files this generator did not make (it has no {MARKER}); the build replaces its "
           "output folder whole — choose another folder, or add --overwrite to replace it\n")


@pytest.fixture
def site_content(content):
    """Two online listings and an article (online listings need no map lookup, which keeps `build.py` fast)."""
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_article(content, "finding-a-group.md", ARTICLE)
    return content


def tree(folder: Path) -> dict[str, object]:
    """Return every file (its bytes), folder and symbolic link (its target) under a folder, not following links."""
    found: dict[str, object] = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(root, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = path.read_bytes()
    return found


def refused(cwd: Path, *args: str, watch: Path | None = None, command: str = "build", **env: str) -> str:
    """Run build.py with `args` in `cwd`; assert exit code 2, no traceback, nothing changed under `watch`
    (default: `cwd`). Return what it printed on stderr."""
    watch = watch or cwd
    before = tree(watch)
    result = run_build_py(command, "--content", "content", *args, cwd=cwd, **env)
    assert "Traceback" not in result.stderr, result.stderr
    assert (result.returncode, result.stdout) == (2, ""), (result.returncode, result.stdout, result.stderr)
    assert tree(watch) == before
    return result.stderr


def built(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_build_py("build", "--content", "content", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


# --------------------------------------------------------------------------- refused, whatever the options


@pytest.mark.parametrize("given", ["content", "content/", "./content", "content/listings/.."])
def test_the_content_folder_is_refused(project, site_content, given):
    for extra in ((), ("--overwrite",)):
        assert refused(project, "--output", given, *extra) == \
            f"build.py: --output {given}: that is the content folder" + SUGGEST


def test_a_folder_inside_the_content_folder_is_refused(project, site_content):
    assert refused(project, "--output", "content/listings/online") == \
        "build.py: --output content/listings/online: that is inside the content folder" + SUGGEST


def test_a_folder_holding_the_content_folder_is_refused(project, site_content):
    assert refused(project, "--output", ".") == "build.py: --output .: that holds the content folder" + SUGGEST


def test_a_symbolic_link_to_the_content_folder_is_refused(project, site_content):
    (project / "site").symlink_to("content")
    assert refused(project, "--output", "site") == \
        "build.py: --output site: that is the content folder (through a symbolic link)" + SUGGEST


def test_the_templates_folder_is_refused(project, site_content):
    templates = project / "my-templates"
    (templates / "static").mkdir(parents=True)
    (templates / "base.html").write_text("<!doctype html>")
    assert refused(project, "--templates", "my-templates", "--output", "my-templates", "--overwrite") == \
        "build.py: --output my-templates: that is the templates folder" + SUGGEST
    assert refused(project, "--templates", "my-templates", "--output", "my-templates/static") == \
        "build.py: --output my-templates/static: that is inside the templates folder" + SUGGEST


def test_the_generators_own_templates_and_code_are_refused(tmp_path):
    # Checked in process, without running a build: were the check broken, a build would delete them.
    content = tmp_path / "content"
    for output, why in ((REPO_ROOT / "templates", "is the generator's templates folder"),
                        (REPO_ROOT / "templates" / "static", "is inside the generator's templates folder"),
                        (REPO_ROOT / "generator", "is the generator's code"),
                        (REPO_ROOT, "is the repository"), (REPO_ROOT.parent, "holds the repository")):
        with pytest.raises(OutputRefused) as info:
            check_output(str(output), content, tmp_path / "templates", overwrite=True)
        assert str(info.value) == f"that {why}" + SUGGEST.rstrip("\n")


@pytest.fixture
def repository_copy(tmp_path) -> Path:
    """A copy of build.py and the generator inside a git work tree (tree/.git) in a scratch folder, so that a
    build that failed to refuse its own repository would delete only the copy."""
    repository = tmp_path / "tree" / "generator-copy"
    repository.mkdir(parents=True)
    (tmp_path / "tree" / ".git").mkdir()
    shutil.copy(REPO_ROOT / "build.py", repository)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO_ROOT / "generator", repository / "generator", ignore=ignore)
    shutil.copytree(REPO_ROOT / "templates", repository / "templates", ignore=ignore)
    return repository


def run_copy(repository: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(repository / "build.py"), "build", "--content", "content", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}, encoding="utf-8")


@pytest.mark.parametrize("where, why", [("repository", "is the repository"),
                                        ("work tree", "is the repository"),
                                        ("parent", "holds the repository")])
def test_the_repository_and_the_folders_around_it_are_refused(tmp_path, repository_copy, project, site_content,
                                                              where, why):
    output = {"repository": repository_copy, "work tree": repository_copy.parent, "parent": tmp_path}[where]
    before = tree(tmp_path)
    for extra in ((), ("--overwrite",)):
        result = run_copy(repository_copy, "--output", str(output), *extra, cwd=project)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert result.stderr == f"build.py: --output {output}: that {why}" + SUGGEST
    assert tree(tmp_path) == before


def test_the_home_folder_is_refused(project, site_content):
    home = project / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "todo.txt").write_text("call the group")
    assert refused(project, "--output", "home", "--overwrite", HOME=str(home)) == \
        "build.py: --output home: that is your home folder" + SUGGEST
    assert refused(project, "--output", "home", HOME=str(home / "notes")) == \
        "build.py: --output home: that holds your home folder" + SUGGEST


def test_a_tilde_is_the_home_folder_as_a_shell_reads_it(project, site_content):
    """After '=' or in quotes the shell leaves '~' as typed: '--output=~/site' once made a folder named '~' in the
    project (and said it built into ~/site/), which 'rm -rf ~' would then have cleared with the home folder."""
    home = project / "home"
    home.mkdir()
    result = run_build_py("build", "--content", "content", "--output=~/site", cwd=project, HOME=str(home))
    assert result.returncode == 0, result.stderr
    assert (home / "site" / "index.html").is_file() and not (project / "~").exists()
    assert f" into {home}/site/ in " in result.stdout
    assert refused(project, "--output", "~", "--overwrite", HOME=str(home)) == \
        "build.py: --output ~: that is your home folder" + SUGGEST


def test_the_root_folder_is_refused(project, site_content):
    assert refused(project, "--output", "/", "--overwrite") == \
        "build.py: --output /: that is the root folder /" + SUGGEST


def test_an_empty_output_is_refused(project, site_content):
    assert refused(project, "--output", "") == \
        "build.py: --output '': no folder given — name the folder to build into, e.g. --output output\n"


def test_an_existing_file_is_refused(project, site_content):
    (project / "site.html").write_text("<p>mine</p>")
    for extra in ((), ("--overwrite",)):
        assert refused(project, "--output", "site.html", *extra) == (
            "build.py: --output site.html: that is a file, not a folder; the build replaces its output folder "
            "whole — remove the file or choose another folder, e.g. --output output\n")
    assert refused(project, "--output", "site.html/site") == ("build.py: --output site.html/site: site.html is a "
                                                               "file, so no folder can be made there — choose "
                                                               "another folder, e.g. --output output\n")


# --------------------------------------------------------------------------- folders the generator did not make


def test_a_folder_the_generator_did_not_make_is_refused(project, site_content):
    (project / "site" / "photos").mkdir(parents=True)
    (project / "site" / "photos" / "group.jpg").write_bytes(b"\xff\xd8 not really a photo")
    assert refused(project, "--output", "site/") == "build.py: --output site/: " + FOREIGN


def test_serve_refuses_as_build_does(project, site_content):
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>mine</p>")
    assert refused(project, "--output", "site", command="serve") == "build.py: --output site: " + FOREIGN
    assert refused(project, "--output", "content", "--overwrite", command="serve") == \
        "build.py: --output content: that is the content folder" + SUGGEST


def test_overwrite_replaces_a_folder_the_generator_did_not_make(project, site_content):
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>mine</p>")
    built(project, "--output", "site", "--overwrite")
    assert (project / "site" / MARKER).read_bytes() == MARKER_TEXT
    assert b"<p>mine</p>" not in (project / "site" / "index.html").read_bytes()


def test_every_build_marks_its_output_and_rebuilds_it(project, site_content):
    built(project, "--output", "site")
    assert (project / "site" / MARKER).read_bytes() == MARKER_TEXT
    assert MARKER_TEXT.startswith(b"This folder was made by build.py")
    write_listing(site_content, "online/night-owls.yaml",
                  dedent(ONLINE).replace("Anytime Online Recovery Forum", "Night Owls Online Meeting"))
    for extra in ((), ("--no-cache",)):  # an incremental build, then a full one
        built(project, "--output", "site", *extra)
        assert (project / "site" / "listings" / "night-owls" / "index.html").is_file()
        assert (project / "site" / MARKER).read_bytes() == MARKER_TEXT


def test_an_empty_existing_folder_is_accepted(project, site_content):
    (project / "site").mkdir()
    built(project, "--output", "site")
    assert (project / "site" / MARKER).is_file()


def test_an_output_of_an_older_version_is_known_by_its_cache(project, site_content):
    built(project, "--output", "site")
    (project / "site" / MARKER).unlink()  # as a version from before the marker left it
    write_article(site_content, "second.md", dedent(ARTICLE).replace("Finding a group that fits", "A second article"))
    built(project, "--output", "site")
    assert (project / "site" / MARKER).is_file()
    assert (project / "site" / "articles" / "second" / "index.html").is_file()
    # Without the marker or the manifest, nothing says the generator made it.
    (project / "site" / MARKER).unlink()
    shutil.rmtree(project / ".build-cache")
    assert refused(project, "--output", "site") == "build.py: --output site: " + FOREIGN


# --------------------------------------------------------------------------- writes the machine refuses


@pytest.fixture
def locked(project):
    """Make a folder that even root cannot add to or remove from (chattr +i); undo it afterwards."""
    folders = []

    def lock(folder: Path) -> str:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            folders.append((folder, None))
            return "Permission denied"
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not possible here, and chmod does not stop root: {done.stderr.strip()}")
        folders.append((folder, "chattr"))
        return "Operation not permitted"

    yield lock
    for folder, how in folders:
        if how:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_a_parent_folder_that_cannot_be_written_stops_the_build_with_one_line(project, site_content, locked):
    built(project, "--output", "box/site")
    before = snapshot(project / "box" / "site")
    write_article(site_content, "second.md", dedent(ARTICLE).replace("Finding a group that fits", "A second article"))
    reason = locked(project / "box")
    result = run_build_py("build", "--content", "content", "--output", "box/site", cwd=project)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"build.py: cannot write box/site/: {reason} — check that you can write there and in "
                             "the folder that holds it, or choose another --output. Build stopped; box/site/ was "
                             "left as it was.\n")
    assert snapshot(project / "box" / "site") == before


def _small_files():
    """In the child: files may grow to 20 kB at most (writing more fails with EFBIG, as a full disk would fail)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_write_that_fails_half_way_leaves_the_previous_output(project, site_content):
    built(project, "--output", "site")
    before = snapshot(project / "site")
    write_article(site_content, "second.md", dedent(ARTICLE).replace("Finding a group that fits", "A second article"))
    for extra in ((), ("--no-cache",)):
        result = subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), "build", "--content", "content",
                                 "--output", "site", *extra], cwd=project, capture_output=True, text=True,
                                timeout=60, preexec_fn=_small_files, encoding="utf-8")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == ("build.py: cannot write site/: File too large — check the disk and build again. "
                                 "Build stopped; site/ was left as it was.\n")
        assert snapshot(project / "site") == before
        assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == []


def test_a_full_disk_while_updating_the_output_is_reported_and_leaves_it_as_it_was(
        project, site_content, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert cli.main(["build", "--content", "content", "--output", "site", "--jobs", "1"]) == 0
    write_listing(site_content, "online/anytime-forum.yaml", dedent(ONLINE).replace("day and night", "every hour"))
    real, calls = write._write_into, []

    def fills_the_disk(target, data, spare):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(target, data, spare)

    monkeypatch.setattr(write, "_write_into", fills_the_disk)
    before = snapshot(project / "site")
    capsys.readouterr()
    assert cli.main(["build", "--content", "content", "--output", "site", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == (
        "build.py: cannot write site/: No space left on device — free some disk space and build again. Build "
        "stopped; site/ was left as it was.\n")
    assert snapshot(project / "site") == before
    monkeypatch.setattr(write, "_write_into", real)
    assert cli.main(["build", "--content", "content", "--output", "site", "--jobs", "1"]) == 0
    assert cli.main(["build", "--content", "content", "--output", "cold", "--jobs", "1", "--no-cache"]) == 0
    assert snapshot(project / "site") == snapshot(project / "cold")


def test_a_cache_that_cannot_be_saved_after_the_output_is_in_place_says_so(project, site_content, monkeypatch,
                                                                          capsys):
    monkeypatch.chdir(project)

    def refuse(output, *args):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(project / ".build-cache" / "site"))

    monkeypatch.setattr(incremental, "save", refuse)
    assert cli.main(["build", "--content", "content", "--output", "site", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == (
        "build.py: cannot write the build cache .build-cache/site/: Permission denied — check that you can write "
        "there, or build with --no-cache. The site in site/ is complete; the next build may render every page "
        "again.\n")
    assert (project / "site" / "listings" / "anytime-forum" / "index.html").is_file()
