"""Listings that serve a whole state (`serves: statewide`) or the whole country (`serves: nationwide`): a
fellowship's state area, a certification board, a program with houses in every state. They have no one
place, so they are checked, shown and found differently from a group that meets at an address."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from exports_fixture import standard_schema
from generator.pipeline import build_site
from helpers import check_problems, new_content, run_build_py, write_listing
from test_search_browser import wait_count

HEAD = """\
    kind: peer-program
    support_types: [peer-specialist]
    summary: A clearly fake listing for the tests.
    format: in-person
    last_verified: 2026-11-01
    source: https://example.org/
"""

STATEWIDE = "    name: Fake Iowa Certification Board\n" + HEAD + """\
    serves: statewide
    location:
      region: IA
      country: US
"""
STATEWIDE_WITH_OFFICE = "    name: Fake Connecticut Area Service\n" + HEAD + """\
    serves: statewide
    location:
      city: Hartford
      region: CT
"""
PART = "    name: Fake Michigan Area\n" + HEAD + """\
    serves: part-of-state
    also_serves: [WI]
    location:
      region: MI
"""
NATIONWIDE = "    name: Fake Nationwide Houses\n" + HEAD + "    serves: nationwide\n"
LOCAL = "    name: Fake Hartford Group\n" + HEAD + """\
    location:
      city: Hartford
      region: CT
"""


def test_a_statewide_listing_needs_a_state_but_no_town(project):
    content = project / "content"
    write_listing(content, "ia/board.yaml", STATEWIDE)
    write_listing(content, "national/houses.yaml", NATIONWIDE)
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stderr) == (0, "") and "2 listings" in result.stdout


def test_without_serves_a_town_is_still_required_and_the_error_names_the_way_out(project):
    write_listing(project / "content", "ia/board.yaml", STATEWIDE.replace("    serves: statewide\n", ""))
    [problem] = check_problems(project)
    assert problem.startswith("content/listings/ia/board.yaml:")
    assert "location.city: is required for in-person listings" in problem and "serves: statewide" in problem


def test_a_statewide_listing_without_its_state_is_an_error(project):
    write_listing(project / "content", "ia/board.yaml", STATEWIDE.replace("      region: IA\n", ""))
    [problem] = check_problems(project)
    assert "location.region: is required" in problem


def test_a_nationwide_listing_under_one_state_is_an_error_at_that_line(project):
    text = NATIONWIDE + "    location:\n      city: Silver Spring\n      region: MD\n"
    path = write_listing(project / "content", "national/houses.yaml", text)
    problems = check_problems(project)
    lines = path.read_text().splitlines()
    assert [p.split(": ")[0] for p in problems] == [
        f"content/listings/national/houses.yaml:{lines.index('  city: Silver Spring') + 1}",
        f"content/listings/national/houses.yaml:{lines.index('  region: MD') + 1}"]
    assert all("not listed under one state" in p for p in problems)


def test_serves_takes_only_its_three_words(project):
    path = write_listing(project / "content", "ia/board.yaml", STATEWIDE.replace("serves: statewide", "serves: county"))
    line = path.read_text().splitlines().index("serves: county") + 1
    problems = check_problems(project)
    assert [p for p in problems if p.startswith(f"content/listings/ia/board.yaml:{line}: serves:")
            and "statewide, part-of-state or nationwide" in p]


@pytest.mark.parametrize("change, line, expected", [
    # Another state is only for a listing that serves a state or part of one.
    (("    serves: statewide\n", "    also_serves: [MN]\n"), "also_serves: [MN]",
     "also_serves: is only for a listing that serves a whole state or part of one"),
    (("    serves: statewide\n", "    serves: statewide\n    also_serves: [IA]\n"), "also_serves: [IA]",
     "also_serves: names IA, the listing's own state"),
    (("    serves: statewide\n", "    serves: statewide\n    also_serves: [MN, nebraska]\n"), "  - nebraska",
     "also_serves[1]: unknown region 'nebraska' — did you mean 'NE'?"),
])
def test_also_serves_is_checked_at_its_line(project, change, line, expected):
    text = STATEWIDE.replace(*change)
    if "nebraska" in text:  # a block list, so that the bad code has a line of its own
        text = text.replace("    also_serves: [MN, nebraska]\n", "    also_serves:\n      - MN\n      - nebraska\n")
    path = write_listing(project / "content", "ia/board.yaml", text)
    number = path.read_text().splitlines().index(line) + 1
    problems = check_problems(project)
    assert [p for p in problems if p.startswith(f"content/listings/ia/board.yaml:{number}: {expected}")], problems


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serves")
    content = new_content(root)
    write_listing(content, "ia/board.yaml", STATEWIDE)
    write_listing(content, "ct/area.yaml", STATEWIDE_WITH_OFFICE)
    write_listing(content, "national/houses.yaml", NATIONWIDE)
    write_listing(content, "ct/group.yaml", LOCAL)
    write_listing(content, "mi/michigan-area.yaml", PART)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1796000000")
        build_site(content, root / "output")
    return root / "output"


def test_pages_say_what_a_listing_serves(wide_site):
    board = (wide_site / "listings" / "board" / "index.html").read_text()
    assert "Serves all of Iowa</a>" in board and "Serves all of Iowa; its website says what is near you." in board
    assert "OpenStreetMap" not in board  # no directions to a place it does not have
    area = (wide_site / "listings" / "area" / "index.html").read_text()
    assert "what is near you. Its office is in Hartford, CT." in area
    houses = (wide_site / "listings" / "houses" / "index.html").read_text()
    assert "<span>Nationwide</span>" in houses
    data = json.loads(houses.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["areaServed"] == {"@type": "Country", "name": "US"}
    part = (wide_site / "listings" / "michigan-area" / "index.html").read_text()
    assert "Serves part of Michigan</a>" in part and "Serves part of Michigan; its website says which places" in part
    assert "<span>Also serves people in Wisconsin</span>" in part
    assert "which places and what is near you. It also serves people in Wisconsin." in part  # two sentences
    data = json.loads(part.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["areaServed"] == [{"@type": "State", "name": "MI"}, {"@type": "State", "name": "WI"}]
    wisconsin = (wide_site / "regions" / "wi" / "index.html").read_text()
    assert "Fake Michigan Area" in wisconsin and "Also serves people in Wisconsin" in wisconsin
    state_file = json.loads((wide_site / "api" / "regions" / "wi.json").read_text())
    assert [(l["name"], l["also_serves"]) for l in state_file["listings"]] == [("Fake Michigan Area", ["WI"])]
    iowa = (wide_site / "regions" / "ia" / "index.html").read_text()
    assert "Fake Iowa Certification Board" in iowa and "Serves all of Iowa" in iowa
    # Not any state's own listing (its office's state's neither): on every state's page it is only in the section
    # of what meets across the country, after the state's own.
    for page in (wide_site / "regions").glob("*/index.html"):
        text = page.read_text()
        assert text.index('id="nation-title"') < text.index("Fake Nationwide Houses"), page
    assert "1 listing" in iowa and "2 listings" not in iowa


def test_the_search_data_gives_them_no_point_and_the_country_its_own_scope(wide_site):
    index = json.loads((wide_site / "search" / "index.json").read_text())
    assert set(index["scopes"]) == {"IA", "CT", "MI", "WI", "national"}  # WI: the Michigan area also serves it
    assert index["scopes"]["IA"]["bbox"] is None  # no map point: its only listing serves the whole state
    fields = index["fields"]
    records = [dict(zip(fields, row)) for scope in index["scopes"].values() for chunks in scope["shards"].values()
               for chunk in chunks for row in json.loads((wide_site / chunk.lstrip("/")).read_text())]
    serves = {record["name"]: (record["serves"], record["lat"]) for record in records}
    assert serves["Fake Iowa Certification Board"] == ("statewide", None)
    assert serves["Fake Connecticut Area Service"] == ("statewide", None)  # its office's town is not a point
    assert serves["Fake Nationwide Houses"] == ("nationwide", None)
    assert serves["Fake Hartford Group"][0] == "" and serves["Fake Hartford Group"][1] is not None
    # A ZIP code's state comes with its point, which is how a statewide listing is found from a ZIP code.
    zips = json.loads((wide_site / "search" / "places" / "zip" / "503.json").read_text())
    assert zips["50309"][2] == "IA" and 41 < zips["50309"][0] < 42


def test_the_hsds_files_say_what_each_listing_serves(wide_site):
    services = {record["name"]: record for record in json.loads((wide_site / "api/hsds/services.json").read_text())}
    areas = {name: [(area["name"], area["description"]) for area in record["service_areas"]]
             for name, record in services.items()}
    assert areas == {"Fake Iowa Certification Board": [("Iowa", "All of Iowa")],
                     "Fake Connecticut Area Service": [("Connecticut", "All of Connecticut")],
                     "Fake Michigan Area": [("Part of Michigan", "Part of Michigan, not the whole state"),
                                            ("Wisconsin", "Some or all of Wisconsin")],
                     "Fake Nationwide Houses": [("United States", "The whole country")],
                     "Fake Hartford Group": []}
    codes = {name: [a["taxonomy_term"]["code"] for a in record["attributes"] if a["link_type"] == "serves"]
             for name, record in services.items()}
    assert codes["Fake Michigan Area"] == ["serves/part-of-state"] and codes["Fake Hartford Group"] == []
    schema = Draft202012Validator(standard_schema("hsds-3.0/compiled/service.json"))
    assert [error.message for record in services.values() for error in schema.iter_errors(record)] == []
    with (wide_site / "api/hsds/service_areas.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    assert sorted(row["name"] for row in rows) == ["Connecticut", "Iowa", "Part of Michigan", "United States",
                                                   "Wisconsin"]
    assert {row["service_id"] for row in rows} <= {record["id"] for record in services.values()}


@pytest.mark.parametrize("source", ["api/hsds/services.json", "api/hsds"])
def test_a_site_s_own_hsds_imports_back_with_what_each_listing_serves(wide_site, tmp_path, source):
    """The JSON records and the CSV tables both give back the state, the office's town and the format."""
    content = new_content(tmp_path)
    result = run_build_py("import", "hsds", str(wide_site / source), "--content", "content", "--name", "back",
                          cwd=tmp_path)
    assert result.returncode == 0 and "5 added" in result.stdout, result.stdout + result.stderr
    found = {}
    for path in (content / "listings" / "back").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["name"]] = (data.get("serves"), data["format"], data.get("location"), "online" in data)
        assert data.get("also_serves") == (["WI"] if data["name"] == "Fake Michigan Area" else None)
    assert found == {
        "Fake Iowa Certification Board": ("statewide", "in-person", {"region": "IA", "country": "US"}, False),
        "Fake Connecticut Area Service": ("statewide", "in-person",
                                          {"city": "Hartford", "region": "CT", "country": "US"}, False),
        "Fake Michigan Area": ("part-of-state", "in-person", {"region": "MI", "country": "US"}, False),
        "Fake Nationwide Houses": ("nationwide", "in-person", None, False),
        "Fake Hartford Group": (None, "in-person", {"city": "Hartford", "region": "CT", "country": "US"}, False)}
    checked = run_build_py("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0 and "5 listings" in checked.stdout, checked.stdout + checked.stderr


def test_another_sources_areas_outside_the_taxonomy_are_left_out_not_fatal(tmp_path):
    """A province's online service serves no state here; a state body's area in a province is left out; a body
    that serves a state has no times to ask for."""
    terms = {"in-person": {"id": "t1", "code": "format/in-person"}, "statewide": {"id": "t2", "code": "serves/statewide"}}
    services = [
        {"id": "s1", "name": "Example Ontario Online Service", "url": "https://example.org/on",
         "service_areas": [{"id": "a1", "name": "Ontario"}]},
        {"id": "s2", "name": "Example Lakes Area Service", "url": "https://example.org/lakes",
         "service_areas": [{"id": "a2", "name": "Michigan"}, {"id": "a3", "name": "Part of Ontario"}],
         "attributes": [{"id": f"at-{n}", "taxonomy_term": term} for n, term in enumerate(terms.values())]},
    ]
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    content = new_content(tmp_path)
    # Another source's services give none of this directory's support types: the import asks to be told one,
    # rather than calling them 12-step, and writes nothing.
    result = run_build_py("import", "hsds", "services.json", "--content", "content", "--name", "other", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("2 services give no support type of this directory's (e.g. the first, 'Example Ontario Online "
            "Service') — say which they are with --support-types") in result.stderr
    assert not (content / "listings" / "other").exists()
    # (A site in English and Spanish: a service's summary is its own words, which no sentence of the import's in
    # Spanish, "… se reúne en línea, según …", would say; its Spanish page shows them, marked as written.)
    with (content / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("languages: [en, es]\n")
    result = run_build_py("import", "hsds", "services.json", "--content", "content", "--name", "other",
                          "--support-types", "peer-specialist", cwd=tmp_path)
    assert result.returncode == 0 and "2 added" in result.stdout, result.stdout + result.stderr
    assert "served region 'ON'" in result.stdout  # counted as what could not be kept
    found = {}
    for path in (content / "listings" / "other").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["name"]] = data
    online, lakes = found["Example Ontario Online Service"], found["Example Lakes Area Service"]
    assert "serves" not in online and online["format"] == "online"
    # A service, with a place or not, is a program: not an "online forum", nor 12-step unless told.
    assert (online["kind"], online["support_types"]) == ("peer-program", ["peer-specialist"])
    assert "translations" not in online and "translations" not in lakes
    assert (lakes["serves"], lakes["format"], lakes["location"]) == ("statewide", "in-person",
                                                                     {"region": "MI", "country": "US"})
    assert "also_serves" not in lakes and "appointment" not in lakes.get("description", "")
    checked = run_build_py("check", "--content", "content", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert run_build_py("build", "--content", "content", cwd=tmp_path).returncode == 0


def test_an_online_listing_that_serves_a_state_needs_the_state(project):
    online = STATEWIDE.replace("format: in-person", "format: online\n    online: {url: 'https://example.org/'}")
    write_listing(project / "content", "ia/board.yaml", online.replace("      region: IA\n", ""))
    [problem] = check_problems(project)
    assert "location.region: is required for a listing that serves a whole state" in problem


@pytest.mark.parametrize("listing, why", [
    (STATEWIDE.replace("format: in-person", "format: online\n    online: {url: 'https://example.org/', open_to: anyone}"),
     "a listing that serves a state is for its people"),
    (STATEWIDE.replace("format: in-person", "format: online\n    online: {url: 'https://example.org/', open_to: anyone}")
     .replace("    serves: statewide\n", "").replace("      region: IA\n", ""),
     "an online listing that names no state is open to anyone already"),
    (LOCAL.replace("format: in-person", "format: hybrid\n    online: {url: 'https://example.org/', open_to: anyone}"),
     "a listing that also meets in person is open to anyone online already"),
])
def test_open_to_anyone_is_only_for_an_online_listing_that_names_its_state(project, listing, why):
    write_listing(project / "content", "fake/listing.yaml", listing)
    [problem] = check_problems(project)
    assert problem.endswith(": online.open_to: is only for a listing that meets online only and names its home "
                            "state (location.region) without serving it (serves) — leave the line out: " + why)


@pytest.fixture(scope="module")
def wide_server(wide_site, serve_dir):
    with serve_dir(wide_site) as url:
        yield url


@pytest.mark.parametrize("place, expected", [
    # A town with its state: the state's listings serve it, another state's do not.
    ("Des Moines, IA", ["Fake Iowa Certification Board", "Fake Nationwide Houses"]),
    # A ZIP code in Iowa: the state is the one whose towns surround it.
    ("50309", ["Fake Iowa Certification Board", "Fake Nationwide Houses"]),
    ("06103", ["Fake Connecticut Area Service", "Fake Hartford Group", "Fake Nationwide Houses"]),
    # Eau Claire, Wisconsin, well west of Michigan's extent: found only because the Michigan area also serves
    # Wisconsin.
    ("54701", ["Fake Michigan Area", "Fake Nationwide Houses"]),
])
def test_near_a_place_the_listings_that_serve_it_are_found(page, wide_server, place, expected):
    page.goto(f"{wide_server}/directory/?place={place}&online=exclude")
    wait_count(page, len(expected))
    # (Not the nearest in person farther away, offered when nothing is within the distance.)
    assert sorted(page.locator("#results .card-title:not(#nearest *)").all_text_contents()) == expected
    # What meets near the place, what serves all of its state and what serves the whole country: a section each.
    if place == "06103":
        assert (section(page, "near"), section(page, "state"), section(page, "nation")) == (
            ["Fake Hartford Group"], ["Fake Connecticut Area Service"], ["Fake Nationwide Houses"])
        assert page.locator("#nation-title").inner_text() == \
            "Across the country (1): each one’s website says what is near you"
        # Under a section's heading (level 3), a card's title is a level 4 heading.
        assert {title.get_attribute("aria-level") for title in page.locator("#results .card-title").all()} == {"4"}
    if place == "Des Moines, IA":
        # Nothing near: the count says so, and what serves Iowa comes before the search for the nearest farther
        # away (none within 250 miles here), which comes before what meets across the country.
        assert page.inner_text("#result-status") == "2 listings found, none in person within 25 miles"
        assert page.inner_text("#results .results-note") == (
            "Nothing in person within 25 miles of Des Moines, IA matches. Below: what serves Iowa.")
        page.wait_for_selector("#nearest .results-note")
        order = page.evaluate("() => [...document.querySelectorAll('#results > *')].map((e) => e.id"
                              " || e.querySelector('h3').id)")
        assert order == ["near-title", "state-title", "nearest", "nation-title"]
    metas = page.locator("#results .card-meta").all_inner_texts()
    assert any("Nationwide" in meta for meta in metas)
    assert not [url for url in page.requests if not url.startswith(wide_server)]


def test_a_state_filter_keeps_its_statewide_listings_and_the_nationwide_ones(page, wide_server):
    page.goto(f"{wide_server}/directory/?region=IA")
    wait_count(page, 2)
    # One list, under the results' own heading: its cards' titles are the level 3 headings they are written as.
    assert {title.get_attribute("aria-level") for title in page.locator("#results .card-title").all()} == {None}
    assert sorted(page.locator("#results .card-title").all_text_contents()) == [
        "Fake Iowa Certification Board", "Fake Nationwide Houses"]
    assert "Serves all of Iowa" in page.locator("#results .card").first.inner_text()
    page.goto(f"{wide_server}/directory/?region=MI")
    wait_count(page, 2)
    assert "Serves part of Michigan" in page.locator("#results .card").first.inner_text()
    page.goto(f"{wide_server}/directory/?region=WI")
    wait_count(page, 2)
    card = page.locator("#results .card").first.inner_text()
    assert "Fake Michigan Area" in card and "Also serves people in Wisconsin" in card


# Near a state line: New Haven, CT is inside the rectangles around Massachusetts and New York, not inside them.
def border_listing(name: str, region: str, serves: str = "statewide", city: str = "") -> str:
    place = f"      city: {city}\n" if city else ""
    return f"    name: {name}\n" + HEAD + (f"    serves: {serves}\n" if serves else "") + \
        f"    location:\n{place}      region: {region}\n"


@pytest.fixture(scope="module")
def border_server(tmp_path_factory, serve_dir):
    root = tmp_path_factory.mktemp("border")
    content = new_content(root)
    (content / "site.yaml").write_text("languages: [en, es]\ncontact: corrections@example.org\n", encoding="utf-8")
    write_listing(content, "ct/ct-board.yaml", border_listing("Fake Connecticut Board", "CT"))
    write_listing(content, "ma/ma-board.yaml", border_listing("Fake Massachusetts Board", "MA"))
    write_listing(content, "ny/ny-board.yaml", border_listing("Fake New York Board", "NY"))
    write_listing(content, "ny/ny-area.yaml", border_listing("Fake New York Area", "NY", "part-of-state"))
    write_listing(content, "ct/new-haven-group.yaml", border_listing("Fake New Haven Group", "CT", "", "New Haven"))
    write_listing(content, "or/portland-group.yaml", border_listing("Fake Portland Group", "OR", "", "Portland"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1796000000")
        build_site(content, root / "output")
    with serve_dir(root / "output") as url:
        yield url


def section(page, name: str) -> list[str]:
    return sorted(page.locator(f"#{name}-title + .cards .card-title").all_text_contents())


@pytest.mark.parametrize("place", ["06510", "New Haven, CT", "new haven connecticut", "location", "es/location"])
def test_near_a_state_line_only_the_state_the_place_is_in_serves_it(browser, border_server, place):
    options = {"geolocation": {"latitude": 41.3087, "longitude": -72.9271}, "permissions": ["geolocation"]}
    context = browser.new_context(**(options if place.endswith("location") else {}))
    page = context.new_page()
    try:
        if place.endswith("location"):
            page.goto(f"{border_server}/{place.removesuffix('location')}directory/")
            page.locator("#f-near").click()
        else:
            page.goto(f"{border_server}/directory/?place={place}")
        page.wait_for_function("() => /(found|encontrados)(,|$)/"
                               ".test(document.getElementById('result-status').textContent)")
        assert section(page, "near") == ["Fake New Haven Group"]
        assert section(page, "state") == ["Fake Connecticut Board"]
        if place == "New Haven, CT":  # the group is placed at its town's middle, where the town typed is too:
            meta = page.locator("#near-title + .cards .card-meta").inner_text()  # its town, not "under 0.1 miles"
            assert "New Haven, CT" in meta and "miles" not in meta, meta
        if place == "es/location":  # the page's language all through
            title = page.locator("#near-title").inner_text()
            assert title.startswith("En persona a menos de 25 millas de su ubicación")
    finally:
        context.close()


def test_bodies_that_serve_part_of_the_state_come_apart_from_what_is_near(page, border_server):
    page.goto(f"{border_server}/directory/?place=10001")
    wait_count(page, 2)
    assert section(page, "near") == []
    assert section(page, "state") == ["Fake New York Board"]
    assert page.locator("#state-title").inner_text() == \
        "Serving all of New York (1): each one’s website says what is near you"
    assert page.locator("#part-title").inner_text() == \
        "Serving part of New York (1): each one’s website says which places"
    assert section(page, "part") == ["Fake New York Area"]
    assert "Serves part of New York" in page.locator("#part-title + .cards .card").inner_text()


def test_a_town_without_its_state_is_the_largest_of_the_name_and_the_page_says_how_to_choose(page, border_server):
    page.goto(f"{border_server}/directory/?place=Portland")
    wait_count(page, 1)
    assert section(page, "near") == ["Fake Portland Group"]
    status = page.locator("#f-place-status")
    assert status.inner_text() == ("Showing distances from Portland, OR. "
                                   "For another, add its state, as in “Portland, ME”.")
    assert status.is_visible()
    # The state chosen in the filters decides, and then there is nothing to say.
    page.goto(f"{border_server}/directory/?place=Portland&region=ME")
    page.wait_for_function("() => /found(,|$)/.test(document.getElementById('result-status').textContent)")
    assert page.locator("#near-title").inner_text().startswith("In person within 25 miles of Portland, ME")


@pytest.mark.parametrize("place, label", [
    ("St. Louis, MO", "St. Louis, MO"), ("Boston, Massachusetts", "Boston, MA"),
    ("Ft Lauderdale FL", "Ft Lauderdale, FL"), ("Saint Louis MO", "Saint Louis, MO"),
    ("Winston-Salem, NC", "Winston-Salem, NC"), ("O’Fallon, MO", "O’Fallon, MO"),
    # Typed in lower case, with letters beyond a–z: each word's first letter a capital, and no other.
    ("mayagüez pr", "Mayagüez, PR"), ("cañon city, co", "Cañon City, CO"),
    # Named in Spanish, as a Spanish speaker writes them.
    ("Nueva York", "Nueva York, NY"), ("filadelfia, pa", "Filadelfia, PA"),
    # A town whose name ends in a state's is that town, as no "West New" is in New York.
    ("West New York", "West New York, NJ")])
def test_a_town_is_found_as_people_write_it(page, border_server, place, label):
    page.goto(f"{border_server}/directory/?place={place}")
    page.wait_for_function("() => /found(,|$)/.test(document.getElementById('result-status').textContent)")
    assert page.locator("#f-place-status").text_content() == f"Showing distances from {label}."


def texas_listing(name: str, format_: str = "in-person", serves: str = "", city: str = "", region: str = "TX",
                  also: str = "") -> str:
    lines = [f"name: {name}", "kind: peer-program", "support_types: [peer-specialist]",
             "summary: A clearly fake listing for the tests.", f"format: {format_}",
             *([f"serves: {serves}"] if serves else []), "location:", *([f"  city: {city}"] if city else []),
             f"  region: {region}", "  country: US", *([f"also_serves: [{also}]"] if also else []),
             *(["online: {url: 'https://example.org/join'}"] if format_ != "in-person" else []),
             "last_verified: 2026-11-01", "source: https://example.org/"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def texas_server(tmp_path_factory, serve_dir):
    """Near Austin: a Texas board; a New Mexico region that also serves some of Texas; a hybrid group in Austin and
    one in Dallas, 180 miles off; an online room; a Texas coaching line, online for Texans only."""
    from helpers import build_listings

    listings = {
        "tx/board.yaml": texas_listing("Fake Texas Board", serves="statewide"),
        "nm/region.yaml": texas_listing("Fake Rio Grande Region", serves="statewide", region="NM", also="TX"),
        "tx/austin.yaml": texas_listing("Fake Austin Hybrid Group", "hybrid", city="Austin"),
        "tx/dallas.yaml": texas_listing("Fake Dallas Hybrid Group", "hybrid", city="Dallas"),
        "tx/line.yaml": texas_listing("Fake Texas Coaching Line", "online"),
        "online/room.yaml": texas_listing("Fake Online Room", "online").replace(
            "location:\n  region: TX\n  country: US\n", ""),
    }
    with serve_dir(build_listings(tmp_path_factory.mktemp("texas"), listings, "1796000000")) as url:
        yield url


def test_a_body_serving_all_of_another_state_and_some_of_this_one_is_among_those_serving_part_of_it(page, texas_server):
    """From Austin, the New Mexico region (which also serves some of Texas) is not "Serving all of Texas"; the Texas
    line for Texans is, as a body for all of the state."""
    page.goto(f"{texas_server}/directory/#place=Austin,%20TX")
    wait_count(page, 6)
    assert section(page, "state") == ["Fake Texas Board", "Fake Texas Coaching Line"]
    assert section(page, "part") == ["Fake Rio Grande Region"]
    line = page.locator("#state-title + .cards .card", has_text="Fake Texas Coaching Line")
    assert "For people in Texas" in line.locator(".card-meta").inner_text()
    # Online from anywhere: only online first, then a group far away that some join online (A–Z within each).
    assert page.locator("#online-title + .cards .card-title").all_text_contents() == [
        "Fake Online Room", "Fake Dallas Hybrid Group"]


def test_with_online_only_a_group_near_the_place_comes_first_and_the_states_own_line_keeps_its_section(
        page, texas_server):
    page.goto(f"{texas_server}/directory/#place=Austin,%20TX&online=only")
    wait_count(page, 4)
    assert page.locator("#online-title + .cards .card-title").all_text_contents() == [
        "Fake Austin Hybrid Group", "Fake Online Room", "Fake Dallas Hybrid Group"]
    assert section(page, "state") == ["Fake Texas Coaching Line"]
    # With no place, the online heading does not say "from anywhere": the Texas line is among them, its card says
    # whose it is.
    page.goto(f"{texas_server}/directory/")
    wait_count(page, 6)
    assert page.locator("#online-title").inner_text() == "Online and by phone (2)"
    card = page.locator("#results .card", has_text="Fake Texas Coaching Line")
    assert "For people in Texas" in card.locator(".card-meta").inner_text()
