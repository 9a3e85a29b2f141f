"""An article chooses the listings shown under it (`related_listings:` in its front matter); without a choice,
the listings that share most of its support types are shown."""
from __future__ import annotations

from helpers import ARTICLE, check_problems, run_build_py, write_article, write_listing, write_sample_site

CHOSEN = ARTICLE.replace("    support_types: [12-step, family-support]\n",
                         "    support_types: [12-step, family-support]\n    related_listings: [anytime-forum, bay-area-family]\n")


def related_names(project) -> list[str]:
    html = (project / "output" / "articles" / "finding-a-group" / "index.html").read_text()
    section = html.split('id="related-title"')[1].split("</section>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in section.split('class="card-title"')[1:]]


def test_without_a_choice_the_listings_sharing_its_support_types_are_shown(project, sample_content):
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stderr
    assert related_names(project) == ["Bay Area Family Circle", "Hartford Tuesday Night Group"]


def test_the_articles_choice_is_shown_in_its_order_and_nothing_else(project, sample_content):
    write_article(sample_content, "finding-a-group.md", CHOSEN)
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stderr
    # The forum shares none of the article's support types: only the choice put it here, first.
    assert related_names(project) == ["Anytime Online Recovery Forum", "Bay Area Family Circle"]


def test_a_chosen_listing_that_does_not_exist_is_named_at_its_line(project, sample_content):
    path = write_article(sample_content, "finding-a-group.md",
                         CHOSEN.replace("[anytime-forum, bay-area-family]", "\n      - anytime-forum\n      - bay-area-famly"))
    line = path.read_text().splitlines().index("  - bay-area-famly") + 1
    assert check_problems(project) == [
        f"content/articles/finding-a-group.md:{line}: related_listings[1]: 'bay-area-famly' is not a listing — "
        "did you mean 'bay-area-family'?"]


def test_a_chosen_listing_must_be_a_file_name(project):
    write_sample_site(project / "content")
    write_article(project / "content", "finding-a-group.md", CHOSEN.replace("anytime-forum,", "Anytime Forum,"))
    [problem] = check_problems(project)
    assert problem.startswith("content/articles/finding-a-group.md:6: related_listings[0]:")
    assert "related_listings: [smart-recovery, al-anon-family-groups]" in problem


GRIEF_GROUP = """\
    name: Fake Grief Circle
    kind: peer-program
    support_types: [family-support, mutual-aid]
    summary: A fictional peer group for families grieving someone lost to an overdose, made for a test.
    format: online
    online:
      url: https://example.org/fake-grief/join
    audience: [families]
    last_verified: 2026-02-10
    source: https://example.org/fake-grief
"""


def fake_article(title: str, date: str, support_types: str, more: str = "") -> str:
    return (f"    ---\n    title: {title}\n    summary: A fictional article, made for a test of related reading.\n"
            f"    date: {date}\n    support_types: {support_types}\n{more}    ---\n\n    Nothing real here.\n")


def reading_titles(project, slug: str) -> list[str]:
    html = (project / "output" / "listings" / slug / "index.html").read_text()
    section = html.split('id="related-title"')[1].split("</section>")[0]
    return [part.split("</a>")[0] for part in section.split('">')[2:]]


def test_a_listings_related_reading_puts_the_article_that_chose_it_then_the_closest_match_first(project, content):
    """Sharing one support type was enough to lead: the newest such article led nearly every page. Now an article
    that chooses the listing leads, then the one that shares the most, and the most specific terms, with it."""
    write_listing(content, "online/fake-grief-circle.yaml", GRIEF_GROUP)
    write_article(content, "fake-school.md", fake_article("Fake School Article", "2026-05-01",
                                                          "[mutual-aid, recovery-community]",
                                                          "    tags: [young-people]\n"))
    write_article(content, "fake-guide.md", fake_article(
        "Fake Guide To Everything", "2026-04-01",
        "[12-step, mutual-aid, secular, family-support, peer-specialist, recovery-community]"))
    write_article(content, "fake-families.md", fake_article("Fake Families Article", "2026-03-01", "[family-support]",
                                                            "    tags: [families, grief]\n"))
    write_article(content, "fake-chooser.md", fake_article("Fake Chooser Article", "2026-02-01", "[secular]",
                                                           "    related_listings: [fake-grief-circle]\n"))
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stderr
    # The school article, newest and sharing only the most common support type, is left out.
    assert reading_titles(project, "fake-grief-circle") == ["Fake Chooser Article", "Fake Families Article",
                                                            "Fake Guide To Everything"]
