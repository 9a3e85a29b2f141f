"""`build.py import` on real feeds as organizations publish them (../shared/feeds/, read in place, never copied).

Every file there is either imported in its format or known not to be a feed (bench/real_feeds.py holds the
list). Each feed is imported into one copy of the starter content and imported again, which must change
nothing; a file that is not a feed must fail with a one-line error and write nothing; then `check` and
`build` must pass with all of them imported. `pytest -s` prints one line per feed:
"<file>: N records -> M listings, R refused (reasons with counts)" — the table in the README comes from
`python -m bench.real_feeds`. Skipped as a whole where the feeds folder is absent. About a minute.
"""
from __future__ import annotations

from pathlib import Path

import pytest

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds"
if not FEEDS.is_dir():
    pytest.skip(f"the real feeds are not on this machine ({FEEDS})", allow_module_level=True)

from bench.real_feeds import CASES, Case, Run, run_all, unclassified  # noqa: E402

# Feeds that must give listings: a change that imports nothing from them is a regression, not a refusal.
MUST_GIVE_LISTINGS = {"mg-sussexaa/sussexaa.json", "mg-aasfmarin/aasfmarin.test.json", "mg-aasanjose/data.json",
                      "mg-aasanjose/aasanjose.test.json", "mg-edge-cases/times.json", "tsml-csv-template/template.csv",
                      "bmlt-yap-upstate-ny/meeting-search-42.867970-day2.json",
                      "bmlt-yap-upstate-ny/meeting-search-42.867970-day3.json",
                      "bmlt-yap-upstate-ny/meeting-search-42.867970-day4.json", "hsds3-examples/service_list.json"}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Run:
    return run_all(FEEDS, tmp_path_factory.mktemp("real-feeds"))


def result_for(run: Run, case: Case):
    found = [r for r in run.results if r.case == case]
    if not found:
        pytest.skip(f"{case.path} is not in {FEEDS}")
    return found[0]


def test_every_file_is_imported_or_known_not_to_be_a_feed():
    assert unclassified(FEEDS) == []


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_feed_imports_and_imports_again_without_a_change(imported: Run, case: Case):
    result = result_for(imported, case)
    print(f"\n{result.line()}")
    if not case.ok:
        lines = result.stderr.splitlines()
        assert result.code == 1 and len(lines) == 1, result.stderr
        assert lines[0].startswith(f"{case.source_name}: error: ") and lines[0].endswith(" — nothing was written")
        assert "Traceback" not in result.stderr and result.tree_changed == []
        return
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.reimport_code == 0 and result.reimport_changed == []
    folder = imported.content / "listings" / case.source_name
    assert result.listings == len(list(folder.glob("*.yaml")))
    if case.path in MUST_GIVE_LISTINGS:
        assert result.listings > 0, result.line()
    for listing in folder.glob("*.yaml"):  # provenance, and the placeholder only where a record had no page
        text = listing.read_text(encoding="utf-8")
        assert f"from: {case.source_name}" in text
        assert "source: " in text


def test_every_written_listing_passes_check_and_the_site_builds(imported: Run):
    assert imported.check.returncode == 0, imported.check.stderr[-3000:]
    assert imported.build.returncode == 0, imported.build.stderr[-3000:]
    written = [r for r in imported.results if r.case.ok and r.listings]
    assert written, "no feed gave a listing"
    for result in written:  # each feed's listings have pages
        slug = next((imported.content / "listings" / result.case.source_name).glob("*.yaml")).stem
        assert (imported.output / "listings" / slug / "index.html").is_file(), slug
