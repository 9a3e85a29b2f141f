"""geo: looking places up one by one gives exactly what the whole tables give."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zipcodes

from generator import geo
from generator.geo import Gazetteer, load_tables
from generator.pipeline import gather_site


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return zipcodes.filter_by()


def test_each_states_cities_match_the_whole_table(rows):
    by_city = load_tables()[1]
    states = sorted({row["state"] for row in rows})
    for state in states:
        assert geo._state_cities(state) == {key: point for key, point in by_city.items() if key[1] == state}, state
    assert sum(len(geo._state_cities(state)) for state in states) == len(by_city)


def test_zip_codes_match_the_whole_table(rows):
    by_zip = load_tables()[0]
    codes = [row["zip_code"] for row in rows[::40]]
    codes += [row["zip_code"] for row in rows if (float(row["lat"]), float(row["long"])) == (0.0, 0.0)][:200]
    codes += ["", "0610", "abcde", "00000", "99999", "06106", "0610\n"]
    assert [geo._zip_point(code) for code in codes] == [by_zip.get(code) for code in codes]


LOCATIONS = [
    {"city": "Hartford", "region": "CT", "postal_code": "06103"}, {"city": "Hartford", "region": "CT"},
    {"city": " new haven ", "region": "CT"}, {"city": "HARTFORD", "region": "TX"}, {"city": "Hartford", "region": "ct"},
    {"city": "Nowhere", "region": "CT", "postal_code": "00000"}, {"city": "Boston", "region": "MA", "postal_code": "x"},
    {"city": "Chocorua", "region": "NH", "postal_code": "03817-1234"},
    {"city": "Paris", "region": "CT", "country": "FR"},
    {"city": "San Juan", "region": "PR"}, {"city": "Hartford", "region": "CT", "lat": 1, "lng": 2},
]


def test_one_by_one_and_whole_tables_place_alike():
    one_by_one, whole = Gazetteer(), Gazetteer()
    whole.expect(geo.WHOLE_TABLES_FROM)
    assert [one_by_one.locate(loc) for loc in LOCATIONS] == [whole.locate(loc) for loc in LOCATIONS]
    assert whole.locate(LOCATIONS[0]).how == "postal code" and whole.locate(LOCATIONS[2]).how == "city"


def test_a_small_site_does_not_build_the_whole_tables(tmp_path: Path, repo_root: Path):
    content = tmp_path / "content"
    (content / "listings").mkdir(parents=True)
    shutil.copy(repo_root / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    (content / "listings" / "hartford.yaml").write_text(textwrap.dedent("""\
        name: Fake Hartford Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional listing used only by the test suite.
        format: in-person
        location: {city: Hartford, region: CT}
        last_verified: 2026-01-01
        source: https://example.org/
    """))
    load_tables.cache_clear()
    site = gather_site(content).site
    assert site.listings[0].point.how == "city"
    assert load_tables.cache_info().currsize == 0


@pytest.mark.parametrize("builder", [False, True])
def test_the_builder_leaves_the_zipcodes_data_out_of_its_process(repo_root: Path, tmp_path: Path, builder: bool):
    """Read in the build's process, the data would stay there (~150 MB) and in every worker forked after: the
    speed layer's builder has a child read it. The stages alone (`build --plain`) read it in place."""
    make = f"Builder(Path('content'), Path({str(tmp_path / 'out')!r}), cache=False); " if builder else ""
    script = ("from pathlib import Path; from generator.incremental import Builder; "
              f"from generator.geo import load_tables; {make}assert len(load_tables()[0]) > 40000; "
              "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=repo_root, capture_output=True, text=True, check=True)
    assert (int(done.stdout) < 100_000) == builder  # KiB; about 50 MB, and 230 MB when read here


def place_files(output: Path) -> dict[str, bytes]:
    folder = output / "search" / "places"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def test_the_place_files_are_made_once_per_machine_and_again_when_their_cache_is_damaged(sample_content, tmp_path,
                                                                                       monkeypatch):
    from generator import placescache
    from generator.pipeline import build_site

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "machine"))
    build_site(sample_content, tmp_path / "first")
    made = place_files(tmp_path / "first")
    assert len(made) > 100 and placescache.cache_file().is_file()
    monkeypatch.setattr(geo, "_make_places", lambda: pytest.fail("the place files were made again"))
    build_site(sample_content, tmp_path / "second")  # another site, another output: the machine's copy
    assert place_files(tmp_path / "second") == made
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "machine"))
    placescache.cache_file().write_bytes(b"\x80\x05damaged")
    build_site(sample_content, tmp_path / "third")
    assert place_files(tmp_path / "third") == made
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))  # nowhere to keep them: made each time
    build_site(sample_content, tmp_path / "fourth")
    assert place_files(tmp_path / "fourth") == made
