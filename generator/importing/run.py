"""Import one source: fetch it, read it in its format, build listings, plan the re-sync, report, write."""
from __future__ import annotations

import io
from collections import Counter
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..load import display_path
from ..model import Taxonomy
from .listings import Built, Settings, build_listings
from .records import Read, SourceError
from .sync import Plan, load_state, plan_sync

FORMATS = {"meeting-guide": "a Meeting Guide JSON feed (the meeting-list plugin, a Google Sheet, …)",
           "csv": "the meeting-list plugin's spreadsheet (CSV) template",
           "bmlt": "a BMLT server's GetSearchResults answer (GetFormats is fetched beside it)",
           "hsds": "Open Referral HSDS 3.0: a JSON file, or the tabular datapackage (folder or .zip)"}
MAX_BYTES = 200 * 1024 * 1024
TIMEOUT = 60


class FetchError(Exception):
    """The source could not be fetched or opened."""


@dataclass
class Outcome:
    read: Read
    built: Built
    plan: Plan


def fetch(source: str) -> bytes:
    """Return a source's bytes, from a file or an https:// address."""
    if source.startswith("http://"):
        raise FetchError(f"{source}: use https:// — a feed fetched over plain http can be altered on the way")
    if source.startswith("https://"):
        request = urllib.request.Request(source, headers={"User-Agent": "peer-support-directory-import",
                                                          "Accept": "application/json, text/csv, */*"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                data = answer.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise FetchError(f"{source}: cannot fetch it ({getattr(exc, 'reason', exc)}) — check the address "
                             "and the connection") from None
        if len(data) > MAX_BYTES:
            raise FetchError(f"{source}: larger than {MAX_BYTES // 2**20} MB — is this the feed's address?")
        return data
    try:
        return Path(source).read_bytes()
    except IsADirectoryError:
        raise FetchError(f"{source}: is a folder — give the feed's file") from None
    except OSError as exc:
        raise FetchError(f"{source}: cannot be read ({exc.strerror or exc})") from None


def read_source(fmt: str, source: str, formats_source: str = "") -> Read:
    """Return what a source holds, read in its format; SourceError or FetchError when it cannot be read."""
    name = source if source.startswith("https://") else display_path(Path(source))
    if fmt == "meeting-guide":
        from .meeting_guide import read_meeting_guide
        return read_meeting_guide(fetch(source), name)
    if fmt == "csv":
        from .tsml_csv import read_tsml_csv
        return read_tsml_csv(fetch(source), name)
    if fmt == "bmlt":
        from .bmlt import read_bmlt
        formats_source = formats_source or bmlt_formats_address(source)
        return read_bmlt(fetch(source), fetch(formats_source) if formats_source else None, name)
    if fmt == "hsds":
        return _read_hsds(source, name)
    raise SourceError(f"unknown format '{fmt}' — use one of: {', '.join(FORMATS)}")


def bmlt_formats_address(source: str) -> str:
    """Return the GetFormats address beside a GetSearchResults address ('' for a file)."""
    if not source.startswith("https://"):
        return ""
    parts = urlsplit(source)
    query = dict(parse_qsl(parts.query))
    if query.get("switcher") != "GetSearchResults":
        return ""
    return urlunsplit(parts._replace(query=urlencode({"switcher": "GetFormats"})))


def _read_hsds(source: str, name: str) -> Read:
    from .hsds import read_hsds_json, read_hsds_tables
    path = Path(source)
    if not source.startswith("https://") and (path.is_dir() or path.name == "datapackage.json"):
        return read_hsds_tables(path if path.is_dir() else path.parent, name)
    data = fetch(source)
    if data[:4] == b"PK\x03\x04":  # a zip of the tabular form
        with tempfile.TemporaryDirectory(prefix="hsds-") as folder:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(folder)
            return read_hsds_tables(Path(folder), name)
    return read_hsds_json(data, name)


def import_source(content: Path, fmt: str, source: str, settings: Settings, taxonomy: Taxonomy,
                  removed: str = "flag", formats_source: str = "", allow_empty: bool = False) -> Outcome:
    """Return what importing the source would do (nothing is written here)."""
    read = read_source(fmt, source, formats_source)
    state = load_state(content, settings.name)
    known = len(state["listings"])
    if not read.records and known and not allow_empty:
        raise SourceError(f"{settings.feed} has no meetings at all, where the last import made {plural(known, 'listing')}: "
                          "a failing server or a wrong query often looks like this — if the source really is empty "
                          "now, run again with --allow-empty")
    if not settings.support_types and (untyped := [r for r in read.records if not r.listing.get("support_types")]):
        raise SourceError(f"{settings.feed}: {plural(len(untyped), 'service')} give no support type of this "
                          "directory's (e.g. the first, '" + (untyped[0].name or untyped[0].id) + "') — say which "
                          "they are with --support-types (or support_types in content/imports.yaml), e.g. "
                          "--support-types peer-specialist,recovery-community; 12-step, the default for meeting "
                          "lists, would mislabel most services")
    built = build_listings(read, settings, taxonomy)
    if any(not planned.data["source"] for planned in built.listings):
        raise SourceError(f"{settings.feed}: some meetings have no page of their own (no `url`), so there is no "
                          "address where people can check them — give --source-url (or source_url in "
                          "content/imports.yaml): the organization's meeting list page")
    return Outcome(read, built, plan_sync(content, built, settings, taxonomy, removed, state))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def report_lines(outcome: Outcome, settings: Settings, dry_run: bool, verbose: bool = True) -> list[str]:
    """Return the import's report: per file what happens, the refused records, unmapped codes and counts."""
    plan, built = outcome.plan, outcome.built
    # Every record the source holds, those refused as it was read too: "572 records" of a file of 693 read as
    # though the rest were not there (they are counted under "Not imported" below).
    read = len(outcome.read.records) + len(outcome.read.refusals)
    lines = [f"{settings.name}: {plural(read, 'record')} from {settings.feed} → {plural(len(built.listings), 'listing')}"]
    marks = {"add": "+", "change": "~", "conflict": "!", "removed": "-", "flagged": "?", "gone": "?",
             "skipped": "="}
    for change in plan.changes:
        if change.action in ("same", "refused"):
            continue
        if not verbose and change.action in ("add", "change"):
            continue
        detail = []
        if change.meetings:
            detail.append(f"{change.meetings} meeting{'s' * (change.meetings != 1)}")
        if change.fields:
            detail.append("changed: " + ", ".join(change.fields))
        if change.conflicts:
            detail.append("kept your edit of " + ", ".join(change.conflicts) + " (the source changed it too)")
        if change.note:
            detail.append(change.note)
        lines.append(f"  {marks[change.action]} {change.path}" + (f" ({'; '.join(detail)})" if detail else ""))
    if plan.refusals:
        lines.append(f"Not imported: {plural(len(plan.refusals), 'record')}")
        reasons = Counter(refusal.reason for refusal in plan.refusals)
        if len(plan.refusals) > 10 and len(reasons) < len(plan.refusals):  # many alike: say why in short first
            lines += [f"  {count} × {reason}" for reason, count in reasons.most_common()]
            lines.append("  Each of them:")
        lines += [f"  {refusal.where()}: {refusal.reason}" for refusal in plan.refusals]
    if built.left_out:
        lines.append(f"Imported without a value a listing cannot hold: {plural(len(built.left_out), 'value')}")
        lines += [f"  {item.where()}: {item.reason}" for item in built.left_out]
    if built.unmapped:
        lines.append("Type codes with no term in taxonomy.yaml (left out of the listings; give a term "
                     "`meeting_guide: CODE` to keep them):")
        lines += [f"  {code}: {count} meeting{'s' * (count != 1)}" for code, count in sorted(built.unmapped.items())]
    lines += [f"Note: {note}" for note in outcome.read.notes]
    counts = [(plan.count("add"), "added"), (plan.count("change"), "changed"), (plan.count("same"), "unchanged"),
              (plan.count("conflict"), "with conflicts"), (plan.count("removed"), "removed"),
              (plan.count("flagged") + plan.count("gone"), "gone from the source"), (plan.count("skipped"), "skipped"),
              (len(plan.refusals), "record not imported" if len(plan.refusals) == 1 else "records not imported")]
    summary = ", ".join(f"{count} {what}" for count, what in counts if count or what in ("added", "changed"))
    lines.append(summary + (" — dry run: nothing written" if dry_run else ""))
    return lines
