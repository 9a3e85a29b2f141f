"""Turn parsed documents into validated model values, recording every problem found."""
from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
import zoneinfo
from functools import lru_cache

from .dates import build_date
from .errors import Problems, did_you_mean
from .fields import listing_fields, meeting_fields, value_of
from .i18n import known_locale
from .load import ArticleFile, SourceFile
from .markup import MarkdownRenderer
from .phone import parse_phone
from .model import DAYS, Article, Fields, Listing, Meeting, SiteConfig, Taxonomy, Term
from .schema_check import check_schema, field_name
from .values import check_values
from .vocabulary import FILTERED, MAX_FILTER_TERMS, SECTION_NAMES, TOP_LEVEL
from .yamlfile import Document

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Fields whose lines the cross-file checks point at.
LINE_FIELDS = (("name", ("name",)), ("contact.website", ("contact", "website")), ("contact.phone", ("contact", "phone")),
               ("last_verified", ("last_verified",)), ("description", ("description",)),
               ("not_duplicate_of", ("not_duplicate_of",)), ("imported.removed", ("imported", "removed")),
               ("imported.conflicts", ("imported", "conflicts")),
               ("translations", ("translations",)))
FILTERED_NAMES = frozenset(section.name for section in FILTERED)


def validate_config(doc: Document | None, base_url: str | None, repository: str | None = None) -> SiteConfig:
    """Return site settings (defaults for any not given), with a --base-url override applied."""
    data = doc.data if doc else {}
    url = base_url if base_url is not None else str(data.get("base_url", "/"))
    repository = repository or str(data.get("repository") or "")  # an empty --repository means "not given"
    return SiteConfig(title=str(data.get("title", "Peer Support Directory")), tagline=str(data.get("tagline", "")),
                      description=str(data.get("description", "")), base_url=url or "/",
                      languages=languages_of(data), repository=github_repository(repository),
                      branch=str(data.get("branch") or "main"), contact=contact_address(str(data.get("contact") or "")),
                      translations=config_translations(data.get("translations")))


TRANSLATED_SETTINGS = ("title", "tagline", "description")
# Every setting validate_config reads: check names any other key of site.yaml, as it names a stray field of a listing.
SETTINGS = ("title", "tagline", "description", "base_url", "languages", "language", "translations", "repository",
            "branch", "contact")


def config_translations(given: object) -> dict[str, dict[str, str]]:
    """Return site.yaml's `translations:` ({code: {title, tagline, description}}), leaving out what is not text."""
    if not isinstance(given, dict):
        return {}
    return {str(code): {key: str(words[key]) for key in TRANSLATED_SETTINGS if isinstance(words.get(key), str)}
            for code, words in given.items() if isinstance(words, dict)}


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")


def languages_of(data: dict) -> tuple[str, ...]:
    """Return the site's language codes, the first one first: `languages:` (a list), else `language:`, else English;
    codes that cannot be one are left out (check_config reports them)."""
    given = data.get("languages", data.get("language", "en"))
    codes = [str(code) for code in (given if isinstance(given, list) else [given])]
    usable = tuple(dict.fromkeys(code for code in codes if LANGUAGE_CODE.match(code) and known_locale(code)))
    return usable or ("en",)


EMAIL = re.compile(r"^[^@\s<>\"'?&/:]+@[^@\s<>\"'?&/:]+\.[^@\s<>\"'?&/:.]+$")


def contact_address(value: str) -> str:
    """Return the `contact:` setting when it is an email address or an https:// address, else ''."""
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    if EMAIL.match(value):
        return value
    return value if re.match(r"^https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", value) else ""


def github_repository(url: str) -> str:
    """Return https://github.com/owner/name for a GitHub remote in any spelling, else ''.

    Netlify's REPOSITORY_URL may carry an access token or be an SSH address; neither may reach a page.
    """
    match = re.match(r"^(?:https?://(?:[^@/]+@)?|git@|ssh://git@)github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$",
                     url.strip())
    return f"https://github.com/{match[1]}/{match[2]}" if match else ""


def validate_taxonomy(doc: Document, path: str, problems: Problems) -> Taxonomy:
    """Return the taxonomy; terms with problems are reported and left out."""
    check_values(doc, path, problems, "taxonomy.schema.json")
    check_schema(doc, "taxonomy.schema.json", path, problems)
    sections: dict[str, dict[str, Term]] = {}
    for section in SECTION_NAMES:
        terms: dict[str, Term] = {}
        items = doc.data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
                continue
            slug = item["slug"]
            if slug in terms:
                problems.add(path, doc.line_of((section, i, "slug")), f"{section}[{i}].slug",
                             f"'{slug}' is defined twice in {section} — remove or rename one")
                continue
            terms[slug] = Term(section, slug, str(item.get("label", slug)), str(item.get("description", "")),
                               str(item.get("code", "")), str(item.get("timezone", "")),
                               str(item.get("meeting_guide", "")), _term_translations(item.get("translations")))
        if section in FILTERED_NAMES and len(terms) > MAX_FILTER_TERMS:
            problems.add(path, doc.line_of((section,)), section,
                         f"has {len(terms)} terms; the directory's filters handle at most {MAX_FILTER_TERMS} per "
                         "section — merge or remove some terms")
        sections[section] = terms
    return Taxonomy(sections)


def _term_translations(given: object) -> tuple[tuple[str, str, str], ...]:
    """Return a term's (language code, label, description) in other languages (the schema checks their shape)."""
    if not isinstance(given, dict):
        return ()
    return tuple((str(code), str(words.get("label", "")), str(words.get("description", "")))
                 for code, words in given.items() if isinstance(words, dict) and words.get("label"))


def validate_listing(source: SourceFile, taxonomy: Taxonomy, markdown: MarkdownRenderer,
                     problems: Problems) -> Listing | None:
    """Return a Listing, or None when the file has errors (which are recorded)."""
    doc, path = source.doc, source.path
    before = len(problems.items)
    if not SLUG.match(source.slug):
        problems.add(path, 1, "(file name)", f"'{source.slug}' cannot be a web address — rename the file to "
                                             f"'{suggest_slug(source.slug)}.yaml' (lowercase letters, digits, hyphens)")
    check_values(doc, path, problems, "listing.schema.json")
    check_schema(doc, "listing.schema.json", path, problems)
    _check_vocabulary(doc, path, taxonomy, problems)
    _check_cross_fields(doc, path, taxonomy, problems)
    if _errors_since(problems, before):
        return None
    return _make_listing(source, taxonomy, markdown)


def _errors_since(problems: Problems, start: int) -> bool:
    """Return True if an error was recorded after the first `start` problems (counting them all each time
    made checking a site with many errors take quadratic time)."""
    return any(problem.is_error for problem in problems.items[start:])


LIST_FIELDS = frozenset(field.name for field in listing_fields() if field.shape == "list")


def _check_vocabulary(doc: Document, path: str, taxonomy: Taxonomy, problems: Problems) -> None:
    """Record every value that is not a term of its taxonomy section, with a did-you-mean."""
    for section in TOP_LEVEL:
        field = section.field
        value = doc.data.get(field)
        # A list written without its brackets ("12-step, family-support", which the schema check names) is read as
        # its values: one of them misspelled is named, and 'family-support' is not offered for the whole.
        many = section.field in LIST_FIELDS
        values = (value if isinstance(value, list) else [part.strip() for part in value.split(",") if part.strip()]
                  if isinstance(value, str) and many else [value] if isinstance(value, str) else [])
        known = list(taxonomy.sections[section.name])
        for i, item in enumerate(values):
            if isinstance(item, str) and item not in known:
                where = (field, i) if isinstance(value, list) else (field,)
                problems.add(path, doc.line_of(where), field_name(where),
                             f"unknown {section.noun} '{item}'{did_you_mean(item, known)}")
    location = doc.data.get("location")
    region = location.get("region") if isinstance(location, dict) else None
    if isinstance(region, str) and region not in taxonomy.regions_by_code:
        problems.add(path, doc.line_of(("location", "region")), "location.region",
                     f"unknown region '{region}'{_region_hint(region, taxonomy)}")
    also = doc.data.get("also_serves")
    for i, code in enumerate(also if isinstance(also, list) else ()):
        if isinstance(code, str) and code not in taxonomy.regions_by_code:
            problems.add(path, doc.line_of(("also_serves", i)), f"also_serves[{i}]",
                         f"unknown region '{code}'{_region_hint(code, taxonomy)}")


def _region_hint(region: str, taxonomy: Taxonomy) -> str:
    """Return how an unknown state code may be meant: the code in capitals, a state's name, a near code."""
    names = {term.label.lower(): code for code, term in taxonomy.regions_by_code.items()}
    if region.upper() in taxonomy.regions_by_code:
        return f" — did you mean '{region.upper()}'? (state codes are uppercase)"
    if region.lower() in names:
        return f" — did you mean '{names[region.lower()]}'?"
    return did_you_mean(region.upper(), list(taxonomy.regions_by_code))


def _check_cross_fields(doc: Document, path: str, taxonomy: Taxonomy, problems: Problems) -> None:
    """Record problems that involve more than one field, or that a schema cannot express."""
    data = doc.data
    location = data.get("location") if isinstance(data.get("location"), dict) else {}
    online = data.get("online") if isinstance(data.get("online"), dict) else {}
    fmt = data.get("format")
    serves = data.get("serves")
    if serves == "nationwide":
        for name in ("city", "region"):
            if name in location:
                problems.add(path, doc.line_of(("location", name)), f"location.{name}",
                             "a listing that serves the whole country is not listed under one state — leave out "
                             "location (say where its office is in the description), or use serves: statewide")
    elif serves in ("statewide", "part-of-state") and "region" not in location:
        what = "a whole state" if serves == "statewide" else "part of a state"
        problems.add(path, doc.line_of(("location",) if location else ("serves",)), "location.region",
                     f"is required for a listing that serves {what} — add 'region:' under location with its "
                     "two-letter code, e.g. region: CT")
    elif fmt in ("in-person", "hybrid") and not serves:
        for name in ("city", "region"):
            if name not in location:
                problems.add(path, doc.line_of(("location",) if location else ("format",)), f"location.{name}",
                             f"is required for {fmt} listings — add '{name}:' under location, "
                             "or set format: online if it only meets online"
                             + (", or serves: statewide if it serves a whole state" if name == "city" else ""))
    also = data.get("also_serves")
    if also is not None and serves not in ("statewide", "part-of-state"):
        problems.add(path, doc.line_of(("also_serves",)), "also_serves",
                     "is only for a listing that serves a whole state or part of one — add serves: part-of-state "
                     "(or statewide), or leave the line out")
    elif isinstance(also, list) and location.get("region") in also:
        problems.add(path, doc.line_of(("also_serves", also.index(location.get("region")))), "also_serves",
                     f"names {location.get('region')}, the listing's own state (location.region) — list only the "
                     "other states it also serves")
    if "open_to" in online and (fmt != "online" or serves or "region" not in location):
        problems.add(path, doc.line_of(("online", "open_to")), "online.open_to",
                     "is only for a listing that meets online only and names its home state (location.region) "
                     "without serving it (serves) — leave the line out: "
                     + ("a listing that also meets in person is open to anyone online already" if fmt != "online"
                        else "a listing that serves a state is for its people" if serves
                        else "an online listing that names no state is open to anyone already"))
    if fmt in ("online", "hybrid") and "url" not in online and "online" not in data:
        problems.add(path, doc.line_of(("format",)), "online.url",
                     f"is required for {fmt} listings — add an 'online:' section with 'url: https://…' "
                     "where people join")
    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    phone = contact.get("phone")
    if isinstance(phone, str) and parse_phone(phone, _country(location)) is None:
        problems.add(path, doc.line_of(("contact", "phone")), "contact.phone",
                     f"'{phone}' is not a valid phone number — check the digits and include the area code, "
                     'e.g. phone: "+1-860-244-3343"')
    if ("lat" in location) != ("lng" in location):
        problems.add(path, doc.line_of(("location",)), "location",
                     "give both lat and lng, or neither — the build places listings without them by postal code")
    _check_date(doc, path, problems)
    schedule = data.get("schedule")
    for i, meeting in enumerate(schedule if isinstance(schedule, list) else []):
        if isinstance(meeting, dict):
            _check_meeting(doc, path, i, meeting, taxonomy, problems)


def _country(location: dict) -> str:
    country = location.get("country")
    return country if isinstance(country, str) and len(country) == 2 else "US"


def _check_date(doc: Document, path: str, problems: Problems) -> None:
    value = doc.data.get("last_verified")
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return  # the schema has already said what is wrong
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        problems.add(path, doc.line_of(("last_verified",)), "last_verified",
                     f"'{value}' is not a real date — write it as YYYY-MM-DD, e.g. 2026-11-21")
        return
    if day > build_date():
        problems.add(path, doc.line_of(("last_verified",)), "last_verified",
                     f"{value} is in the future — use the date you checked the facts")


def _check_meeting(doc: Document, path: str, i: int, meeting: dict, taxonomy: Taxonomy, problems: Problems) -> None:
    day = meeting.get("day")
    types = meeting.get("types")
    known = list(taxonomy.meeting_types)
    for j, slug in enumerate(types if isinstance(types, list) else []):
        if isinstance(slug, str) and slug not in known:
            problems.add(path, doc.line_of(("schedule", i, "types", j)), f"schedule[{i}].types[{j}]",
                         f"unknown meeting type '{slug}'{did_you_mean(slug, known) if known else ''}"
                         + ("" if known else " — content/taxonomy.yaml has no meeting_types section"))
    fmt = meeting.get("format")
    if isinstance(fmt, str) and fmt not in taxonomy.formats:
        problems.add(path, doc.line_of(("schedule", i, "format")), f"schedule[{i}].format",
                     f"unknown format '{fmt}'{did_you_mean(fmt, list(taxonomy.formats))}")
    if isinstance(day, str) and day.lower() not in DAYS:
        problems.add(path, doc.line_of(("schedule", i, "day")), f"schedule[{i}].day",
                     f"unknown day '{day}'{did_you_mean(day, list(DAYS))}")
    zone = meeting.get("timezone")
    if isinstance(zone, str) and not is_timezone(zone):
        problems.add(path, doc.line_of(("schedule", i, "timezone")), f"schedule[{i}].timezone",
                     f"unknown timezone '{zone}'{timezone_hint(zone)}")
    if meeting.get("start") and meeting.get("start") == meeting.get("end"):
        problems.add(path, doc.line_of(("schedule", i, "end")), f"schedule[{i}].end",
                     "ends when it starts — give the real end time, or leave end out")


# What people call the zones of the United States, and the IANA name of each (the old aliases, US/Eastern and the
# like, are not offered: they are kept for old systems only).
ZONE_WORDS = {"eastern": "America/New_York", "central": "America/Chicago", "mountain": "America/Denver",
              "pacific": "America/Los_Angeles", "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
              "arizona": "America/Phoenix", "atlantic": "America/Puerto_Rico"}
ZONE_ABBREVIATIONS = {"e": "eastern", "c": "central", "m": "mountain", "p": "pacific"}


@lru_cache(maxsize=256)  # compared with ~600 names; the same misspelling tends to repeat across files
def timezone_hint(zone: str) -> str:
    """Return ' — did you mean …?' (or how to write one) for a name that is not an IANA time zone."""
    word = zone.strip().lower().removesuffix(" time").removesuffix(" standard").removesuffix(" daylight")
    abbreviation = re.fullmatch(r"([ecmp])[sd]?t", word)
    word = ZONE_ABBREVIATIONS[abbreviation.group(1)] if abbreviation else word
    if word in ZONE_WORDS:
        return f" — did you mean '{ZONE_WORDS[word]}'?"
    names = sorted(name for name in _timezones() if "/" in name and not name.startswith(("US/", "Etc/", "SystemV/")))
    close = difflib.get_close_matches(zone, names, n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else " — use an IANA name such as America/New_York or America/Chicago"


def is_timezone(zone: str) -> bool:
    return zone in _timezones()


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _make_listing(source: SourceFile, taxonomy: Taxonomy, markdown: MarkdownRenderer) -> Listing:
    """Return the Listing of a valid file: each field's value as the model keeps it, and what follows from them."""
    data = source.doc.data
    values = {field.name: value_of(field, data[field.name]) for field in listing_fields() if field.name in data}
    location = values.get("location", {})
    values.update({name: Fields(values[name]) for name in GROUPS if name in values})
    values["schedule"] = _make_schedule(data.get("schedule", ()), _default_timezone(taxonomy, location))
    contact = values.get("contact", {})
    lines = {name: source.doc.line_of(where) for name, where in LINE_FIELDS if _has(data, where)}
    return Listing(slug=source.slug, path=source.path, **values,
                   description_html=markdown.render(data.get("description", "")),
                   translated_html={code: markdown.render(text["description"])
                                    for code, text in values.get("translations", {}).items() if text.get("description")},
                   location_line=source.doc.line_of(("location",)), lines=lines,
                   phone=parse_phone(contact["phone"], _country(location)) if "phone" in contact else None)


GROUPS = tuple(field.name for field in listing_fields() if field.shape == "group")


def _default_timezone(taxonomy: Taxonomy, location: dict) -> str:
    """Return the time zone of a meeting that names none: its state's (Eastern Time when unknown)."""
    region = taxonomy.regions_by_code.get(location.get("region", ""))
    return region.timezone if region and region.timezone else "America/New_York"


def _make_schedule(entries: list, timezone: str) -> tuple[Meeting, ...]:
    """Return the meetings of a schedule, in week order (Sunday first), each with its time zone."""
    meetings = []
    for entry in entries:
        values = {field.name: value_of(field, entry[field.name]) for field in meeting_fields() if field.name in entry}
        values["day"] = values["day"].lower()
        values.setdefault("timezone", timezone)
        meetings.append(Meeting(**values))
    return tuple(sorted(meetings, key=lambda m: (m.day_number, m.start)))


def _has(data: dict, where: tuple[str, ...]) -> bool:
    for key in where:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def validate_article(source: ArticleFile, taxonomy: Taxonomy, markdown: MarkdownRenderer,
                     problems: Problems) -> Article | None:
    """Return an Article, or None when its front matter has errors (which are recorded)."""
    if source.meta is None:
        return None
    before = len(problems.items)
    name, language = _article_slug(source.slug)
    if not SLUG.match(name):
        problems.add(source.path, 1, "(file name)", f"'{name}' cannot be a web address — rename the file "
                                                    f"to '{suggest_slug(name)}.md'")
    check_values(source.meta, source.path, problems, "article.schema.json")
    check_schema(source.meta, "article.schema.json", source.path, problems)
    data = source.meta.data
    types = data.get("support_types") if isinstance(data.get("support_types"), list) else []
    for i, slug in enumerate(types):
        if isinstance(slug, str) and slug not in taxonomy.support_types:
            problems.add(source.path, source.meta.line_of(("support_types", i)), f"support_types[{i}]",
                         f"unknown support type '{slug}'{did_you_mean(slug, list(taxonomy.support_types))}")
    date = data.get("date")
    try:
        day = datetime.date.fromisoformat(date) if isinstance(date, str) else None
    except ValueError:
        day = None
        problems.add(source.path, source.meta.line_of(("date",)), "date",
                     f"'{date}' is not a real date — write it as YYYY-MM-DD")
    if _errors_since(problems, before) or day is None:
        return None
    chosen = data.get("related_listings", ())
    related = tuple(dict.fromkeys((slug, source.meta.line_of(("related_listings", i))) for i, slug in enumerate(chosen)))
    return Article(slug=name, path=source.path, title=data["title"].strip(), summary=data["summary"].strip(),
                   date=day, body_html=markdown.render(source.body), tags=tuple(data.get("tags", ())),
                   support_types=tuple(types), language=language, related=related)


def _article_slug(stem: str) -> tuple[str, str]:
    """Return (slug, language code) of an article's file name: 'first-meeting.es' is the Spanish of 'first-meeting'."""
    slug, dot, code = stem.rpartition(".")
    return (slug, code) if dot and LANGUAGE_CODE.match(code) else (stem, "")


def is_language_code(code: object) -> bool:
    """Return True if `code` is a language code Babel knows ('es', 'pt-BR')."""
    return isinstance(code, str) and _known_language_code(code)


@lru_cache(maxsize=None)  # asked for each translation of each listing
def _known_language_code(code: str) -> bool:
    return bool(LANGUAGE_CODE.match(code)) and known_locale(code)


def attach_translations(articles: list[Article], languages: tuple[str, ...],
                        problems: Problems) -> tuple[list[Article], list[Article]]:
    """Return the articles as written, each holding its translations (<slug>.<code>.md), and the translations
    into a language the site does not have (not used: crosscheck counts them in one line); record a translation
    into the site's own language or into no language, or of no article."""
    originals = {a.slug: a for a in articles if not a.language}
    unused = []
    for article in articles:
        if not article.language:
            continue
        if article.language not in languages and is_language_code(article.language):
            unused.append(article)  # a site that left out a language it once had, or never had it
        elif article.language not in languages[1:]:
            problems.add(article.path, 1, "(file name)", f"translates the article into '{article.language}', which is "
                         f"not one of the site's other languages ({', '.join(languages[1:]) or 'none'}) — add it to "
                         "`languages:` in content/site.yaml, or rename the file")
        elif article.slug not in originals:
            problems.add(article.path, 1, "(file name)", f"translates '{article.slug}.md', which is not an article — "
                         "name it after the article it translates, as <slug>.<language>.md")
        else:
            originals[article.slug].translations[article.language] = article
    return [a for a in articles if not a.language], unused


def check_unique_slugs(items: list, kind: str, problems: Problems) -> list:
    """Return items with unique slugs; record every later file that reuses a slug."""
    seen: dict[str, str] = {}
    unique = []
    for item in items:
        if item.slug in seen:
            problems.add(item.path, 1, "(file name)", f"the {kind} slug '{item.slug}' is already used by "
                                                      f"{seen[item.slug]} — rename one of the two files")
            continue
        seen[item.slug] = item.path
        unique.append(item)
    return unique


def suggest_slug(name: str) -> str:
    """Return a web-address form of a name: 'Café Ünity #1' → 'cafe-unity-1'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-") or "listing"
