"""Benchmark build speed: cold build, no-op rebuild, edits, peak memory, `serve`, and Hugo on the same listings.

    make bench [BENCH_ARGS="--sizes 1000,10000 --repeat 3 --keep"]
    python -m bench.bench_build [--sizes 1000,10000,100000] [--repeat N] [--no-hugo] [--no-serve]

For each size, in a temporary folder (never content/):
1. writes a synthetic directory (bench/synth.py: N clearly fake listings and 50 articles) and a
   copy of templates/ that the builds use through `--templates`;
2. times `build.py build` as a separate child process each time (wall time, and the child's own
   peak memory, bench/measure.py): cold (output folder and build cache deleted first), no-op (nothing changed), after
   editing one listing's summary, after editing it again (the first edit after a cold build also
   makes the spare copy of the output that incremental builds fill and swap in; the second shows an
   edit once it exists), and after editing listing.html (the template of every listing page). Each is repeated `--repeat` times; the table shows medians. From 100,000 listings
   (`--least-memory-from`) it also times one cold build with `--jobs 1 --no-cache`, the options
   that use the least memory;
3. when `hugo` is on PATH, writes the same listings as Markdown pages into a minimal Hugo site
   (bench/hugo_site.py) and times cold `hugo --quiet` builds the same way;
4. at sizes up to 10,000, runs `build.py serve`, opens a listing in headless Chromium, edits the
   listing's name and times until the page shows it (bench/serve_latency.py).
Prints a Markdown table with targets and PASS/MISS, and writes it to bench/results-build.md. With
`--against REV`, the builds of that commit (a `git worktree add` of it) are timed in the same run, each
repetition right after this tree's, and a second table shows both figures side by side.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.hugo_site import build_hugo, write_hugo_site
from bench.measure import REPO_ROOT, ChildRun, hugo_version, load_average, log, machine_info, median, run_child
from bench.report import report, seconds
from bench.synth import CONTENT, write_synthetic
from generator.cachefiles import cache_folder

RESULTS = REPO_ROOT / "bench" / "results-build.md"
ARTICLES = 50
SERVE_MAX_SIZE = 10_000
SCENARIOS = ("cold", "noop", "edit_listing", "edit_listing_again", "edit_template", "cold_least_memory",
             "cold_two_languages")
TWO_LANGUAGES_UP_TO = 10_000  # up to this size, a cold build of the site in English and Spanish is measured too
LEAST_MEMORY_FROM = 100_000  # from this size, a cold build with --jobs 1 --no-cache is measured too


@dataclass
class SizeResult:
    """Every measurement taken at one size."""

    size: int
    runs: dict[str, list[ChildRun]] = field(default_factory=lambda: {s: [] for s in SCENARIOS})
    against: dict[str, list[ChildRun]] = field(default_factory=lambda: {s: [] for s in SCENARIOS})  # --against
    hugo: list[ChildRun] = field(default_factory=list)
    hugo_noop: list[ChildRun] = field(default_factory=list)
    hugo_skipped: str = ""
    serve: list = field(default_factory=list)
    serve_skipped: str = ""
    files: int = 0
    failure: str = ""

    def wall(self, scenario: str) -> float:
        """Return the median wall time of a scenario's successful runs."""
        return median([r.wall for r in self.runs[scenario] if r.ok])

    def peak_mb(self) -> float:
        """Return the highest peak memory of any build at this size with the default options."""
        return max((r.rss_mb for scenario, runs in self.runs.items() if scenario in ONE_LANGUAGE_DEFAULTS
                    for r in runs), default=float("nan"))


def build_command(content: Path, output: Path, templates: Path, root: Path = REPO_ROOT) -> list[str]:
    """Return the command line of one build (with the build.py of `root`)."""
    return [sys.executable, str(root / "build.py"), "build", "--content", str(content), "--output",
            str(output), "--templates", str(templates)]


def first_listing(content: Path) -> Path:
    """Return the listing file that edits change (the first in path order, so runs are repeatable)."""
    return min((content / "listings").rglob("*.yaml"))


def edit_summary(path: Path, n: int) -> None:
    """Change the listing's summary text (a different edit each time)."""
    text = path.read_text(encoding="utf-8")
    summary = f'summary: "Synthetic benchmark listing, edited for rebuild number {n}."'
    path.write_text(re.sub(r"(?m)^summary: .*$", summary, text, count=1), encoding="utf-8")


def edit_template(templates: Path, n: int) -> None:
    """Change listing.html, the template every listing page uses (a visible change each time)."""
    path = templates / "listing.html"
    text = re.sub(r'<h1 id="listing-title"( data-edit="\d+")?>', f'<h1 id="listing-title" data-edit="{n}">',
                  path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")


def timed_build(result: SizeResult, scenario: str, command: list[str], timeout: float,
                runs: dict[str, list[ChildRun]] | None = None, label: str = "") -> bool:
    """Run one build, record it under the scenario (in `runs`, by default this tree's), log it; return
    whether it succeeded."""
    run = run_child(command, timeout)
    (result.runs if runs is None else runs)[scenario].append(run)
    log(f"  {result.size:,} {scenario}{label}: {run.wall:.2f} s, peak RSS {run.rss_mb:,.0f} MB"
        + ("" if run.ok else f" — FAILED (exit {run.code}): {run.output[-800:]}"))
    if not run.ok:
        result.failure = f"{scenario} build failed (exit {run.code}): {run.output[-300:]}"
    return run.ok


def measure_builds(result: SizeResult, work: Path, repeat: int, timeout: float,
                   least_memory_from: int = LEAST_MEMORY_FROM, against: Path | None = None) -> None:
    """Time cold, no-op, edited-listing and edited-template builds `repeat` times each (and, with `against`,
    the same builds of that tree right after each of this tree's)."""
    trees = [(REPO_ROOT, result.runs, "output", 0, "")]
    if against is not None:  # its own output, cache, templates and edits (an edit to the same text is none)
        shutil.copytree(against / "templates", templates_of(work, against))
        trees.append((against, result.against, "output-against", AGAINST_EDITS, " (--against)"))
    for n in range(1, repeat + 1):
        for root, runs, name, offset, label in trees:
            if not build_cycle(result, work, root, name, n + offset, timeout, runs, label):
                return
    result.files = sum(1 for p in (work / "output").rglob("*") if p.is_file())
    if result.size <= TWO_LANGUAGES_UP_TO:
        measure_two_languages(result, work, repeat, timeout)
    if result.size >= least_memory_from:  # one process, no cache: the least memory, at a cost in time
        least = work / "output-least-memory"
        for root, runs, _, _, label in trees:
            command = build_command(work / "content", least, templates_of(work, root), root)
            timed_build(result, "cold_least_memory", command + ["--jobs", "1", "--no-cache"], timeout, runs, label)
            shutil.rmtree(least, ignore_errors=True)


AGAINST_EDITS = 500  # the --against builds' edits are numbered from here
ONE_LANGUAGE_DEFAULTS = ("cold", "noop", "edit_listing", "edit_listing_again", "edit_template")


def measure_two_languages(result: SizeResult, work: Path, repeat: int, timeout: float) -> None:
    """Time cold builds of the same content in English and Spanish (`languages: [en, es]` in its site.yaml, and
    the starter's vocabulary with its Spanish labels)."""
    settings, taxonomy = work / "content" / "site.yaml", work / "content" / "taxonomy.yaml"
    before, vocabulary = settings.read_text(encoding="utf-8"), taxonomy.read_text(encoding="utf-8")
    output = work / "output-two-languages"
    settings.write_text(before + "languages: [en, es]\n", encoding="utf-8")
    shutil.copyfile(CONTENT / "taxonomy.yaml", taxonomy)
    try:
        for _ in range(repeat):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache_folder(output), ignore_errors=True)
            command = build_command(work / "content", output, templates_of(work, REPO_ROOT))
            if not timed_build(result, "cold_two_languages", command, timeout):
                return
    finally:
        settings.write_text(before, encoding="utf-8")
        taxonomy.write_text(vocabulary, encoding="utf-8")
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache_folder(output), ignore_errors=True)


def templates_of(work: Path, root: Path) -> Path:
    """Return the copy of a tree's templates its builds use: each commit's templates go with its code."""
    return work / ("templates" if root == REPO_ROOT else "templates-against")


def build_cycle(result: SizeResult, work: Path, root: Path, name: str, n: int, timeout: float,
                runs: dict[str, list[ChildRun]], label: str) -> bool:
    """Time one cold build, then a no-op, two listing edits and a template edit; return whether all succeeded."""
    content, templates, output = work / "content", templates_of(work, root), work / name
    command = build_command(content, output, templates, root)
    listing = first_listing(content)
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(work / ".build-cache" / name, ignore_errors=True)  # cold: no cache either
    if not timed_build(result, "cold", command, timeout, runs, label):
        return False
    # The first edit after a cold build also makes the spare copy of the output that incremental builds
    # fill and swap in (generator.trees); the second edit shows an edit once the spare exists.
    steps = (("noop", lambda: None), ("edit_listing", lambda: edit_summary(listing, n)),
             ("edit_listing_again", lambda: edit_summary(listing, 1000 + n)),
             ("edit_template", lambda: edit_template(templates, n)))
    for scenario, change in steps:
        change()
        if not timed_build(result, scenario, command, timeout, runs, label):
            return False
    return True


def measure_hugo(result: SizeResult, work: Path, repeat: int, timeout: float) -> None:
    """Write the Hugo site and time cold builds (and one no-op build, for information)."""
    site = work / "hugo"
    started = time.perf_counter()
    pages = write_hugo_site(work / "content", site)
    log(f"  wrote {pages:,} Hugo pages in {time.perf_counter() - started:.1f} s")
    for _ in range(repeat):
        run = build_hugo(site, timeout)
        result.hugo.append(run)
        log(f"  {result.size:,} hugo cold: {run.wall:.2f} s, peak RSS {run.rss_mb:,.0f} MB"
            + ("" if run.ok else f" — FAILED: {run.output[-800:]}"))
    result.hugo_noop.append(build_hugo(site, timeout, cold=False))
    log(f"  {result.size:,} hugo again (no change): {result.hugo_noop[-1].wall:.2f} s")


def measure_serve_at(result: SizeResult, work: Path, repeat: int, timeout: float) -> None:
    """Time `serve` showing an edited listing in the browser."""
    from bench.serve_latency import measure_serve

    listing = sorted((work / "content" / "listings").rglob("*.yaml"))[-1]  # not the one the builds edited
    result.serve = measure_serve(work / "content", work / "serve-output", work / "templates", listing,
                                 repeat, timeout)
    if not result.serve:
        result.serve_skipped = f"the edit did not show within {timeout:.0f} s"


def prepare(work: Path, size: int, seed: int) -> None:
    """Write the synthetic content and a copy of the templates into work/."""
    started = time.perf_counter()
    write_synthetic(work / "content", listings=size, articles=ARTICLES, seed=seed)
    shutil.copytree(REPO_ROOT / "templates", work / "templates")
    log(f"Wrote {size:,} synthetic listings and {ARTICLES} articles into {work} "
        f"in {time.perf_counter() - started:.1f} s")


def measure_size(size: int, work: Path, args: argparse.Namespace, hugo: str, serve_ok: str,
                 against: Path | None = None) -> SizeResult:
    """Take every measurement at one size."""
    result = SizeResult(size)
    prepare(work, size, args.seed)
    repeat = args.repeat or (1 if size > 10_000 else 3)
    measure_builds(result, work, repeat, args.timeout, args.least_memory_from, against)
    if args.no_hugo or not hugo:
        result.hugo_skipped = "--no-hugo" if args.no_hugo else "hugo is not installed"
    elif not result.failure:
        measure_hugo(result, work, repeat, args.timeout)
    if serve_ok:
        result.serve_skipped = serve_ok
    elif size > SERVE_MAX_SIZE:
        result.serve_skipped = f"measured only up to {SERVE_MAX_SIZE:,} listings"
    elif not result.failure:
        measure_serve_at(result, work, repeat, args.timeout)
    return result


def serve_skip_reason(args: argparse.Namespace) -> str:
    """Return why `serve` is not measured, or '' when it is."""
    from bench.serve_latency import chromium_available

    if args.no_serve:
        return "--no-serve"
    return "" if chromium_available() else "Playwright or Chromium is missing (make chromium)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="listing counts, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs per figure, the median is shown (default 3, and 1 above 10,000 listings)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a build is killed (default 900)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement (no browser)")
    parser.add_argument("--least-memory-from", type=int, default=LEAST_MEMORY_FROM,
                        help="from this size on, also time a cold build with --jobs 1 --no-cache (default 100000)")
    parser.add_argument("--workdir", type=Path, help="folder for synthetic content and builds "
                        "(default: a new temporary folder, deleted afterwards unless --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown table")
    parser.add_argument("--against", metavar="REV", help="also time the builds of commit REV (checked out with "
                        "`git worktree add`) in the same run, and show both figures side by side")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write it to the results file."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-build-"))
    # The place lookup files are made once per machine (generator/placescache.py): the run keeps its own,
    # so what this machine's earlier builds left does not change the figures. The first cold build makes them.
    os.environ["XDG_CACHE_HOME"] = str(workdir / "machine-cache")
    started, load = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_average()
    hugo, serve_skip = ("" if args.no_hugo else hugo_version()), serve_skip_reason(args)
    machine = machine_info(hugo, "" if serve_skip else chromium_version())
    results = []
    against = check_out(args.against, workdir) if args.against else None
    try:
        for size in args.sizes:
            results.append(measure_size(size, workdir / f"size-{size}", args, hugo, serve_skip, against))
            # Written after every size, so a long run that is stopped still leaves what it measured.
            args.results.write_text(report(results, machine, started, load, load_average()), encoding="utf-8")
            if not args.keep:  # 100,000 listings take several GB with their builds
                shutil.rmtree(workdir / f"size-{size}", ignore_errors=True)
    finally:
        if against is not None:
            git("worktree", "remove", "--force", str(against))
        if args.keep or args.workdir:
            log(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(results, machine, started, load, load_average())
    if against is not None:
        text += side_by_side(results, args.against)
    print(text, end="")
    args.results.write_text(text, encoding="utf-8")
    log(f"Wrote {args.results}")
    return 1 if any(r.failure for r in results) else 0


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout.strip()


def check_out(rev: str, workdir: Path) -> Path:
    """Return a checkout of commit `rev` in workdir (a git worktree, removed at the end)."""
    tree = workdir / f"against-{git('rev-parse', '--short', rev)}"
    git("worktree", "add", "--detach", str(tree), rev)
    return tree


SIDE_BY_SIDE = (("cold", "Cold full build"), ("noop", "No-op rebuild"), ("edit_listing", "Rebuild after editing one listing"),
                ("edit_listing_again", "Rebuild after editing it again"), ("edit_template", "Rebuild after editing a template"),
                ("cold_least_memory", "Cold build with `--jobs 1 --no-cache`"))


def side_by_side(results: list[SizeResult], rev: str) -> str:
    """Return a Markdown table of this tree's medians beside those of commit `rev`, and their ratio."""
    lines = ["", f"## This tree against {rev}", "", f"| Listings | Build | This tree | {rev} | This ÷ {rev} |",
             "|---:|---|---:|---:|---:|"]
    for r in results:
        for scenario, name in SIDE_BY_SIDE:
            if r.runs[scenario] or r.against[scenario]:
                ours, theirs = r.wall(scenario), median([x.wall for x in r.against[scenario] if x.ok])
                lines.append(f"| {r.size:,} | {name} | {seconds(ours)} | {seconds(theirs)} | {ours / theirs:.2f} |")
        peak = max((x.rss_mb for scenario, runs in r.against.items() if scenario != "cold_least_memory"
                    for x in runs), default=float("nan"))
        lines.append(f"| {r.size:,} | Peak memory (highest build) | {r.peak_mb():,.0f} MiB | {peak:,.0f} MiB | "
                     f"{r.peak_mb() / peak:.2f} |")
    return "\n".join(lines) + "\n"


def chromium_version() -> str:
    """Return the version of the Chromium that the serve measurement drives."""
    from bench.serve_latency import CHROMIUM

    run = run_child([CHROMIUM, "--version"], 30)
    match = re.search(r"\d+(\.\d+)+", run.output)
    return match.group(0) if match else ""


if __name__ == "__main__":
    sys.exit(main())
