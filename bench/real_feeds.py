"""Import every real feed in ../shared/feeds/ into a copy of the starter content, and say what became of each.

    python -m bench.real_feeds [--feeds DIR] [--results FILE] [--workdir DIR]

The feeds (public files as organizations publish them: ../shared/feeds/README.md and each folder's
SOURCE.txt) are read where they are, never copied into the project. Each one goes through
`build.py import` in its format (BMLT search results with that folder's formats.json, HSDS JSON files and
the csv/ datapackage folder); then each is imported again, which must change nothing; then `check` and
`build` run on the content holding all of them. Files that are not feeds (the specifications' schemas,
types.json, READMEs, BMLT's formats and service bodies) are not imported; a file that is not a feed of its
format must fail with a one-line error and write nothing.

Prints, and writes as a Markdown table (default: stdout only, or --results FILE), one line per feed:
"<file>: N records -> M listings, R refused (reasons with counts)". Only counts and reasons are shown —
no names, emails or phone numbers from the feeds (quoted values in reasons are masked).
tests/test_import_real_feeds.py runs the same code and asserts on it.
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))
from bench.synth import one_language  # noqa: E402
FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds"
# Only ever given to imports run here, for records that have no page of their own: it is not a real page.
PLACEHOLDER_SOURCE_URL = "https://example.org/placeholder-source-for-tests"
BMLT = "bmlt-yap-upstate-ny"


@dataclass(frozen=True)
class Case:
    """One import: a file (or the HSDS csv/ folder) under the feeds folder, its format, what must happen."""

    path: str
    fmt: str
    ok: bool = True  # False: not a feed of this format; the import must fail with one line and write nothing
    args: tuple[str, ...] = ()
    after: str = ""  # re-sync: imported (as the same source name) after this other case's file
    name: str = ""

    @property
    def source_name(self) -> str:
        return self.name or re.sub(r"[^a-z0-9]+", "-", self.path.lower().rsplit(".", 1)[0]).strip("-")

    @property
    def label(self) -> str:
        return f"{self.path} (after {self.after})" if self.after else self.path


FORMATS_ARGS = ("--formats", f"{BMLT}/formats.json")
HSDS_ARGS = ("--support-types", "peer-specialist")
CASES = (
    Case("mg-sussexaa/sussexaa.json", "meeting-guide"),
    Case("mg-aasfmarin/aasfmarin.test.json", "meeting-guide"),
    Case("mg-aasanjose/data.json", "meeting-guide"),
    Case("mg-aasanjose/aasanjose.test.json", "meeting-guide"),
    # The 2021 snapshot imported over the 2019 one: the re-sync of a real feed two years on.
    Case("mg-aasanjose/aasanjose.test.json", "meeting-guide", after="mg-aasanjose/data.json", name="aasanjose-resync"),
    Case("mg-edmonton/edmonton.json", "meeting-guide"),
    Case("mg-tweed/data-sample.json", "meeting-guide"),
    Case("mg-edge-cases/times.json", "meeting-guide"),
    Case("mg-edge-cases/appointment.test.json", "meeting-guide"),
    Case("mg-edge-cases/timezones.test.json", "meeting-guide"),
    Case("mg-edge-cases/invalid.json", "meeting-guide", ok=False),  # valid array, then trailing text
    Case("mg-spec-schema/example.json", "meeting-guide", ok=False),  # one meeting object, not a feed
    Case("tsml-csv-template/template.csv", "csv"),
    Case(f"{BMLT}/meeting-search-42.867970-day2.json", "bmlt", args=FORMATS_ARGS),
    Case(f"{BMLT}/meeting-search-42.867970-day3.json", "bmlt", args=FORMATS_ARGS),
    Case(f"{BMLT}/meeting-search-42.867970-day4.json", "bmlt", args=FORMATS_ARGS),
    Case(f"{BMLT}/meeting-search-0-0.json", "bmlt", args=FORMATS_ARGS),  # an answer with no meetings
    # HSDS services are of many kinds and these give none of this directory's terms: the import is told one.
    Case("hsds3-examples/service_full.json", "hsds", args=HSDS_ARGS),
    Case("hsds3-examples/service_list.json", "hsds", args=HSDS_ARGS),
    Case("hsds3-examples/service_at_location_full.json", "hsds", args=HSDS_ARGS),
    Case("hsds3-examples/service_at_location_list.json", "hsds", args=HSDS_ARGS),
    Case("hsds3-examples/organization_full.json", "hsds", args=HSDS_ARGS),
    Case("hsds3-examples/csv", "hsds", args=HSDS_ARGS),  # the tabular datapackage, read as a folder
    # HSDS examples of other objects: no service in them, so not something to import.
    *(Case(f"hsds3-examples/{name}.json", "hsds", ok=False) for name in (
        "base", "location", "organization_list", "tabular", "taxonomy", "taxonomy_list", "taxonomy_term",
        "taxonomy_term_list")),
)
# Files that are not feeds: never imported (the csv/ folder's files are read through the folder's case).
NOT_FEEDS = ("README.md", "*/SOURCE.txt", "mg-spec-schema/README.md", "mg-spec-schema/*.schema.json",
             "mg-spec-schema/types.json", f"{BMLT}/formats.json", f"{BMLT}/service-bodies.json",
             "hsds3-examples/schema/*", "hsds3-examples/csv/*")


def unclassified(feeds: Path) -> list[str]:
    """Return the files under the feeds folder that are neither imported by a case nor listed as not feeds."""
    cases = {case.path for case in CASES}
    files = sorted(p.relative_to(feeds).as_posix() for p in feeds.rglob("*") if p.is_file())
    return [f for f in files if f not in cases and not any(fnmatch.fnmatch(f, pattern) for pattern in NOT_FEEDS)]


@dataclass
class FeedResult:
    case: Case
    code: int = -1  # the import's exit code
    stderr: str = ""
    records: int = 0  # what the source holds: records read plus records the reader refused
    listings: int = 0  # listing files the import wrote
    refused: int = 0  # refusals the import reported
    reasons: Counter = field(default_factory=Counter)
    summary: str = ""  # the import's last line
    reimport_code: int = -1
    reimport_changed: list[str] = field(default_factory=list)  # files the second, identical import changed
    tree_changed: list[str] = field(default_factory=list)  # for a file that is not a feed: what it changed

    def line(self) -> str:
        """Return the report line: what the source held and what became of it."""
        if not self.case.ok or self.code:
            return f"{self.case.label}: error (nothing written): {self.error()}"
        why = "; ".join(f"{reason}: {count}" for reason, count in self.reasons.most_common())
        return (f"{self.case.label}: {self.records} records -> {self.listings} listings, {self.refused} refused"
                + (f" ({why})" if why else ""))

    def error(self) -> str:
        """Return the import's error message without its name prefix and the 'nothing was written' ending."""
        text = self.stderr.strip()
        text = text.removeprefix(f"{self.case.source_name}: error: ").removesuffix(" — nothing was written")
        return mask(text)


def mask(text: str) -> str:
    """Return text with what could come from a record masked: quoted values, emails, phone numbers, long ids."""
    text = re.sub(r"'[^'\n]{0,200}'", "'…'", text)
    text = re.sub(r"\S+@\S+\.\w+", "…@…", text)
    text = re.sub(r"\+?\d[\d ().-]{8,}\d", "…", text)
    return re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "…", text)


def reasons_of(reason: str) -> list[str]:
    """Return the kinds of problem a refusal names: each failed check, or the reader's reason."""
    prefix = "would make a listing that fails check: "
    if reason.startswith(prefix):
        problems = [p.split(" — ")[0] for p in reason[len(prefix):].split("; ")]
        kinds = ["fails check: " + re.sub(r"\[\d+\]", "[]", problem) for problem in problems]
    else:
        kinds = [reason.split(" — ")[0]]
    return list(dict.fromkeys(mask(kind) for kind in kinds))


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by its relative path, with its bytes. os.walk, not Path.rglob: this
    runs three times per feed over the whole content folder, and pathlib's per-path objects were a quarter
    of the real feeds' test."""
    start = len(str(folder)) + 1
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as file:
                files[path[start:].replace(os.sep, "/")] = file.read()
    return files


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def build_py(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


def import_args(case: Case, content: Path, path: str | None = None) -> list[str]:
    return ["import", case.fmt, path or case.path, "--content", str(content), "--name", case.source_name,
            "--source-url", PLACEHOLDER_SOURCE_URL, "--quiet", *case.args]


def plan(case: Case, feeds: Path, content: Path):
    """Return what importing the case would do (in this process, writing nothing): for the counts and reasons."""
    from generator.importing.listings import Settings
    from generator.importing.run import import_source
    from generator.newlisting import load_taxonomy

    formats = str(feeds / case.args[1]) if case.args[:1] == ("--formats",) else ""
    settings = Settings(case.source_name, case.path, source_url=PLACEHOLDER_SOURCE_URL)
    return import_source(content, case.fmt, str(feeds / case.path), settings, load_taxonomy(content), "flag",
                         formats)


def import_feed(case: Case, feeds: Path, content: Path) -> FeedResult:
    """Import one case into content (from the feeds folder, so paths print short); then import it again."""
    result = FeedResult(case)
    if case.after:
        first = build_py(*import_args(case, content, case.after), cwd=feeds)
        if first.returncode:
            result.code, result.stderr = first.returncode, first.stderr
            return result
    before = tree(content)
    outcome = plan(case, feeds, content) if case.ok else None
    run = build_py(*import_args(case, content), cwd=feeds)
    result.code, result.stderr = run.returncode, run.stderr
    result.summary = (run.stdout.strip().splitlines() or [""])[-1]
    after = tree(content)
    if not case.ok or run.returncode:
        result.tree_changed = changed(before, after)
        return result
    result.records = len(outcome.read.records) + len(outcome.read.refusals)
    result.listings = len(list((content / "listings" / case.source_name).glob("*.yaml")))
    result.refused = len(outcome.plan.refusals)
    for refusal in outcome.plan.refusals:
        result.reasons.update(reasons_of(refusal.reason))
    again = build_py(*import_args(case, content), cwd=feeds)
    result.reimport_code = again.returncode
    result.reimport_changed = changed(after, tree(content))
    return result


@dataclass
class Run:
    results: list[FeedResult]
    check: subprocess.CompletedProcess
    build: subprocess.CompletedProcess
    content: Path
    output: Path
    listings: int  # listing files in the content, the starter's and every feed's


def run_all(feeds: Path, work: Path, cases: tuple[Case, ...] = CASES) -> Run:
    """Import every case into one copy of the starter content (in its first language: the imports are what is
    measured, not a second language's pages), then check and build it."""
    content, output = work / "content", work / "output"
    shutil.copytree(REPO_ROOT / "content", content)
    (content / "site.yaml").write_text(one_language(REPO_ROOT / "content" / "site.yaml"), encoding="utf-8")
    for translation in (content / "articles").glob("*.*.md"):  # <slug>.es.md: a language the copy does not have
        translation.unlink()
    results = [import_feed(case, feeds, content) for case in cases if (feeds / case.path).exists()]
    check = build_py("check", "--content", str(content), cwd=work)
    build = build_py("build", "--content", str(content), "--output", str(output), cwd=work)
    return Run(results, check, build, content, output, sum(1 for _ in (content / "listings").rglob("*.yaml")))


def markdown(run: Run) -> str:
    """Return the Markdown table of what became of each feed."""
    lines = ["| Feed | Format | Records | Listings | Refused | Why refused (refusals) | Imported again |",
             "|---|---|---:|---:|---:|---|---|"]
    for r in run.results:
        if not r.case.ok or r.code:
            lines.append(f"| `{r.case.label}` | {r.case.fmt} | — | — | — | error, nothing written: {r.error()} "
                         "| — |")
            continue
        why = "; ".join(f"{reason} ({count})" for reason, count in r.reasons.most_common()) or "—"
        again = "no file changed" if r.reimport_code == 0 and not r.reimport_changed else \
            f"exit {r.reimport_code}, {len(r.reimport_changed)} files changed"
        lines.append(f"| `{r.case.label}` | {r.case.fmt} | {r.records} | {r.listings} | {r.refused} | {why} "
                     f"| {again} |")
    lines += ["", f"All imported into one copy of the starter content ({run.listings:,} listings): `check` exited "
              f"{run.check.returncode}, `build` exited {run.build.returncode}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_feeds", description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=Path, default=FEEDS, help=f"the feeds folder (default {FEEDS})")
    parser.add_argument("--results", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--workdir", type=Path, help="folder for the content and output (default: temporary)")
    args = parser.parse_args(argv)
    if not args.feeds.is_dir():
        print(f"{args.feeds}: no such folder — the real feeds are not on this machine", file=sys.stderr)
        return 2
    missing = unclassified(args.feeds)
    if missing:
        print("not classified (add a Case or a NOT_FEEDS pattern): " + ", ".join(missing), file=sys.stderr)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="real-feeds-"))
    try:
        run = run_all(args.feeds.resolve(), work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    for r in run.results:
        print(r.line(), file=sys.stderr)
    text = markdown(run)
    print(text, end="")
    if args.results:
        args.results.write_text(text, encoding="utf-8")
    bad = [r for r in run.results if r.case.ok != (r.code == 0) or r.tree_changed or r.reimport_changed]
    return 1 if missing or bad or run.check.returncode or run.build.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
