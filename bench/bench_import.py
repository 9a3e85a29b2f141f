"""Benchmark `build.py import`: a 2,000-meeting Meeting Guide feed imported and built, then re-synced.

    make bench-import [BENCH_ARGS="--meetings 2000 --repeat 3 --keep"]
    python -m bench.bench_import [--meetings 2000] [--changes 20] [--repeat 3] [--seed 1]

In a temporary folder (never content/):
1. writes a clearly fake Meeting Guide JSON feed (`make_feed`, seeded): groups named "Sample Group 0123"
   with one to five meetings each at "123 Sample Street" in a real US city and ZIP code (the bundled
   `zipcodes` data, as bench/synth.py picks them, so listings are placed), about 15 % of groups online only
   (fake https://zoom.us/j/ ids), 10 % hybrid, a mix of type codes, end times, time zones and notes, every
   page on example.org; and the same feed with `--changes` meetings changed (times and notes; one removed,
   one added);
2. copies the starter content/ and, each repeat, from cold (a fresh copy, no output, no .build-cache)
   times as separate child processes (bench/measure.py): `build.py import meeting-guide feed.json` then
   `build.py build` (cold); the same import again with nothing changed, which must leave every file
   under content/ byte for byte as it was (the benchmark fails otherwise); the import of the changed
   feed, then the incremental `build.py build` (re-sync).
Prints a Markdown table (medians, with the spread of the runs) and writes it to bench/results-import.md.
It asserts nothing about time, but exits 1 when an import or build fails or a no-change import changes a file.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import REPO_ROOT, ChildRun, load_average, log, machine_info, median, run_child
from bench.synth import POPULATION, _load_zips
from generator.dates import build_date

RESULTS = REPO_ROOT / "bench" / "results-import.md"
NAME = "sample-intergroup"
TARGET_COLD_S = 30.0    # import a 2,000-meeting feed and build the site, from cold
TARGET_RESYNC_S = 5.0   # re-import with 20 meetings changed, and the rebuild
STEPS = ("import", "build", "noop_import", "resync_import", "resync_build")

# Time zones of the states the feed's groups are in (one zone per state is enough for a benchmark).
ZONES = {"CA": "America/Los_Angeles", "TX": "America/Chicago", "FL": "America/New_York", "NY": "America/New_York",
         "PA": "America/New_York", "IL": "America/Chicago", "OH": "America/New_York", "GA": "America/New_York",
         "NC": "America/New_York", "MI": "America/Detroit", "NJ": "America/New_York", "VA": "America/New_York",
         "WA": "America/Los_Angeles", "AZ": "America/Phoenix", "MA": "America/New_York", "TN": "America/Chicago",
         "MD": "America/New_York", "MO": "America/Chicago", "WI": "America/Chicago", "CO": "America/Denver",
         "MN": "America/Chicago", "OR": "America/Los_Angeles", "CT": "America/New_York", "UT": "America/Denver"}
# Meeting Guide type codes, most with a term in taxonomy.yaml; QX has none and is reported as unmapped.
KIND_CODES = ["D", "B", "ST", "SP", "LIT", "12x12", "BE", "MED", "CAN", "DR", "GR", "LS", "XT", "QX"]
AUDIENCE_CODES = ["W", "M", "Y", "LGBTQ", "X", "S", "ASL"]
STARTS = ["06:30", "07:00", "07:30", "10:00", "12:00", "12:15", "17:30", "18:00", "18:30", "19:00", "19:30", "20:00"]
NOTES = ["Sample note: use the side door.", "Sample note: coffee at 6:45.", "Sample note: the room is upstairs.",
         "Sample note: parking behind the building."]
MEETING_WORDS = ["Step Study", "Big Book", "Discussion", "Speaker", "Literature", "Newcomers", "Meditation"]


def _later(start: str, minutes: int) -> str:
    hour, minute = int(start[:2]), int(start[3:])
    total = (hour * 60 + minute + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def make_feed(meetings: int, seed: int = 1) -> list[dict]:
    """Return a clearly fake Meeting Guide feed of exactly `meetings` meetings (the same for the same seed)."""
    rng = random.Random(seed)
    zips = _load_zips()
    states = [state for state in ZONES if state in zips]
    weights = [POPULATION[state] for state in states]
    today = build_date()
    feed: list[dict] = []
    group = 0
    while len(feed) < meetings:
        group += 1
        name = f"Sample Group {group:04d}"
        slug = f"sample-group-{group:04d}"
        attendance = rng.choices(["in_person", "online", "hybrid"], weights=[75, 15, 10])[0]
        state = rng.choices(states, weights=weights)[0]
        postal, city = rng.choice(zips[state])
        base_codes = [rng.choice(["O", "C"])] + rng.sample(AUDIENCE_CODES, rng.choices([0, 1], [70, 30])[0])
        count = min(rng.choices([1, 2, 3, 4, 5], weights=[30, 25, 20, 15, 10])[0], meetings - len(feed))
        zoom = f"https://zoom.us/j/99{seed % 10}{group:07d}"
        for number in range(count):
            day = rng.randrange(7)
            start = rng.choice(STARTS)
            meeting = {"id": f"{group:04d}-{number}", "slug": f"{slug}-{number}",
                       "name": f"{name} {rng.choice(MEETING_WORDS)}" if rng.random() < 0.4 else name,
                       "group": name, "day": day, "time": start,
                       "types": base_codes + rng.sample(KIND_CODES, rng.choices([0, 1, 2, 3], [20, 40, 30, 10])[0]),
                       "url": f"https://example.org/meetings/{slug}-{number}",
                       "updated": (today - datetime.timedelta(days=rng.randint(1, 90))).isoformat() + " 09:00:00",
                       "attendance_option": attendance}
            if rng.random() < 0.6:
                meeting["end_time"] = _later(start, rng.choice([60, 60, 90]))
            if rng.random() < 0.3:
                meeting["timezone"] = ZONES[state]
            if rng.random() < 0.25:
                meeting["notes"] = rng.choice(NOTES)
            if attendance == "online":
                meeting["types"] = meeting["types"] + ["ONL"]
                meeting["region"] = city
            else:
                street = f"{100 + group % 900} Sample Street"
                meeting.update({"location": f"Sample Hall {group:04d}",
                                "formatted_address": f"{street}, {city}, {state} {postal}, USA"})
            if attendance != "in_person":
                meeting["conference_url"] = zoom
                meeting["conference_url_notes"] = f"Sample meeting ID 99{seed % 10} {group:07d} (not a real meeting)"
            feed.append(meeting)
    return feed


def change_feed(feed: list[dict], changes: int, seed: int = 1) -> tuple[list[dict], dict[str, int]]:
    """Return a copy of the feed with `changes` meetings changed: times and notes, one removed, one added."""
    rng = random.Random(seed + 1)
    changed = json.loads(json.dumps(feed))
    picks = rng.sample(range(len(changed)), max(changes - 1, 0))  # the last change is the added meeting
    removed = picks.pop() if picks else None
    counts = {"time": 0, "notes": 0, "removed": 0, "added": 0}
    for n, index in enumerate(picks):
        meeting = changed[index]
        if n % 2 == 0:
            meeting["time"] = _later(meeting["time"], 30)
            if "end_time" in meeting:
                meeting["end_time"] = _later(meeting["end_time"], 30)
            counts["time"] += 1
        else:
            meeting["notes"] = f"Sample note, changed for the re-sync benchmark ({n})."
            counts["notes"] += 1
    if removed is not None:
        del changed[removed]
        counts["removed"] = 1
    if changes:
        template = feed[0]
        changed.append({**{k: v for k, v in template.items() if k not in ("notes", "timezone")},
                        "id": "9999-0", "slug": "sample-group-9999-0", "name": "Sample Group 9999",
                        "group": "Sample Group 9999", "url": "https://example.org/meetings/sample-group-9999-0"})
        counts["added"] = 1
    return changed, counts


@dataclass
class Result:
    """Every measurement: the runs of each step, and what the imports reported."""

    meetings: int
    changes: dict[str, int] = field(default_factory=dict)
    runs: dict[str, list[ChildRun]] = field(default_factory=lambda: {step: [] for step in STEPS})
    first_line: str = ""       # the import's "N records from … → M listings"
    summary: dict[str, str] = field(default_factory=dict)  # step → the import's last line
    listings: int = 0
    files: int = 0
    identical: list[int] = field(default_factory=list)  # files compared after each no-change import

    def wall(self, step: str) -> list[float]:
        return [run.wall for run in self.runs[step]]

    def together(self, *steps: str) -> list[float]:
        return [sum(parts) for parts in zip(*(self.wall(step) for step in steps))]


class BenchFailed(Exception):
    """An import or build failed, or a no-change import changed a file."""


def import_command(content: Path, feed: Path) -> list[str]:
    return [sys.executable, str(REPO_ROOT / "build.py"), "import", "meeting-guide", str(feed), "--content",
            str(content), "--name", NAME, "--organization", "Sample Intergroup (fake)", "--quiet"]


def build_command(content: Path, output: Path) -> list[str]:
    return [sys.executable, str(REPO_ROOT / "build.py"), "build", "--content", str(content), "--output", str(output)]


def timed(result: Result, step: str, command: list[str], timeout: float) -> ChildRun:
    """Run one step, record and log it; BenchFailed when it exits non-zero."""
    run = run_child(command, timeout)
    result.runs[step].append(run)
    log(f"  {step}: {run.wall:.2f} s (CPU {run.cpu:.2f} s, peak RSS {run.rss_mb:,.0f} MiB)"
        + ("" if run.ok else f" — FAILED (exit {run.code})"))
    if not run.ok:
        raise BenchFailed(f"{step} exited {run.code}: {' '.join(command)}\n{run.output[-2000:]}")
    if step.endswith("import"):
        lines = run.output.splitlines()
        result.summary[step] = lines[-1] if lines else ""
        if step == "import" and lines:
            result.first_line = lines[0].replace(command[4], "feed.json")  # not the temporary folder's path
    return run


def tree(folder: Path) -> dict[str, bytes]:
    """Return {relative path: bytes} of every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """Return the paths added, removed or changed between two trees."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def measure_once(result: Result, work: Path, original: Path, changed: Path, timeout: float) -> None:
    """Take one run of every step, from a fresh copy of the starter content.

    Every import reads work/feed.json, as a scheduled import reads the same address each time: the
    changed feed is copied over it for the re-sync (the feed's address is part of each listing's provenance).
    """
    content, output, feed = work / "content", work / "output", work / "feed.json"
    for folder in (content, output, work / ".build-cache"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(REPO_ROOT / "content", content)
    shutil.copyfile(original, feed)
    timed(result, "import", import_command(content, feed), timeout)
    timed(result, "build", build_command(content, output), timeout)
    result.listings = len(list((content / "listings" / NAME).glob("*.yaml")))
    result.files = sum(1 for p in output.rglob("*") if p.is_file())
    before = tree(content)
    timed(result, "noop_import", import_command(content, feed), timeout)
    changed_paths = differences(before, tree(content))
    if changed_paths:
        raise BenchFailed(f"the import with nothing changed in the feed changed {len(changed_paths)} files: "
                          + ", ".join(changed_paths[:10]))
    result.identical.append(len(before))
    shutil.copyfile(changed, feed)
    timed(result, "resync_import", import_command(content, feed), timeout)
    timed(result, "resync_build", build_command(content, output), timeout)


def spread(values: list[float]) -> str:
    """Return the median of some seconds, with the range and the number of runs when there are several."""
    if not values:
        return "—"
    text = f"{median(values):.2f} s"
    if len(values) > 1:
        text += f" (median of {len(values)}, {min(values):.2f}–{max(values):.2f})"
    return text


def verdict(values: list[float], target: float, applies: bool) -> tuple[str, str]:
    if not applies:
        return "—", "info"
    value = median(values)
    if math.isnan(value):
        return f"≤ {target:g} s", "not measured"
    return f"≤ {target:g} s", "PASS" if value <= target else f"MISS ({value / target:.1f}× the target)"


def report(result: Result, machine: str, started: str, load_before: str, load_after: str) -> str:
    """Return the Markdown report: the table, then each run and what the imports said."""
    n = result.meetings
    at_target = n == 2000
    c = result.changes
    changed = (f"{sum(c.values())} meetings changed ({c.get('time', 0)} times, {c.get('notes', 0)} notes, "
               f"{c.get('removed', 0)} removed, {c.get('added', 0)} added)")
    rows = [("Import, cold (fresh copy of the starter content)", spread(result.wall("import")), "—", "info"),
            ("Build, cold (no output, no .build-cache)", spread(result.wall("build")), "—", "info"),
            ("Import + build, cold", spread(result.together("import", "build")),
             *verdict(result.together("import", "build"), TARGET_COLD_S, at_target)),
            (f"Re-import, {changed}", spread(result.wall("resync_import")), "—", "info"),
            ("Incremental rebuild after it", spread(result.wall("resync_build")), "—", "info"),
            ("Re-import + rebuild", spread(result.together("resync_import", "resync_build")),
             *verdict(result.together("resync_import", "resync_build"), TARGET_RESYNC_S, at_target and
                      sum(c.values()) == 20)),
            ("Re-import, nothing changed", spread(result.wall("noop_import")), "changes no file",
             f"PASS ({result.identical[-1]:,} files under content/ byte-identical)" if result.identical
             else "not measured")]
    lines = ["# Import benchmark", "",
             f"Machine: {machine}. Run {started}; load average before {load_before}, after {load_after}.", "",
             f"Command: `make bench-import` (`python -m bench.bench_import --meetings {n} "
             f"--repeat {len(result.runs['import'])}`).", "",
             "| Meetings | Figure | Value | Target | Result |", "|---:|---|---|---|---|"]
    lines += [f"| {n:,} | {figure} | {value} | {target} | {verdict_} |" for figure, value, target, verdict_ in rows]
    names = {"import": "cold import", "build": "cold build", "noop_import": "no-change import",
             "resync_import": "re-sync import", "resync_build": "incremental rebuild"}
    lines += ["", "## Runs", "",
              f"- Feed: {n:,} fake meetings → {result.listings:,} listings in content/listings/{NAME}/ "
              f"(import: `{result.first_line}`); the site has {result.files:,} output files."]
    for step, runs in result.runs.items():
        figures = ", ".join(f"{r.wall:.2f} s / {r.cpu:.2f} s / {r.rss_mb:,.0f} MiB" for r in runs)
        lines.append(f"  - {names[step]} (wall / CPU / peak RSS): {figures or '—'}")
    for step in ("import", "noop_import", "resync_import"):
        if step in result.summary:
            lines.append(f"  - {names[step]} said: `{result.summary[step]}`")
    lines += ["", "Each step is a separate `build.py` child process, timed around it (bench/measure.py). Every "
              "repeat starts from a fresh copy of content/ with no output folder and no `.build-cache/` (the OS "
              "file cache is warm); the feed is clearly fake (\"Sample Group 0123\", 123 Sample Street in real "
              "US cities and ZIP codes, example.org pages, zoom.us/j/ ids that do not exist).", ""]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_import", description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=2000, help="meetings in the feed (default 2000)")
    parser.add_argument("--changes", type=int, default=20,
                        help="meetings changed for the re-sync: times and notes, one removed, one added (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, the median is shown (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a step is killed (default 600)")
    parser.add_argument("--workdir", type=Path, help="folder for the feed, content and output "
                        "(default: a new temporary folder, deleted afterwards unless --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown table")
    args = parser.parse_args(argv)
    if args.meetings < 2 or args.repeat < 1 or not 0 <= args.changes <= args.meetings // 2:
        parser.error("give --meetings ≥ 2, --repeat ≥ 1 and --changes between 0 and half the meetings")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write it to the results file; 1 when a step failed."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started, load = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_average()
    result = Result(args.meetings)
    try:
        feed = make_feed(args.meetings, args.seed)
        changed, result.changes = change_feed(feed, args.changes, args.seed)
        (workdir / "feed-original.json").write_text(json.dumps(feed, indent=1), encoding="utf-8")
        (workdir / "feed-changed.json").write_text(json.dumps(changed, indent=1), encoding="utf-8")
        log(f"Wrote a fake feed of {len(feed):,} meetings and one with {sum(result.changes.values())} changed "
            f"into {workdir}")
        for n in range(1, args.repeat + 1):
            log(f"Run {n} of {args.repeat}:")
            measure_once(result, workdir, workdir / "feed-original.json", workdir / "feed-changed.json", args.timeout)
    except BenchFailed as exc:
        log(f"*** Benchmark failed: {exc}")
        return 1
    finally:
        if args.keep or args.workdir:
            log(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(result, machine_info("", ""), started, load, load_average())
    text = re.sub(r", Hugo not installed", "", text)  # Hugo plays no part here
    print(text, end="")
    args.results.write_text(text, encoding="utf-8")
    log(f"Wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
