"""The build benchmark (`make bench`) at a tiny size: every row of its table, and nothing written to content/."""
from __future__ import annotations

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


def test_bench_prints_every_figure_and_writes_only_to_its_folder(repo_root, tmp_path):
    before = snapshot(repo_root / "content")
    work, results = tmp_path / "work", tmp_path / "results.md"
    run = subprocess.run([sys.executable, "-m", "bench.bench_build", "--sizes", "20", "--repeat", "1", "--no-hugo",
                          "--no-serve", "--least-memory-from", "20", "--workdir", str(work), "--keep",
                          "--results", str(results)],
                         cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    table = [line for line in run.stdout.splitlines() if line.startswith("| 20 |")]
    assert [line.split(" | ")[1] for line in table] == list(FIGURES[:5]) + [AGAIN, *FIGURES[5:7], *LEAST_MEMORY,
                                                                FIGURES[7]]
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
