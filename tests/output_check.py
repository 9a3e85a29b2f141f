"""Read back every data file of a built site with a strict parser, by its extension.

``check_output_files(folder)`` returns one line per file a reader would refuse (an empty list when all
are fine): JSON with NaN or Infinity (``json.loads`` accepts them unless told not to), XML that expat
refuses (control characters), iCalendar that ``icalendar`` cannot read or whose lines are not CRLF and
folded to 75 octets, CSV that is not UTF-8 or whose rows differ in length. ``unguarded_formula_cells``
lists the CSV cells a spreadsheet would run as a formula.
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
# RFC 5545 3.1: the control characters a content line may not hold (tab is allowed).
ICAL_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def check_json(data: bytes) -> None:
    value = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate, written as an escape, fails here


def check_xml(data: bytes) -> None:
    ET.fromstring(data)


def check_ical(data: bytes) -> None:
    from icalendar import Calendar

    data.decode("utf-8")
    assert data.endswith(b"\r\n"), "does not end with CRLF"
    for number, line in enumerate(data[:-2].split(b"\r\n"), 1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets (more than 75)"
        assert not ICAL_CONTROL.search(line), f"line {number} holds a control character (or a bare line end)"
    Calendar.from_ical(data)


def check_csv(data: bytes) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))
    assert rows, "no header row"
    for number, row in enumerate(rows[1:], 2):
        assert len(row) == len(rows[0]), f"row {number} has {len(row)} cells, the header {len(rows[0])}"


CHECKS = {".json": check_json, ".xml": check_xml, ".atom": check_xml, ".ics": check_ical, ".csv": check_csv}


def data_files(folder: Path) -> list[Path]:
    """Return every file under a built site that CHECKS can read, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in CHECKS and p.is_file() and ".cache" not in p.parts)


def check_output_files(folder: Path) -> list[str]:
    """Return 'path: what is wrong' for every JSON, XML, iCalendar and CSV file a strict reader refuses."""
    problems = []
    for path in data_files(folder):
        try:
            CHECKS[path.suffix](path.read_bytes())
        except Exception as exc:  # any refusal is the finding: report it with its file, go on with the rest
            problems.append(f"{path.relative_to(folder)}: {type(exc).__name__}: {exc}")
    return problems


def unguarded_formula_cells(folder: Path) -> list[str]:
    """Return 'path row N: cell' for each CSV cell a spreadsheet would run as a formula."""
    found = []
    for path in sorted(folder.rglob("*.csv")):
        rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
        for number, row in enumerate(rows, 1):
            found += [f"{path.relative_to(folder)} row {number}: {cell!r}" for cell in row
                      if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.match(cell)]
    return found
