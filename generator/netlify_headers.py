"""Read the [[headers]] rules of netlify.toml and work out the headers Netlify sends for a path.

The test server sends exactly these headers, so the suite sees what a visitor on Netlify gets.
Matching follows Netlify's own parser (@netlify/headers-parser): a rule's `for` path becomes an
anchored, case-insensitive pattern where a `*` segment matches anything (including further
slashes) and a `:name` segment matches one segment; an optional trailing slash is allowed.

Every matching rule applies, in file order. When two matching rules set the same header, Netlify's
behaviour is not documented: its own rule parser and `netlify dev` keep the later value, a CDN
that sends both makes a browser enforce both (two Content-Security-Policies: each must allow a
thing), and keeping the earlier one cannot be ruled out. `merge` picks one reading: the test server
sends every value ("all", the default), so the quality gate sees a header that two rules set, and
tests/test_netlify.py checks what a browser would do under each reading.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HeaderRule:
    """One [[headers]] table: the path pattern and the headers it sets."""

    path: str
    values: tuple[tuple[str, str], ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        return path_pattern(self.path)


def load_header_rules(netlify_toml: Path) -> list[HeaderRule]:
    """Return the [[headers]] rules of a netlify.toml, in file order."""
    with netlify_toml.open("rb") as f:
        config = tomllib.load(f)
    return [HeaderRule(rule["for"], tuple((name, _header_value(v)) for name, v in rule.get("values", {}).items()))
            for rule in config.get("headers", [])]


def _header_value(value: str | list[str]) -> str:
    # Netlify joins a multi-line string (or a list) into one comma-separated header value.
    parts = value if isinstance(value, list) else value.splitlines()
    return ", ".join(p.strip().rstrip(",") for p in parts if p.strip())


def path_pattern(for_path: str) -> re.Pattern[str]:
    """Return the regular expression Netlify uses for a rule's `for` path."""
    parts = [_segment_pattern(p.strip()) for p in for_path.split("/") if p.strip()]
    return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)


def _segment_pattern(segment: str) -> str:
    if segment.startswith(":"):
        return "([^/]+)"
    if segment == "*":
        return "(.*)"
    return "(.*)".join(re.escape(piece) for piece in segment.split("*"))


MERGES = ("all", "later", "first")


def headers_for_path(rules: list[HeaderRule], url_path: str, merge: str = "all") -> list[tuple[str, str]]:
    """Return the (name, value) headers of every rule matching a URL path, in file order.

    With merge "later" or "first", a header that several matching rules set (its name compared
    without regard to case) is sent once, with the later or the earlier rule's value.
    """
    if merge not in MERGES:
        raise ValueError(f"merge must be one of {', '.join(MERGES)}, not {merge!r}")
    pairs = [pair for rule in rules if rule.pattern.match(url_path) for pair in rule.values]
    if merge == "all":
        return pairs
    kept: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        if merge == "later" or name.lower() not in kept:
            kept[name.lower()] = (name, value)
    return list(kept.values())
