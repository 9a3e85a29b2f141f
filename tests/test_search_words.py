"""The words of listings' descriptions in the search data: beside each shard, fetched only to search for words.

The browser side (a search finds a listing by a word only its description has, and fetches no words file
before a visitor types) is in test_search_browser.py.
"""
from __future__ import annotations

import json

import pytest
from helpers import write_article, write_listing

from generator.pipeline import build_site

GARDEN = """\
    name: Fake Riverside Peer Center
    kind: peer-program
    support_types: [peer-specialist, recovery-community]
    summary: A fictional peer center used only by the test suite.
    description: |
      Volunteers also keep a **gardening** circle, a drop-in kitchen and the Peer-Run
      library. Ask about the center's [bike repair](https://example.org/fake-bikes) nights!
      The phone line (open 24/7) has taken 1,500 calls, IC&RC-trained, U.S.-wide.
    format: in-person
    location: {city: Hartford, region: CT}
    last_verified: 2026-06-01
    source: https://example.org/fake-riverside
    translations:
      es:
        description: Las voluntarias también cuidan un huerto comunitario.
"""

PLAIN = """\
    name: Fake Plain Group
    kind: local-group
    support_types: [12-step]
    summary: A fictional group with no description, used only by the test suite.
    format: in-person
    location: {city: Hartford, region: CT}
    last_verified: 2026-06-01
    source: https://example.org/fake-plain
"""


@pytest.fixture(autouse=True)
def split_by_type(monkeypatch):
    """Every scope split by support type, as a large site's are: a listing of two types is in two shards, each with
    its words. (A small site's shared shards are made by the same code; test_geo_search_data.py reads one.)"""
    monkeypatch.setattr("generator.search_data.SPLIT_AT", 0)


def build(content, tmp_path):
    output = tmp_path / "output"
    build_site(content, output)
    index = json.loads((output / "search" / "index.json").read_text())
    return output, index


def words_of(output, index, scope: str, slug: str) -> dict[str, str]:
    """Return {listing slug: its words} for every listing in a scope's shards of a support type."""
    fields = index["fields"]
    found = {}
    for shard in index["scopes"][scope]["shards"][slug]:
        rows = json.loads((output / shard.lstrip("/")).read_text())
        texts = json.loads((output / shard.lstrip("/").replace(".json", ".words.json")).read_text())
        assert len(texts) == len(rows)
        found.update({dict(zip(fields, row))["slug"]: text for row, text in zip(rows, texts)})
    return found


def test_each_shard_has_its_listings_description_words_in_the_same_order(content, tmp_path):
    write_listing(content, "ct/fake-riverside.yaml", GARDEN)
    write_listing(content, "ct/fake-plain.yaml", PLAIN)
    write_listing(content, "ct/fake-plain-two.yaml", PLAIN.replace("Plain Group", "Plain Group Two"))
    output, index = build(content, tmp_path)
    for slug in ("peer-specialist", "recovery-community"):
        words = words_of(output, index, "CT", slug)["fake-riverside"].split()
        # The text as written, not its Markdown or link addresses; accents dropped and lower case, as the
        # browser folds what a visitor types; the Spanish description's words too.
        assert {"gardening", "drop-in", "kitchen", "peer-run", "library", "center's", "bike", "repair",
                "nights", "huerto", "comunitario", "tambien", "voluntarias", "las"} <= set(words)
        assert "example.org" not in words and "**gardening**" not in words and "también" not in words
        # Split only at spaces, as the browser splits what is typed, with the punctuation around a word gone.
        assert {"24/7", "1,500", "ic&rc-trained", "u.s.-wide", "nights", "line"} <= set(words)
        assert not {"(open", "nights!", "ic", "rc", "24", "7"} & set(words)
        # Words its name or summary already has, or a longer word kept starts with, are left out: the search
        # finds what is typed at the start of a word. One only inside a word is kept ("un": "comunitario").
        assert not {"a", "the", "peer", "run", "ic&rc", "u.s"} & set(words)  # "a fictional", "peer-run", ...
        assert "un" in words
        assert len(words) == len(set(words))
    assert words_of(output, index, "CT", "12-step") == {"fake-plain": "", "fake-plain-two": ""}
    # index.json names the shards only: the browser finds each one's words beside it.
    assert "words" not in json.dumps(index["scopes"])


def test_a_changed_description_renames_its_shard_so_no_cache_keeps_the_old_words(content, tmp_path):
    path = write_listing(content, "ct/fake-riverside.yaml", GARDEN)
    _, index = build(content, tmp_path)
    [before] = index["scopes"]["CT"]["shards"]["peer-specialist"]
    path.write_text(path.read_text().replace("gardening", "knitting"))
    output, index = build(content, tmp_path)
    [after] = index["scopes"]["CT"]["shards"]["peer-specialist"]
    assert before != after
    assert "knitting" in words_of(output, index, "CT", "peer-specialist")["fake-riverside"].split()


def test_the_words_of_the_articles_texts_are_in_a_file_for_each_language_as_its_pages_show_them(content, tmp_path):
    """The overdose guide names Narcan and fentanyl only in its text: the directory finds it by them from these."""
    (content / "site.yaml").write_text("contact: corrections@example.org\nlanguages: [en, es]\n")
    write_listing(content, "ct/fake-plain.yaml", PLAIN)
    write_article(content, "fake-guide.md", """\
        ---
        title: A fake guide
        summary: Made up for the tests.
        date: 2026-01-01
        tags: [naloxone]
        ---
        Carry naloxone; one brand is **Narcan**. Fentanyl is an opioid.
        """)
    write_article(content, "fake-guide.es.md", """\
        ---
        title: Una guía ficticia
        summary: Inventada para las pruebas.
        date: 2026-01-01
        ---
        Lleve naloxona; una marca es Narcan.
        """)
    write_article(content, "fake-english-only.md", "---\ntitle: Only in English\nsummary: Made up for the tests.\ndate: 2026-01-02\n---\nA lantern.\n")
    output, index = build(content, tmp_path)

    def read(address: str):
        return json.loads((output / address.lstrip("/")).read_text())

    slugs = [article[0] for article in read(index["articles"])]
    words = {code: dict(zip(slugs, read(address))) for code, address in index["article_words"].items()}
    assert set(words) == {"en", "es"}
    english = words["en"]["fake-guide"].split()
    assert {"narcan", "fentanyl", "carry", "opioid"} <= set(english)
    assert "naloxone" not in english and "**narcan**" not in english  # a tag finds it already; the text, not Markdown
    assert {"naloxona", "lleve", "narcan"} <= set(words["es"]["fake-guide"].split())
    # A page in Spanish shows the article as written where it has no translation, and finds it by those words.
    # ("a" is kept: its title and summary have it only inside "made" and "tests", where the search never looks.)
    assert words["es"]["fake-english-only"] == words["en"]["fake-english-only"] == "lantern a"
