"""Checks across files: duplicate listings, verification dates, and links between the site's pages."""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from .addresses import ADDRESSES, FACET_FOLDERS, language_root
from .errors import Problems
from .messages import plural
from .model import Article, Listing, Site
from .validate import is_language_code

_HREF = re.compile(r'href="(/[^"]*)"')


def check_site(site: Site, problems: Problems) -> None:
    """Record problems that only show when all listings and articles are seen together."""
    check_not_duplicate_of(site, problems)
    check_duplicates(site.listings, problems)
    check_verification(site, problems)
    check_links(site, problems)
    check_related_listings(site, problems)
    check_listing_languages(site, problems)


def check_related_listings(site: Site, problems: Problems) -> None:
    """Record an article's chosen related listing that is no listing (renamed or removed, or mistyped)."""
    known = sorted(l.slug for l in site.listings)
    for article in [a for main in site.articles for a in (main, *main.translations.values())]:
        for i, (slug, line) in enumerate(article.related):
            if slug not in site.by_slug:
                close = difflib.get_close_matches(slug, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "use a listing's file name without .yaml, or remove it"
                problems.add(article.path, line, f"related_listings[{i}]", f"'{slug}' is not a listing — {hint}")


def check_listing_languages(site: Site, problems: Problems) -> None:
    """Warn about a listing's translation into the site's own language or into a code that is no language (a
    mistyped code, usually): its pages never show it, though the open data carries it. A translation into a
    language the site does not have is counted by check_unused_translations instead."""
    others = site.config.languages[1:]
    for listing in site.listings:
        for code in listing.translations:
            if code not in others and not _unused_language(site, code):
                problems.add(listing.path, listing.line_of("translations"), f"translations.{code}",
                             f"'{code}' is not one of the site's other languages ({', '.join(others) or 'none'}), so "
                             "no page shows this translation — use one of their codes, or add the language to "
                             "`languages:` in content/site.yaml", severity="warning")


def check_unused_translations(site: Site, articles: list[Article], where: tuple[str, int],
                              problems: Problems) -> None:
    """Warn once per language the site does not have (one left out of `languages:`, say) of how many articles
    (`articles`, set aside when they were read) and listings are translated into it: no page shows them.

    One line, at `where` (site.yaml's `languages:`), not one per file: a site that turns a language off
    should not have to delete hundreds of translations to read its other warnings.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for article in articles:
        counts[article.language][0] += 1
    for listing in site.listings:
        for code in listing.translations:
            if _unused_language(site, code):
                counts[code][1] += 1
    for code, (in_articles, in_listings) in sorted(counts.items()):
        what = " and ".join(plural(n, noun) for n, noun in ((in_articles, "article"), (in_listings, "listing")) if n)
        problems.add(*where, "languages", f"{what} {'is' if in_articles + in_listings == 1 else 'are'} translated "
                     f"into '{code}', which is not one of the site's languages, so no page shows those "
                     f"translations — add '{code}' to `languages:` to publish them, or delete them "
                     f"(<slug>.{code}.md, and `translations: {{{code}: …}}` in listings)", severity="warning")


def _unused_language(site: Site, code: str) -> bool:
    """Return True if `code` is a language that the site does not have (not a mistyped code)."""
    return code not in site.config.languages and is_language_code(code)


def check_not_duplicate_of(site: Site, problems: Problems) -> None:
    """Record not_duplicate_of entries that name no listing."""
    slugs = list(site.by_slug)
    hints: dict[str, str] = {}  # each lookup compares with every slug; a copied mistake is looked up once
    for listing in site.listings:
        for slug in listing.not_duplicate_of:
            if slug not in site.by_slug:
                if slug not in hints:
                    close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
                    hints[slug] = (f" — did you mean '{close[0]}'?" if close
                                   else " — use the other listing's file name without .yaml")
                problems.add(listing.path, listing.line_of("not_duplicate_of"), "not_duplicate_of",
                             f"no listing is named '{slug}'{hints[slug]}")


def check_duplicates(listings: list[Listing], problems: Problems) -> None:
    """Warn about listings that share a name and place, a website or a phone number with an earlier one."""
    for field, label, key in (("name", "name and place", _name_key), ("contact.website", "website", _website_key),
                              ("contact.phone", "phone number", _phone_key)):
        groups: dict[str, list[Listing]] = defaultdict(list)
        for listing in listings:
            value = key(listing)
            if value:
                groups[value].append(listing)
        for group in groups.values():
            _report_group(sorted(group, key=lambda l: l.path), field, label, problems)


def _report_group(group: list[Listing], field: str, label: str, problems: Problems) -> None:
    for i, listing in enumerate(group):
        first = next((other for other in group[:i] if not _acknowledged(listing, other)), None)
        if first is None:
            continue
        problems.add(listing.path, listing.line_of(field), field,
                     f"same {label} as {first.path} ({first.name}) — if both describe one group, keep one file; "
                     f"if they are different, add not_duplicate_of: [{first.slug}] to this file",
                     severity="warning")


def _acknowledged(a: Listing, b: Listing) -> bool:
    return b.slug in a.not_duplicate_of or a.slug in b.not_duplicate_of


def _name_key(listing: Listing) -> str:
    name = re.sub(r"[^a-z0-9]+", " ", listing.name.casefold()).strip()
    return f"{name}|{listing.city.casefold()}|{listing.region}"


def _website_key(listing: Listing) -> str:
    website = listing.contact.get("website", "")
    if not website:
        return ""
    parts = urlsplit(website.strip().lower())
    host = parts.netloc.removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def _phone_key(listing: Listing) -> str:
    return listing.phone.key if listing.phone else ""


def check_verification(site: Site, problems: Problems) -> None:
    """Warn about listings last verified more than 12 months before the build, and imported listings that
    their source no longer has."""
    for listing in site.listings:
        if site.is_stale(listing):
            problems.add(listing.path, listing.line_of("last_verified"), "last_verified",
                         f"last verified {listing.last_verified.isoformat()}, more than 12 months ago — check the "
                         "facts against the source, then set last_verified to the date you checked",
                         severity="warning")
        removed = listing.imported.get("removed") if listing.imported else None
        if removed:
            publisher = listing.imported.get("organization") or f"the source '{listing.imported.get('from')}'"
            problems.add(listing.path, listing.line_of("imported.removed"), "imported.removed",
                         f"no longer in {publisher}'s list since {removed} — delete this file if the group has "
                         "stopped meeting; if it still meets, remove the `imported:` section to keep it as your own",
                         severity="warning")
        conflicts = listing.imported.get("conflicts") if listing.imported else None
        if conflicts:
            publisher = listing.imported.get("organization") or f"the source '{listing.imported.get('from')}'"
            problems.add(listing.path, listing.line_of("imported.conflicts"), "imported.conflicts",
                         f"your edit of {', '.join(conflicts)} was kept, but {publisher}'s list changed it too, so "
                         f"last_verified stays {listing.last_verified.isoformat()} — reconcile the two (ask "
                         "the list's keeper to correct it, or take its version), then remove this line",
                         severity="warning")


def check_links(site: Site, problems: Problems) -> None:
    """Record links in listings and articles to listing, article or browse pages that do not exist."""
    known = _content_pages(site)
    prefix = site.config.path_prefix
    hints: dict[tuple[str, str], str] = {}  # by (folder, slug): each suggestion compares with its whole folder
    languages = frozenset(language_root(code, False).strip("/") for code in site.config.languages[1:])
    texts = ([(l, l.description_html, "description") for l in site.listings]
             + [(l, html, f"translations.{code}.description") for l in site.listings
                for code, html in l.translated_html.items()]
             + [(a, a.body_html, "(text)") for a in site.articles]
             + [(t, t.body_html, "(text)") for a in site.articles for t in a.translations.values()])
    for item, html, field in texts:
        for href in dict.fromkeys(_HREF.findall(str(html))):
            path = urlsplit(href.removeprefix(prefix) if prefix else href).path
            parts = path.strip("/").split("/")
            if parts[0] in languages:  # /es/listings/…: a page in another language
                parts = parts[1:]
            target = (parts[0], parts[1]) if len(parts) > 1 else None
            if target and parts[0] in known and parts[1] not in known[parts[0]]:
                if target not in hints:
                    hints[target] = _suggest(parts[1], known[parts[0]])
                problems.add(item.path, _line_of_link(item.path, path, field, item), field,
                             f"links to {path}, which is not a page of this site{hints[target]}")


def _content_pages(site: Site) -> dict[str, dict[str, str]]:
    """Return, per site folder whose pages come from content, the site path of each of its pages by slug."""
    pages = {ADDRESSES.listings_folder(): {l.slug: l.url for l in site.listings},
             ADDRESSES.articles_folder(): {a.slug: a.url for a in site.articles}}
    for section in FACET_FOLDERS:
        pages[ADDRESSES.facet_index(section)] = {slug: ADDRESSES.term_page(section, slug)
                                                 for slug in site.taxonomy.sections[section]}
    return {folder.strip("/"): by_slug for folder, by_slug in pages.items()}


def _suggest(slug: str, by_slug: dict[str, str]) -> str:
    """Return a did-you-mean for the closest page in the same folder, judged by the slug only."""
    close = difflib.get_close_matches(slug, sorted(by_slug), n=1, cutoff=0.6)
    if close:
        return f" — did you mean {by_slug[close[0]]}?"
    return " — fix the address, or remove the link if the page was taken down"


def _line_of_link(path: str, href: str, field: str, item: object) -> int:
    """Return the first line of the file that mentions the link (read only when a link is broken)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    needle = href.rstrip("/")
    for number, line in enumerate(lines, 1):
        if needle in line:
            return number
    return item.line_of(field) if isinstance(item, Listing) else 1
