"""`build.py import` with a Meeting Guide feed: reading feeds as they really are, grouping meetings into
listings, provenance, and re-syncs that never lose a contributor's edit. The feeds here are made up."""
from __future__ import annotations

import copy
import json
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.importing.meeting_guide import read_meeting_guide
from generator.importing.records import SourceError
from conftest import starter_today_epoch
from helpers import run_build_py, snapshot, write_listing

# A fake intergroup's feed, with the quirks real feeds have: ids as numbers, `types` as one string,
# `day` as text or a list, 12-hour times, coordinates as strings, a wrapped address, null day and time.
FEED = [
    {"id": 101, "name": "Example Serenity Group", "slug": "serenity-mon", "day": 1, "time": "7:00 PM",
     "end_time": "20:00", "types": "O,D,X", "location": "Example Church",
     "formatted_address": "100 Sample Street, Hartford, CT 06103, USA", "latitude": "41.7637",
     "longitude": "-72.6851", "url": "https://example.org/meetings/serenity-mon", "updated": "2026-10-01 09:00:00",
     "group": "Example Serenity Group", "attendance_option": "in_person"},
    {"id": "102", "name": "Serenity Big Book", "slug": "serenity-thu", "day": ["4", 6], "time": "19:30",
     "types": ["C", "B", "ZZ"], "location": "Example Church", "formatted_address":
     "100 Sample Street, Hartford, CT 06103, USA", "latitude": 41.7637, "longitude": -72.6851,
     "url": "https://example.org/meetings/serenity-thu", "updated": "2026-10-02 09:00:00",
     "group": "Example Serenity Group", "notes": "Side door."},
    {"id": 103, "name": "Example Online Women", "day": "3", "time": "08:00", "types": ["W", "O", "ONL"],
     "conference_url": "https://zoom.us/j/5550100", "conference_phone": "+15555550100,,5550100#",
     "conference_url_notes": "Meeting ID: 555 0100", "formatted_address": "Hartford, CT", "approximate": "yes",
     "url": "https://example.org/meetings/online-women", "updated": "2026-09-01", "region": "Hartford"},
    {"id": 104, "name": "Example Hybrid Group", "day": 0, "time": "10:00", "end_time": "11:00", "types": ["S"],
     "location": "Example Hall", "address": "5 Example Road", "city": "New Haven", "state": "Connecticut",
     "postal_code": "06510", "country": "US", "conference_url": "https://meet.google.com/abc-defg-hij",
     "url": "https://example.org/meetings/hybrid", "attendance_option": "hybrid"},
    {"id": 105, "name": "By Appointment Group", "day": None, "time": None, "formatted_address":
     "7 Example Lane, Hartford, CT 06103, USA", "url": "https://example.org/meetings/appointment"},
    {"id": 106, "name": "Not A Day", "day": "7", "time": "19:00", "formatted_address": "1 A St, Hartford, CT 06103"},
    {"id": 107, "name": "Closed For Now", "day": 2, "time": "12:00", "attendance_option": "inactive",
     "formatted_address": "2 B St, Hartford, CT 06103"},
    {"id": 108, "name": "Online Without A Link", "day": 2, "time": "12:00", "attendance_option": "online"},
    {"id": 109, "day": 2, "time": "12:00"},
]
EXPECTED_REFUSALS = [
    "record 6, id 106, 'Not A Day': '7' is not a day (Meeting Guide numbers days 0 for Sunday to 6 for Saturday)",
    "record 7, id 107, 'Closed For Now': is inactive (attendance_option 'inactive'): it is not meeting now",
    "record 8, id 108, 'Online Without A Link': is online but gives no conference_url or conference_phone to join by",
    "record 9, id 109: has no name",
]


def write_feed(path: Path, feed: list) -> Path:
    path.write_text(json.dumps(feed), encoding="utf-8")
    return path


def run_import(content: Path, feed: Path, *extra: str) -> int:
    return main(["import", "meeting-guide", str(feed), "--content", str(content), "--name", "example-intergroup",
                 "--organization", "Example Intergroup", *extra])


def listing(content: Path, slug: str) -> dict:
    return yaml.safe_load((content / "listings" / "example-intergroup" / f"{slug}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write_feed(tmp_path / "feed.json", FEED)


@pytest.fixture
def imported(content: Path, feed: Path, capsys) -> Path:
    assert run_import(content, feed) == 0
    capsys.readouterr()
    return content


def test_reader_takes_feeds_as_they_are_written():
    read = read_meeting_guide(json.dumps(FEED).encode(), "feed.json")
    by_id = {record.id: record for record in read.records}
    assert sorted(by_id) == ["101", "102", "103", "104", "105"]
    first = by_id["101"]
    assert (first.days, first.start, first.end, first.codes) == ((1,), "19:00", "20:00", ("O", "D", "X"))
    assert (first.address, first.city, first.region, first.postal_code, first.country) == (
        "100 Sample Street", "Hartford", "CT", "06103", "US")
    assert (first.lat, first.lng, first.location_name) == (41.7637, -72.6851, "Example Church")
    assert str(first.updated) == "2026-10-01"
    assert by_id["102"].days == (4, 6) and by_id["102"].end == ""
    online = by_id["103"]
    assert (online.attendance, online.codes, online.city) == ("online", ("W", "O"), "Hartford")
    assert by_id["104"].region == "CT" and by_id["104"].attendance == "hybrid"
    assert by_id["105"].days == () and by_id["105"].start == ""
    assert [f"{r.where()}: {r.reason}" for r in read.refusals] == EXPECTED_REFUSALS


@pytest.mark.parametrize("data, message", [
    (b'[{"name": "x"}] trailing', "feed.json:1: not valid JSON (Extra data, column 17) — a Meeting Guide feed is a "
                                  "JSON array of meetings"),
    (b'"meetings"', "feed.json holds a JSON str, not an array of meetings — is this the feed's address "
                    "(often …/wp-admin/admin-ajax.php?action=meetings)?"),
    (b"\xff\xfe[", "feed.json is not UTF-8 text (byte 0) — a Meeting Guide feed is JSON"),
])
def test_reader_refuses_what_is_not_a_feed(data: bytes, message: str):
    with pytest.raises(SourceError) as caught:
        read_meeting_guide(data, "feed.json")
    assert str(caught.value) == message


def test_one_listing_per_group_at_a_place_each_passing_check(imported: Path, project: Path):
    files = sorted(path.name for path in (imported / "listings" / "example-intergroup").iterdir())
    assert files == ["by-appointment-group-hartford.yaml", "example-hybrid-group-new-haven.yaml",
                     "example-online-women-online.yaml", "example-serenity-group-hartford.yaml"]
    group = listing(imported, "example-serenity-group-hartford")
    assert group["format"] == "in-person" and group["kind"] == "local-group"
    assert group["location"] == {"name": "Example Church", "address": "100 Sample Street", "city": "Hartford",
                                 "region": "CT", "postal_code": "06103", "country": "US", "lat": 41.7637,
                                 "lng": -72.6851}
    assert group["schedule"] == [
        {"day": "monday", "start": "19:00", "end": "20:00", "types": ["open", "discussion", "wheelchair-access"]},
        {"day": "thursday", "start": "19:30", "name": "Serenity Big Book", "types": ["closed", "big-book"],
         "notes": "Side door."},
        {"day": "saturday", "start": "19:30", "name": "Serenity Big Book", "types": ["closed", "big-book"],
         "notes": "Side door."}]
    assert group["imported"] == {"from": "example-intergroup", "organization": "Example Intergroup",
                                 "feed": "feed.json", "ids": ["101", "102"],  # not where it lay on this computer
                                 "updated": "2026-10-02"}
    assert group["source"] == "https://example.org/meetings/serenity-mon"
    assert group["last_verified"] == "2026-10-02"
    online = listing(imported, "example-online-women-online")
    assert (online["format"], online["kind"], online["audience"]) == ("online", "online-forum", ["women"])
    assert online["online"] == {"url": "https://zoom.us/j/5550100", "platform": "Zoom",
                                "phone": "+15555550100,,5550100#", "open_to": "anyone", "notes": "Meeting ID: 555 0100"}
    assert online["location"] == {"region": "CT", "country": "US"}  # its group's state, not whose people may join
    hybrid = listing(imported, "example-hybrid-group-new-haven")
    assert (hybrid["format"], hybrid["languages"], hybrid["location"]["region"]) == ("hybrid", ["es"], "CT")
    assert hybrid["online"]["platform"] == "Google Meet"
    appointment = listing(imported, "by-appointment-group-hartford")
    assert "schedule" not in appointment and "by appointment" in appointment["description"]
    result = run_build_py("check", "--content", "content", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_again_without_the_first_ones_options_takes_them_again(imported: Path, feed: Path, capsys):
    """Run again from the shell's history without --organization, it once dropped the organization from every
    listing ("0 added, 4 changed") without a word; it now takes the last import's and says so."""
    bare = ["import", "meeting-guide", str(feed), "--content", str(imported), "--name", "example-intergroup"]
    assert main(bare) == 0
    out = capsys.readouterr().out
    assert "example-intergroup: as at its last import: --organization 'Example Intergroup'" in out
    assert "0 added, 0 changed" in out
    assert listing(imported, "example-serenity-group-hartford")["imported"]["organization"] == "Example Intergroup"
    # Told otherwise, it does as told (and remembers that).
    assert main([*bare, "--organization", "Example Central Office"]) == 0
    out = capsys.readouterr().out
    assert "as at its last import" not in out and "0 added, 4 changed" in out
    assert main(bare) == 0
    assert "--organization 'Example Central Office'" in capsys.readouterr().out
    # A state file edited by hand to hold what no option could give is read for what it can: nothing here.
    state = imported / "imports" / "example-intergroup.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    data["options"] = {"organization": ["not", "text"], "support_types": "12-step"}
    state.write_text(json.dumps(data), encoding="utf-8")
    assert main(bare) == 0
    assert "as at its last import" not in capsys.readouterr().out


def test_the_summary_is_written_in_each_of_the_sites_languages(content: Path, feed: Path, project: Path, capsys):
    # A site in English only: the summary in English, and no translations.
    assert run_import(content, feed) == 0
    group = listing(content, "example-serenity-group-hartford")
    assert group["summary"] == ("Example Serenity Group meets in Hartford on Mondays, Thursdays and Saturdays, "
                                "as listed by Example Intergroup.")
    assert "translations" not in group
    # In English and Spanish, the next import adds the Spanish; a Spanish visitor reads when and where in Spanish.
    (content / "site.yaml").write_text("title: Example\nlanguages: [en, es]\n", encoding="utf-8")
    assert run_import(content, feed) == 0
    group = listing(content, "example-serenity-group-hartford")
    assert group["translations"] == {"es": {"summary": "Example Serenity Group se reúne en Hartford los lunes, "
                                                       "jueves y sábados, según Example Intergroup."}}
    assert listing(content, "example-hybrid-group-new-haven")["translations"]["es"]["summary"] == (
        "Example Hybrid Group se reúne en New Haven y en línea los domingos, según Example Intergroup.")
    assert listing(content, "example-online-women-online")["translations"]["es"]["summary"] == (
        "Example Online Women se reúne en línea los miércoles, según Example Intergroup.")
    assert "0 added, 4 changed" in capsys.readouterr().out  # each listing gains its Spanish summary
    assert run_import(content, feed) == 0 and "0 added, 0 changed" in capsys.readouterr().out  # and stays so
    result = run_build_py("build", "--content", "content", "--output", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "out" / "es" / "listings" / "example-serenity-group-hartford" / "index.html").read_text(
        encoding="utf-8")
    assert "se reúne en Hartford los lunes, jueves y sábados" in page


def bilingual(content: Path, languages: str = "[en, es]") -> None:
    (content / "site.yaml").write_text(f"title: Example\nlanguages: {languages}\n", encoding="utf-8")


def edit_listing(content: Path, slug: str, change) -> None:
    path = content / "listings" / "example-intergroup" / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_contributors_spanish_description_does_not_stop_the_spanish_summary_following_the_source(
        content: Path, tmp_path: Path, capsys):
    bilingual(content)
    assert run_import(content, write_feed(tmp_path / "feed.json", FEED)) == 0
    edit_listing(content, "example-serenity-group-hartford", lambda data: data["translations"]["es"].update(
        description="Un grupo inventado para las pruebas."))
    fewer = [record for record in copy.deepcopy(FEED) if record["id"] != "102"]  # no more Thursday and Saturday
    capsys.readouterr()
    assert run_import(content, write_feed(tmp_path / "fewer.json", fewer)) == 0
    assert "!" not in capsys.readouterr().out  # no conflict: each language's fields are merged one by one
    spanish = listing(content, "example-serenity-group-hartford")["translations"]["es"]
    assert spanish == {"summary": "Example Serenity Group se reúne en Hartford los lunes, según Example Intergroup.",
                       "description": "Un grupo inventado para las pruebas."}


def test_once_a_contributor_edits_the_summary_the_import_writes_no_translation_of_its_own(content, tmp_path, capsys):
    bilingual(content)
    feed = write_feed(tmp_path / "feed.json", FEED)
    assert run_import(content, feed) == 0
    edit_listing(content, "example-serenity-group-hartford",
                 lambda data: data.update(summary="A friendly Monday meeting in a church hall, open to anyone."))
    assert run_import(content, feed) == 0
    group = listing(content, "example-serenity-group-hartford")
    assert group["summary"] == "A friendly Monday meeting in a church hall, open to anyone."
    # Its Spanish no longer said what the summary says: the Spanish pages show the contributor's words instead.
    assert "translations" not in group
    # A contributor's own Spanish is kept from then on.
    own = "Una reunión amable los lunes en el salón de una iglesia, abierta a todos."
    edit_listing(content, "example-serenity-group-hartford", lambda data: data.update(
        translations={"es": {"summary": own}}))
    capsys.readouterr()
    assert run_import(content, feed) == 0 and "0 changed" in capsys.readouterr().out
    assert listing(content, "example-serenity-group-hartford")["translations"]["es"]["summary"].startswith("Una")


def test_on_a_site_in_spanish_first_the_summary_is_spanish_and_the_english_is_its_translation(content, feed, project):
    bilingual(content, "[es, en]")
    assert run_import(content, feed) == 0
    group = listing(content, "example-serenity-group-hartford")
    assert group["summary"].startswith("Example Serenity Group se reúne en Hartford los lunes")
    assert group["translations"] == {"en": {"summary": "Example Serenity Group meets in Hartford on Mondays, "
                                                       "Thursdays and Saturdays, as listed by Example Intergroup."}}
    result = run_build_py("check", "--content", "content", cwd=project)
    said = result.stdout + result.stderr
    assert result.returncode == 0 and "content/listings/example-intergroup" not in said, said  # nothing to warn of


def test_the_report_lists_each_file_every_refusal_and_every_code_without_a_term(content: Path, feed: Path, capsys):
    assert run_import(content, feed, "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"example-intergroup: 9 records from {feed} → 4 listings"  # the 4 refused too
    assert f"  + {content}/listings/example-intergroup/example-serenity-group-hartford.yaml (3 meetings)" in out
    refusals = out.index("Not imported: 4 records")
    assert out[refusals + 1:refusals + 5] == [f"  {line}" for line in EXPECTED_REFUSALS]
    assert "  ZZ: 1 meeting" in out
    assert out[-1] == "4 added, 0 changed, 4 records not imported — dry run: nothing written"
    assert not (content / "listings" / "example-intergroup").exists()
    assert not (content / "imports").exists()


def test_importing_the_same_source_again_changes_nothing(imported: Path, feed: Path, capsys):
    before = snapshot(imported)
    assert run_import(imported, feed) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 added, 0 changed, 4 unchanged, 4 records not imported"
    assert snapshot(imported) == before


def test_a_resync_updates_what_the_source_changed_and_keeps_what_a_contributor_edited(imported, tmp_path, capsys):
    path = imported / "listings" / "example-intergroup" / "example-serenity-group-hartford.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("summary: Example Serenity Group meets in Hartford",
                          "summary: A friendly Hartford group; Example Serenity Group meets in Hartford")
    edited = edited.replace("format: in-person", "format: in-person\ndescription: Coffee from 6:30.")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    feed = copy.deepcopy(FEED)
    feed[0]["time"] = "18:30"  # the source moves Monday's meeting
    feed[0]["end_time"] = "19:30"
    feed[0]["updated"] = "2026-11-01 10:00:00"
    feed[1]["days"] = None
    feed[1]["day"] = [4]  # and drops Saturday's
    assert run_import(imported, write_feed(tmp_path / "feed.json", feed)) == 0
    out = capsys.readouterr().out
    # The generated summary names the days, so the source changed it too: the contributor's is kept, and said so.
    assert (f"  ! {path} (2 meetings; changed: schedule, imported; kept your edit of summary "
            "(the source changed it too))") in out
    group = listing(imported, "example-serenity-group-hartford")
    assert [(m["day"], m["start"]) for m in group["schedule"]] == [("monday", "18:30"), ("thursday", "19:30")]
    assert group["summary"].startswith("A friendly Hartford group")
    assert group["description"] == "Coffee from 6:30."
    # Its page is not said to be verified against a list it contradicts: the date stays, the conflict is noted.
    assert group["last_verified"] == "2026-10-02" and group["imported"]["conflicts"] == ["summary"]
    # A change to a field nobody edited is taken without a conflict; the one still open stays noted.
    feed[1]["notes"] = "Use the side door."
    assert run_import(imported, write_feed(tmp_path / "feed.json", feed)) == 0
    out = capsys.readouterr().out
    assert f"  ~ {path} (2 meetings; changed: schedule)" in out, out
    group = listing(imported, "example-serenity-group-hartford")
    assert group["schedule"][1]["notes"] == "Use the side door."
    assert group["last_verified"] == "2026-10-02" and group["imported"]["conflicts"] == ["summary"]


def test_meetings_gone_from_the_source_are_flagged_or_removed_as_asked(imported, tmp_path, capsys):
    feed = [item for item in FEED if item["id"] != 103]
    source = write_feed(tmp_path / "feed.json", feed)
    path = imported / "listings" / "example-intergroup" / "example-online-women-online.yaml"
    assert run_import(imported, source) == 0
    assert f"  ? {path} (gone from the source; marked removed)" in capsys.readouterr().out
    assert listing(imported, "example-online-women-online")["imported"]["removed"] == "2026-11-21"
    result = run_build_py("check", "--content", "content", cwd=imported.parent)
    assert ("content/listings/example-intergroup/example-online-women-online.yaml:29: warning: imported.removed: "
            "no longer in Example Intergroup's list since 2026-11-21 — delete this file if the group has stopped "
            "meeting; if it still meets, remove the `imported:` section to keep it as your own") in result.stderr
    assert run_import(imported, write_feed(tmp_path / "again.json", FEED)) == 0  # back in the source
    capsys.readouterr()
    assert "removed" not in listing(imported, "example-online-women-online")["imported"]
    assert run_import(imported, source) == 0  # flagged again, then removed on request: the flag is not an edit
    capsys.readouterr()
    assert run_import(imported, source, "--removed", "remove") == 0
    assert f"  - {path}" in capsys.readouterr().out.splitlines()
    assert not path.exists()


def test_a_listing_edited_by_hand_is_flagged_not_deleted(imported, tmp_path, capsys):
    path = imported / "listings" / "example-intergroup" / "example-online-women-online.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("online-forum", "peer-program"), encoding="utf-8")
    feed = [item for item in FEED if item["id"] != 103]
    assert run_import(imported, write_feed(tmp_path / "feed.json", feed), "--removed", "remove") == 0
    out = capsys.readouterr().out
    assert f"  ? {path} (gone from the source; marked removed (edited by hand, so not deleted))" in out
    assert path.exists()


def test_a_contributors_file_with_the_same_name_is_never_overwritten(content: Path, feed: Path, capsys):
    mine = write_listing(content, "listings/ct/example-serenity-group-hartford.yaml", "name: mine\n")
    assert run_import(content, feed) == 0
    assert mine.read_text(encoding="utf-8") == "name: mine\n"
    assert (content / "listings" / "example-intergroup" / "example-serenity-group-hartford-2.yaml").is_file()


def test_a_broken_source_or_state_writes_nothing(imported: Path, tmp_path: Path, capsys):
    before = snapshot(imported)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"name": "x"', encoding="utf-8")
    assert run_import(imported, broken) == 1
    assert capsys.readouterr().err.startswith(f"example-intergroup: error: {broken}:1: not valid JSON")
    state = imported / "imports" / "example-intergroup.json"
    state.write_text("{", encoding="utf-8")
    assert run_import(imported, tmp_path / "feed.json") == 1
    assert "cannot be read" in capsys.readouterr().err
    state.write_bytes(before["imports/example-intergroup.json"])
    assert snapshot(imported) == before


def test_a_value_a_listing_cannot_hold_is_left_out_with_a_word_and_the_group_kept(content, tmp_path, capsys):
    feed = [dict(FEED[0], phone="555", email="not an email", website="www.example.org")]
    assert run_import(content, write_feed(tmp_path / "feed.json", feed)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("Imported without a value a listing cannot hold: 3 values") + 1:][:3] == [
        "  record 1, id 101, 'Example Serenity Group': phone '555' is not a phone number with its area code: left out",
        "  record 1, id 101, 'Example Serenity Group': email 'not an email' is not an email address: left out",
        "  record 1, id 101, 'Example Serenity Group': website 'www.example.org' is not a web address starting with "
        "https://: left out"]
    assert "contact" not in listing(content, "example-serenity-group-hartford")


def test_a_record_that_would_fail_check_is_refused_with_checks_reason(content: Path, tmp_path: Path, capsys):
    feed = [dict(FEED[0], timezone="Mars/Olympus"), dict(FEED[1], timezone="Mars/Olympus")]  # one group, two meetings
    assert run_import(content, write_feed(tmp_path / "feed.json", feed)) == 0
    out = capsys.readouterr().out.splitlines()
    reason = ("would make a listing that fails check: schedule[0].timezone: unknown timezone 'Mars/Olympus' — use an "
              "IANA name such as America/New_York or America/Chicago; schedule[1].timezone: unknown timezone "
              "'Mars/Olympus' — use an IANA name such as America/New_York or America/Chicago; schedule[2].timezone: "
              "unknown timezone 'Mars/Olympus' — use an IANA name such as America/New_York or America/Chicago")
    assert out[out.index("Not imported: 2 records") + 1:][:2] == [
        f"  record 1, id 101, 'Example Serenity Group': {reason}", f"  record 2, id 102, 'Serenity Big Book': {reason}"]
    assert out[-1] == "0 added, 0 changed, 2 records not imported"


def test_meetings_outside_the_taxonomys_regions_are_refused_saying_how_to_fix_it(content, tmp_path, capsys):
    outside = [dict(FEED[0], id=200 + i, formatted_address="100 Sample Street, Toronto, ON M5V 1A1, Canada")
               for i in range(11)]
    nowhere = [dict(FEED[0], id=300, formatted_address="100 Sample Street, Hartford")]
    assert run_import(content, write_feed(tmp_path / "feed.json", outside + nowhere)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("Not imported: 12 records") + 1:][:3] == [
        "  11 × is in 'ON', which is not a region of taxonomy.yaml — add it to the regions there to list meetings in it",
        "  1 × gives no state — for a source whose meetings are all in one state, add --region ST (region: in "
        "content/imports.yaml)",
        "  Each of them:"]
    assert run_import(content, write_feed(tmp_path / "feed.json", nowhere), "--region", "CT") == 0
    assert listing(content, "example-serenity-group-hartford")["location"]["region"] == "CT"


def test_a_source_that_is_suddenly_empty_writes_nothing_unless_allowed(imported: Path, tmp_path: Path, capsys):
    before = snapshot(imported)
    empty = write_feed(tmp_path / "empty.json", [])
    assert run_import(imported, empty, "--removed", "remove") == 1
    assert ("has no meetings at all, where the last import made 4 listings: a failing server or a wrong query "
            "often looks like this") in capsys.readouterr().err
    assert snapshot(imported) == before
    assert run_import(imported, empty, "--removed", "remove", "--allow-empty") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 added, 0 changed, 4 removed"


def test_vocabulary_a_richer_format_names_that_the_taxonomy_lacks_is_reported_not_refused(taxonomy_of_project):
    from generator.importing.listings import Settings, build_listings
    from generator.importing.records import Read, Record

    record = Record(index=0, id="s1", name="Example Peer Center", attendance="online",
                    conference_url="https://example.org/join", url="https://example.org/center",
                    listing={"languages": ["en", "ur"], "support_types": ["peer-specialist", "astrology"]})
    built = build_listings(Read(records=[record]), Settings("example", "feed.json"), taxonomy_of_project)
    data = built.listings[0].data
    assert data["languages"] == ["en"] and data["support_types"] == ["peer-specialist"]
    assert built.unmapped == {"language 'ur'": 1, "support type 'astrology'": 1}


def test_a_language_whose_catalog_lacks_some_of_the_summarys_words_gets_no_half_translated_summary(
        taxonomy_of_project, monkeypatch):
    import gettext

    from generator.importing import listings
    from generator.importing.records import Read, Record

    class Partly(gettext.NullTranslations):  # a catalog with the sentence but not the days
        def gettext(self, message):
            return {"%(name)s meets %(where)s": "%(name)s se reúne %(where)s", "in %(city)s": "en %(city)s",
                    "on %(days)s": "los %(days)s"}.get(message, message)

    real = listings._catalog
    monkeypatch.setattr(listings, "_catalog", lambda code: Partly() if code == "xx" else real(code))
    record = Record(index=0, id="g1", name="Example Group", attendance="in_person", city="Hartford", region="CT",
                    days=(1,), start="19:00", url="https://example.org/group")
    settings = listings.Settings("example", "feed.json", languages=("en", "es", "xx"))
    data = listings.build_listings(Read(records=[record]), settings, taxonomy_of_project).listings[0].data
    assert data["summary"] == "Example Group meets in Hartford on Mondays."
    assert data["translations"] == {"es": {"summary": "Example Group se reúne en Hartford los lunes."}}  # no 'xx'


@pytest.fixture
def taxonomy_of_project(content: Path):
    from generator.newlisting import load_taxonomy
    return load_taxonomy(content)


def test_a_feed_without_pages_needs_a_source_url(content: Path, tmp_path: Path, capsys):
    feed = [{key: value for key, value in FEED[0].items() if key != "url"}]
    assert run_import(content, write_feed(tmp_path / "feed.json", feed)) == 1
    assert "give --source-url" in capsys.readouterr().err
    assert run_import(content, tmp_path / "feed.json", "--source-url", "https://example.org/meetings") == 0
    assert listing(content, "example-serenity-group-hartford")["source"] == "https://example.org/meetings"


def test_usage_errors_name_the_fix(content: Path, capsys):
    assert main(["import", "--content", str(content)]) == 2
    assert "give FORMAT and SOURCE" in capsys.readouterr().err
    assert main(["import", "gtfs", "x.json", "--content", str(content)]) == 2
    assert capsys.readouterr().err == ("error: unknown format 'gtfs' — use one of: meeting-guide, csv, bmlt, hsds\n")
    assert main(["import", "--all", "--content", str(content)]) == 2
    assert "imports.yaml: not found" in capsys.readouterr().err
    assert main(["import", "csv", "x.csv", "--content", str(content), "--support-types", "12step"]) == 2
    assert capsys.readouterr().err == "error: x: unknown support type '12step' — did you mean '12-step'?\n"


def test_configured_sources_import_with_all_and_write_a_summary(content: Path, feed: Path, tmp_path: Path, capsys):
    (content / "imports.yaml").write_text(
        f"sources:\n  - name: example-intergroup\n    format: meeting-guide\n    source: {feed}\n"
        "    organization: Example Intergroup\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    assert main(["import", "--all", "--content", str(content), "--summary", str(summary)]) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## What the scheduled import changed\n\n```\nexample-intergroup: 9 records")
    assert "4 added, 0 changed, 4 records not imported" in text


def test_the_listing_page_says_where_an_imported_listing_came_from(imported: Path, project: Path):
    result = run_build_py("build", "--content", "content", "--output", "out", cwd=project, timeout=60)
    assert result.returncode == 0, result.stderr
    html = (project / "out/listings/example-serenity-group-hartford/index.html").read_text(encoding="utf-8")
    text = re.sub(r" ([.,])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()))
    assert "From Example Intergroup's meeting list, updated 2 October 2026." in text
    assert "Example Church" in text
    online = (project / "out/listings/example-online-women-online/index.html").read_text(encoding="utf-8")
    # A '#' in a dial string is a key to press, not the start of a fragment: it is escaped in the link.
    assert 'href="tel:+15555550100,,5550100%23"' in online
    assert "Serenity Big Book · Closed, Big Book Side door." in text
    feed = json.loads((project / "out/api/meetings.json").read_text(encoding="utf-8"))
    assert {m["name"] for m in feed} >= {"Example Serenity Group", "Example Online Women"}
    record = next(item for item in json.loads((project / "out/api/listings.json").read_text(encoding="utf-8"))[
        "listings"] if item["slug"] == "example-serenity-group-hartford")
    # The feed's file name, not where it lay on the importer's computer: the open data is public.
    assert str(project.parent) not in (project / "out/api/listings.json").read_text(encoding="utf-8")
    assert record["imported"] == {"feed": "feed.json", "from": "example-intergroup", "ids": ["101", "102"],
                                  "organization": "Example Intergroup", "updated": "2026-10-02"}
    assert record["schedule"][1]["types"] == ["closed", "big-book"]
    calendar = (project / "out/listings/example-serenity-group-hartford/meetings.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Serenity Big Book (Example Serenity Group)" in calendar
    assert calendar.count("BEGIN:VEVENT") == 3


def test_the_scheduled_workflow_pushes_and_opens_its_pull_request_with_a_token_that_starts_its_checks(repo_root):
    """GitHub starts no workflow for what the workflow's own token pushes or opens: the branch is pushed (through
    the checkout's credentials) and the pull request opened with IMPORT_TOKEN where the repository has one."""
    jobs = yaml.safe_load((repo_root / ".github/workflows/import.yml").read_text(encoding="utf-8"))["jobs"]
    steps = jobs["import"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    opener = next(step for step in steps if "gh pr create" in step.get("run", ""))
    wanted = "${{ secrets.IMPORT_TOKEN || github.token }}"
    assert (checkout["with"]["token"], opener["env"]["GH_TOKEN"]) == (wanted, wanted)


def test_the_scheduled_workflow_imports_the_configured_sources_for_a_pull_request(project, content, feed, tmp_path):
    from test_contributors import run_workflow_command, workflow_step

    command = workflow_step("import.yml", "build.py import --all")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start"],
                   cwd=project, check=True)
    outputs = tmp_path / "outputs"
    result = run_workflow_command(command, project, GITHUB_OUTPUT=str(outputs))  # no imports.yaml yet
    assert result.returncode == 0 and "nothing to import" in result.stdout
    assert outputs.read_text(encoding="utf-8") == "changed=false\n"
    (content / "imports.yaml").write_text(
        f"sources:\n  - name: example-intergroup\n    format: meeting-guide\n    source: {feed}\n", encoding="utf-8")
    outputs.write_text("", encoding="utf-8")
    result = run_workflow_command(command, project, GITHUB_OUTPUT=str(outputs))
    assert result.returncode == 0, result.stderr
    assert outputs.read_text(encoding="utf-8") == "changed=true\nstatus=0\n"
    summary = (project / "import-summary.md").read_text(encoding="utf-8")
    assert "4 added, 0 changed, 4 records not imported" in summary
    assert (content / "listings" / "example-intergroup" / "example-serenity-group-hartford.yaml").is_file()


# --------------------------------------------------------------------------- round trips


def listings_by_name(folder: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data.get("description"), str):
            data["description"] = data["description"].strip()
        data["last_verified"] = str(data["last_verified"])  # hand-written files leave the date unquoted
        found[data["name"]] = data
    return found


def fresh_content(project: Path, name: str) -> Path:
    """Return a content folder with the project's vocabulary and no listings."""
    folder = project / name
    (folder / "listings").mkdir(parents=True)
    (folder / "taxonomy.yaml").write_bytes((project / "content" / "taxonomy.yaml").read_bytes())
    return folder


def test_the_sites_own_meeting_guide_feed_imports_back_to_the_same_listings(imported: Path, project: Path, capsys):
    result = run_build_py("build", "--content", "content", "--output", "out", "--base-url", "https://example.org/",
                          cwd=project, timeout=60)
    assert result.returncode == 0, result.stderr
    again = fresh_content(project, "again")
    assert main(["import", "meeting-guide", str(project / "out/api/meetings.json"), "--content", str(again),
                 "--name", "again"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 added, 0 changed"
    first, back = listings_by_name(imported / "listings"), listings_by_name(again / "listings")
    # The feed carries meetings: a listing without one (by appointment) is not in it.
    assert sorted(back) == ["Example Hybrid Group", "Example Online Women", "Example Serenity Group"]
    for name, listing in back.items():
        # What the feed does not carry: the summary (made from the publisher's name), where to check the facts
        # (now this site's page) and where it came from.
        for field in ("summary", "source", "imported"):
            listing.pop(field), first[name].pop(field)
        assert listing == first[name]


@pytest.mark.parametrize("source", ["api/hsds/services.json", "api/hsds"])
def test_the_sites_own_hsds_export_imports_back_to_the_same_listings(source: str, starter_site: Path, repo_root: Path,
                                                                     project: Path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(starter_today_epoch()))  # the starter's day: none of it is "future"
    content = fresh_content(project, "back")
    assert main(["import", "hsds", str(starter_site / source), "--content", str(content), "--name", "back"]) == 0
    out = capsys.readouterr().out.splitlines()
    starter = listings_by_name(repo_root / "content" / "listings")
    # Every listing comes back, those that serve a whole state, part of one or the country too (HSDS's service
    # areas and the export's serves/ attributes carry it).
    assert out[-1] == f"{len(starter)} added, 0 changed"
    assert any(listing.get("serves") for listing in starter.values())
    back = listings_by_name(content / "listings")
    assert sorted(back) == sorted(starter)
    for name, listing in back.items():
        assert listing.pop("imported")["from"] == "back"
        listing.pop("not_duplicate_of", None)  # names the imported files, whose names are the import's own
        # HSDS has no field for the page where the facts were checked: the service's own page stands in.
        assert listing.pop("source") in (starter[name]["source"], starter[name].get("contact", {}).get("website"))
        # Nor has it a field for a listing's translations (the open data's JSON and CSV carry them).
        expected = {key: value for key, value in starter[name].items()
                    if key not in ("source", "not_duplicate_of", "translations")}
        assert listing == expected, name


def test_groups_the_source_lists_apart_are_not_called_duplicates(content: Path, project: Path, tmp_path: Path, capsys):
    twins = [
        {"id": 1, "name": "Example Daily Reflection", "day": 1, "time": "07:00", "conference_url": "https://zoom.us/j/5550001",
         "url": "https://example.org/m/1", "phone": "860-555-0199", "notes": "First line.\nSecond line."},
        {"id": 2, "name": "Example Daily Reflection", "day": 2, "time": "07:00", "conference_url": "https://zoom.us/j/5550002",
         "url": "https://example.org/m/2", "phone": "860-555-0199"},
    ]
    assert run_import(content, write_feed(tmp_path / "twins.json", twins)) == 0
    capsys.readouterr()
    first, second = listing(content, "example-daily-reflection-online"), listing(content, "example-daily-reflection-online-2")
    assert first["not_duplicate_of"] == ["example-daily-reflection-online-2"]
    assert second["not_duplicate_of"] == ["example-daily-reflection-online"]
    assert first["schedule"][0]["notes"] == "First line. Second line."
    result = run_build_py("check", "--content", "content", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr


def test_a_refused_twin_is_not_named_by_the_other(content: Path, project: Path, tmp_path: Path, capsys):
    twins = [
        {"id": 1, "name": "Example Daily Reflection", "day": 1, "time": "07:00", "conference_url": "https://zoom.us/j/5550001",
         "url": "https://example.org/m/1"},
        {"id": 2, "name": "Example Daily Reflection", "day": 2, "time": "07:00", "conference_url": "https://zoom.us/j/5550002",
         "url": "https://example.org/m/2", "timezone": "Mars/Olympus"},
    ]
    assert run_import(content, write_feed(tmp_path / "twins.json", twins)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 added, 0 changed, 1 record not imported"
    written = list((content / "listings" / "example-intergroup").glob("*.yaml"))
    assert len(written) == 1 and "not_duplicate_of" not in listing(content, written[0].stem)
    state = json.loads((content / "imports" / "example-intergroup.json").read_text(encoding="utf-8"))
    assert all("not_duplicate_of" not in entry["data"] for entry in state["listings"].values())
    result = run_build_py("check", "--content", "content", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- the other formats, end to end

SHEET = """\
Time,End Time,Day,Name,Location,Address,City,State,Postal Code,Country,Types,Notes,Group,Website
7:00 PM,8:00 PM,Monday,Example Sheet Group,Example Hall,5 Example Road,Hartford,CT,06103,US,"Open, Discussion",,Example Sheet Group,https://example.org/sheet
7:00 PM,8:00 PM,Thursday,Example Sheet Group,Example Hall,5 Example Road,Hartford,CT,06103,US,"Closed, Big Book",Side door,Example Sheet Group,https://example.org/sheet
"""


def test_a_spreadsheet_imports_one_listing_per_group(content: Path, tmp_path: Path, project: Path, capsys):
    sheet = tmp_path / "meetings.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    assert main(["import", "csv", str(sheet), "--content", str(content), "--source-url",
                 "https://example.org/meetings/"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 added, 0 changed"
    data = yaml.safe_load((content / "listings/meetings/example-sheet-group-hartford.yaml").read_text(encoding="utf-8"))
    assert [(m["day"], m["start"], m["end"], m["types"]) for m in data["schedule"]] == [
        ("monday", "19:00", "20:00", ["open", "discussion"]), ("thursday", "19:00", "20:00", ["closed", "big-book"])]
    assert data["source"] == "https://example.org/meetings/" and data["contact"] == {"website": "https://example.org/sheet"}
    assert run_build_py("check", "--content", "content", "--strict", cwd=project).returncode == 0


def test_a_bmlt_answer_imports_with_its_formats(content: Path, tmp_path: Path, project: Path, capsys):
    formats = [{"key_string": "O", "name_string": "Open", "world_id": "OPEN", "lang": "en", "id": "1"},
               {"key_string": "BT", "name_string": "Basic Text", "world_id": "BT", "lang": "en", "id": "2"}]
    meetings = [{"id_bigint": "7", "meeting_name": "Example Hope Group", "weekday_tinyint": "4",
                 "start_time": "18:30:00", "duration_time": "01:00:00", "formats": "O,BT", "published": "1",
                 "location_text": "Example Church", "location_street": "9 Example Lane",
                 "location_municipality": "Hartford", "location_province": "CT", "location_postal_code_1": "06103",
                 "location_nation": "US", "latitude": "0", "longitude": "0", "venue_type": "1"}]
    (tmp_path / "results.json").write_text(json.dumps(meetings), encoding="utf-8")
    (tmp_path / "formats.json").write_text(json.dumps(formats), encoding="utf-8")
    assert main(["import", "bmlt", str(tmp_path / "results.json"), "--formats", str(tmp_path / "formats.json"),
                 "--content", str(content), "--name", "example-area", "--source-url", "https://example.org/na/"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  BT (Basic Text): 1 meeting" in out and out[-1] == "1 added, 0 changed"
    data = yaml.safe_load((content / "listings/example-area/example-hope-group-hartford.yaml").read_text(encoding="utf-8"))
    assert data["schedule"] == [{"day": "wednesday", "start": "18:30", "end": "19:30", "types": ["open"]}]
    assert data["imported"]["ids"] == ["7"]


def test_the_bmlt_formats_address_is_asked_of_the_same_server():
    from generator.importing.run import bmlt_formats_address

    assert bmlt_formats_address("https://bmlt.example.org/main_server/client_interface/json/"
                                "?switcher=GetSearchResults&services=5") == (
        "https://bmlt.example.org/main_server/client_interface/json/?switcher=GetFormats")
    assert bmlt_formats_address("results.json") == ""


def test_plain_http_and_unreadable_sources_are_refused_with_one_line(content: Path, tmp_path: Path, capsys):
    assert main(["import", "meeting-guide", "http://example.org/feed.json", "--content", str(content)]) == 1
    assert capsys.readouterr().err == ("example: error: http://example.org/feed.json: use https:// — a feed fetched "
                                       "over plain http can be altered on the way — nothing was written\n")
    assert main(["import", "meeting-guide", str(tmp_path), "--content", str(content), "--name", "x"]) == 1
    assert capsys.readouterr().err == f"x: error: {tmp_path}: is a folder — give the feed's file — nothing was written\n"


def test_an_hsds_zip_of_the_tabular_export_imports(starter_site: Path, content: Path, tmp_path: Path, capsys,
                                                    monkeypatch):
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(starter_today_epoch()))  # the starter's day: none of it is "future"

    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((starter_site / "api/hsds").glob("*")):
            zipped.write(path, path.name)
    assert main(["import", "hsds", str(archive), "--content", str(content), "--name", "zipped"]) == 0
    out = capsys.readouterr().out.splitlines()
    count = len(list((starter_site / "listings").glob("*/index.html")))
    assert out[-1] == f"{count} added, 0 changed"  # every listing, as above


def test_listing_files_are_the_same_bytes_whichever_yaml_emitter_writes_them(imported: Path):
    import generator.newlisting as newlisting

    if not hasattr(yaml, "CSafeDumper"):
        pytest.skip("this PyYAML has no libyaml")
    for path in sorted((imported / "listings").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["description"] = "Café – «Tuesday»\nsecond line: with a colon\n\n# not a heading"
        texts = []
        for base in (yaml.CSafeDumper, yaml.SafeDumper):
            dumper = type("Dumper", (base,), {})
            dumper.add_representer(str, newlisting.represent_text)
            dumper.add_representer(list, newlisting.represent_list)
            texts.append(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=10_000))
        assert texts[0] == texts[1], path


@pytest.mark.parametrize("given, meant", [("Eastern", "America/New_York"), ("CST", "America/Chicago"),
                                          ("Pacific Time", "America/Los_Angeles"), ("America/Chicag", "America/Chicago")])
def test_a_time_zone_that_is_not_one_is_said_once_before_reading_the_source(content: Path, feed: Path, capsys,
                                                                            given, meant):
    """Once it was refused record by record, with the old alias US/Eastern suggested: once now, with the name."""
    assert run_import(content, feed, "--timezone", given) == 2
    err = capsys.readouterr().err
    assert err == f"error: example-intergroup: '{given}' is not a time zone name — did you mean '{meant}'?\n"
    assert not (content / "listings" / "example-intergroup").exists()


# An online-only meeting as real feeds give it: a county and a state for its address, no street.
ZOOM_MEETING = {"id": 201, "name": "Fake Zoom Group", "slug": "fake-zoom-tue", "day": 2, "time": "20:00",
                "types": ["ONL", "O"], "conference_url": "https://zoom.us/j/5550199",
                "formatted_address": "Fake County, DE, USA", "attendance_option": "online",
                "url": "https://example.org/meetings/fake-zoom"}


def test_an_imported_online_meeting_is_online_for_everyone_and_still_in_its_state(content: Path, tmp_path: Path,
                                                                                 capsys):
    """Imported Zoom meetings were written as `location: {region: DE}` and shown as for Delaware's people only: in
    no online page, and found from no other state. Anyone can join an online meeting: the state is its group's."""
    assert run_import(content, write_feed(tmp_path / "feed.json", [ZOOM_MEETING])) == 0
    capsys.readouterr()
    data = listing(content, "fake-zoom-group-online")
    assert data["location"] == {"region": "DE", "country": "US"}
    assert data["online"] == {"url": "https://zoom.us/j/5550199", "platform": "Zoom", "open_to": "anyone"}
    result = run_build_py("build", "--content", "content", "--output", "out", cwd=content.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    out = content.parent / "out"
    assert "Fake Zoom Group" in (out / "online/index.html").read_text(encoding="utf-8")
    delaware = (out / "regions/de/index.html").read_text(encoding="utf-8")
    assert "Fake Zoom Group" in delaware and "For people in Delaware" not in delaware
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    only = index["fields"].index("only")
    for scope in ("online", "DE"):  # in both: and not marked for its state's people only
        rows = [row for url in set(sum(index["scopes"][scope]["shards"].values(), []))
                for row in json.loads((out / url.lstrip("/")).read_text(encoding="utf-8"))]
        row = next(row for row in rows if row[index["fields"].index("name")] == "Fake Zoom Group")
        assert not row[only:only + 1] or row[only] == 0
    services = json.loads((out / "api/hsds/services.json").read_text(encoding="utf-8"))
    service = next(s for s in services if s["name"] == "Fake Zoom Group")
    assert service["service_areas"] == []  # not "For people in Delaware"


def test_a_listing_gone_from_its_source_is_not_offered_as_meeting(imported: Path, tmp_path: Path, capsys):
    """A meeting that dropped out of the feed still showed its next meeting, was in "Meets today", said it may
    have stopped meeting only at the bottom of its page, and the feeds published it as active."""
    assert run_import(imported, write_feed(tmp_path / "feed.json", [m for m in FEED if m["id"] != 103])) == 0
    capsys.readouterr()
    result = run_build_py("build", "--content", "content", "--output", "out", cwd=imported.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    out = imported.parent / "out"
    html = (out / "listings/example-online-women-online/index.html").read_text(encoding="utf-8")
    header = html[html.index('<header class="listing-header">'):html.index("</header>", html.index("listing-header"))]
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", header)).split())
    assert ("May have stopped meeting. It was no longer in Example Intergroup's meeting list on 21 November 2026 : "
            "check with the group before you go.") in words
    assert "data-next-meeting" not in html
    feed = json.loads((out / "api/meetings.json").read_text(encoding="utf-8"))
    assert "Example Online Women" not in {m["name"] for m in feed} and "Example Serenity Group" in {m["name"] for m in feed}
    services = {s["name"]: s for s in json.loads((out / "api/hsds/services.json").read_text(encoding="utf-8"))}
    assert services["Example Online Women"]["status"] == "inactive"
    assert services["Example Serenity Group"]["status"] == "active"
    assert "inactive" in (out / "api/hsds/services.csv").read_text(encoding="utf-8")
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    assert index["fields"][-3:] == ["also", "only", "gone"]
    rows = [row for url in set(sum(index["scopes"]["online"]["shards"].values(), []))
            for row in json.loads((out / url.lstrip("/")).read_text(encoding="utf-8"))]
    gone = {row[index["fields"].index("name")]: len(row) == len(index["fields"]) and row[-1] == 1 for row in rows}
    assert gone["Example Online Women"] and not gone["Example Hybrid Group"]



def test_a_kept_edit_the_source_contradicts_is_not_verified_and_check_says_so(imported: Path, tmp_path: Path, capsys):
    """Kept over a source change ("kept your edit of schedule (the source changed it too)"), a hand edit got the
    feed's date as last_verified: the page claimed a check of a time the list contradicts."""
    path = imported / "listings" / "example-intergroup" / "example-serenity-group-hartford.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("start: '19:00'", "start: '19:15'"), encoding="utf-8")
    feed = copy.deepcopy(FEED)
    feed[0].update(time="18:30", end_time="19:30", updated="2026-11-01 10:00:00")
    assert run_import(imported, write_feed(tmp_path / "feed.json", feed)) == 0
    assert "kept your edit of schedule (the source changed it too)" in capsys.readouterr().out
    group = listing(imported, "example-serenity-group-hartford")
    assert (group["last_verified"], group["imported"]["conflicts"]) == ("2026-10-02", ["schedule"])
    result = run_build_py("check", "--content", "content", cwd=imported.parent)
    assert result.returncode == 0
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "conflicts" in text)
    assert (f"content/listings/example-intergroup/example-serenity-group-hartford.yaml:{line}: warning: "
            "imported.conflicts: your edit of schedule was kept, but Example Intergroup's list changed it too, so "
            "last_verified stays 2026-10-02 — reconcile the two (ask the list's keeper to correct it, or take its "
            "version), then remove this line") in result.stderr
    # Reconciled by taking the list's time: the next import finds them agreeing, drops the note, verifies again.
    text = path.read_text(encoding="utf-8").replace("start: '19:15'", "start: '18:30'")
    path.write_text(text.replace("end: '20:00'", "end: '19:30'"), encoding="utf-8")
    assert run_import(imported, write_feed(tmp_path / "feed.json", feed)) == 0
    group = listing(imported, "example-serenity-group-hartford")
    assert "conflicts" not in group["imported"] and group["last_verified"] == "2026-11-01"
    assert "imported.conflicts" not in run_build_py("check", "--content", "content", cwd=imported.parent).stderr
