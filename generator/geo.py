"""Place listings on the map at build time from bundled US ZIP centroids (the `zipcodes` package).

No geocoding service is called: the data ships inside the package, so builds work offline and
nobody's addresses leave the machine.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .addresses import ADDRESSES, output_file
from .errors import Problems
from .files import Files
from .model import Listing, unaccented


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float
    how: str  # "given", "postal code" or "city"


class Tables(NamedTuple):
    by_zip: dict[str, tuple[float, float]]                # a ZIP code's centre
    by_city: dict[tuple[str, str], tuple[float, float]]   # (town_key(town), state): the mean of its ZIP codes
    zip_states: dict[str, str]                            # a ZIP code's state
    city_sizes: dict[tuple[str, str], int]                # a town's ZIP codes, all spellings: the largest of a name


# Below this many places, each is looked up on its own: a ZIP code in ~0.15 ms, a state's cities in ~5-10 ms
# once. Building the whole tables costs ~0.3 s more (on top of the ~0.3 s the zipcodes data takes to open,
# which any lookup pays): 1,000 places by ZIP code take 0.1 s one by one; by city in every state, about the same.
WHOLE_TABLES_FROM = 1000


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """Return the ZIP and town tables (points, a ZIP code's state, a town's ZIP count), once per process (~0.5 s)."""
    return _table_reader(_read_tables)


def _read_in_place(read: Callable[[], Tables]) -> Tables:
    return read()


_table_reader = _read_in_place  # the speed layer reads the tables in a short-lived child (read_tables_with)


def read_tables_with(reader: Callable[[Callable[[], Tables]], Tables]) -> None:
    """Have load_tables read the tables through `reader(read)`, which returns read()'s tables."""
    global _table_reader
    _table_reader = reader


def _read_tables() -> Tables:
    import zipcodes

    return _tables(zipcodes.filter_by())  # every row, without the copy zipcodes.list_all() keeps for good


@lru_cache(maxsize=None)
def _zip_point(code: str) -> tuple[float, float] | None:
    """Return load_tables()[0].get(code), from the one row of that ZIP code."""
    import zipcodes

    try:
        rows = [row for row in zipcodes.matching(code) if row["zip_code"] == code]
    except (ValueError, TypeError):  # not five digits: no such key in the table either
        return None
    return _tables(rows)[0].get(code)


@lru_cache(maxsize=None)
def _state_cities(state: str) -> dict[tuple[str, str], tuple[float, float]]:
    """Return the entries of load_tables()[1] for one state, from that state's rows (in the same order)."""
    import zipcodes

    return _tables(zipcodes.filter_by(state=state))[1]


def _tables(rows: list[dict]) -> Tables:
    """Return the ZIP and city tables of some rows of the zipcodes data; a city is the mean of its ZIP codes."""
    by_zip: dict[str, tuple[float, float]] = {}
    zip_states: dict[str, str] = {}
    city_points: dict[tuple[str, str], dict[str, tuple[float, float]]] = defaultdict(dict)  # town -> {ZIP: point}
    for row in rows:
        point = (float(row["lat"]), float(row["long"]))
        if point == (0.0, 0.0):
            continue
        by_zip[row["zip_code"]] = point
        zip_states[row["zip_code"]] = row["state"]
        if row["zip_code_type"] in ("STANDARD", "PO BOX"):
            state = row["state"]
            # A ZIP code counts once for a town, though it names it twice ("Fort Lauderdale", "Ft Lauderdale").
            for city in (row["city"], *row.get("acceptable_cities", ())):
                city_points[(town_key(city), state)][row["zip_code"]] = point
    by_city = {key: (round(sum(p[0] for p in pts.values()) / len(pts), 4),
                     round(sum(p[1] for p in pts.values()) / len(pts), 4)) for key, pts in city_points.items()}
    return Tables(by_zip, by_city, zip_states, {key: len(pts) for key, pts in city_points.items()})


# A town's name as the tables key it, for a listing's town and in the browser (directory.js's townKey does the same
# to what a visitor types): full stops, apostrophes and hyphens as spaces, as the ZIP code data writes them
# ("Winston Salem", "O Fallon"), and "St", "Ft" and "Mt" as the words they stand for, so "St. Louis" finds
# "Saint Louis".
TOWN_WORDS = {"st": "saint", "ft": "fort", "mt": "mount"}


def town_key(name: str) -> str:
    return " ".join(TOWN_WORDS.get(word, word) for word in re.sub(r"[.'’-]", " ", unaccented(name)).split())


class Gazetteer:
    """ZIP code and city centroids, looked up one by one or, for many places, from the whole tables.

    Either way the answer is the same; the tables are shared by every instance.
    """

    def __init__(self) -> None:
        self._whole = False

    def expect(self, lookups: int) -> None:
        """Say how many places are about to be looked up, so that many are answered from the whole tables."""
        self._whole = self._whole or lookups >= WHOLE_TABLES_FROM or load_tables.cache_info().currsize > 0

    def prepare(self) -> None:
        """Load the whole tables now if they are to be used (before forking workers that share them)."""
        if self._whole:
            load_tables()

    def by_postal_code(self, code: str) -> tuple[float, float] | None:
        return load_tables()[0].get(code[:5]) if self._whole else _zip_point(code[:5])

    def by_city(self, city: str, region: str) -> tuple[float, float] | None:
        key = (town_key(city), region)
        return load_tables()[1].get(key) if self._whole else _state_cities(region).get(key)

    def locate(self, location: dict) -> Point | None:
        """Return the best point for a listing's location, or None if it cannot be placed."""
        if "lat" in location and "lng" in location:
            return Point(float(location["lat"]), float(location["lng"]), "given")
        if location.get("country", "US") != "US":
            return None
        if location.get("postal_code"):
            found = self.by_postal_code(location["postal_code"])
            if found:
                return Point(*found, "postal code")
        if location.get("city") and location.get("region"):
            found = self.by_city(location["city"], location["region"])
            if found:
                return Point(*found, "city")
        return None


def place_listings(listings: list[Listing], gazetteer: Gazetteer, problems: Problems, expect: bool = True) -> None:
    """Give each listing with a place a point; warn about any that cannot be placed.

    Without `expect`, the caller has already told the gazetteer how many places are coming.
    """
    if expect:
        gazetteer.expect(sum(1 for listing in listings if listing.location and not listing.serves and not
                             ("lat" in listing.location and "lng" in listing.location)))
    for listing in listings:
        if not listing.location or listing.serves:
            continue  # a listing that serves a whole state or the country has no one point: distance does not apply
        point = gazetteer.locate(listing.location)
        if point:
            listing.point = point
            continue
        loc = listing.location
        if listing.format == "online" and not (loc.get("city") or loc.get("postal_code")):
            continue  # an online listing that names only its state is not meant to be on the map
        tried = f"postal code {loc['postal_code']} or " if loc.get("postal_code") else ""
        problems.add(listing.path, listing.location_line, "location",
                     f"cannot be placed on the map: {tried}'{listing.place}' is not in the bundled US ZIP data — "
                     "check the spelling of the city and the postal code, or add lat and lng", "warning")


def render_places() -> Files:
    """Return the browser's place lookups: ZIP centroids by 3-digit prefix, city centroids by initial.

    A visitor who types a ZIP code or a city downloads one small file; their input never leaves the page.
    """
    return _places_keeper(_make_places)


def _make_in_place(make: Callable[[], Files]) -> Files:
    return make()


_places_keeper = _make_in_place  # the speed layer keeps the files between builds (generator.placescache)


def keep_places_with(keeper: Callable[[Callable[[], Files]], Files]) -> None:
    """Have render_places make its files through `keeper(make)`, which returns make()'s files."""
    global _places_keeper
    _places_keeper = keeper


def _make_places() -> Files:
    """Return the ZIP files ({code: [lat, lng, state]}) and the town files ({"town|ST": [lat, lng, ZIP codes]})."""
    import json

    tables = load_tables()
    zip_groups: dict[str, dict[str, list]] = defaultdict(dict)
    for code, (lat, lng) in sorted(tables.by_zip.items()):
        zip_groups[code[:3]][code] = [lat, lng, tables.zip_states[code]]
    city_groups: dict[str, dict[str, list]] = defaultdict(dict)
    for (city, state), (lat, lng) in sorted(tables.by_city.items()):
        initial = city[0] if city[0].isalpha() else "_"
        city_groups[initial][f"{city}|{state}"] = [lat, lng, tables.city_sizes[(city, state)]]
    dump = lambda value: json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")
    files = [(output_file(ADDRESSES.places_file("zip", prefix)), dump(group))
             for prefix, group in sorted(zip_groups.items())]
    files += [(output_file(ADDRESSES.places_file("city", initial)), dump(group))
              for initial, group in sorted(city_groups.items())]
    return files
