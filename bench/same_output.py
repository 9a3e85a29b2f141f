"""Build the same content with an earlier commit and with the working tree, and compare the outputs byte for byte.

    python -m bench.same_output [--against REV] [--listings 10000] [--no-feeds] [--keep]

For changes that must not change the site (a refactoring): the content is the starter content (at its own
base URL and under a path prefix), N synthetic listings (bench.synth, clearly fake) and, when
../shared/feeds/ is there, the starter content with every real feed imported into it (bench.real_feeds:
schedules, meeting types and provenance). Each is built by `git worktree add REV` and by this checkout,
with the same build date (SOURCE_DATE_EPOCH) and no build cache. Prints each case's file count and
every file that differs or is only in one output; exits 1 when any does.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))
from bench.real_feeds import FEEDS, changed, run_all, tree  # noqa: E402

# Every build here is of the same day, whatever day it runs: 3 December 2026, 12:00 UTC.
BUILD_EPOCH = "1796299200"
SHOWN_LIMIT = 20  # differing paths printed per case


def git(*args: str, cwd: Path = REPO_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def build(tree_root: Path, content: Path, output: Path, base_url: str | None) -> None:
    """Build `content` with the build.py of `tree_root` into `output`; raise with its error when it fails."""
    args = [sys.executable, str(tree_root / "build.py"), "build", "--content", str(content), "--output",
            str(output), "--no-cache"]
    if base_url is not None:
        args += ["--base-url", base_url]
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    run = subprocess.run(args, cwd=tree_root, env=env, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"the build with {tree_root} of {content} failed (exit {run.returncode}):\n"
                         f"{run.stderr[-2000:]}")


def cases(work: Path, listings: int, feeds: bool) -> list[tuple[str, Path, str | None]]:
    """Return (name, content folder, --base-url or None) for every case, making the generated content."""
    synthetic = work / "synthetic"
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    subprocess.run([sys.executable, "-m", "bench.synth", str(synthetic), "--listings", str(listings), "--seed", "1"],
                   cwd=REPO_ROOT, env=env, check=True, capture_output=True)
    found = [("starter", REPO_ROOT / "content", None),
             ("starter under /help/", REPO_ROOT / "content", "https://directory.example.org/help/"),
             (f"{listings:,} synthetic listings", synthetic, None)]
    if feeds and FEEDS.is_dir():
        imported = run_all(FEEDS, work / "feeds")
        found.append((f"starter + real feeds ({imported.listings:,} listings)", imported.content, None))
    return found


def compare(base: Path, head: Path) -> list[str]:
    """Return the output paths whose bytes differ, or that only one build made (the build cache aside)."""
    return [path for path in changed(tree(base), tree(head)) if not path.startswith(".build-cache/")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.same_output", description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with (default: HEAD)")
    parser.add_argument("--listings", type=int, default=10_000, help="synthetic listings (default: 10000)")
    parser.add_argument("--no-feeds", action="store_true", help="leave out the real feeds case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    rev = git("rev-parse", "--short", args.against)
    work = Path(tempfile.mkdtemp(prefix="same-output-"))
    base_tree = work / "base"
    git("worktree", "add", "--detach", str(base_tree), rev)
    different = 0
    try:
        for n, (name, content, base_url) in enumerate(cases(work, args.listings, not args.no_feeds)):
            started = time.monotonic()
            outputs = work / f"case-{n}-{rev}", work / f"case-{n}-working-tree"
            build(base_tree, content, outputs[0], base_url)
            build(REPO_ROOT, content, outputs[1], base_url)
            paths = compare(*outputs)
            files = sum(1 for p in outputs[1].rglob("*") if p.is_file())
            verdict = "identical" if not paths else f"{len(paths)} files differ"
            print(f"{name}: {files:,} files, {verdict} ({time.monotonic() - started:.0f} s)", flush=True)
            for path in paths[:SHOWN_LIMIT]:
                print(f"  {path}")
            if len(paths) > SHOWN_LIMIT:
                print(f"  … and {len(paths) - SHOWN_LIMIT} more")
            different += bool(paths)
    finally:
        git("worktree", "remove", "--force", str(base_tree))
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"against {rev}: " + ("every output identical" if not different else f"{different} cases differ"))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
