"""Placing listings on the map, and the split search data the directory page loads."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from generator.geo import Gazetteer
from generator.pipeline import build_site, gather_site


def listing(name: str, fmt: str = "in-person", location: str = "", types: str = "[12-step]", extra: str = "") -> str:
    online = "online: {url: 'https://example.org/join'}\n" if fmt != "in-person" else ""
    return textwrap.dedent(f"""\
        name: {name}
        kind: local-group
        support_types: {types}
        summary: A fictional listing used only by the test suite.
        format: {fmt}
        """) + (f"location: {location}\n" if location else "") + online + extra + \
        "last_verified: 2026-01-01\nsource: https://example.org/\n"


@pytest.fixture
def content(tmp_path: Path, repo_root: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "listings").mkdir(parents=True)
    shutil.copy(repo_root / "content" / "taxonomy.yaml", folder / "taxonomy.yaml")
    (folder / "site.yaml").write_text("contact: corrections@example.org\n")  # or check warns (see helpers.new_content)
    files = {
        "by-zip": listing("Fake Zip Group", location='{city: Hartford, region: CT, postal_code: "06103"}'),
        "by-city": listing("Fake City Group", location="{city: new haven, region: CT}"),
        "given": listing("Fake Given Group", location="{city: Hartford, region: CT, lat: 41.5, lng: -72.5}"),
        "hybrid": listing("Fake Hybrid Group", "hybrid", "{city: Boston, region: MA}", "[12-step, family-support]"),
        "online-only": listing("Fake Online Group", "online", types="[smart-recovery]"),
    }
    for slug, text in files.items():
        (folder / "listings" / f"{slug}.yaml").write_text(text)
    return folder


def test_listings_are_placed_by_coordinates_postal_code_then_city(content):
    site = gather_site(content).site
    points = {l.slug: l.point for l in site.listings}
    assert (points["given"].lat, points["given"].lng, points["given"].how) == (41.5, -72.5, "given")
    assert points["by-zip"].how == "postal code" and abs(points["by-zip"].lat - 41.76) < 0.1
    assert points["by-city"].how == "city" and abs(points["by-city"].lng + 72.92) < 0.1
    assert points["online-only"] is None


def test_a_listing_that_cannot_be_placed_is_a_warning_with_its_line(content):
    (content / "listings" / "lost.yaml").write_text(listing("Fake Lost Group", location="{city: Fakeville Nowhere, region: CT}"))
    result = gather_site(content)
    assert result.errors == []
    [warning] = result.problems
    assert warning.severity == "warning" and warning.line == 6 and warning.field == "location"
    assert "'Fakeville Nowhere, CT' is not in the bundled US ZIP data" in warning.message
    assert "add lat and lng" in warning.message


def test_gazetteer_lookups():
    gazetteer = Gazetteer()
    assert gazetteer.by_postal_code("06103-1234") == gazetteer.by_postal_code("06103")
    assert gazetteer.by_city("HARTFORD", "CT") is not None
    assert gazetteer.by_city("Hartford", "TX") is None
    # A listing's town is looked up as a visitor's is: "St. Louis" is Saint Louis, "Ft" is Fort.
    assert gazetteer.by_city("St. Louis", "MO") == gazetteer.by_city("Saint Louis", "MO") is not None
    assert gazetteer.by_city("Ft. Lauderdale", "FL") == gazetteer.by_city("Fort Lauderdale", "FL") is not None
    # Hyphens and apostrophes are spaces, as the ZIP code data writes the names.
    assert gazetteer.by_city("Winston-Salem", "NC") == gazetteer.by_city("Winston Salem", "NC") is not None
    assert gazetteer.by_city("O’Fallon", "MO") == gazetteer.by_city("O'Fallon", "MO") == gazetteer.by_city("O Fallon", "MO")
    assert gazetteer.by_city("O'Fallon", "MO") is not None
    assert gazetteer.locate({"city": "Paris", "region": "CT", "country": "FR"}) is None


def test_search_data_is_split_by_scope_and_support_type(content, tmp_path, monkeypatch):
    monkeypatch.setattr("generator.search_data.SPLIT_AT", 0)  # every scope is large
    output = tmp_path / "output"
    build_site(content, output)
    index = json.loads((output / "search" / "index.json").read_text())
    scopes = index["scopes"]
    assert set(scopes) == {"CT", "MA", "online"}
    assert scopes["CT"]["count"] == 3 and set(scopes["CT"]["shards"]) == {"12-step"}
    # A hybrid listing is found under its state and under online; one with two types is in both types' shards.
    assert set(scopes["MA"]["shards"]) == {"12-step", "family-support"}
    assert set(scopes["online"]["shards"]) == {"12-step", "family-support", "smart-recovery"}
    fields = index["fields"]
    [shard_url] = scopes["MA"]["shards"]["family-support"]
    assert shard_url.startswith("/search/s/ma/family-support-0.") and shard_url.endswith(".json")
    [row] = json.loads((output / shard_url.lstrip("/")).read_text())
    record = dict(zip(fields, row))
    assert record["slug"] == "hybrid" and record["region"] == "MA"
    types = [slug for slug, _ in index["vocabulary"]["support_types"]]
    assert [types[i] for i in record["types"]] == ["12-step", "family-support"]
    assert index["vocabulary"]["formats"][record["format"]][0] == "hybrid"
    box = scopes["CT"]["bbox"]
    assert box[0] <= 41.5 <= box[2] and box[1] <= -72.5 <= box[3]


def read_shard(output, shard_url: str, fields) -> list[tuple[dict, str]]:
    """Return a shard's records, each with its description words."""
    rows = json.loads((output / shard_url.lstrip("/")).read_text())
    words = json.loads((output / shard_url.lstrip("/").replace(".json", ".words.json")).read_text())
    assert len(words) == len(rows)
    return [(dict(zip(fields, row)), text) for row, text in zip(rows, words)]


def test_small_scopes_share_files_of_every_type_and_large_ones_are_split(content, tmp_path, monkeypatch):
    output = tmp_path / "output"
    build_site(content, output)
    index = json.loads((output / "search" / "index.json").read_text())
    scopes, fields = index["scopes"], index["fields"]
    # A small site: every scope's listings, of every type, in one file, each listing once, in name order.
    assert {scope: list(entry["shards"]) for scope, entry in scopes.items()} == \
        {"CT": ["*"], "MA": ["*"], "online": ["*"]}
    [shared] = {url for entry in scopes.values() for url in entry["shards"]["*"]}
    records = read_shard(output, shared, fields)
    orders = [record["order"] for record, _ in records]
    assert orders == sorted(set(orders)) and len(orders) == index["total"]
    assert scopes["CT"]["count"] == 3 and scopes["MA"]["count"] == 1  # the counts stay the scopes' own
    # With room for three listings to a file, scopes are packed in order: Connecticut's three fill one; Massachusetts'
    # hybrid group and the two online shares the next, the hybrid group once.
    monkeypatch.setattr("generator.search_data.SPLIT_AT", 3)
    scopes = build_index(content, tmp_path / "three")
    slugs = lambda url: [record["slug"] for record, _ in read_shard(tmp_path / "three", url, fields)]
    assert {scope: list(entry["shards"]) for scope, entry in scopes.items()} == \
        {"CT": ["*"], "MA": ["*"], "online": ["*"]}
    [ct_file], [ma_file], [online_file] = (scopes[s]["shards"]["*"] for s in ("CT", "MA", "online"))
    assert ma_file == online_file != ct_file
    assert slugs(ct_file) == ["by-city", "given", "by-zip"] and slugs(ma_file) == ["hybrid", "online-only"]
    # With room for two, Connecticut is a large scope, split by support type; the others have a file each.
    monkeypatch.setattr("generator.search_data.SPLIT_AT", 2)
    scopes = build_index(content, tmp_path / "two")
    slugs = lambda url: [record["slug"] for record, _ in read_shard(tmp_path / "two", url, fields)]
    assert {scope: list(entry["shards"]) for scope, entry in scopes.items()} == \
        {"CT": ["12-step"], "MA": ["*"], "online": ["*"]}
    assert slugs(scopes["MA"]["shards"]["*"][0]) == ["hybrid"]
    assert slugs(scopes["online"]["shards"]["*"][0]) == ["hybrid", "online-only"]


def build_index(content: Path, output: Path) -> dict:
    build_site(content, output)
    return json.loads((output / "search" / "index.json").read_text())["scopes"]


def test_places_files_cover_zip_codes_and_cities(content, tmp_path):
    output = tmp_path / "output"
    build_site(content, output)
    zips = json.loads((output / "search" / "places" / "zip" / "061.json").read_text())
    lat, lng, state = zips["06103"]
    assert 41 < lat < 42 and -73 < lng < -72 and state == "CT"
    cities = json.loads((output / "search" / "places" / "city" / "h.json").read_text())
    assert "hartford|CT" in cities
    # Each town says how many ZIP codes it has, which picks the largest town of a name given without its state.
    portland = json.loads((output / "search" / "places" / "city" / "p.json").read_text())
    assert portland["portland|OR"][2] > portland["portland|ME"][2] > portland["portland|AR"][2] >= 1
    # Keys are written as the browser looks them up: "St." and "Ft" as the words they stand for.
    saints = json.loads((output / "search" / "places" / "city" / "s.json").read_text())
    assert "saint louis|MO" in saints and not any(key.startswith(("st ", "st.")) for key in saints)
    assert "fort lauderdale|FL" in json.loads((output / "search" / "places" / "city" / "f.json").read_text())
    assert not (output / "search" / "places" / "state").exists()
