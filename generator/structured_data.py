"""schema.org data (JSON-LD) for search engines: the site, each listing, each article.

A listing is an Organization; one with a street or city also has a Place, and one with a weekly
schedule has an Event per meeting with a weekly Schedule. Only facts the listing states are used:
a position is given only when the listing gave it (a ZIP centroid is not where a group meets).
"""
from __future__ import annotations

import json
from collections.abc import Callable

from markupsafe import Markup

from .addresses import Addresses
from .model import Article, Listing, Meeting, SiteConfig

SCHEMA = "https://schema.org"
ATTENDANCE = {"in-person": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
              "hybrid": "MixedEventAttendanceMode"}
Absolute = Callable[[str], str]


def json_ld(data: dict) -> Markup:
    """Return JSON for a <script type="application/ld+json"> block, safe inside HTML.

    '<', '>' and '&' become \\u escapes, so no text in the data can close the script element.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def website_data(config: SiteConfig, here: Addresses, code: str, absolute: Absolute) -> dict:
    """Return the WebSite in a language (`config` and `here`, the addresses of its pages), with the directory's
    search as its SearchAction."""
    search = absolute(here.page("directory")) + "?q={search_term_string}"
    return {"@context": SCHEMA, "@type": "WebSite", "name": config.title, "url": absolute(here.page("home")),
            "description": config.description, "inLanguage": code,
            "potentialAction": {"@type": "SearchAction", "target": search,
                                "query-input": "required name=search_term_string"}}


def listing_data(listing: Listing, absolute: Absolute, here: Addresses, code: str) -> dict:
    """Return a listing as an Organization, with its Place and its weekly meetings as Events, for its page in
    language `code` (its pages at `here`). The organization is one in every language: its @id is its first language's page."""
    org = {"@context": SCHEMA, "@type": "Organization", "@id": absolute(listing.url) + "#organization",
           "name": listing.name, "description": listing.summary_in(code), "url": listing.website,
           "mainEntityOfPage": absolute(here.listing(listing.slug))}
    org.update(_contact(listing))
    place = _place(listing)
    if place:
        org["location"] = place
    if listing.serves == "nationwide":
        org["areaServed"] = {"@type": "Country", "name": "US"}
    elif listing.serves:
        states = [{"@type": "State", "name": code} for code in listing.regions]
        org["areaServed"] = states[0] if len(states) == 1 else states
    if listing.schedule:
        org["event"] = [_event(listing, m, place, org["@id"]) for m in listing.schedule]
    return org


def _contact(listing: Listing) -> dict:
    contact = {"telephone": listing.phone.display if listing.phone else None, "email": listing.contact.get("email")}
    return {key: value for key, value in contact.items() if value}


def _place(listing: Listing) -> dict | None:
    if listing.format == "online" or not listing.city:
        return None
    loc = listing.location
    address = {"@type": "PostalAddress", "streetAddress": loc.get("address"), "addressLocality": listing.city,
               "addressRegion": listing.region, "postalCode": loc.get("postal_code"),
               "addressCountry": loc.get("country") or "US"}
    place = {"@type": "Place", "address": {k: v for k, v in address.items() if v}}
    if listing.point is not None and listing.point.how == "given":
        place["geo"] = {"@type": "GeoCoordinates", "latitude": listing.point.lat, "longitude": listing.point.lng}
    return place


def _event(listing: Listing, meeting: Meeting, place: dict | None, organizer: str) -> dict:
    schedule = {"@type": "Schedule", "repeatFrequency": "P1W", "byDay": f"{SCHEMA}/{meeting.day_label}",
                "startTime": meeting.start, "scheduleTimezone": meeting.timezone}
    if meeting.end:
        schedule["endTime"] = meeting.end
    locations = ([place] if place else []) + ([{"@type": "VirtualLocation", "url": listing.online["url"]}]
                                              if listing.online.get("url") else [])
    event = {"@type": "Event", "name": f"{listing.name} ({meeting.day_label})",
             "eventAttendanceMode": f"{SCHEMA}/{ATTENDANCE[listing.format]}", "eventSchedule": schedule,
             "organizer": {"@id": organizer}}
    if listing.cost:
        event["isAccessibleForFree"] = listing.cost == "free"
    if locations:
        event["location"] = locations[0] if len(locations) == 1 else locations
    if meeting.notes:
        event["description"] = meeting.notes
    return event


def article_data(config: SiteConfig, article: Article, absolute: Absolute, here: Addresses) -> dict:
    """Return an article (as shown on its page in a language, whose pages are at `here`) as an Article published by the site."""
    page = absolute(here.article(article.slug))
    return {"@context": SCHEMA, "@type": "Article", "headline": article.title, "description": article.summary,
            "inLanguage": article.language or config.language, "datePublished": article.date.isoformat(),
            "url": page, "mainEntityOfPage": page,
            "publisher": {"@type": "Organization", "name": config.title, "url": absolute(here.page("home"))}}
