"""The gather stage's shortcuts give what the long way gives: blank Markdown, errors counted per file,
suggestions worked out once for a mistake repeated across files."""
from __future__ import annotations

import markdown
import pytest
from markupsafe import Markup

from generator.errors import Problems
from generator.load import SourceFile
from generator.markup import MarkdownRenderer
from generator.pipeline import gather_site
from generator.validate import validate_listing
from generator.yamlfile import read_yaml
from helpers import IN_PERSON, dedent, write_listing


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\n  \n"])
def test_blank_markdown_renders_as_markdown_and_nh3_would(text):
    assert markdown.Markdown().convert(text) == ""
    assert MarkdownRenderer("/sub").render(text) == Markup("")


def test_a_listing_is_judged_by_its_own_errors_only(sample_content):
    site = gather_site(sample_content).site
    problems = Problems()
    problems.add("other.yaml", 1, "name", "an error in another file")
    source = SourceFile("x.yaml", "hartford-tuesday", read_yaml(dedent(IN_PERSON).encode()))
    assert validate_listing(source, site.taxonomy, MarkdownRenderer(), problems) is not None
    bad = SourceFile("y.yaml", "Bad Name", read_yaml(dedent(IN_PERSON).encode()))
    assert validate_listing(bad, site.taxonomy, MarkdownRenderer(), problems) is None
    assert len(problems.items) == 2


def test_a_mistake_repeated_across_files_is_reported_in_each(project, sample_content):
    for name in ("one", "two"):
        write_listing(sample_content, f"ct/{name}.yaml", dedent(IN_PERSON).replace("name: ", f"name: {name} ", 1) +
                      "not_duplicate_of: [hartford-tuesdy]\n"
                      "description: See [the other](/listings/hartford-tuesdy/).\n")
    problems = [(p.path.rsplit("/", 1)[-1], p.field, p.message) for p in gather_site(sample_content).problems]
    for name in ("one", "two"):
        assert (f"{name}.yaml", "not_duplicate_of",
                "no listing is named 'hartford-tuesdy' — did you mean 'hartford-tuesday'?") in problems
        assert (f"{name}.yaml", "description", "links to /listings/hartford-tuesdy/, which is not a page of this "
                "site — did you mean /listings/hartford-tuesday/?") in problems


def test_gathering_pauses_the_garbage_collector_and_resumes_it(sample_content, monkeypatch):
    import gc

    from generator import stages

    seen = []
    real_check_site = stages.check_site
    monkeypatch.setattr(stages, "check_site", lambda site, problems: (seen.append(gc.isenabled()),
                                                                         real_check_site(site, problems)))
    assert gc.isenabled()
    assert gather_site(sample_content).problems == []
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        gather_site(sample_content)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    monkeypatch.setattr(stages, "check_site", lambda site, problems: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        gather_site(sample_content)
    assert gc.isenabled()


def test_reading_listings_on_several_processes_gives_the_same_site_and_problems(tmp_path, monkeypatch):
    """Many listing files are read in forked workers; the site, its problems, their order and the places
    the workers learned are those of reading them one by one."""
    import dataclasses

    from bench.synth import write_synthetic
    from generator import cachedread
    from generator.buildcache import Sources
    from generator.load import display_path

    content = tmp_path / "content"
    write_synthetic(content, listings=90, articles=2, seed=5)
    broken = sorted((content / "listings").rglob("*.yaml"))[40]
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind:", "kind: [unclosed", 1), encoding="utf-8")
    serial_sources, parallel_sources = Sources(), Sources()
    serial = gather_site(content, sources=serial_sources, workers=1)
    monkeypatch.setattr(cachedread, "PARALLEL_READ_FROM", 1)
    monkeypatch.setattr(cachedread, "READ_CHUNK", 7)
    forked = []
    real_fork_map = cachedread.fork_map
    monkeypatch.setattr(cachedread, "fork_map", lambda *args: forked.append(args[2:]) or real_fork_map(*args))
    parallel = gather_site(content, sources=parallel_sources, workers=2)
    assert forked == [(2, 7)]
    assert [p.path for p in serial.errors] == [p.path for p in parallel.errors] == [display_path(broken)]
    assert parallel.problems == serial.problems
    assert [dataclasses.asdict(l) for l in parallel.site.listings] == [dataclasses.asdict(l) for l in serial.site.listings]
    assert parallel_sources.places == serial_sources.places and len(serial_sources.places) > 10


def test_values_that_listings_repeat_are_one_object_each(tmp_path):
    """A term's slug, a state's code, a date, a meeting, the lines of the fields: the same value in many
    listings is held once (memory; a forked worker copies the pages the values it reads lie in)."""
    from bench.synth import write_synthetic

    content = tmp_path / "content"
    write_synthetic(content, listings=60, articles=1, seed=3)
    listings = gather_site(content, workers=1).site.listings

    def objects(values):
        return len({id(v) for v in values}), len({repr(v) for v in values})

    for field in ("kind", "format", "support_types", "last_verified", "lines", "cost"):
        ids, values = objects([getattr(l, field) for l in listings])
        assert ids == values < len(listings), field
    ids, values = objects([l.location["region"] for l in listings if l.location])
    assert ids == values
    meetings = [m for l in listings for m in l.schedule]
    assert len(meetings) > 10 and objects(meetings)[0] == objects(meetings)[1]
