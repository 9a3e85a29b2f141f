"""What renderers hand the writer: (output path, bytes) pairs, and the compact JSON many of them hold."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator


class Chunks:
    """A file's bytes, made part by part only as the file is written.

    The open data files of 100,000 listings are a gigabyte together; joined in memory (and the larger
    ones copied again on the way) they were most of a build's peak memory, although each listing's part
    is in memory anyway. The writer streams them (Staging.write); `bytes()` joins them (tests, small sites).
    """

    __slots__ = ("_parts",)

    def __init__(self, parts: Callable[[], Iterable[bytes]]):
        self._parts = parts

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._parts())

    def __bytes__(self) -> bytes:
        return b"".join(self._parts())

    def __eq__(self, other) -> bool:
        return isinstance(other, (bytes, Chunks)) and bytes(self) == bytes(other)

    __hash__ = None


Files = list[tuple[str, "bytes | Chunks"]]  # (output path, its bytes) of every file a job makes

# One encoder for every compact JSON text: json.dumps with options builds a new one per call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def compact_json(value: object) -> bytes:
    """Return compact JSON in UTF-8, characters beyond ASCII kept as they are."""
    return _COMPACT.encode(value).encode("utf-8")
