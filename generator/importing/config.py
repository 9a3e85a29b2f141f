"""The sources a site imports on a schedule: content/imports.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..load import display_path
from .sync import REMOVED_CHOICES

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = ("name", "format", "source", "formats", "organization", "support_types", "source_url", "region", "timezone",
        "removed")


class ConfigError(Exception):
    """content/imports.yaml says something that cannot be used."""


@dataclass
class SourceConfig:
    name: str
    format: str
    source: str
    formats: str = ""
    organization: str = ""
    support_types: list[str] = field(default_factory=lambda: ["12-step"])
    source_url: str = ""
    region: str = ""
    timezone: str = ""
    removed: str = "flag"


def default_support_types(fmt: str) -> list[str]:
    """Return the support types an import gives every listing when none are asked for: 12-step for the meeting
    lists (Meeting Guide, BMLT, spreadsheets), none for HSDS, whose services (counselling, housing, peer programs)
    say what they are in their own terms or need --support-types."""
    return [] if fmt == "hsds" else ["12-step"]


def load_sources(content: Path, formats: dict) -> list[SourceConfig]:
    """Return the configured sources; ConfigError naming the file, entry and fix when one is wrong."""
    path = content / "imports.yaml"
    shown = display_path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{shown}: not found — list the sources to import there (see the README's "
                          "'Importing meetings')") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{shown}: cannot be read ({str(exc).splitlines()[0]})") from None
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{shown}: needs a 'sources:' list, each with name, format and source")
    return [_source(entry, i, shown, formats) for i, entry in enumerate(entries)]


def _source(entry: object, i: int, shown: str, formats: dict) -> SourceConfig:
    where = f"{shown}: sources[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: give name, format and source on their own lines")
    unknown = [key for key in entry if key not in KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown setting '{unknown[0]}' — use: {', '.join(KEYS)}")
    for key in ("name", "format", "source"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: '{key}' is missing")
    if not NAME.match(entry["name"]):
        raise ConfigError(f"{where}: name '{entry['name']}' must be lowercase letters, digits and hyphens")
    if entry["format"] not in formats:
        raise ConfigError(f"{where}: unknown format '{entry['format']}' — use one of: {', '.join(formats)}")
    if entry.get("removed", "flag") not in REMOVED_CHOICES:
        raise ConfigError(f"{where}: removed must be one of: {', '.join(REMOVED_CHOICES)}")
    types = entry.get("support_types", default_support_types(entry["format"]))
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ConfigError(f"{where}: support_types must be a list, e.g. [12-step]")
    values = {key: str(entry[key]) for key in KEYS if key in entry and key != "support_types"}
    return SourceConfig(**values, support_types=types)
