"""The values the stages pass along: taxonomy terms, listings, articles and the whole site."""
from __future__ import annotations

import datetime
import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

from markupsafe import Markup

from .addresses import ADDRESSES, prefix_of, url
from .dates import build_date, months_before

if TYPE_CHECKING:
    from .geo import Point
    from .phone import Phone

DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
TAXONOMY_SECTIONS = ("kinds", "formats", "support_types", "audiences", "meeting_types", "languages", "costs", "regions")

# Friendly names for the timezones most listings use; others show their IANA name.
TIMEZONE_LABELS = {
    "America/New_York": "Eastern Time", "America/Detroit": "Eastern Time",
    "America/Indiana/Indianapolis": "Eastern Time", "America/Chicago": "Central Time",
    "America/Denver": "Mountain Time", "America/Boise": "Mountain Time",
    "America/Phoenix": "Mountain Time (Arizona)", "America/Los_Angeles": "Pacific Time",
    "America/Anchorage": "Alaska Time", "Pacific/Honolulu": "Hawaii Time",
    "America/Puerto_Rico": "Atlantic Time", "America/St_Thomas": "Atlantic Time",
    "Pacific/Guam": "Chamorro Time", "Pacific/Saipan": "Chamorro Time", "Pacific/Pago_Pago": "Samoa Time",
}


class Fields(dict):
    """A listing's sub-fields (location, online, contact): a missing optional field reads as ''."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Term:
    """One vocabulary term: a stable slug, a label and a one-line description."""

    section: str
    slug: str
    label: str
    description: str
    code: str = ""
    timezone: str = ""
    meeting_guide: str = ""  # the Meeting Guide type code with the same meaning, if any


@dataclass
class Taxonomy:
    """Every vocabulary section, each an ordered mapping of slug to Term."""

    sections: dict[str, dict[str, Term]]

    def __getattr__(self, name: str) -> dict[str, Term]:
        try:
            return self.__dict__["sections"][name]
        except KeyError:
            raise AttributeError(name) from None

    @cached_property
    def regions_by_code(self) -> dict[str, Term]:
        return {term.code: term for term in self.sections["regions"].values()}


@dataclass(frozen=True)
class Meeting:
    """One weekly meeting of a group."""

    day: str
    start: str
    end: str
    timezone: str
    notes: str = ""
    name: str = ""  # the meeting's own name, when it differs from the listing's
    types: tuple[str, ...] = ()  # meeting-type slugs
    format: str = ""  # in-person, online or hybrid, when it differs from the listing's

    @property
    def day_label(self) -> str:
        return self.day.capitalize()

    @property
    def day_number(self) -> int:
        return DAYS.index(self.day)

    @property
    def timezone_label(self) -> str:
        return TIMEZONE_LABELS.get(self.timezone, self.timezone)


@dataclass
class Listing:
    """A validated listing, identified by its file name (slug)."""

    slug: str
    path: str
    name: str
    kind: str
    support_types: tuple[str, ...]
    summary: str
    format: str
    last_verified: datetime.date
    source: str
    description_html: Markup = Markup("")
    description: str = ""  # the Markdown source, for the open data exports
    location: Fields = field(default_factory=Fields)
    online: Fields = field(default_factory=Fields)
    contact: Fields = field(default_factory=Fields)
    organization: str = ""
    credentials: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    cost: str = ""
    schedule: tuple[Meeting, ...] = ()
    location_line: int = 1
    point: Point | None = None  # set when placed; None for online-only or unplaceable listings
    phone: Phone | None = None
    not_duplicate_of: tuple[str, ...] = ()
    imported: Fields = field(default_factory=Fields)  # where an import took it from (see generator/importing)
    lines: dict[str, int] = field(default_factory=dict)  # field name → line, for cross-file problems
    digest: str = ""  # of the file's path and bytes: what the build cache keys this listing's pages by

    def line_of(self, name: str) -> int:
        """Return the line of a field in the listing's file (1 when not recorded)."""
        return self.lines.get(name, 1)

    @property
    def url(self) -> str:
        return ADDRESSES.listing(self.slug)

    @property
    def region(self) -> str:
        return self.location.get("region", "")

    @property
    def city(self) -> str:
        return self.location.get("city", "")

    @property
    def is_online(self) -> bool:
        return self.format in ("online", "hybrid")

    @property
    def place(self) -> str:
        """Return 'City, ST' (or '' for listings with no place)."""
        return ", ".join(part for part in (self.city, self.region) if part)

    @property
    def website(self) -> str:
        return self.contact.get("website") or self.online.get("url") or self.source


@dataclass
class Article:
    """A Markdown article with its front matter."""

    slug: str
    path: str
    title: str
    summary: str
    date: datetime.date
    body_html: Markup
    tags: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    digest: str = ""  # of the file's path and bytes

    @property
    def url(self) -> str:
        return ADDRESSES.article(self.slug)


@dataclass
class SiteConfig:
    """Site-wide settings from content/site.yaml, with --base-url applied."""

    title: str
    tagline: str
    description: str
    base_url: str
    language: str = "en"
    repository: str = ""  # https://github.com/owner/name, for "Suggest an edit" and "Report a problem"
    branch: str = "main"
    contact: str = ""  # an email address or an https:// page where corrections go when there is no repository
    directory_list_limit: int = 1000  # above this, /directory/ links to browse pages instead of listing all

    @property
    def path_prefix(self) -> str:
        """Return the URL path the site lives under, without a trailing slash ('' at the root)."""
        path = urlsplit(self.base_url).path if self.is_absolute else self.base_url
        return prefix_of(path)

    @property
    def is_absolute(self) -> bool:
        return self.base_url.startswith(("http://", "https://"))

    @property
    def contact_is_email(self) -> bool:
        """Return True if `contact` is an email address (else it is an https:// page, or not set)."""
        return bool(self.contact) and not self.contact.startswith("https://")

    def absolute_url(self, path: str) -> str:
        """Return the full URL of a site path (root-relative when no absolute base URL is set)."""
        base = self.base_url.rstrip("/") if self.is_absolute else self.path_prefix
        return url(base, path)


@dataclass
class Site:
    """Everything a build needs, gathered and validated once; rendering reads only this."""

    config: SiteConfig
    taxonomy: Taxonomy
    listings: list[Listing]
    articles: list[Article]
    today: datetime.date = field(default_factory=build_date)

    @cached_property
    def stale_before(self) -> datetime.date:
        """Return the date before which a listing counts as not recently verified."""
        return months_before(self.today)

    def is_stale(self, listing: Listing) -> bool:
        """Return True if the listing is due for re-verification by hand.

        An imported listing is kept current by re-importing its source, so it is never due while the source
        still has it; once an import marks it removed, it is due like any other.
        """
        if listing.imported and not listing.imported.get("removed"):
            return False
        return listing.last_verified < self.stale_before

    @cached_property
    def by_slug(self) -> dict[str, Listing]:
        return {listing.slug: listing for listing in self.listings}

    @cached_property
    def index(self) -> dict[str, dict[str, list[Listing]]]:
        """Return listings grouped by taxonomy section and term slug, each group sorted by name."""
        groups: dict[str, dict[str, list[Listing]]] = {name: defaultdict(list) for name in TAXONOMY_SECTIONS}
        regions = self.taxonomy.regions_by_code
        for listing in self.listings:
            groups["kinds"][listing.kind].append(listing)
            groups["formats"][listing.format].append(listing)
            for slug in listing.support_types:
                groups["support_types"][slug].append(listing)
            for slug in listing.audience:
                groups["audiences"][slug].append(listing)
            for slug in listing.languages:
                groups["languages"][slug].append(listing)
            if listing.cost:
                groups["costs"][listing.cost].append(listing)
            for slug in dict.fromkeys(slug for meeting in listing.schedule for slug in meeting.types):
                groups["meeting_types"][slug].append(listing)
            if listing.region in regions:
                groups["regions"][regions[listing.region].slug].append(listing)
        return {name: dict(terms) for name, terms in groups.items()}

    @cached_property
    def has_schedules(self) -> bool:
        """Return True if any listing has weekly meetings (day filters and "next meeting" need some)."""
        return any(listing.schedule for listing in self.listings)

    @cached_property
    def online_listings(self) -> list[Listing]:
        return [listing for listing in self.listings if listing.is_online]

    def online_by_support_type(self) -> list[tuple[Term, list[Listing]]]:
        """Return (support type, online listings of that type) for every type that has any."""
        groups = [(t, [l for l in self.online_listings if t.slug in l.support_types])
                  for t in self.taxonomy.support_types.values()]
        return [(t, listings) for t, listings in groups if listings]

    def count(self, section: str, slug: str) -> int:
        return len(self.index[section].get(slug, ()))

    def related_listings(self, article: Article, limit: int = 6) -> list[Listing]:
        """Return listings sharing a support type with the article: most shared types first, then by name.

        The per-type lists are in name order, so merging them visits listings in name order, and the
        walk can stop once `limit` listings share every one of the article's types.
        """
        lists = [self.index["support_types"].get(slug, []) for slug in dict.fromkeys(article.support_types)]
        best = len([l for l in lists if l])
        by_score: dict[int, list[Listing]] = defaultdict(list)
        merged = heapq.merge(*lists, key=lambda l: (l.name.casefold(), l.slug))
        for _, group in itertools.groupby(merged, key=lambda l: l.slug):
            items = list(group)
            bucket = by_score[len(items)]
            if len(bucket) < limit:
                bucket.append(items[0])
            if len(by_score[best]) >= limit:
                break
        ranked = [l for score in sorted(by_score, reverse=True) for l in by_score[score]]
        return ranked[:limit]

    def related_articles(self, support_types: tuple[str, ...], limit: int = 3) -> list[Article]:
        wanted = set(support_types)
        return [a for a in self.articles if wanted & set(a.support_types)][:limit]
