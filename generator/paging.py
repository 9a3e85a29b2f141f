"""Split a long list of listings into numbered pages.

Page 1 stays at the list's own address (`/kinds/local-group/`); page n is at `<address>page/<n>/`, so
links to a list never break when it grows past one page.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .addresses import list_page, output_file

T = TypeVar("T")

#: Listings per page. Fifty cards are about 80 KB of HTML: quick on a phone on a slow connection,
#: and few enough pages that "page 3 of 7" still means something.
PAGE_SIZE = 50

#: Page numbers the navigation shows on each side of the current one (besides the first and last).
AROUND = 1


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its list: the list's address, this page's number and the totals."""

    base: str  # site path of page 1, ending in "/"
    number: int  # this page, from 1
    count: int  # pages in the list (1 for an empty list)
    total: int  # items in the list
    size: int  # items per page

    @property
    def first(self) -> int:
        """Return the position (from 1) of the first item on this page; 0 on an empty list."""
        return min((self.number - 1) * self.size + 1, self.total)

    @property
    def last(self) -> int:
        """Return the position (from 1) of the last item on this page."""
        return min(self.number * self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    def url(self, number: int) -> str:
        """Return the site path of a page of this list."""
        return list_page(self.base, number)

    @property
    def path(self) -> str:
        """Return the output file of this page, relative to the site folder."""
        return output_file(self.url(self.number))

    def numbers(self) -> list[int | None]:
        """Return the page numbers the navigation links to, in order, with None where some are left out.

        The first, the last and AROUND on each side of this page are always shown; a gap of a single
        page shows that page rather than an ellipsis, which would take as much room.
        """
        wanted = {1, self.count, *range(self.number - AROUND, self.number + AROUND + 1)}
        shown: list[int | None] = []
        previous = 0
        for n in sorted(n for n in wanted if 1 <= n <= self.count):
            if n - previous == 2:
                shown.append(n - 1)
            elif n - previous > 2:
                shown.append(None)
            shown.append(n)
            previous = n
        return shown


def page_count(total: int, size: int | None = None) -> int:
    """Return how many pages a list of `total` items takes (an empty list still has its one page)."""
    size = size or PAGE_SIZE
    return max(1, -(-total // size))


def paginate(items: Sequence[T], base: str, size: int | None = None) -> Iterator[tuple[Pager, Sequence[T]]]:
    """Yield (pager, the items on that page) for every page of a list, in order."""
    size = size or PAGE_SIZE
    count = page_count(len(items), size)
    for number in range(1, count + 1):
        yield Pager(base, number, count, len(items), size), items[(number - 1) * size:number * size]


def page_urls(base: str, total: int) -> Iterator[str]:
    """Yield the site path of every page of a list of `total` items."""
    yield from (list_page(base, number) for number in range(1, page_count(total) + 1))
