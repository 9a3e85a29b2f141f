"""Each export is assembled from per-listing pieces that depend on their listing and the site constants only,
so a build cache can keep them: made in a site that holds nothing but their listing, they assemble into the
very files the whole site renders. What depends on several listings, the organizations that listings share,
is done when assembling."""
from __future__ import annotations

import dataclasses
import json
import uuid

import pytest

from exports_fixture import BASE_URL, load_json, make_export_content
from generator.exports import hsds, ical, listings, meeting_guide, render_calendar
from generator.exports.common import ID_NAMESPACE, site_constants, stable_id
from generator.pipeline import gather_site
from helpers import write_listing

RUN_BY = """\
    name: {name}
    kind: local-group
    support_types: [12-step]
    summary: One of two fictional groups run by the same intergroup, used only by the test suite.
    format: in-person
    organization: {organization}
    location: {{city: Hartford, region: CT}}
    schedule:
      - {{day: thursday, start: "12:00"}}
      - {{day: thursday, start: "12:00", notes: Second room}}
    last_verified: 2026-02-02
    source: https://example.org/intergroup
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = make_export_content(tmp_path_factory.mktemp("pieces"))
    # Two spellings of one organization: the same name once case and spaces are set aside.
    for slug, name, organization in (("noon-north", "Noon North", "Tri-County Intergroup"),
                                     ("noon-south", "Noon South", "tri-county  intergroup")):
        write_listing(content, f"ct/{slug}.yaml", RUN_BY.format(name=name, organization=organization))
    result = gather_site(content, BASE_URL)
    assert result.errors == [], result.errors
    return result.site


def alone(site, listing):
    """Return the constants of a site that holds nothing but one listing."""
    return site_constants(dataclasses.replace(site, listings=[listing]))


def test_listing_records_and_rows_made_alone_assemble_into_the_same_files(site):
    records = [listings.listing_json(alone(site, l), l) for l in site.listings]
    lines = [listings.csv_line(alone(site, l), l) for l in site.listings]
    assert listings.assemble_listing_exports(site, records, lines) == listings.render_listing_exports(site)


def test_meetings_made_alone_assemble_into_the_same_feed(site):
    pieces = [meeting_guide.meetings_json(alone(site, l), l) for l in site.listings]
    assert [(meeting_guide.FEED_PATH, meeting_guide.assemble_meeting_feed(pieces))] == \
        meeting_guide.render_meeting_feed(site)


def test_hsds_pieces_made_alone_assemble_into_the_same_files(site):
    pieces = [hsds.service_piece(alone(site, l), hsds.term_rows_by_id(alone(site, l)), l) for l in site.listings]
    assert hsds.assemble_hsds(site, pieces) == hsds.render_hsds(site)
    rows = [hsds.table_piece(alone(site, l), l) for l in site.listings]
    assert hsds.assemble_hsds_tables(site, rows) == hsds.render_hsds_tables(site)


def test_calendars_made_alone_are_the_same(site):
    made_alone = [(f"listings/{l.slug}/meetings.ics", ical.listing_calendar(alone(site, l), l))
                  for l in site.listings if l.schedule]
    assert made_alone == [f for l in site.listings for f in render_calendar(site_constants(site), l)]


def test_listings_naming_one_organization_share_its_record(site):
    files = dict(hsds.render_hsds(site))
    organizations = [o for o in load_json(files, "api/hsds/organizations.json") if o["name"] == "Tri-County Intergroup"]
    assert len(organizations) == 1  # the two spellings are one organization
    assert organizations[0]["description"] == "Runs, in this directory: Noon North; Noon South."
    assert [s["name"] for s in organizations[0]["services"]] == ["Noon North", "Noon South"]
    services = {s["name"]: s for s in load_json(files, "api/hsds/services.json")}
    assert services["Noon North"]["organization"] == services["Noon South"]["organization"] == \
        {key: organizations[0][key] for key in ("id", "name", "description")}


def test_two_meetings_at_one_time_get_two_slugs(site):
    feed = json.loads(bytes(dict(meeting_guide.render_meeting_feed(site))[meeting_guide.FEED_PATH]))
    assert [m["slug"] for m in feed if m["name"] == "Noon North"] == ["noon-north-thursday-1200",
                                                                     "noon-north-thursday-1200-2"]
    assert len({m["slug"] for m in feed}) == len(feed)


@pytest.mark.parametrize("name", ["listing:hartford-tuesday", "meeting:a:monday:19:00:2", "organization:café ünity",
                                  "attribute:x:support_types:12-step", "", "🌱" * 40])
def test_stable_ids_are_uuid5_of_the_namespace(name):
    kind, *parts = name.split(":")
    assert stable_id(kind, *parts) == str(uuid.uuid5(ID_NAMESPACE, name))
