"""The values the stages pass along: taxonomy terms, listings, articles and the whole site."""
from __future__ import annotations

import datetime
import heapq
import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

from markupsafe import Markup

from .addresses import ADDRESSES, prefix_of, url
from .dates import build_date, months_before
from .fields import FileField, listing_fields, meeting_fields
from .phone import parse_dial_in
from .related import RelatedReading
from .vocabulary import SECTION_NAMES, SECTIONS, Section

if TYPE_CHECKING:
    from .geo import Point
    from .phone import DialIn, Phone

DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")

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
    translations: tuple[tuple[str, str, str], ...] = ()  # (language code, label, description) in other languages

    def in_language(self, code: str) -> Term:
        """Return the term as a page in language `code` shows it (its own words where it has none there)."""
        for language, label, description in self.translations:
            if language == code:
                return replace(self, label=label, description=description or self.description)
        return self


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
        return self.by_code("regions")

    def by_code(self, section: str) -> dict[str, Term]:
        """Return a section's terms by their code (a state's two letters)."""
        return {term.code: term for term in self.sections[section].values()}

    def in_language(self, code: str) -> Taxonomy:
        """Return the vocabulary as pages in language `code` show it: each term's label and description there."""
        return Taxonomy({section: {slug: term.in_language(code) for slug, term in terms.items()}
                         for section, terms in self.sections.items()})


_TYPES = {"text": "str", "date": "datetime.date", "value": "float | int | bool | None", "list": "tuple[str, ...]",
          "group": "Fields", "meetings": "tuple[Meeting, ...]"}


def with_file_fields(fields: Callable[[], tuple[FileField, ...]]):
    """Give a dataclass-to-be an attribute for each field of a file, after its own attributes without a default.

    The schema declares the fields (generator/fields.py); every one has a default (its empty value), as a
    file may leave it out. A group of fields is a `Fields`, so a missing one of them reads as ''.
    """
    def add(cls):
        own = cls.__dict__.get("__annotations__", {})
        first = {name: kind for name, kind in own.items() if not hasattr(cls, name)}
        declared = {}
        for file_field in fields():
            declared[file_field.name] = _TYPES[file_field.shape]
            default = field(default_factory=Fields) if file_field.shape == "group" else file_field.empty
            setattr(cls, file_field.name, default)
        cls.__annotations__ = {**first, **declared, **{n: k for n, k in own.items() if n not in first}}
        return cls
    return add

# What a name may start with that A–Z order passes over.
LEADING_MARKS = "‘’'\"“”«¿¡([{-–—*#. "


def unaccented(text: str) -> str:
    """Return text without case or accents ("Mayagüez" is "mayaguez"): how names are compared and keyed."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def a_to_z(text: str) -> str:
    """Return a name as A–Z order compares it: without accents or case, and without the punctuation it may start
    with ("‘Ohana Coach Program" among the O's, not after the Z's; "Carolina del Norte" under C)."""
    return unaccented(text).lstrip(LEADING_MARKS)


def name_order(listing: Listing) -> tuple[str, str]:
    """Return a listing's place in A–Z order (a_to_z of its name); its slug breaks ties."""
    return a_to_z(listing.name), listing.slug


@dataclass(frozen=True)
@with_file_fields(meeting_fields)
class Meeting:
    """One weekly meeting of a group: the fields of a schedule entry (day, start, end, timezone, name, ...)."""

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
@with_file_fields(listing_fields)
class Listing:
    """A validated listing, identified by its file name (slug): the fields of its file, and what the build adds.

    `description` is the Markdown source (for the open data) and `description_html` its HTML; `imported`
    says where an import took the listing from (see generator/importing).
    """

    slug: str
    path: str
    description_html: Markup = Markup("")
    translated_html: dict[str, Markup] = field(default_factory=dict)  # the description's HTML in other languages
    location_line: int = 1
    point: Point | None = None  # set when placed; None for online-only or unplaceable listings
    phone: Phone | None = None
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
    def regions(self) -> tuple[str, ...]:
        """Return the states the listing is found in: its own, then any it also serves (also_serves)."""
        own = self.location.get("region", "")
        return (own, *self.also_serves) if own else ()

    @property
    def is_online(self) -> bool:
        return self.format in ("online", "hybrid")

    @property
    def for_its_state_only(self) -> bool:
        """Return True for help given only online or by phone to one state's people (a state's coaching line or
        credential): it is found from its state, not among what anyone can join from anywhere. An online meeting
        of a group based in a state says `online.open_to: anyone` (as imported meetings do), and is not. The
        directory's script is told which by the search data (its records' `only`)."""
        return (self.format == "online" and bool(self.region) and self.serves != "nationwide"
                and self.online.get("open_to") != "anyone")

    @property
    def dial_in(self) -> DialIn | None:
        """Return the number to dial in to its online meetings, in parts (None when it gives none)."""
        phone = self.online.get("phone")
        return parse_dial_in(phone, self.location.get("country") or "US") if phone else None

    @property
    def gone_from_source(self) -> bool:
        """Return True for an imported listing its source no longer has (imported.removed): the group may have
        stopped meeting, so no next meeting is offered for it and the meeting feeds leave it out."""
        return bool(self.imported and self.imported.get("removed"))

    @property
    def place(self) -> str:
        """Return 'City, ST' (or '' for listings with no place)."""
        return ", ".join(part for part in (self.city, self.region) if part)

    @property
    def website(self) -> str:
        return self.contact.get("website") or self.online.get("url") or self.source

    def summary_in(self, code: str) -> str:
        """Return the summary in a language: its translation into it, else the summary as written."""
        return self.translations.get(code, {}).get("summary") or self.summary

    def description_in(self, code: str) -> Markup:
        return self.translated_html.get(code, self.description_html)

    def is_translated(self, code: str, name: str) -> bool:
        """Return whether the listing gives a field ('summary', 'description') in a language of its translations."""
        return bool(self.translations.get(code, {}).get(name))


def terms_reader(section: Section, codes: dict[str, Term] | None = None) -> Callable[[Listing], Iterable[str]]:
    """Return a function giving the slugs of a section's terms that a listing names in its field, each once.

    `codes` (Taxonomy.by_code) turns codes into slugs, for a section that listings name by code.
    """
    head, *rest = section.field.split(".")
    if rest and head == "schedule":  # a field of each meeting: "schedule.types"
        def read(listing):
            return dict.fromkeys(slug for meeting in listing.schedule for slug in _slugs(getattr(meeting, rest[0])))
    elif section.field == "location.region":  # its own state and those it also serves
        def read(listing):
            return listing.regions
    elif rest:  # a field of a group
        def read(listing):
            return _slugs(getattr(listing, head).get(rest[0], ""))
    else:
        def read(listing):
            return _slugs(getattr(listing, head))
    if codes is None:
        return read
    return lambda listing: [codes[code].slug for code in read(listing) if code in codes]


def _slugs(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """Return a field's slugs: its one slug (none when empty), or its list of them (the schema keeps them unique)."""
    if isinstance(value, str):
        return (value,) if value else ()
    return value


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
    language: str = ""  # a translation's language code (<slug>.es.md); '' for the article as written
    translations: dict[str, Article] = field(default_factory=dict)  # the article in other languages, by code
    related: tuple[tuple[str, int], ...] = ()  # the listings it chooses to show (related_listings), with their lines

    @property
    def url(self) -> str:
        return ADDRESSES.article(self.slug)

    def in_language(self, code: str) -> Article:
        """Return the article as written in language `code`, or as written first when it has no translation."""
        return self.translations.get(code, self)

    def is_in(self, code: str, main: str) -> bool:
        """Return True if the article is written in language `code` (an untranslated one is in `main`)."""
        return (self.language or main) == code


@dataclass
class SiteConfig:
    """Site-wide settings from content/site.yaml, with --base-url applied."""

    title: str
    tagline: str
    description: str
    base_url: str
    languages: tuple[str, ...] = ("en",)  # the first one's pages are at the root, each other's under its code
    repository: str = ""  # https://github.com/owner/name, for "Suggest an edit" and "Report a problem"
    branch: str = "main"
    contact: str = ""  # an email address or an https:// page where corrections go when there is no repository
    # Above this many listings, /directory/ links to the browse pages instead of listing every one: the list is for
    # browsers without JavaScript, but every visitor downloads it (315 cards were 26 KB gzip, a page 90,000 px tall
    # on a phone), and a state's or support type's page is where someone without the search would look.
    directory_list_limit: int = 100
    # The title, tagline and description in the site's other languages: {code: {setting: words}}.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def in_language(self, code: str) -> SiteConfig:
        """Return the settings as pages in language `code` show them (its own words where it has none there)."""
        return replace(self, **self.translations[code]) if code in self.translations else self

    @property
    def language(self) -> str:
        """Return the site's first language, the one whose pages are at its root."""
        return self.languages[0]

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
    def articles_by_slug(self) -> dict[str, Article]:
        return {article.slug: article for article in self.articles}

    def article(self, slug: str) -> Article | None:
        """Return the article of that slug, or None: a template links to a named article only when it exists (an
        adopter may delete the starter's)."""
        return self.articles_by_slug.get(slug)

    @cached_property
    def index(self) -> dict[str, dict[str, list[Listing]]]:
        """Return listings grouped by taxonomy section and term slug, each group sorted by name."""
        groups: dict[str, dict[str, list[Listing]]] = {name: defaultdict(list) for name in SECTION_NAMES}
        for section in SECTIONS:
            group = groups[section.name]
            terms = terms_reader(section, self.taxonomy.by_code(section.name) if section.by_code else None)
            for listing in self.listings:
                for slug in terms(listing):
                    group[slug].append(listing)
        return {name: dict(terms) for name, terms in groups.items()}

    @cached_property
    def has_schedules(self) -> bool:
        """Return True if any listing has weekly meetings (day filters and "next meeting" need some)."""
        return any(listing.schedule for listing in self.listings)

    @cached_property
    def online_listings(self) -> list[Listing]:
        """Return what anyone can join online: online and hybrid listings, less those for one state's people."""
        return [listing for listing in self.listings if listing.is_online and not listing.for_its_state_only]

    @cached_property
    def nationwide_listings(self) -> list[Listing]:
        """Return the bodies that meet in person across the country (groups in many states, its website says
        where): each state's page offers them after its own listings, as the directory does near a place. One that
        also meets online is among the online listings instead, as it is in the directory."""
        return [listing for listing in self.listings if listing.serves == "nationwide" and not listing.is_online]

    def online_by_support_type(self) -> list[tuple[Term, list[Listing]]]:
        """Return (support type, online listings of that type) for every type that has any."""
        groups = [(t, [l for l in self.online_listings if t.slug in l.support_types])
                  for t in self.taxonomy.support_types.values()]
        return [(t, listings) for t, listings in groups if listings]

    def count(self, section: str, slug: str) -> int:
        return len(self.index[section].get(slug, ()))

    def related_listings(self, article: Article, limit: int = 6) -> list[Listing]:
        """Return the listings the article chooses (related_listings), or else those sharing a support type with
        it: most shared types first, then by name.

        The per-type lists are in name order, so merging them visits listings in name order, and the
        walk can stop once `limit` listings share every one of the article's types.
        """
        if article.related:  # chosen in its front matter; `check` names any that is not a listing
            return [listing for slug, _ in article.related if (listing := self.by_slug.get(slug))]
        lists = [self.index["support_types"].get(slug, []) for slug in dict.fromkeys(article.support_types)]
        best = len([l for l in lists if l])
        by_score: dict[int, list[Listing]] = defaultdict(list)
        merged = heapq.merge(*lists, key=name_order)
        for _, group in itertools.groupby(merged, key=lambda l: l.slug):
            items = list(group)
            bucket = by_score[len(items)]
            if len(bucket) < limit:
                bucket.append(items[0])
            if len(by_score[best]) >= limit:
                break
        ranked = [l for score in sorted(by_score, reverse=True) for l in by_score[score]]
        return ranked[:limit]

    @cached_property
    def reading(self) -> RelatedReading:
        return RelatedReading(self.articles)

    def related_articles(self, listing: Listing, limit: int = 3) -> list[Article]:
        """Return the articles a listing's page offers as related reading, the most fitting first (see related.py)."""
        return self.reading.for_listing(listing, limit)
