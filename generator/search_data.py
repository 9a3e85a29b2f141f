"""Search data for the directory's filters, split so a visitor downloads only what a query needs.

`search/index.json` names every shard. Listings are split by scope (a state's code, or `online`
for online and hybrid listings) and then by support type, so "Texas + 12-step" is one file. A
listing with several support types is in several shards; the browser removes the repeats. Shard
names carry a content hash, so a CDN may cache them for a year.
"""
from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict

from .exports.common import take
from .files import Files, compact_json
from .model import DAYS, Listing, Site

RECORD_FIELDS = ("order", "slug", "name", "city", "region", "kind", "format", "types", "audience", "languages",
                 "cost", "days", "lat", "lng", "verified", "summary", "organization", "schedule", "due")
# Records per file. A shard (scope + type) is split into name-ordered chunks so the first results
# of even the largest state + type need only one small file; the rest stream in after them.
CHUNK_SIZE = 1500
EPOCH = datetime.date(2000, 1, 1)


def hashed_name(stem: str, data: bytes) -> str:
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.json"


class RecordEncoder:
    """Turn listings into compact arrays whose vocabulary fields are indexes into index.json's lists."""

    def __init__(self, site: Site):
        tax = site.taxonomy.sections
        self.positions = {name: {slug: i for i, slug in enumerate(tax[name])} for name in tax}
        self.is_stale = site.is_stale  # due for re-verification (never, for what an import keeps current)

    def encode(self, order: int, listing: Listing) -> list:
        pos = self.positions
        point = listing.point
        days = sorted({DAYS.index(m.day) for m in listing.schedule})
        # The meeting's IANA zone: the browser works out the next meeting, in the visitor's own time, from it.
        schedule = [[DAYS.index(m.day), m.start, m.end, m.timezone] for m in listing.schedule]
        return [order, listing.slug, listing.name, listing.city, listing.region, pos["kinds"][listing.kind],
                pos["formats"][listing.format], [pos["support_types"][s] for s in listing.support_types],
                [pos["audiences"][s] for s in listing.audience], [pos["languages"][s] for s in listing.languages],
                pos["costs"].get(listing.cost, -1), days,
                round(point.lat, 3) if point else None, round(point.lng, 3) if point else None,
                (listing.last_verified - EPOCH).days, listing.summary, listing.organization, schedule,
                int(self.is_stale(listing))]


def iter_scopes(listing: Listing) -> list[str]:
    """Return the scopes a listing is found under: its state, and `online` when people can join online."""
    scopes = [listing.region] if listing.region else []
    return scopes + (["online"] if listing.is_online else [])


def render_search_data(site: Site, prefix: str, pieces=None) -> Files:
    """Return the shard files and index.json; `prefix` is the site's URL path prefix.

    Each record is encoded once as JSON without its position in name order (`pieces`, the build
    cache's `generator.exports.common.Pieces`, keeps those between builds), and the position put in front.
    """
    encoder = RecordEncoder(site)
    shards: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    boxes: dict[str, list[float]] = {}
    counts: dict[str, int] = defaultdict(int)
    encode = (lambda listing: compact_json(encoder.encode(0, listing)[1:]))
    for order, listing in enumerate(site.listings):  # listings are sorted by name: `order` is name order
        tail = take(pieces, "search", listing, encode)
        record = b"[%d,%s" % (order, tail[1:])
        for scope in iter_scopes(listing):
            counts[scope] += 1
            for slug in listing.support_types:
                shards[scope][slug].append(record)
            if listing.point and scope != "online":
                _grow(boxes, scope, listing.point.lat, listing.point.lng)
    files: Files = []
    scopes = {}
    for scope in sorted(shards):
        entry = {"count": counts[scope], "bbox": boxes.get(scope), "shards": {}}
        for slug in sorted(shards[scope], key=list(site.taxonomy.support_types).index):
            records = shards[scope][slug]
            entry["shards"][slug] = []
            for start in range(0, len(records), CHUNK_SIZE):
                data = b"[" + b",".join(records[start:start + CHUNK_SIZE]) + b"]"
                path = f"search/s/{scope.lower()}/{hashed_name(f'{slug}-{start // CHUNK_SIZE}', data)}"
                files.append((path, data))
                entry["shards"][slug].append(f"{prefix}/{path}")
        scopes[scope] = entry
    articles = compact_json([[a.slug, a.title, a.summary, list(a.tags), list(a.support_types)] for a in site.articles])
    articles_path = f"search/{hashed_name('articles', articles)}"
    files.append((articles_path, articles))
    index = {"version": 2, "fields": RECORD_FIELDS, "epoch": EPOCH.isoformat(),
             "stale_before": (site.stale_before - EPOCH).days, "total": len(site.listings), "schedules": site.has_schedules,
             "vocabulary": _vocabulary(site),
             "scopes": scopes, "articles": f"{prefix}/{articles_path}", "places": f"{prefix}/search/places/"}
    files.append(("search/index.json", compact_json(index)))
    return files


def _grow(boxes: dict[str, list[float]], scope: str, lat: float, lng: float) -> None:
    box = boxes.setdefault(scope, [lat, lng, lat, lng])
    box[0], box[1], box[2], box[3] = min(box[0], lat), min(box[1], lng), max(box[2], lat), max(box[3], lng)


def _vocabulary(site: Site) -> dict[str, list]:
    tax = site.taxonomy.sections
    vocab = {name: [[t.slug, t.label] for t in terms.values()] for name, terms in tax.items() if name != "regions"}
    vocab["regions"] = [[t.code, t.label] for t in tax["regions"].values()]
    return vocab
