"""The vocabulary sections of content/taxonomy.yaml, and what the site does with each: one table.

A section's terms are written in content/taxonomy.yaml; this table says which listing field holds them,
whether the directory filters by them and whether they have browse pages. Adding a section is one row
here, its terms in taxonomy.yaml, and the listing field in generator/schema/listing.schema.json.
"""
from __future__ import annotations

from dataclasses import dataclass


def N_(text: str) -> str:
    """Mark interface text for the catalogs (`make messages`); templates translate it where they show it."""
    return text


@dataclass(frozen=True)
class Section:
    """One vocabulary section."""

    name: str  # its key in taxonomy.yaml
    field: str  # the listing field that holds its terms: "kind", "location.region", "schedule.types"
    noun: str  # one term, in messages: "unknown support type '12step'"
    legend: str = ""  # the directory filter's heading; with `parameter`, the browser filters by it
    parameter: str = ""  # the directory's URL parameter (?type=12-step)
    by_code: bool = False  # listings name its terms by `code`, not by slug (regions: CT)
    also: tuple[str, ...] = ()  # other fields whose values are its terms (a meeting's own format)
    folder: str = ""  # the URL folder of its browse pages (/support-types/12-step/), when it has them
    heading: str = ""  # the heading of its browse pages' index

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *self.also)


SECTIONS = (
    Section("kinds", "kind", N_("kind"), N_("Kind"), "kind", folder="kinds", heading=N_("Kinds of support")),
    Section("formats", "format", N_("format"), N_("Format"), "format", also=("schedule.format",)),
    Section("support_types", "support_types", N_("support type"), N_("Support type"), "type", folder="support-types",
            heading=N_("Support types")),
    Section("audiences", "audience", N_("audience"), N_("Especially for"), "audience"),
    Section("meeting_types", "schedule.types", N_("meeting type")),
    Section("languages", "languages", N_("language"), N_("Language"), "language"),
    Section("costs", "cost", N_("cost"), N_("Cost"), "cost"),
    Section("regions", "location.region", N_("region"), by_code=True, folder="regions", heading=N_("Regions")),
)
BY_NAME = {section.name: section for section in SECTIONS}
SECTION_NAMES = tuple(BY_NAME)
# The directory's filters, in the order the page shows them. The browser holds a listing's terms of each as
# bits of one 32-bit integer.
FILTERED = tuple(BY_NAME[name] for name in ("support_types", "kinds", "formats", "audiences", "languages", "costs"))
MAX_FILTER_TERMS = 31
# The sections with browse pages, in the order the sitemap lists them.
BROWSED = tuple(BY_NAME[name] for name in ("regions", "support_types", "kinds"))
# Sections whose terms a listing names by slug in a field of its own: kind, format, support_types, ...
TOP_LEVEL = tuple(section for section in SECTIONS if "." not in section.field and not section.by_code)

