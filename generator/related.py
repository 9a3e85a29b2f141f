"""Related reading: the articles a listing's page offers, the most fitting first."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Article, Listing


class RelatedReading:
    """Ranks the site's articles for each listing.

    An article that chooses the listing in its front matter (`related_listings`, in the article or a translation)
    comes first. The rest are ranked by what they share with it: the article's support types and tags against the
    listing's support types, audiences and kind (a tag may name any term: `families`, `young-people`). A term few
    articles carry counts for more than one most of them carry, and an article that covers many terms counts for
    less on each (the cosine of their weighted terms): a guide to every kind of support does not lead every page, and
    an article for families leads a family group's. Ties go to the newer article.
    """

    def __init__(self, articles: list[Article]):
        terms = [(article, {*article.support_types, *article.tags}) for article in articles]
        carried = Counter(term for _, article_terms in terms for term in article_terms)
        # Each term's weight is its inverse document frequency: log((n + 1) / (articles carrying it + ½)) > 0.
        weight = {term: math.log((len(terms) + 1) / (count + 0.5)) for term, count in carried.items()}
        # (Summed in one order, sorted: a set's order changes from one run to the next, and a float sum in another
        # order can differ in its last digit and so break a tie the other way, a page rebuilt with nothing changed.)
        self.weighted = [(article, {term: weight[term] for term in article_terms},
                          math.sqrt(sum(weight[term] ** 2 for term in sorted(article_terms))) or 1.0)
                         for article, article_terms in terms]
        self.chosen: dict[str, set[str]] = defaultdict(set)  # listing slug → slugs of the articles that choose it
        for article in articles:
            for version in (article, *article.translations.values()):
                for slug, _ in version.related:
                    self.chosen[slug].add(article.slug)
        self.by_terms: dict[tuple, list[Article]] = {}  # listings no article chooses: one ranking per set of terms

    def for_listing(self, listing: Listing, limit: int = 3) -> list[Article]:
        """Return up to `limit` articles for the listing's page, the most fitting first."""
        chosen = self.chosen.get(listing.slug, set())
        terms = frozenset((*listing.support_types, *listing.audience, listing.kind))
        if chosen:
            return self.ranked(terms, chosen)[:limit]
        if terms not in self.by_terms:
            self.by_terms[terms] = self.ranked(terms, chosen)
        return self.by_terms[terms][:limit]

    def ranked(self, terms: frozenset[str], chosen: set[str]) -> list[Article]:
        """Return every article that is chosen or shares a term, best first."""
        scored = []
        for article, weights, norm in self.weighted:
            shared = terms & weights.keys()
            if shared or article.slug in chosen:
                score = sum(weights[term] ** 2 for term in sorted(shared)) / norm
                scored.append((article.slug not in chosen, -score, -article.date.toordinal(), article.slug, article))
        return [item[-1] for item in sorted(scored, key=lambda item: item[:4])]
