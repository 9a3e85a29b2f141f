"""A scratch site whose content passes `check` with every awkward value we could think of: quotes, '<',
'&', ']]>', '</script>', emoji with joiners, right-to-left text, the longest allowed texts, text that
looks like YAML, JSON, HTML or a template, cells a spreadsheet would run as a formula, backslashes and
the characters iCalendar escapes, and a file name of 250 characters. Content that passes check must
give valid files (tests/output_check.py reads them back)."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import new_content, write_article, write_file, write_listing

LONG_SLUG = "a" + "-very-long-name" * 16 + "-" + "z" * 8  # 250 characters: with .yaml, the longest file name
RTL = "مجموعة التعافي في القاهرة \u200f(عربي)\u200f — קבוצת החלמה"
EMOJI = "👨\u200d👩\u200d👧 Family 🌈🏳\ufe0f\u200d🌈 recovery ✨"
NASTY = "Quote \" apostrophe ' <b>bold</b> & ]]> --> <!-- </script> {{ x }} {% y %} ${z} \\N \\n ; , \\"


def q(text: str) -> str:
    """Return text as a YAML double-quoted value (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def listing(name: str, summary: str, **extra: str) -> str:
    """Return a valid hybrid listing in Hartford with the given texts; `extra` adds or replaces lines."""
    fields = {
        "name": q(name), "kind": "local-group", "support_types": "[12-step, mutual-aid]", "summary": q(summary),
        "format": "hybrid",
        "location": "\n  address: \"1 Main St\"\n  city: Hartford\n  region: CT\n  postal_code: \"06103\"",
        "online": "\n  url: https://example.org/join?a=1&b=%3Cx%3E&c='q'\n  platform: \"=Zoom\"",
        "last_verified": "2026-01-05", "source": "https://example.org/source?x=1&y=2",
    }
    fields.update(extra)
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


MEETINGS = "\n" + "".join(
    f"  - day: {day}\n    start: \"{start}\"\n    notes: {q(notes)}\n" for day, start, notes in (
        ("monday", "19:00", "Room ; B, \\ upstairs — " + "é" * 120 + " 🌈" * 20),
        ("tuesday", "23:30", "=cmd|' /C calc'!A0"),
        ("wednesday", "07:00", "ملاحظات " * 30),
    ))

LISTINGS = {
    "ct/nasty-characters.yaml": listing(NASTY, "A summary with <tags>, & ampersands, \"quotes\" and ]]> in it.",
                                        description=q("# Heading\n\n" + NASTY + "\n\n<script>alert(1)</script>\n\n"
                                                      "\tindented with a tab\n\n```\ncode ]]>\n```"),
                                        schedule=MEETINGS),
    "ct/formula-cells.yaml": listing("=HYPERLINK(\"https://evil.example\",\"click\")", "+1 is how a spreadsheet "
                                     "would start a sum; -2 too, and @SUM(A1) as well.",
                                     organization=q("@Evil Org"), credentials='["-CPS", "+PRS", "@peer", "=1+1"]',
                                     contact='\n  phone: "+44 20 7946 0958"\n  email: "o\'brien+x@example.org"',
                                     location="\n  address: \"-1 Minus Street\"\n  city: \"=Hartford\"\n"
                                              "  region: CT\n  postal_code: \"06103\"\n  lat: -41.5\n  lng: -72.68"),
    "ct/right-to-left.yaml": listing(RTL, RTL + " " + RTL,
                                     description=q((RTL + "\n\n") * 20)),
    "ct/emoji-group.yaml": listing(EMOJI, EMOJI + " " + EMOJI, schedule=MEETINGS),
    "ct/looks-like-data.yaml": listing("key: value {a: 1} [1, 2] null true ~ &anchor *alias !tag #comment",
                                       '{"name": "json", "n": NaN, "i": Infinity} <?xml version="1.0"?>',
                                       description=q("---\ntitle: not front matter\n---\n<![CDATA[ x ]]>")),
    "ct/longest-texts.yaml": listing("N" * 150, "S" * 199 + ".", organization=q("O" * 150),
                                     description=q(("Long text & <more> ]]> " * 300)[:5000])),
    f"ct/{LONG_SLUG}.yaml": listing("The longest file name", "A listing whose file name is 250 characters long.",
                                    schedule=MEETINGS),
}

ARTICLE = f"""\
---
title: {q(NASTY[:140])}
summary: {q("=An article summary with <b>tags</b> & ]]> in it")}
date: 2026-04-01
tags: [a-b, c]
---

# {NASTY}

{RTL}

{EMOJI}

<script>alert("x")</script> ]]> &amp; &bogus; <!-- comment

\tA line that starts with a tab.
"""

SITE = f"""\
title: {q('Peer & "Support" <Directory> ]]>')}
tagline: {q("=tagline <i>")}
description: {q("A site's description with & and <tags> and " + EMOJI)}
contact: corrections@example.org
"""


def write_hostile_site(root: Path) -> Path:
    """Write the hostile content under `root`/project/content and return that folder."""
    content = new_content(root / "project")
    for path, text in LISTINGS.items():
        write_listing(content, path, text.encode("utf-8"))
    write_article(content, "nasty-article.md", ARTICLE.encode("utf-8"))
    write_file(content / "site.yaml", SITE.encode("utf-8"))
    return content
