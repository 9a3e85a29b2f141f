"""Turn a source's Records into the project's own listings: one listing per group at a place.

A group's meetings at one place become one listing's weekly schedule; an online-only group is an online
listing with its join address. Type codes map to taxonomy terms through their `meeting_guide` codes; a code
with no term is counted and reported, never dropped silently.
"""
from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..digest import DEFAULT_TEMPLATES
from ..i18n import SOURCE, CatalogProblem, translations_for
from ..model import Taxonomy
from ..phone import parse_phone
from ..schema_check import load_schema
from ..vocabulary import BY_NAME, TOP_LEVEL, N_
from .records import DAY_NAMES, Read, Record, Refusal

# Sections whose terms apply to a whole listing, and the listing field that holds them.
LISTING_SECTIONS = (("support_types", "support_types"), ("languages", "languages"), ("audiences", "audience"))
ATTENDANCE_CODES = ("ONL", "TC", "HY")
_FIELDS = load_schema("listing.schema.json")["properties"]


def _pattern(*where: str) -> re.Pattern:
    """Return the listing schema's own pattern for a field, so a value kept here is one `check` accepts."""
    node = _FIELDS[where[0]]
    for name in where[1:]:
        node = node["properties"][name]
    return re.compile(node["pattern"])


_URL = _pattern("contact", "website")
_EMAIL = _pattern("contact", "email")
_PHONE = _pattern("contact", "phone")
_DIAL = _pattern("online", "phone")
_ZIP = _pattern("location", "postal_code")
PLATFORMS = (("zoom.us", "Zoom"), ("zoom.com", "Zoom"), ("meet.google.com", "Google Meet"),
             ("teams.microsoft.com", "Microsoft Teams"), ("teams.live.com", "Microsoft Teams"),
             ("webex.com", "Webex"), ("gotomeeting.com", "GoTo Meeting"), ("meet.jit.si", "Jitsi Meet"),
             ("discord.gg", "Discord"), ("discord.com", "Discord"), ("skype.com", "Skype"))


@dataclass
class Settings:
    """What the person importing says about the source, which the source itself may not."""

    name: str  # the source's short name: the `imported.from` of its listings
    feed: str  # its address or file name
    organization: str = ""
    support_types: tuple[str, ...] = ("12-step",)
    source_url: str = ""  # a page where the facts can be checked, for records with no page of their own
    region: str = ""  # the state to assume when records give none
    timezone: str = ""  # the time zone to assume when records give none
    languages: tuple[str, ...] = ()  # the site's languages: the summary is written in each (translations:)


@dataclass
class Planned:
    """One listing built from a source: its group key, its fields and the records it came from."""

    key: str
    name: str
    data: dict
    records: list[Record]


@dataclass
class Built:
    listings: list[Planned] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    unmapped: Counter = field(default_factory=Counter)  # "CODE" or "CODE (label)" → number of meetings
    left_out: list[Refusal] = field(default_factory=list)  # a value of a record that a listing cannot hold


def build_listings(read: Read, settings: Settings, taxonomy: Taxonomy) -> Built:
    """Group the records into listings in the project's schema (not yet checked against it)."""
    built = Built(refusals=list(read.refusals))
    codes = _code_terms(taxonomy)
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in read.records:
        reason = _place_problem(record, settings, taxonomy)
        if reason:
            built.refusals.append(Refusal(record.index, record.id, record.name, reason))
            continue
        groups[group_key(record)].append(record)
    organization = settings.organization or read.organization
    for key in sorted(groups):
        records = sorted(groups[key], key=lambda r: (r.days, r.start, r.index))
        data = _listing(records, settings, organization, codes, taxonomy, built)
        built.listings.append(Planned(key, data["name"], data, records))
    return built


def _place_problem(record: Record, settings: Settings, taxonomy: Taxonomy) -> str:
    """Return why a record meeting in person cannot be placed in one of the taxonomy's regions ('' if it can)."""
    if record.attendance == "online" or record.listing.get("serves") == "nationwide":
        return ""  # a nationwide listing is under no one state
    region = record.region or settings.region
    if not region:
        return ("gives no state — for a source whose meetings are all in one state, add --region ST "
                "(region: in content/imports.yaml)")
    if region not in taxonomy.regions_by_code:
        return (f"is in '{region}', which is not a region of taxonomy.yaml — add it to the regions there to "
                "list meetings in it")
    return ""


# Listing fields whose values are slugs of a taxonomy section: (field, section, a list of them?).
VOCABULARY = tuple((section.field, section.name, _FIELDS[section.field]["type"] == "array") for section in TOP_LEVEL)


def _known_terms(fields: dict, taxonomy: Taxonomy, unmapped: Counter) -> dict:
    """Return a reader's listing fields with vocabulary the taxonomy lacks left out and counted (as codes are)."""
    kept = dict(fields)
    for name, section, many in VOCABULARY:
        if name not in kept:
            continue
        terms = taxonomy.sections.get(section, {})
        values = kept[name] if many else [kept[name]]
        unknown = [value for value in values if value not in terms]
        for value in unknown:
            unmapped[f"{BY_NAME[section].noun} '{value}'"] += 1
        known = [value for value in values if value in terms]
        if many and known:
            kept[name] = known
        elif not many and known:
            kept[name] = known[0]
        else:
            del kept[name]
    return kept


def group_key(record: Record) -> str:
    """Return what makes records one listing: the group (its id, else its name) and where it meets."""
    who = f"id:{record.group_id}" if record.group_id else f"name:{_fold(record.group or record.name)}"
    if record.attendance == "online":
        where = "online:" + _fold(_join_key(record.conference_url) or record.conference_phone)
    elif record.address:
        where = "at:" + _fold(f"{record.address} {record.city} {record.region}")
    elif record.lat is not None:
        where = f"near:{record.lat:.4f},{record.lng:.4f}"
    else:
        where = "in:" + _fold(f"{record.location_name} {record.city} {record.region}")
    return f"{who}|{where}"


def _fold(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def _join_key(url: str) -> str:
    """Return a join address without its query (a passcode in the query does not make another group)."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}".rstrip("/") if parts.netloc else url


def _code_terms(taxonomy: Taxonomy) -> dict[str, tuple[str, str]]:
    """Return Meeting Guide code → (section, slug) for every term that names one."""
    found = {}
    for section, terms in taxonomy.sections.items():
        for term in terms.values():
            if term.meeting_guide:
                found.setdefault(term.meeting_guide, (section, term.slug))
    return found


def _listing(records: list[Record], settings: Settings, organization: str, codes: dict, taxonomy: Taxonomy,
             built: Built) -> dict:
    unmapped = built.unmapped
    first = records[0]
    name = first.group or first.name
    fmt = _format(records)
    data: dict = {"name": name, "kind": "online-forum" if fmt == "online" else "local-group"}
    listing_terms, meeting_terms = _terms(records, codes, unmapped)
    data["support_types"] = list(dict.fromkeys([*settings.support_types, *listing_terms["support_types"]]))
    # The summary in the site's first language, and under `translations:` in each of the others whose catalog
    # has the summary's words (else that language's pages show the first one's, marked as such).
    main_language, *others = settings.languages or (SOURCE,)
    data["summary"] = (_summary(name, fmt, records, organization, _catalog(main_language), whole=True)
                       if main_language != SOURCE else "") or _summary(name, fmt, records, organization,
                                                                        _catalog(SOURCE))
    translated = {}
    for code in others:
        summary = _summary(name, fmt, records, organization, _catalog(code), whole=True)
        if summary and summary != data["summary"]:
            translated[code] = {"summary": summary}
    description = _description(records)
    if description:
        data["description"] = description
    data["format"] = fmt
    location = _location(records, settings, taxonomy)
    if fmt == "online":  # an online group's town is often a county or "Online": only its state helps a visitor
        location = {key: location[key] for key in ("region", "country")
                    if key in location and location.get("region") in taxonomy.regions_by_code}
    if location:
        data["location"] = location
    online = _online(records, built) if fmt != "in-person" else {}
    if online:
        data["online"] = online
    contact = _contact(records, built)
    if contact:
        data["contact"] = contact
    for section, field_name in LISTING_SECTIONS[1:]:
        if listing_terms[section]:
            data[field_name] = listing_terms[section]
    schedule = _schedule(records, name, fmt, meeting_terms, taxonomy, settings, set(listing_terms["audiences"]))
    if schedule:
        data["schedule"] = schedule
    for key, value in _known_terms(first.listing, taxonomy, unmapped).items():
        data[key] = value  # what a richer format (HSDS) says outright wins
    if data.get("serves") == "nationwide":
        data.pop("location", None)  # the whole country: no state, and no town to look for it near
    elif data.get("serves"):
        _served_states(data, taxonomy, unmapped)
    _open_to_anyone(data, first)
    # A summary the source wrote itself (an HSDS service's description) is not what the sentences made in the other
    # languages say ("… meets online, as listed by …"): those pages show the source's own words, marked as such.
    if translated and not first.listing.get("summary"):
        data["translations"] = translated
    data["source"] = _source(records, settings)
    data["imported"] = _provenance(records, settings, organization)
    return data


@lru_cache(maxsize=None)
def _catalog(code: str) -> gettext.NullTranslations | None:
    """Return a language's interface text (the generator's templates/locales/): the text itself for the source
    language, None for a language whose catalog cannot be read (`check` says why)."""
    try:
        return translations_for(code, DEFAULT_TEMPLATES)
    except CatalogProblem:
        return None


def _served_states(data: dict, taxonomy: Taxonomy, unmapped: Counter) -> None:
    """Keep what a listing serves to the taxonomy's regions: the other states it also serves that are none of
    them are left out and counted; with no state of its own among them it serves no state here (a Canadian
    province's body online stays an online listing)."""
    also = data.pop("also_serves", [])
    for code in also:
        if code not in taxonomy.regions_by_code:
            unmapped[f"served region '{code}'"] += 1
    if (data.get("location") or {}).get("region") not in taxonomy.regions_by_code:
        data.pop("serves")
        return
    known = [code for code in also if code in taxonomy.regions_by_code]
    if known:
        data["also_serves"] = known


def _open_to_anyone(data: dict, first: Record) -> None:
    """Say that anyone can join an online listing that keeps its group's state (open_to: anyone): the state is
    where the group is based, so that its state's pages and a directory of that state list it, not whose people
    alone may join, as for a state's coaching line (which a source must say outright: HSDS's "For people in")."""
    online, region = data.get("online"), (data.get("location") or {}).get("region")
    if data["format"] == "online" and online and region and not data.get("serves") and not first.for_its_state_only:
        online = {**online, "open_to": "anyone"}
        data["online"] = {key: online[key] for key in _FIELDS["online"]["properties"] if key in online}


def _format(records: list[Record]) -> str:
    kinds = {record.attendance for record in records}
    if kinds == {"online"}:
        return "online"
    if kinds == {"in_person"}:
        return "in-person"
    return "hybrid"


def _terms(records: list[Record], codes: dict, unmapped: Counter) -> tuple[dict, list[dict]]:
    """Return the listing's terms by section, and each record's own terms by section.

    Languages and support types offered at any meeting belong to the listing; an audience belongs to it
    only when every meeting has it (a group with one women's meeting is not a women's group): otherwise it
    stays with its meetings, in their notes.
    """
    per_record = []
    for record in records:
        found: dict[str, list[str]] = defaultdict(list)
        for code in record.codes:
            if code in ATTENDANCE_CODES:
                continue  # how people attend, which Record.attendance already says
            if code in codes:
                section, slug = codes[code]
                found[section].append(slug)
            else:
                unmapped[code] += 1
        for label in record.unmapped:
            unmapped[label] += 1
        per_record.append(found)
    listing = {"support_types": _union(f["support_types"] for f in per_record),
               "languages": _union(f["languages"] for f in per_record),
               "audiences": [slug for slug in _union(f["audiences"] for f in per_record)
                             if all(slug in f["audiences"] for f in per_record)]}
    return listing, per_record


def _union(lists) -> list[str]:
    return list(dict.fromkeys(slug for one in lists for slug in one))


def _summary(name: str, fmt: str, records: list[Record], organization: str,
             words: gettext.NullTranslations | None, whole: bool = False) -> str:
    """Return the sentence that sums an imported group up, in the language of `words` (its catalog's text):
    "Hope Group meets in Hartford on Mondays and Thursdays, as listed by Example Intergroup." With `whole`, return
    '' instead of a sentence the catalog lacks any words of (half a sentence in each language would not do) or
    one longer than a summary may be; '' with no catalog."""
    if words is None:
        return ""
    untranslated = []

    def _(text: str) -> str:
        said = words.gettext(text)
        if said == text and words.__class__ is not gettext.NullTranslations:  # (the source language's is)
            untranslated.append(text)
        return said
    city = records[0].city
    if fmt == "online":
        where = _("online")
    elif fmt == "in-person":
        where = _("in %(city)s") % {"city": city} if city else _("in person")
    else:
        where = _("in %(city)s and online") % {"city": city} if city else _("in person and online")
    days = sorted({day for record in records for day in record.days})
    listed = _days_text(days, _)
    when = "" if not days else f" {listed}" if len(days) == 7 else " " + _("on %(days)s") % {"days": listed}
    text = _("%(name)s meets %(where)s") % {"name": name, "where": where} + when
    if organization:
        text += _(", as listed by %(organization)s") % {"organization": organization}
    text += "."
    if len(text) > 200:
        text = _("A group that meets %(where)s") % {"where": where} + when + "."
    text = text if len(text) >= 10 else text + " " + _("Meeting.")
    return "" if whole and (untranslated or len(text) > 200) else text


# A group meets "on Mondays": the days as a summary names them, Sunday first.
DAY_NAMES_PLURAL = (N_("Sundays"), N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
                    N_("Saturdays"))


def _days_text(days: list[int], _=gettext.NullTranslations().gettext) -> str:
    """Return the days named in a language (`_`, its gettext; English without): "Mondays and Thursdays",
    "every day"; '' for none."""
    if not days:
        return ""
    if len(days) == 7:
        return _("every day")
    names = [_(DAY_NAMES_PLURAL[day]) for day in days]
    return names[0] if len(names) == 1 else _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]),
                                                                          "last": names[-1]}


def _description(records: list[Record]) -> str:
    """Return the group's and the place's notes, once each, and what by-appointment records say."""
    parts = []
    for record in records:
        for note in (record.group_notes, record.location_notes):
            if note and note not in parts:
                parts.append(note)
    for record in records:
        if record.days and len(record.notes) > 250 and not any(record.notes in part for part in parts):
            parts.append(f"{record.name}, {_days_text(list(record.days))} at {record.start}: {record.notes}")
    if any(not record.days for record in records) and not records[0].listing.get("serves"):
        # (a body that serves a state or the country is not a group that meets: it has no times to ask for)
        parts.append("Meets by appointment: contact the group for times.")
        for record in records:
            if not record.days and record.notes and record.notes not in parts:
                parts.append(record.notes)
    text = "\n\n".join(parts)
    return text[:4990].rstrip() + "…" if len(text) > 5000 else text


def _location(records: list[Record], settings: Settings, taxonomy: Taxonomy) -> dict:
    first = next((r for r in records if r.attendance != "online"), records[0])
    region = first.region or settings.region
    location: dict = {}
    if first.location_name and first.attendance != "online":
        location["name"] = first.location_name[:150]
    if first.address and first.attendance != "online":
        location["address"] = first.address[:200]
    if first.city:
        location["city"] = first.city[:100]
    if region:
        location["region"] = region
    if _ZIP.match(first.postal_code):
        location["postal_code"] = first.postal_code
    location["country"] = first.country or "US"
    if first.lat is not None and first.attendance != "online":
        location["lat"], location["lng"] = round(first.lat, 6), round(first.lng, 6)
    return location


def _left_out(built: Built, record: Record, what: str, value: str, why: str) -> None:
    built.left_out.append(Refusal(record.index, record.id, record.name, f"{what} '{value}' {why}: left out"))


def _online(records: list[Record], built: Built) -> dict:
    first = next((r for r in records if r.conference_url or r.conference_phone), records[0])
    online: dict = {}
    url = first.conference_url if _URL.match(first.conference_url) else ""
    if first.conference_url and not url:
        _left_out(built, first, "conference_url", first.conference_url, "is not a web address")
    url = url or next((r.url for r in records if _URL.match(r.url)), "")
    if url:
        online["url"] = url
        platform = next((label for host, label in PLATFORMS if host in urlsplit(first.conference_url).netloc.lower()), "")
        if platform:
            online["platform"] = platform
    phone_notes = first.conference_phone_notes
    if first.conference_phone and phone_notes.startswith(first.conference_phone) and _DIAL.match(phone_notes):
        online["phone"], phone_notes = phone_notes, ""  # a one-tap string in the notes, its number alone in the field
    elif _DIAL.match(first.conference_phone):
        online["phone"] = first.conference_phone
    elif _DIAL.match(phone_notes):  # a dial string the feed's pattern refused, kept whole in the notes
        online["phone"], phone_notes = phone_notes, ""
    elif first.conference_phone:
        phone_notes = "\n".join(part for part in (f"Dial-in: {first.conference_phone}", phone_notes) if part)
    platform = online.get("platform", "")
    notes = "\n".join(note for note in (first.conference_url_notes, phone_notes)
                      if note and note != platform)  # a feed's notes that only name the platform say nothing more
    if notes:
        online["notes"] = notes[:500]
    return online


def _contact(records: list[Record], built: Built) -> dict:
    """Return the group's public phone, email and website: the first of each that a listing can hold."""
    contact = {}
    for record in records:
        if record.phone and "phone" not in contact:
            if parse_phone(record.phone, record.country or "US") and _PHONE.match(record.phone):
                contact["phone"] = record.phone
            else:
                _left_out(built, record, "phone", record.phone, "is not a phone number with its area code")
        if record.email and "email" not in contact:
            if _EMAIL.match(record.email):
                contact["email"] = record.email
            else:
                _left_out(built, record, "email", record.email, "is not an email address")
        if record.website and "website" not in contact:
            if _URL.match(record.website):
                contact["website"] = record.website
            else:
                _left_out(built, record, "website", record.website, "is not a web address starting with https://")
    return contact


def _schedule(records: list[Record], name: str, fmt: str, meeting_terms: list[dict], taxonomy: Taxonomy,
              settings: Settings, shared: set[str]) -> list[dict]:
    schedule = []
    audiences = taxonomy.sections.get("audiences", {})
    for record, terms in zip(records, meeting_terms):
        for day in record.days:
            meeting: dict = {"day": DAY_NAMES[day], "start": record.start}
            if record.end:
                meeting["end"] = record.end
            zone = record.timezone or settings.timezone
            if zone and zone != _region_zone(taxonomy, record.region or settings.region):
                meeting["timezone"] = zone
            if record.name != name:
                meeting["name"] = record.name[:150]
            if terms["meeting_types"]:
                order = list(taxonomy.sections.get("meeting_types", {}))
                meeting["types"] = sorted(set(terms["meeting_types"]), key=order.index)
            attendance = {"in_person": "in-person", "online": "online", "hybrid": "hybrid"}[record.attendance]
            if fmt == "hybrid" and attendance != "hybrid":
                meeting["format"] = attendance
            notes = _meeting_notes(record, [slug for slug in terms["audiences"] if slug not in shared], audiences)
            if notes:
                meeting["notes"] = notes
            schedule.append(meeting)
    return schedule


def _region_zone(taxonomy: Taxonomy, code: str) -> str:
    """Return the time zone a listing's meetings have by default: its region's (as the build assumes)."""
    region = taxonomy.regions_by_code.get(code)
    return region.timezone if region and region.timezone else "America/New_York"


def _meeting_notes(record: Record, own_audiences: list[str], audiences: dict) -> str:
    """Return the meeting's notes, led by who it is for when only some of the group's meetings are.

    Notes too long for a schedule line are in the description in full (see _description).
    """
    labels = [audiences[slug].label for slug in dict.fromkeys(own_audiences) if slug in audiences]
    own = " ".join(record.notes.split())  # a schedule line is one line; the feed's line breaks become spaces
    notes = " ".join(part for part in (f"For {', '.join(labels).lower()}." if labels else "", own) if part)
    return notes if len(notes) <= 300 else notes[:260].rsplit(" ", 1)[0] + "… (in full in the description)"


def _source(records: list[Record], settings: Settings) -> str:
    for record in records:
        if _URL.match(record.url):
            return record.url
    if _URL.match(settings.source_url):
        return settings.source_url
    if _URL.match(settings.feed):
        return settings.feed
    return next((r.organization_url for r in records if _URL.match(r.organization_url)), "")


def public_feed(feed: str) -> str:
    """Return the feed as listings and the open data name it: its address, or a file's name alone. A file's path
    would publish where it lay on the importer's computer ('/home/<name>/Downloads/…'), and mark every listing
    changed when the same file is imported from another folder."""
    return feed if _URL.match(feed) else Path(feed).name


def _provenance(records: list[Record], settings: Settings, organization: str) -> dict:
    provenance: dict = {"from": settings.name}
    if organization:
        provenance["organization"] = organization
    provenance["feed"] = public_feed(settings.feed)
    provenance["ids"] = [record.id or f"#{record.index + 1}" for record in records]
    dates = [record.updated for record in records if record.updated]
    if dates:
        provenance["updated"] = max(dates).isoformat()
    return provenance
