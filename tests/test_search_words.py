"""The words of listings' descriptions in the search data: beside each shard, fetched only to search for words.

The browser side (a search finds a listing by a word only its description has, in English and Spanish, and
fetches no words file before a visitor types) is in test_search_browser.py and test_languages.py.
"""
from __future__ import annotations

import json

from helpers import write_listing

from generator.pipeline import build_site

GARDEN = """\
    name: Fake Riverside Peer Center
    kind: peer-program
    support_types: [peer-specialist, recovery-community]
    summary: A fictional peer center used only by the test suite.
    description: |
      Volunteers also keep a **gardening** circle, a drop-in kitchen and the Peer-Run
      library. Ask about the center's [bike repair](https://example.org/fake-bikes) nights!
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


def build(content, tmp_path):
    output = tmp_path / "output"
    build_site(content, output)
    index = json.loads((output / "search" / "index.json").read_text())
    return output, index


def words_of(output, index, scope: str, slug: str) -> dict[str, str]:
    """Return {listing slug: its words} for every listing in a scope's shards of a support type."""
    fields = index["fields"]
    found = {}
    entry = index["scopes"][scope]
    for shard, words in zip(entry["shards"][slug], entry["words"][slug]):
        rows = json.loads((output / shard.lstrip("/")).read_text())
        texts = json.loads((output / words.lstrip("/")).read_text()) if words else [""] * len(rows)
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
        # Words already in its name or summary, or inside a longer word kept, are left out: the search
        # matches any part of a word.
        assert not {"a", "the", "un"} & set(words)  # "a fictional", "the test suite"; "comunitario"
        assert len(words) == len(set(words))
    # A shard whose listings have no description has no words file; the index says so with null.
    assert index["scopes"]["CT"]["words"]["12-step"] == [None]
    assert words_of(output, index, "CT", "12-step") == {"fake-plain": "", "fake-plain-two": ""}


def test_words_files_are_named_by_their_content_and_change_with_the_description(content, tmp_path):
    path = write_listing(content, "ct/fake-riverside.yaml", GARDEN)
    _, index = build(content, tmp_path)
    before = index["scopes"]["CT"]["words"]["peer-specialist"][0]
    path.write_text(path.read_text().replace("gardening", "knitting"))
    output, index = build(content, tmp_path)
    after = index["scopes"]["CT"]["words"]["peer-specialist"][0]
    assert before != after and "-words." in after
    assert "knitting" in words_of(output, index, "CT", "peer-specialist")["fake-riverside"].split()
