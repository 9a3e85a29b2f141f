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

    from generator import pipeline

    seen = []
    real_check_site = pipeline.check_site
    monkeypatch.setattr(pipeline, "check_site", lambda site, problems: (seen.append(gc.isenabled()),
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
    monkeypatch.setattr(pipeline, "check_site", lambda site, problems: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        gather_site(sample_content)
    assert gc.isenabled()
