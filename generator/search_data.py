"""Search data for the directory's filters, split so a visitor downloads only what a query needs.

`search/index.json` names every shard. Listings are split by scope (a state's code, or `online`
for online and hybrid listings). A large scope is split again by support type, so "Texas + 12-step"
is one file; a listing with several support types is then in several shards, and the browser removes
the repeats. Small scopes share shards of every type (`ALL_TYPES`), each listing once, so a small
site's search data is a file or a few: on a slow phone connection each file costs a round trip.
Shard names carry a content hash, so a CDN may cache them for a year.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import defaultdict
from operator import attrgetter, itemgetter

from .addresses import ADDRESSES, output_file, url
from .exports.common import take
from .fields import listing_fields
from .files import Files, compact_json
from .model import DAYS, Article, Listing, Site
from .vocabulary import FILTERED, SECTIONS

# What the browser gets of each listing, as arrays of these (index.json's "fields"): just what the results and
# filters show, as small as it can be. A key names the listing field it carries (the terms of a vocabulary
# field as their positions in index.json's lists), or is made by the RecordEncoder method of that name.
RECORD = (("order", ""), ("slug", "slug"), ("name", "name"), ("city", "location.city"),
          ("region", "location.region"), ("kind", "kind"), ("format", "format"), ("types", "support_types"),
          ("audience", "audience"), ("languages", "languages"), ("cost", "cost"), ("days", ""), ("lat", ""),
          ("lng", ""), ("verified", ""), ("summary", "summary"), ("organization", "organization"),
          ("schedule", ""), ("due", ""), ("serves", "serves"), ("also", "also_serves"), ("only", ""),
          ("gone", ""))
RECORD_FIELDS = tuple(key for key, _ in RECORD)
# The record key that carries each filter's terms; the filter form hands it to the browser (data-field).
FILTER_KEYS = {section.name: next(key for key, field in RECORD if field == section.field) for section in FILTERED}
# A record leaves out its last entries when they are empty: few listings also serve another state, are online for
# one state's people only or are gone from the list they were imported from.
OPTIONAL_AT_END = 3
# The punctuation around a word, which the browser's search also strips from what a visitor types ("(AA)," is
# "aa"); inside a word it stays ("12-step", "ic&rc", "24/7", "1,500", "u.s"), since the browser splits only at spaces.
AROUND = re.compile(r"^[\W_]+|[\W_]+$")
# Records per file. A shard (scope + type) is split into name-ordered chunks so the first results
# of even the largest state + type need only one small file; the rest stream in after them.
CHUNK_SIZE = 1500
# A scope of more listings than this is split by support type. Smaller scopes share files of up to this many listings,
# keyed ALL_TYPES in index.json whatever type is chosen: splitting them would save a visitor who chose a type a few
# kilobytes, and cost everyone else a file per scope and type, with the listings of several types in each of theirs.
SPLIT_AT = 500
ALL_TYPES = "*"
EPOCH = datetime.date(2000, 1, 1)


def hashed_name(stem: str, data: bytes) -> str:
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.json"


class RecordEncoder:
    """Turn listings into compact arrays whose vocabulary fields are indexes into index.json's lists."""

    def __init__(self, site: Site):
        tax = site.taxonomy.sections
        self.positions = {name: {slug: i for i, slug in enumerate(tax[name])} for name in tax}
        self.is_stale = site.is_stale  # due for re-verification (never, for what an import keeps current)
        self.parts = [self._part(key, field) for key, field in RECORD[1:]]  # the first is the position, given

    def encode(self, order: int, listing: Listing) -> list:
        record = [order, *(part(listing) for part in self.parts)]
        for _ in range(OPTIONAL_AT_END):
            if record[-1]:
                break
            record.pop()
        return record

    def _part(self, key: str, field: str):
        """Return the function that makes one entry of a record."""
        if not field:
            return getattr(self, key)
        group, _, name = field.rpartition(".")
        section = next((s for s in SECTIONS if s.field == field and not s.by_code), None)
        if group:
            return lambda listing: getattr(listing, group).get(name, "")
        if section is None:
            return attrgetter(field)
        positions = self.positions[section.name]
        if field in ONE_TERM_FIELDS:
            return lambda listing: positions.get(getattr(listing, field), -1)
        return lambda listing: [positions[slug] for slug in getattr(listing, field)]

    @staticmethod
    def days(listing: Listing) -> list[int]:
        return sorted({DAYS.index(m.day) for m in listing.schedule})

    @staticmethod
    def lat(listing: Listing) -> float | None:
        return round(listing.point.lat, 3) if listing.point else None

    @staticmethod
    def lng(listing: Listing) -> float | None:
        return round(listing.point.lng, 3) if listing.point else None

    @staticmethod
    def verified(listing: Listing) -> int:
        return (listing.last_verified - EPOCH).days

    @staticmethod
    def schedule(listing: Listing) -> list:
        # The meeting's IANA zone: the browser works out the next meeting, in the visitor's own time, from it.
        return [[DAYS.index(m.day), m.start, m.end, m.timezone] for m in listing.schedule]

    def due(self, listing: Listing) -> int:
        return int(self.is_stale(listing))

    @staticmethod
    def only(listing: Listing) -> int:
        """Return 1 for help online for one state's people alone (Listing.for_its_state_only), else 0."""
        return int(listing.for_its_state_only)

    @staticmethod
    def gone(listing: Listing) -> int:
        """Return 1 for a listing its import source no longer has (Listing.gone_from_source), else 0."""
        return int(listing.gone_from_source)


def translated_summaries(listing: Listing) -> dict[str, str]:
    """Return the summary's translations, by language code."""
    return {code: text["summary"] for code, text in listing.translations.items() if text.get("summary")}


def fold(text: str) -> str:
    """Return text as directory.js's fold() compares it: accents dropped, lower case, curly apostrophes straight."""
    return re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", text)).replace("‘", "'").replace("’", "'").lower()


def description_words(listing: Listing) -> str:
    """Return the words of a listing's description (in every language it gives one) that the browser needs to
    find it by them: those not already in its name, organization, town or summary, and not part of a longer one
    kept, since the search matches any part of a word ("grie" finds "grief")."""
    texts = [listing.description_html.striptags(), *(html.striptags() for html in listing.translated_html.values())]
    return new_words(texts, (listing.name, listing.organization, listing.city, listing.summary))


def article_words(article: Article, tags: tuple[str, ...]) -> str:
    """Return the words of an article's text (as shown in one language: `article` is its `in_language`) that its
    title, summary and `tags` (the article's as written, which the browser searches on every page) do not hold: the
    directory finds it by them too ("narcan" finds the overdose guide)."""
    return new_words([article.body_html.striptags()], (article.title, article.summary, *tags))


def is_word_char(char: str) -> bool:
    """Whether a character of folded text is part of a word: a letter a-z, a digit, or a letter of another script
    (anything past code 127), as directory.js's isWordCode reads it."""
    return "a" <= char <= "z" or "0" <= char <= "9" or ord(char) > 127


def starts_a_word(word: str, text: str) -> bool:
    """Whether `word` is in `text` at the start of a word (where the search finds what is typed: "grie" finds
    "grief", "anon" finds "al-anon", "son" does not find "person"), as directory.js's startsWord reads it."""
    at = text.find(word)
    while at != -1:
        if at == 0 or not is_word_char(text[at - 1]):
            return True
        at = text.find(word, at + 1)
    return False


def new_words(texts: list[str], known_texts: tuple[str, ...]) -> str:
    """Return the words of `texts`, folded, that the search would not find in `known_texts` or in a longer word kept
    (it finds what is typed at the start of a word: "grie" finds "grief"), space-separated."""
    if not any(texts):
        return ""
    known = fold(" ".join(known_texts))
    kept = ""
    words = {AROUND.sub("", word) for word in fold(" ".join(texts)).split()}
    words |= {word.replace("-", "") for word in words if "-" in word}  # "al-anon" found typed "alanon" too
    for word in sorted(words - {""}, key=lambda w: (-len(w), w)):
        if not starts_a_word(word, known) and not starts_a_word(word, kept):
            kept += f" {word}"
    return kept[1:]


# Vocabulary fields that hold one term (the others a list of them).
ONE_TERM_FIELDS = frozenset(field.name for field in listing_fields() if field.shape == "text")


def iter_scopes(listing: Listing) -> list[str]:
    """Return the scopes a listing is found under: its state and any it also serves (or `national` for
    one that serves the whole country), and `online` when people can join online."""
    scopes = ["national"] if listing.serves == "nationwide" else list(listing.regions)
    return scopes + (["online"] if listing.is_online else [])


def render_search_data(site: Site, prefix: str, pieces=None) -> Files:
    """Return the shard files and index.json; `prefix` is the site's URL path prefix.

    Beside each shard file is its listings' description words (`description_words`, in the same order, in
    `ADDRESSES.search_words`), for the browser to fetch only once a visitor types words to search for: the first results
    need none of them, and index.json does not list them. Beside it too, for each of the site's other languages that
    any listing's summary is translated into, those translations (in the same order, "" where there is none, in
    `ADDRESSES.search_summaries`): a page in that language fetches them with the shard, a page in another never does.
    index.json names those languages ("summaries").

    Each record is encoded once as JSON without its position in name order (`pieces`, the build
    cache's `generator.buildcache.Pieces`, keeps those between builds), and the position put in front.
    """
    encoder = RecordEncoder(site)
    whole: dict[str, list] = defaultdict(list)  # each scope's listings, each once, in name order
    types: list[tuple[str, ...]] = []  # each listing's support types, by its place in name order
    boxes: dict[str, list[float]] = {}
    encode = (lambda listing: compact_json(encoder.encode(0, listing)[1:]))
    in_languages: set[str] = set()  # the languages any summary is translated into
    for order, listing in enumerate(site.listings):  # listings are sorted by name: `order` is name order
        tail = take(pieces, "search", listing, encode)
        summaries = translated_summaries(listing)
        in_languages.update(summaries)
        record = (order, b"[%d,%s" % (order, tail[1:]), take(pieces, "search-words", listing, description_words),
                  summaries)
        types.append(tuple(listing.support_types))
        for scope in iter_scopes(listing):
            whole[scope].append(record)
            if listing.point and scope != "online":
                _grow(boxes, scope, listing.point.lat, listing.point.lng)
    files: Files = []
    languages = [code for code in site.config.languages[1:] if code in in_languages]
    scopes = {scope: {"count": len(whole[scope]), "bbox": boxes.get(scope), "shards": {}} for scope in sorted(whole)}
    type_order = list(site.taxonomy.support_types).index
    for scope in scopes:
        if len(whole[scope]) > SPLIT_AT:  # a shard per support type, a listing in each of its types'
            by_type: dict[str, list] = defaultdict(list)
            for record in whole[scope]:
                for slug in types[record[0]]:
                    by_type[slug].append(record)
            for slug in sorted(by_type, key=type_order):
                scopes[scope]["shards"][slug] = _write_shard(files, prefix, scope, slug, by_type[slug], languages)
    # Small scopes share files, scope after scope, up to SPLIT_AT listings to a file: a small site's search data is
    # one file or a few. The browser's place tests drop what a file holds of scopes it did not ask for.
    bundles: list[list[str]] = []
    size = 0
    for scope in (s for s in scopes if len(whole[s]) <= SPLIT_AT):
        if not bundles or size + len(whole[scope]) > SPLIT_AT:
            bundles.append([])
            size = 0
        bundles[-1].append(scope)
        size += len(whole[scope])
    for bundle in bundles:
        records = sorted({record[0]: record for scope in bundle for record in whole[scope]}.values(), key=itemgetter(0))
        folder = bundle[0] if len(bundle) == 1 else f"{bundle[0]}-{bundle[-1]}"
        urls = _write_shard(files, prefix, folder, "all", records, languages)
        for scope in bundle:
            scopes[scope]["shards"][ALL_TYPES] = urls
    # An article's title and summary in the site's other languages follow where it has translations.
    articles = compact_json([[a.slug, a.title, a.summary, list(a.tags), list(a.support_types),
                              {code: [t.title, t.summary] for code, t in a.translations.items()}][:5 + bool(a.translations)]
                             for a in site.articles])
    articles_path = ADDRESSES.search_file(hashed_name("articles", articles))
    files.append((output_file(articles_path), articles))
    # The words of the articles' texts, in each language as its pages show them, in the same order: a file the
    # directory fetches only when a visitor searches for words.
    article_texts = {}
    for code in site.config.languages:
        text = compact_json([article_words(a.in_language(code), a.tags) for a in site.articles])
        path = ADDRESSES.search_file(hashed_name(f"articles-words-{code}", text))
        files.append((output_file(path), text))
        article_texts[code] = url(prefix, path)
    index = {"version": 2, "fields": RECORD_FIELDS, "epoch": EPOCH.isoformat(),
             "stale_before": (site.stale_before - EPOCH).days, "total": len(site.listings), "schedules": site.has_schedules,
             "vocabulary": _vocabulary(site), "scopes": scopes, "articles": url(prefix, articles_path),
             "article_words": article_texts,
             "places": url(prefix, ADDRESSES.places_folder()), "summaries": languages}
    if len(site.config.languages) > 1:
        index["labels"] = _labels(site)
    files.append((output_file(ADDRESSES.search_index()), compact_json(index)))
    return files


def _write_shard(files: Files, prefix: str, folder: str, stem: str, records: list, languages: list[str]) -> list[str]:
    """Add a shard's files (name-ordered chunks of `records`, each with its words file and its summaries in each of
    `languages`) to `files`; return their URLs."""
    urls = []
    for start in range(0, len(records), CHUNK_SIZE):
        chunk = records[start:start + CHUNK_SIZE]
        data = b"[" + b",".join(record for _, record, _, _ in chunk) + b"]"
        words = compact_json([text for _, _, text, _ in chunk])
        summaries = {code: compact_json([translated.get(code, "") for _, _, _, translated in chunk])
                     for code in languages}
        # One hash names all the files, so a changed description or translation renames them together and
        # index.json need not name the others: the browser finds them beside the shard.
        named = data + words + b"".join(summaries.values())
        shard = ADDRESSES.search_shard(folder, hashed_name(f"{stem}-{start // CHUNK_SIZE}", named))
        files.append((output_file(shard), data))
        files.append((output_file(ADDRESSES.search_words(shard)), words))
        for code, text in summaries.items():
            files.append((output_file(ADDRESSES.search_summaries(shard, code)), text))
        urls.append(url(prefix, shard))
    return urls


def _grow(boxes: dict[str, list[float]], scope: str, lat: float, lng: float) -> None:
    box = boxes.setdefault(scope, [lat, lng, lat, lng])
    box[0], box[1], box[2], box[3] = min(box[0], lat), min(box[1], lng), max(box[2], lat), max(box[3], lng)


def _labels(site: Site) -> dict[str, dict[str, list[str]]]:
    """Return each other language's labels of the terms, in the vocabulary's order: {code: {section: [label]}}."""
    labels = {}
    for code in site.config.languages[1:]:
        taxonomy = site.taxonomy.in_language(code)
        labels[code] = {name: [t.label for t in terms.values()] for name, terms in taxonomy.sections.items()}
    return labels


def _vocabulary(site: Site) -> dict[str, list]:
    """Return each section's terms as [slug, label] (or [code, label], for a section listings name by code)."""
    terms = site.taxonomy.sections
    return {section.name: [[t.code if section.by_code else t.slug, t.label] for t in terms[section.name].values()]
            for section in SECTIONS}
