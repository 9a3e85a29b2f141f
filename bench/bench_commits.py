"""Time a cold build of the same synthetic listings at several commits, one after another in one run, to tell
which change a difference in build speed comes from.

    python -m bench.bench_commits db5ee16 9e57360 HEAD [--listings 10000] [--runs 2]

For each commit: a `git worktree add` of it in a temporary folder, one warm-up build (which also makes the
machine's place lookup files, kept per commit through XDG_CACHE_HOME), then `--runs` cold builds (an empty
output folder and no build cache), each `build.py build` alone in a child process. Prints a Markdown table of
the wall times and the peak memory (bench.measure.run_child: the child's maximum resident set, or the
highest total of it and its workers, sampled every 50 ms).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import log, run_child
from bench.synth import write_synthetic

REPO_ROOT = Path(__file__).resolve().parent.parent


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout.strip()


def time_commit(rev: str, content: Path, work: Path, runs: int) -> tuple[str, str, list[float], float]:
    """Return (short hash, subject, cold build walls, highest peak MiB) of `rev`."""
    short = git("rev-parse", "--short", rev)
    tree = work / f"tree-{short}"
    git("worktree", "add", "--detach", str(tree), rev)
    env_cache = work / f"machine-cache-{short}"
    walls, peaks = [], []
    try:
        os.environ["XDG_CACHE_HOME"] = str(env_cache)
        for run in range(runs + 1):
            output = work / f"output-{short}"
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(tree / ".build-cache", ignore_errors=True)
            done = run_child([sys.executable, "build.py", "build", "--content", str(content), "--output", str(output)],
                             timeout=1800, cwd=tree)
            if not done.ok:
                raise SystemExit(f"{short}: the build failed:\n{done.output[-2000:]}")
            log(f"{short} {'warm-up' if run == 0 else f'run {run}'}: {done.wall:.2f} s, {done.rss_mb:.0f} MiB")
            if run:
                walls.append(done.wall)
                peaks.append(done.rss_mb)
    finally:
        git("worktree", "remove", "--force", str(tree))
    return short, git("log", "-1", "--format=%s", rev)[:80], walls, max(peaks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_commits", description=__doc__.split("\n\n")[0])
    parser.add_argument("commits", nargs="+", help="the commits to time, in the order to show them")
    parser.add_argument("--listings", type=int, default=10_000, help="synthetic listings (default 10000)")
    parser.add_argument("--runs", type=int, default=2, help="timed cold builds per commit, after a warm-up (default 2)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-commits-"))
    try:
        content = work / "content"
        write_synthetic(content, listings=args.listings, articles=50, seed=1)
        rows = [time_commit(rev, content, work, args.runs) for rev in args.commits]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Cold builds of {args.listings:,} synthetic listings, one commit after another "
          f"({args.runs} after a warm-up each):\n")
    print("| Commit | Subject | Cold builds | Peak memory |\n|---|---|---:|---:|")
    for short, subject, walls, peak in rows:
        print(f"| {short} | {subject} | {', '.join(f'{w:.1f}' for w in walls)} s | {peak:.0f} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
