"""Incremental builds: after any change, a build that reuses the cache gives exactly what a cold build gives.

Each test edits a synthetic (clearly fake) directory, rebuilds the same output folder with the cache,
and compares every file, byte for byte, with a build of the same content from nothing (--no-cache,
into a fresh folder).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

import pytest

from bench.synth import write_synthetic
from generator import cli, geo, parallel, pipeline
from generator.buildcache import cache_folder, scan_output
from generator.errors import ContentError
from generator.pipeline import Builder, build_site
from helpers import run_build_py, snapshot


@pytest.fixture
def site(tmp_path: Path, repo_root: Path, monkeypatch: pytest.MonkeyPatch):
    """A fake directory of 60 listings and 4 articles, its own templates, built once with the cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795262400")  # 2026-11-21
    content = tmp_path / "content"
    write_synthetic(content, listings=60, articles=4, seed=7)
    templates = tmp_path / "templates"
    shutil.copytree(repo_root / "templates", templates)
    output = tmp_path / "out"
    build_site(content, output, templates=templates)
    return content, templates, output


def cold(content: Path, templates: Path, where: Path, **options) -> dict[str, bytes]:
    """Return every file of a build from nothing."""
    build_site(content, where, templates=templates, cache=False, **options)
    return snapshot(where)


def listing_files(content: Path) -> list[Path]:
    return sorted((content / "listings").rglob("*.yaml"))


def replace_line(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"(?m)^{field}: .*$", f"{field}: {value}", text, count=1)
    assert new != text, f"{path} has no {field}: line"
    path.write_text(new, encoding="utf-8")


def mtimes(folder: Path) -> dict[str, int]:
    return {path: mtime for path, (_, mtime) in scan_output(folder).items()}


def edit_summary(content, templates):
    replace_line(listing_files(content)[3], "summary", '"A changed summary for the fake listing."')


def rename_listing(content, templates):
    """A new name moves the listing in every name-ordered list: facet pages, shards, exports."""
    replace_line(listing_files(content)[5], "name", '"Aaaa First By Name Synthetic Group"')


def add_listing(content, templates):
    source = listing_files(content)[0]
    shutil.copy(source, source.with_name("synthetic-added-copy-group.yaml"))
    replace_line(source.with_name("synthetic-added-copy-group.yaml"), "name", '"Synthetic Added Copy Group"')


def delete_listing(content, templates):
    listing_files(content)[10].unlink()


def edit_article(content, templates):
    article = sorted((content / "articles").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more fake paragraph.\n", encoding="utf-8")


def edit_template(content, templates):
    path = templates / "listing.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</article>", "<!-- edited --></article>", 1),
                    encoding="utf-8")


def edit_stylesheet(content, templates):
    path = templates / "static" / "site.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n.edited { color: inherit; }\n", encoding="utf-8")


def edit_taxonomy(content, templates):
    path = content / "taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    new = text.replace("label: Local group", "label: Local meeting group", 1)
    assert new != text
    path.write_text(new, encoding="utf-8")


def edit_settings(content, templates):
    path = content / "site.yaml"
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Fake Directory Renamed", path.read_text(encoding="utf-8")),
                    encoding="utf-8")


EDITS = [edit_summary, rename_listing, add_listing, delete_listing, edit_article, edit_template, edit_stylesheet,
         edit_taxonomy, edit_settings]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_build_equals_cold_build(site, tmp_path, edit):
    content, templates, output = site
    edit(content, templates)
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_an_edit_rewrites_only_the_files_it_changes(site, tmp_path):
    content, templates, output = site
    before = mtimes(output)
    path = listing_files(content)[3]
    slug = path.stem
    edit_summary(content, templates)
    build_site(content, output, templates=templates)
    after = mtimes(output)
    changed = {p for p in after if after[p] != before.get(p)}
    assert f"listings/{slug}/index.html" in changed
    assert "api/listings.json" in changed  # the summary is in the open data
    assert "about/index.html" not in changed and "robots.txt" not in changed
    untouched_pages = [p for p in after if p.startswith("listings/") and slug not in p and p not in changed]
    assert len(untouched_pages) >= 50


def test_an_edit_to_what_meets_across_the_country_remakes_every_states_page(site, tmp_path):
    """Each state's page (and printable list) offers the bodies that meet across the country: an edit to one that
    changes no count must still reach them all."""
    content, templates, output = site
    nationwide = content / "listings" / "national" / "fake-nationwide-fellowship.yaml"
    nationwide.parent.mkdir(parents=True, exist_ok=True)
    nationwide.write_text("name: Fake Nationwide Fellowship\nkind: peer-program\nsupport_types: [mutual-aid]\n"
                          "summary: A fictional fellowship with groups in many states.\nformat: in-person\n"
                          "serves: nationwide\ncontact: {website: https://example.org/nationwide}\n"
                          "last_verified: 2026-03-01\nsource: https://example.org/nationwide\n", encoding="utf-8")
    build_site(content, output, templates=templates)
    replace_line(nationwide, "summary", '"A changed summary for the fictional fellowship."')
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")
    states = [p for p in output.glob("regions/*/index.html")]
    assert len(states) > 40
    assert all("A changed summary for the fictional fellowship." in p.read_text(encoding="utf-8") for p in states)


@pytest.mark.parametrize("workers", [1, 2])
def test_files_whose_bytes_did_not_change_keep_their_time(site, monkeypatch, workers):
    """Pages are compared before they are staged, open data files streamed in parts after (on workers,
    which tell the main process which files those were); either way a file made again with the same
    bytes is left as it was."""
    content, templates, output = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    bytes_before, times_before = snapshot(output), mtimes(output)
    edit_summary(content, templates)
    build_site(content, output, templates=templates, workers=workers)
    bytes_after, times_after = snapshot(output), mtimes(output)
    unchanged = [p for p in bytes_after if bytes_before.get(p) == bytes_after[p]]
    assert any(p.startswith("api/") and p.endswith(".json") for p in unchanged)  # another state's open data
    assert [p for p in unchanged if times_after[p] != times_before[p]] == []


@pytest.mark.parametrize("edit", [edit_template, edit_stylesheet], ids=lambda e: e.__name__)
def test_a_template_edit_does_not_make_the_open_data_again(site, tmp_path, monkeypatch, edit):
    """No template or asset goes into the open data or the search index: those jobs are skipped."""
    content, templates, output = site
    ran = tmp_path / "ran"
    log_calls(monkeypatch, parallel, "run_job", ran, lambda job, templates: job.name)
    edit(content, templates)
    build_site(content, output, templates=templates, workers=1)
    names = {line.split(" ", 1)[1] for line in ran.read_text().splitlines()}
    assert any(name.startswith("listing/") for name in names)  # the pages are made again
    assert "exports-atom" in names  # the Atom feed is a template
    assert not names & {"search", "exports-listings", "exports-meetings", "exports-hsds", "exports-hsds-tables",
                        "robots", "schema", "places"}
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_a_build_with_nothing_changed_writes_nothing(site):
    content, templates, output = site
    before = mtimes(output)
    build_site(content, output, templates=templates)
    assert mtimes(output) == before


def test_an_option_change_rebuilds_with_it(site, tmp_path):
    content, templates, output = site
    build_site(content, output, "https://fake.example.org/", templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold", base_url="https://fake.example.org/")


def test_files_changed_or_removed_in_the_output_are_put_back(site, tmp_path):
    content, templates, output = site
    pages = sorted(p for p in scan_output(output) if p.startswith("listings/"))
    (output / pages[0]).write_text("changed by hand")
    (output / pages[1]).unlink()
    (output / "stray.html").write_text("not made by the build")
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def change_a_page_in_place(output: Path, page: str) -> None:
    """Overwrite a page without adding or removing anything (its folder's modification time stays)."""
    path = output / page
    folder_mtime = (output / page).parent.stat().st_mtime_ns
    with open(path, "r+b") as f:
        f.write(b"<!-- changed by hand -->")
    assert path.parent.stat().st_mtime_ns == folder_mtime


def add_a_stray_file_deep_down(output: Path, page: str) -> None:
    (output / page).with_name("stray.html").write_text("not made by the build")


def remove_a_folder(output: Path, page: str) -> None:
    shutil.rmtree((output / page).parent)


@pytest.mark.parametrize("meddle", [change_a_page_in_place, add_a_stray_file_deep_down, remove_a_folder])
def test_the_output_is_checked_without_a_full_scan_and_still_put_back(site, tmp_path, monkeypatch, meddle):
    """After an edit, a build stats only the files and folders it made; a folder whose modification time
    changed (something was added, removed or renamed in it) sends it back to scanning everything."""
    content, templates, output = site
    import generator.write as write

    scans = []
    real = write.scan_output_tree
    monkeypatch.setattr(write, "scan_output_tree", lambda folder: scans.append(folder) or real(folder))
    edit_summary(content, templates)
    build_site(content, output, templates=templates)
    assert scans == []  # nothing meddled with: the previous build's folders told enough
    rename_listing(content, templates)
    page = sorted(p for p in scan_output(output) if p.startswith("listings/"))[7]
    meddle(output, page)
    build_site(content, output, templates=templates)
    assert (scans != []) == (meddle is not change_a_page_in_place)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_the_cache_rewrites_only_the_shards_an_edit_changed(site):
    """The parsed sources and each kind of open data piece are saved in shards; editing one listing
    rewrites the shard of its file and, per kind, those of its old and new pieces, not the other sixty-odd."""
    content, templates, output = site
    shards = sorted(cache_folder(output).rglob("[0-9][0-9].pickle"))
    folders = {p.parent.relative_to(cache_folder(output)).as_posix() for p in shards}
    assert folders == {"sources", "pieces/json", "pieces/csv", "pieces/meetings", "pieces/hsds",
                       "pieces/hsds-tables", "pieces/search", "pieces/search-words"}
    assert len(shards) == 64 * len(folders)
    before = {p: p.stat().st_mtime_ns for p in shards}
    edit_summary(content, templates)
    build_site(content, output, templates=templates)
    rewritten = [p.parent.relative_to(cache_folder(output)).as_posix() for p in shards
                 if p.stat().st_mtime_ns != before[p]]
    assert {"sources", "pieces/json", "pieces/hsds"} <= set(rewritten)
    assert rewritten.count("sources") == 1 and all(rewritten.count(folder) <= 2 for folder in folders)


def test_failed_build_leaves_output_and_cache_usable(site, tmp_path):
    content, templates, output = site
    before = snapshot(output)
    broken = listing_files(content)[2]
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("format:", "format: [not, a, format]\nformerly:", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(content, output, templates=templates)
    assert snapshot(output) == before
    broken.write_text(good, encoding="utf-8")  # as it was: the cached parse of these bytes is used again
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_broken_template_leaves_output_untouched_in_an_incremental_build(site):
    content, templates, output = site
    before = snapshot(output)
    path = templates / "listing.html"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ listing.name }}", "{{ listing.name.nope() }}", 1),
                    encoding="utf-8")
    edit_summary(content, templates)
    with pytest.raises(ContentError) as info:
        build_site(content, output, templates=templates)
    assert info.value.problems[0].path.endswith("listing.html")
    assert snapshot(output) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".out.new-")]


def test_a_damaged_cache_is_ignored(site, tmp_path):
    content, templates, output = site
    damaged = [path for path in cache_folder(output).rglob("*") if path.is_file()]
    assert any(path.suffix == ".pickle" for path in damaged) and any(path.parent.name == "jinja" for path in damaged)
    for path in damaged:
        path.write_bytes(b"not a pickle")
    edit_summary(content, templates)
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_serve_builder_keeps_its_cache_between_builds(site, tmp_path):
    """`serve` reuses one Builder with its cache in memory: several edits in a row still equal a cold
    build, and the cache it saves when it stops lets the next build skip every page."""
    content, templates, output = site
    builder = Builder(content, output, templates=templates, keep_in_memory=True)
    for edit in (edit_summary, add_listing, rename_listing):
        edit(content, templates)
        builder.build()
        assert not (cache_folder(output) / "manifest.pickle").exists()  # the disk cache is not trusted meanwhile
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")
    builder.save_cache()
    before = mtimes(output)
    build_site(content, output, templates=templates)
    assert mtimes(output) == before


def test_serve_builder_checks_the_output_it_did_not_write_itself(site, tmp_path):
    """serve trusts its in-memory record of the output only for files it wrote; at its first build the
    output is what an earlier `build` (or a person) left, and is checked like any build's."""
    content, templates, output = site
    page = sorted(p for p in scan_output(output) if p.startswith("listings/"))[2]
    change_a_page_in_place(output, page)
    Builder(content, output, templates=templates, keep_in_memory=True).build()
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def log_calls(monkeypatch: pytest.MonkeyPatch, owner, name: str, log: Path, describe=lambda *args: ""):
    """Wrap owner.name so that every call appends "<process id> <describe(*args)>" to `log` (calls made on
    forked workers too, which a list in this process would not see); return the original."""
    real = getattr(owner, name)

    def logged(*args):
        with open(log, "a") as f:
            f.write(f"{os.getpid()} {describe(*args)}\n")
        return real(*args)

    monkeypatch.setattr(owner, name, logged)
    return real


def test_rendering_on_several_processes_gives_the_same_bytes(site, tmp_path, monkeypatch):
    """Also when workers are replaced as they go (here after showing 14 listings), as on large sites."""
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(parallel, "WORKER_LISTINGS", 14)
    pids = tmp_path / "pids"
    real_run_job = log_calls(monkeypatch, parallel, "run_job", pids)
    build_site(content, tmp_path / "two", templates=templates, cache=False, workers=2)
    monkeypatch.setattr(parallel, "run_job", real_run_job)
    assert len(set(pids.read_text().split())) > 3  # the main process, and more workers than two
    assert snapshot(tmp_path / "two") == cold(content, templates, tmp_path / "one", workers=1)


def test_a_server_makes_its_open_data_here_while_workers_make_the_pages(site, tmp_path, monkeypatch):
    """`serve` keeps the open data's pieces in memory for the next build, so it makes those files itself;
    the pages are handed out to the workers meanwhile."""
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    ran = tmp_path / "ran"
    log_calls(monkeypatch, parallel, "run_job", ran, lambda job, templates: job.name)
    output = tmp_path / "served"
    Builder(content, output, templates=templates, workers=2, keep_in_memory=True).build()
    where = {name: pid for pid, name in (line.split() for line in ran.read_text().splitlines())}
    here = str(os.getpid())
    assert where["exports-listings"] == where["search"] == here
    assert {pid for name, pid in where.items() if name.startswith("listing/")} - {here}
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def _fails_on_a_worker(monkeypatch, content, failure):
    """Make rendering the fourth listing file's page call `failure()` when a worker renders it."""
    real, main = parallel.run_job, os.getpid()
    name = f"listing/{listing_files(content)[3].stem}"

    def run_job(job, templates):
        if os.getpid() != main and job.name == name:
            failure()
        return real(job, templates)
    monkeypatch.setattr(parallel, "run_job", run_job)


def test_a_worker_that_is_killed_stops_the_build(site, tmp_path, monkeypatch):
    """A worker killed mid-task (as the kernel does when memory runs out) fails the build at once, saying
    why, instead of leaving it waiting; the output stays as it was."""
    content, templates, output = site
    before = snapshot(output)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    _fails_on_a_worker(monkeypatch, content, lambda: os.kill(os.getpid(), signal.SIGKILL))
    edit_template(content, templates)
    with pytest.raises(parallel.WorkerStopped, match="killed by SIGKILL.*--jobs 1"):
        build_site(content, output, templates=templates, workers=2)
    assert snapshot(output) == before


def test_the_command_line_reports_a_stopped_worker_without_a_traceback(site, monkeypatch, capsys):
    content, templates, output = site

    def stopped(*args, **kwargs):
        raise parallel.WorkerStopped(-9)
    monkeypatch.setattr(pipeline, "build_site", stopped)
    code = cli.main(["build", "--content", str(content), "--templates", str(templates), "--output", str(output),
                     "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "a render worker stopped before finishing its pages (killed by SIGKILL)" in err
    assert f"{output}/ was left as it was" in err


def test_an_error_on_a_worker_is_raised_here_with_where_it_happened(site, tmp_path, monkeypatch):
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)

    def fail():
        raise OSError(28, "No space left on device")
    _fails_on_a_worker(monkeypatch, content, fail)
    with pytest.raises(pipeline.WriteFailed, match="No space left") as info:
        build_site(content, tmp_path / "two", templates=templates, cache=False, workers=2)
    assert info.value.output == pipeline.WriteFailed.UNCHANGED
    assert "in fail" in "\n".join(info.value.error.__notes__)  # the worker's traceback
    assert not (tmp_path / "two").exists()


def test_a_worker_can_load_the_zip_tables_itself(site, tmp_path, monkeypatch):
    """A site this small looks its places up one by one, so the place files' job loads the whole tables
    on the worker it runs on, which may not start a process of its own."""
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    geo.load_tables.cache_clear()
    build_site(content, tmp_path / "two", templates=templates, cache=False, workers=2)
    assert geo.load_tables.cache_info().currsize == 0  # they were loaded on the worker, not here
    assert snapshot(tmp_path / "two") == cold(content, templates, tmp_path / "one", workers=1)


def test_pieces_made_on_workers_are_kept_for_the_next_build(site, tmp_path, monkeypatch):
    """A build that keeps no cache in memory makes the open data on workers; each saves its pieces, and the
    next build on workers encodes only the edited listing's record again."""
    content, templates, _ = site
    import generator.exports.listings as exports

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    output = tmp_path / "two"
    build_site(content, output, templates=templates, workers=2)
    encoded = tmp_path / "encoded"
    real = log_calls(monkeypatch, exports, "listing_json", encoded, lambda constants, listing: listing.slug)
    edit_summary(content, templates)
    build_site(content, output, templates=templates, workers=2)
    calls = [line.split() for line in encoded.read_text().splitlines()]
    assert [slug for _, slug in calls] == [listing_files(content)[3].stem]
    assert calls[0][0] != str(os.getpid())  # made on a worker
    monkeypatch.setattr(exports, "listing_json", real)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_the_site_wide_jobs_are_made_on_one_worker_one_after_another(site, tmp_path, monkeypatch):
    """The jobs that hold every listing's pieces are one task, so two of them are never in memory at once,
    and the other jobs that read every listing (the sitemaps, the feed) are in it too, so that only one
    worker copies the memory the listings are in."""
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 5)
    ran = tmp_path / "ran"
    log_calls(monkeypatch, parallel, "run_job", ran, lambda job, templates: f"{job.name} {int(job.many_objects)}")
    build_site(content, tmp_path / "two", templates=templates, workers=2)
    site_wide = [line.split() for line in ran.read_text().splitlines() if "/" not in line.split()[1]]
    names = [name for _, name, _ in site_wide]
    assert set(names) >= {"search", "exports-listings", "exports-hsds", "exports-hsds-tables", "sitemaps",
                          "exports-atom", "static-pages"}
    assert len({pid for pid, _, _ in site_wide}) == 1 and site_wide[0][0] != str(os.getpid())
    heavy = [many for _, _, many in site_wide]
    assert heavy == sorted(heavy, reverse=True)  # the open data first


def test_a_template_error_in_a_worker_is_reported_like_any_other(site, tmp_path, monkeypatch):
    content, templates, _ = site
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    path = templates / "facet.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{% block content %}", "{% block content %}{{ nope.nothing }}", 1), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        build_site(content, tmp_path / "two", templates=templates, cache=False, workers=2)
    [problem] = info.value.problems
    assert problem.field == "(template)" and problem.path.endswith("facet.html")
    assert not (tmp_path / "two").exists()


def test_cli_reports_a_build_with_nothing_to_do(site, repo_root):
    content, templates, output = site
    args = ("build", "--content", str(content), "--output", str(output), "--templates", str(templates))
    first = run_build_py(*args, cwd=repo_root, SOURCE_DATE_EPOCH="1795262400")
    assert first.returncode == 0, first.stderr
    before = mtimes(output)
    second = run_build_py(*args, cwd=repo_root, SOURCE_DATE_EPOCH="1795262400")
    assert second.returncode == 0, second.stderr
    assert "Nothing changed: 60 listings and 4 articles" in second.stdout
    assert second.stderr == first.stderr  # the same warnings, again
    assert mtimes(output) == before
    os.utime(listing_files(content)[0])  # touched, not changed: a real build runs, and writes nothing
    third = run_build_py(*args, cwd=repo_root, SOURCE_DATE_EPOCH="1795262400")
    assert third.returncode == 0 and "Built 60 listings" in third.stdout
    assert mtimes(output) == before
    fourth = run_build_py(*args, "--no-cache", cwd=repo_root, SOURCE_DATE_EPOCH="1795262400")
    assert fourth.returncode == 0 and "Built 60 listings" in fourth.stdout


def test_open_data_pieces_of_unchanged_listings_are_reused(site, monkeypatch):
    """After one listing's edit, only that listing's parts of the open data files are encoded again."""
    content, templates, output = site
    import generator.exports.listings as exports

    calls = []
    real = exports.listing_json
    monkeypatch.setattr(exports, "listing_json", lambda constants, listing: calls.append(listing.slug) or
                        real(constants, listing))
    edit_summary(content, templates)
    build_site(content, output, templates=templates)
    assert calls == [listing_files(content)[3].stem]


def test_pieces_survive_a_build_that_remade_only_some_files(site, tmp_path):
    """A hand-edited export is remade alone; the search pieces kept meanwhile still give the right shards."""
    content, templates, output = site
    (output / "api" / "listings.json").write_text("[]")
    build_site(content, output, templates=templates)
    rename_listing(content, templates)
    build_site(content, output, templates=templates)
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def page_of(output: Path, listing: Path) -> str:
    return (output / "listings" / listing.stem / "index.html").read_text(encoding="utf-8")


def test_preview_shows_an_edited_listing_before_the_full_build_catches_up(site, tmp_path):
    """serve's quick look: the edited listing's own page is written at once, as the full build would
    make it; the pages that list it wait for the full build, which then equals a cold build."""
    content, templates, output = site
    builder = Builder(content, output, templates=templates, keep_in_memory=True)
    builder.build()
    listing = listing_files(content)[5]
    replace_line(listing, "name", '"Aaaa Previewed Synthetic Group"')
    written = builder.preview([listing, listing.with_name(".editor-swap.yaml")])
    assert written == [f"listings/{listing.stem}/index.html"]
    assert "Aaaa Previewed Synthetic Group</h1>" in page_of(output, listing)
    assert "Aaaa Previewed Synthetic Group" not in (output / "index.html").read_text(encoding="utf-8") + \
        (output / "directory" / "index.html").read_text(encoding="utf-8")
    builder.build()
    expected = cold(content, templates, tmp_path / "cold")
    assert snapshot(output) == expected
    assert any(b"Aaaa Previewed Synthetic Group" in data for path, data in expected.items()
               if not path.startswith("listings/"))


def test_a_failed_build_takes_back_the_preview(site, tmp_path):
    content, templates, output = site
    builder = Builder(content, output, templates=templates, keep_in_memory=True)
    builder.build()
    before = snapshot(output)
    edited, added = listing_files(content)[5], content / "listings" / "synthetic-new-previewed-group.yaml"
    replace_line(edited, "name", '"Synthetic Previewed Then Taken Back"')
    shutil.copy(edited, added)  # a new listing: its previewed page must go again
    (content / "listings" / "synthetic-broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert builder.preview([edited, added]) == [f"listings/{edited.stem}/index.html",
                                                f"listings/{added.stem}/index.html"]
    assert "Synthetic Previewed Then Taken Back" in page_of(output, added)
    with pytest.raises(ContentError):
        builder.build()
    assert snapshot(output) == before
    (content / "listings" / "synthetic-broken.yaml").unlink()
    added.unlink()
    builder.build()
    assert snapshot(output) == cold(content, templates, tmp_path / "cold")


def test_preview_leaves_anything_but_valid_listing_files_to_the_full_build(site):
    content, templates, output = site
    builder = Builder(content, output, templates=templates, keep_in_memory=True)
    assert builder.preview([listing_files(content)[0]]) == []  # nothing built yet: nothing to show it with
    builder.build()
    before = snapshot(output)
    listing = listing_files(content)[5]
    replace_line(listing, "name", '"Synthetic Renamed With The Taxonomy"')
    assert builder.preview([listing, content / "taxonomy.yaml"]) == []
    assert builder.preview([listing, templates / "listing.html"]) == []
    replace_line(listing, "support_types", "[not-a-support-type]")
    assert builder.preview([listing]) == []
    assert snapshot(output) == before
