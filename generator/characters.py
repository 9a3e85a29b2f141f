"""Characters no page, feed or data file of the site can carry, and how to name them to people.

XML 1.0 (the Atom feed, the sitemaps) forbids most control characters outright; in JSON and CSV they
survive but break the programs that read them (a spreadsheet, the search script), and editors do not
show them. So content text may not contain them at all.
"""
from __future__ import annotations

import re
import unicodedata

# Never allowed: the C0 controls but tab, line feed and carriage return; DEL and the C1 controls (U+0085,
# "next line", among them); the line and paragraph separators U+2028/U+2029 (YAML reads them as line
# breaks that editors do not show); lone surrogates; the noncharacters (U+FDD0-U+FDEF and the last two
# code points of every plane, U+FFFE and U+FFFF among them).
_PLANE_ENDS = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(0x11))
NEVER = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufdd0-\\ufdef" + _PLANE_ENDS
FILE_TEXT = re.compile(f"[{NEVER}]|\\r(?!\\n)")  # a whole file: CRLF line ends are fine
MULTI_LINE = re.compile(f"[{NEVER}\\r]")  # Markdown text: tabs and line breaks are fine
SINGLE_LINE = re.compile(f"[{NEVER}\\t\\n\\r]")  # a name, a city, a field name: one line of text

_NAMES = {"\t": "tab character", "\n": "line break", "\r": "carriage return", "\x00": "null character",
          "\x7f": "delete character", "\x85": "next-line character", "\u2028": "line separator",
          "\u2029": "paragraph separator"}


def character_name(char: str) -> str:
    """Return how a message names a character: 'the control character U+0001'."""
    code = ord(char)
    if char in _NAMES:
        name = _NAMES[char]
    elif 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    elif unicodedata.category(char) == "Cn":
        name = "noncharacter"
    else:
        name = "control character"
    return f"the {name} U+{code:04X}"


def yaml_text_problem(text: str, first_line: int = 1) -> tuple[int, str] | None:
    """Return file_text_problem() for the characters YAML reads as line breaks (U+0085, U+2028, U+2029
    and a carriage return alone), which would put its line numbers out of step with the editor's.

    The other characters are refused by YAML's reader (see yamlfile), which costs nothing here: this
    runs on every listing file, and a regular expression over the whole text took half as long as parsing.
    """
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return file_text_problem(text, first_line)
    return None


def file_text_problem(text: str, first_line: int = 1) -> tuple[int, str] | None:
    """Return (line, message) for the first character a content file may not hold, or None."""
    found = FILE_TEXT.search(text)
    if found is None:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + first_line
    column = start - text.rfind("\n", 0, start)
    if found.group() == "\r":
        return line, (f"a carriage return (U+000D) without a line feed at column {column} — save the file with "
                      "ordinary line endings (LF, or CRLF on Windows)")
    return line, (f"contains {character_name(found.group())} at column {column}, which cannot be published — "
                  "delete it (most editors do not show it)")


def printable(text: str) -> str:
    """Return text with every character that would break a terminal line or control the terminal
    written as an escape (file names and values are echoed in messages)."""
    if text.isprintable():
        return text
    return FILE_TEXT.sub(_escape, text.replace("\r\n", "\\r\\n")).replace("\n", "\\n").replace("\t", "\\t")


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, as os.fsdecode kept it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
