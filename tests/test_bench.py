"""The build benchmark (`make bench`) at a tiny size: every row of its table, and nothing written to content/."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bench.hugo_site import write_hugo_site
from bench.report import AGAIN, FIGURES, LEAST_MEMORY
from bench.synth import write_synthetic


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Return {path: (size, mtime)} for every file under folder."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


TWO_LANGUAGES = "Cold build, English and Spanish (`languages: [en, es]`)"


def test_bench_prints_every_figure_and_writes_only_to_its_folder(repo_root, tmp_path):
    before = snapshot(repo_root / "content")
    work, results = tmp_path / "work", tmp_path / "results.md"
    run = subprocess.run([sys.executable, "-m", "bench.bench_build", "--sizes", "20", "--repeat", "1", "--no-hugo",
                          "--no-serve", "--least-memory-from", "20", "--workdir", str(work), "--keep",
                          "--results", str(results)],
                         cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    table = [line for line in run.stdout.splitlines() if line.startswith("| 20 |")]
    assert [line.split(" | ")[1] for line in table] == [*FIGURES[:3], TWO_LANGUAGES, *FIGURES[3:5], AGAIN,
                                                        *FIGURES[5:7], *LEAST_MEMORY, FIGURES[7]]
    assert "cold, English and Spanish builds (wall / CPU / peak RSS): " in run.stdout
    assert "languages:" not in (work / "size-20" / "content" / "site.yaml").read_text(encoding="utf-8")  # put back
    assert not (work / "size-20" / "output-two-languages").exists()
    assert "cold, --jobs 1 --no-cache builds (wall / CPU / peak RSS): " in run.stdout
    assert "edited listing again builds (wall / CPU / peak RSS): " in run.stdout
    assert not (work / "size-20" / "output-least-memory").exists()
    assert "| 20 | Hugo cold build, same listings | skipped: --no-hugo |" in run.stdout
    assert "| 20 | `serve`: edited listing shown in the browser | skipped: --no-serve |" in run.stdout
    assert run.stdout.startswith("# Build benchmark\n\nMachine: ") and "Python 3." in run.stdout
    assert results.read_text(encoding="utf-8") == run.stdout
    assert len(list((work / "size-20" / "content" / "listings").rglob("*.yaml"))) == 20
    assert len(list((work / "size-20" / "content" / "articles").glob("*.md"))) == 50
    assert (work / "size-20" / "output" / "index.html").is_file()
    assert 'data-edit="1"' in (work / "size-20" / "templates" / "listing.html").read_text(encoding="utf-8")
    assert snapshot(repo_root / "content") == before


def test_hugo_site_holds_the_same_listings_with_front_matter(tmp_path):
    write_synthetic(tmp_path / "content", listings=5, articles=2)
    assert write_hugo_site(tmp_path / "content", tmp_path / "hugo") == 7
    listing = next((tmp_path / "content" / "listings").rglob("*.yaml"))
    page = (tmp_path / "hugo" / "content" / "listings" / f"{listing.stem}.md").read_text(encoding="utf-8")
    matter = yaml.safe_load(page.split("---")[1])
    source = yaml.safe_load(listing.read_text(encoding="utf-8"))
    assert matter["title"] == source["name"] and matter["support_types"] == source["support_types"]
    assert {"summary", "kind", "format", "last_verified"} <= set(matter)
    assert "support_type: support_types" in (tmp_path / "hugo" / "hugo.yaml").read_text(encoding="utf-8")


def test_a_spanish_synthetic_directory_builds_with_every_summary_in_both_languages(tmp_path):
    """bench_search --spanish measures what this writes: a site in two languages whose every listing's summary has
    a Spanish translation, which the build puts beside the search files for the Spanish pages."""
    from generator.pipeline import build_site

    write_synthetic(tmp_path / "content", listings=40, articles=1, spanish=True)
    settings = yaml.safe_load((tmp_path / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert settings["languages"] == ["en", "es"]
    listings = list((tmp_path / "content" / "listings").rglob("*.yaml"))
    summaries = [yaml.safe_load(p.read_text(encoding="utf-8"))["translations"]["es"]["summary"] for p in listings]
    assert len(summaries) == 40 and all(s.startswith("Listado sintético de prueba: ") for s in summaries)
    build_site(tmp_path / "content", tmp_path / "output")
    spanish = list((tmp_path / "output" / "search" / "s").rglob("*.es.json"))
    assert spanish and all(all(json.loads(p.read_text(encoding="utf-8"))) for p in spanish)


def test_import_bench_runs_every_step_and_writes_only_to_its_folder(repo_root, tmp_path):
    """`make bench-import` at 40 meetings: every row, the no-change import verified, content/ untouched."""
    before = snapshot(repo_root / "content")
    work, results = tmp_path / "work", tmp_path / "results.md"
    run = subprocess.run([sys.executable, "-m", "bench.bench_import", "--meetings", "40", "--repeat", "1",
                          "--workdir", str(work), "--results", str(results)],
                         cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = [line.split(" | ")[1] for line in run.stdout.splitlines() if line.startswith("| 40 |")]
    assert rows == ["Import, cold (fresh copy of the starter content)", "Build, cold (no output, no .build-cache)",
                    "Import + build, cold",
                    "Re-import, 20 meetings changed (9 times, 9 notes, 1 removed, 1 added)",
                    "Incremental rebuild after it", "Re-import + rebuild", "Re-import, nothing changed"]
    assert "| 40 | Re-import, nothing changed |" in run.stdout and "byte-identical) |" in run.stdout
    assert "no-change import said: `0 added, 0 changed, " in run.stdout
    assert "re-sync import said: `1 added, " in run.stdout
    assert run.stdout.startswith("# Import benchmark\n\nMachine: ")
    assert results.read_text(encoding="utf-8") == run.stdout
    listings = list((work / "content" / "listings" / "sample-intergroup").glob("*.yaml"))
    assert listings and (work / "content" / "imports" / "sample-intergroup.json").is_file()
    assert (work / "output" / "index.html").is_file()
    assert snapshot(repo_root / "content") == before


def test_import_bench_feed_is_fake_and_the_same_every_time():
    from bench.bench_import import change_feed, make_feed

    feed = make_feed(60, seed=3)
    assert len(feed) == 60 and feed == make_feed(60, seed=3)
    assert all(m["group"].startswith("Sample Group ") and m["url"].startswith("https://example.org/") for m in feed)
    assert all(m.get("conference_url", "https://zoom.us/j/").startswith("https://zoom.us/j/") for m in feed)
    assert {m["attendance_option"] for m in feed} == {"in_person", "online", "hybrid"}
    assert all("Sample Street" in m["formatted_address"] for m in feed if m["attendance_option"] != "online")
    changed, counts = change_feed(feed, 20, seed=3)
    assert counts == {"time": 9, "notes": 9, "removed": 1, "added": 1} and len(changed) == 60
    before, after = {m["id"]: m for m in feed}, {m["id"]: m for m in changed}
    assert len(before.keys() - after.keys()) == 1 and after.keys() - before.keys() == {"9999-0"}
    assert sum(before[i] != after[i] for i in before.keys() & after.keys()) == 18
    assert feed == make_feed(60, seed=3)  # the original is not changed in place


def test_commit_bench_times_each_commit_and_leaves_no_worktree(repo_root, tmp_path):
    """`bench.bench_commits` at a tiny size: a row per commit with its cold build times, and the repository's
    worktrees and content as they were."""
    def worktrees() -> str:
        return subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=repo_root, capture_output=True,
                              text=True, check=True).stdout

    before, trees = snapshot(repo_root / "content"), worktrees()
    short = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo_root, capture_output=True, text=True,
                           check=True).stdout.strip()
    run = subprocess.run([sys.executable, "-m", "bench.bench_commits", "HEAD", "--listings", "20", "--runs", "2"],
                         cwd=repo_root, capture_output=True, text=True, timeout=300, env={**os.environ,
                                                                                         "TMPDIR": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Cold builds of 20 synthetic listings, one commit after another (2 after a warm-up")
    [row] = [line for line in run.stdout.splitlines() if line.startswith(f"| {short} |")]
    builds, memory = row.split(" | ")[2:4]
    assert len(builds.removesuffix(" s").split(", ")) == 2 and memory.endswith(" MiB |")
    assert f"{short} warm-up: " in run.stderr and f"{short} run 2: " in run.stderr
    assert worktrees() == trees and snapshot(repo_root / "content") == before
    assert list(tmp_path.iterdir()) == []  # its working folder is removed


def test_slow_connection_bench_measures_each_page_and_serves_files_compressed(repo_root, starter_site):
    import re
    import urllib.request

    from bench.bench_slow import PAGES, GzipHandler
    from generator.static_server import serve_with

    with serve_with(GzipHandler, starter_site) as base:
        request = urllib.request.Request(f"{base}/directory/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert b"<html" in gzip.decompress(response.read())
    run = subprocess.run([sys.executable, "-m", "bench.bench_slow", "--repeat", "1", "--no-write",
                          "--site", str(starter_site)], cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ") and "`/directory/" in line]
    assert [row.split(": `")[0].removeprefix("| ") for row in rows] == [label for label, _ in PAGES]
    for row in rows:  # first results, complete, files, bytes
        first, complete, files = (re.search(r"([\d.]+) s \| ([\d.]+) s \| (\d+) \|", row).groups())
        assert 0 < float(first) <= float(complete) and int(files) >= 2
