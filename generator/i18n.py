"""The site's languages: each one's interface text, from gettext catalogs compiled at build, and its pages' root.

The templates and code are written in English (SOURCE). Another language's text is the catalog
templates/locales/<code>/LC_MESSAGES/messages.po, kept up to date from the templates with Babel
(`make messages`); the build compiles it in memory, so no compiled .mo file is ever committed or stale.
The first language of `languages:` in content/site.yaml has its pages at the site's root, each other one
under its code (/es/directory/).
"""
from __future__ import annotations

import datetime
import gettext
import io
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_timezone_name
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import Markup

from .addresses import Addresses, language_root
from .load import display_path
from .model import TIMEZONE_LABELS

SOURCE = "en"  # the language the templates and code are written in: it needs no catalog
DOMAIN = "messages"
MISSING_CATALOG = ("is missing — the site's languages include '{code}': add its catalog (see the README's 'Adding a "
                   "language') or take the language out of content/site.yaml")


class CatalogProblem(Exception):
    """A language's catalog is missing or broken: its file, the line (0: the file) and what to do."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Language:
    """One language of the site: its code, where its pages sit, and its interface text."""

    code: str
    root: str  # the site path its pages sit under: '' for the first language, '/es' for the others
    translations: gettext.NullTranslations

    @property
    def addresses(self) -> Addresses:
        return Addresses(self.root)

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    @cached_property
    def weekdays(self) -> list[str]:
        """Return the names of the days of the week in the language, Sunday first, capitalized as in a list."""
        wide = self.locale.days["format"]["wide"]  # Monday is 0
        return [_capitalized(wide[(day + 6) % 7]) for day in range(7)]

    def date_long(self, day: datetime.date) -> str:
        """Return a date written out: '3 December 2026' in English, '3 de diciembre de 2026' in Spanish."""
        return format_date(day, "d MMMM y" if self.code == SOURCE else "long", locale=self.locale)

    @cached_property
    def clock_locale(self) -> Locale:
        """Return the locale times are written in: the language as it is written in the United States, where the
        directory's meetings are ('7:00 p.m.' in Spanish), or the language itself where Babel has no such locale."""
        if "-" in self.code:
            return self.locale
        try:
            return Locale.parse(f"{self.code}_US")
        except (UnknownLocaleError, ValueError):
            return self.locale

    def clock(self, time: str) -> str:
        """Return a wall-clock time ('19:00' in the content) as the language writes it: '7:00 PM' in English,
        '7:00 p.m.' in Spanish, as meeting-times.js writes it in the browser: with a no-break space before 'PM'
        (CLDR's narrow one, which some browsers write as a plain space), so that a time is never split across
        lines."""
        hours, minutes = time.split(":")
        text = format_time(datetime.time(int(hours) % 24, int(minutes)), format="short", locale=self.clock_locale)
        return text.replace("\u202f", "\u00a0").replace(" ", "\u00a0")

    def zone_name(self, zone: str) -> str:
        """Return a time zone's name as people say it ('Eastern Time', 'hora oriental'); its ID when unknown."""
        if self.code == SOURCE:
            return TIMEZONE_LABELS.get(zone, zone)
        try:
            name = get_timezone_name(zone, "long", locale=self.locale, zone_variant="generic")
        except LookupError:
            return zone
        # Arizona keeps standard time all year: its name must not be the Mountain Time of its neighbours.
        return f"{name} (Arizona)" if zone == "America/Phoenix" else name

    def name_of(self, code: str) -> str:
        """Return the name of the language `code` in this language: 'inglés' for 'en' in Spanish."""
        return Locale.parse(code, sep="-").get_display_name(self.locale) or code

    @property
    def name(self) -> str:
        """Return the language's name in itself, as a language switch shows it: 'English', 'Español'."""
        return _capitalized(self.locale.get_display_name(self.locale) or self.code)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def template_functions(translations: gettext.NullTranslations):
    """Return the gettext and ngettext the templates call, as Jinja's i18n extension makes them with newstyle=True:
    the text (and its translation) is HTML, values are escaped and filled in by name, ngettext's number is
    %(num)s. Without the context lookup the extension's wrappers make on every call, and translating each
    text once: they were a third of a build's time at 10,000 listings."""
    marked: dict[str, Markup] = {}

    def gettext_(text: str, **values) -> Markup:
        html = marked.get(text)
        if html is None:
            html = marked[text] = Markup(translations.gettext(text))
        return html % values if "%" in html else html

    def ngettext_(singular: str, plural: str, n: int, **values) -> Markup:
        return Markup(translations.ngettext(singular, plural, n)) % {"num": n, **values}

    return gettext_, ngettext_


def known_locale(code: str) -> bool:
    """Return True if Babel has the locale data of a language code ('es', 'pt-BR')."""
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def catalog_path(templates: Path, code: str) -> Path:
    return templates / "locales" / code.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_languages(codes: tuple[str, ...], templates: Path) -> list[Language]:
    """Return the site's languages, each with its catalog compiled; raise CatalogProblem for a missing or broken one."""
    return [Language(code, language_root(code, main=i == 0), translations_for(code, templates))
            for i, code in enumerate(codes)]


def check_catalogs(codes: tuple[str, ...], templates: Path, problems) -> None:
    """Record, for each language but the source, its missing catalog (an error) and each interface text it lacks
    (a warning: the English shows there)."""
    template = _read_catalog(templates / "locales" / f"{DOMAIN}.pot")
    for code in codes:
        if code == SOURCE:
            continue
        path = catalog_path(templates, code)
        shown = display_path(path)
        if not path.is_file():
            problems.add(shown, 0, "(catalog)", MISSING_CATALOG.format(code=code))
            continue
        catalog = _read_catalog(path, code)
        if catalog is None:
            continue  # the build says why it cannot be read
        name = Locale.parse(code, sep="-").get_language_name(SOURCE) or code
        for message in catalog:
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            if message.id and (not all(strings) or message.fuzzy):
                problems.add(shown, message.lineno, "(catalog)", f"{_quoted(message.id)} has no {name} text yet — "
                             "write it in msgstr (and drop any '#, fuzzy' line); until then the English shows",
                             severity="warning")
        for message in template or ():
            if message.id and message.id not in catalog:
                problems.add(shown, 0, "(catalog)", f"lacks {_quoted(message.id)} — run `make messages` to add the "
                             "templates' new text, then translate it", severity="warning")


def _read_catalog(path: Path, code: str | None = None):
    try:
        with path.open("rb") as file:
            return read_po(file, locale=code.replace("-", "_") if code else None)
    except (OSError, PoFileError, UnicodeDecodeError, ValueError):
        return None


def _quoted(text: str | tuple) -> str:
    text = text[0] if isinstance(text, tuple) else text
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def script_text(language: Language, templates: Path) -> str:
    """Return the JSON the scripts of a page in `language` read their text from (text.js): each text of
    templates/static/*.js in the language, a plural as its forms by CLDR category; '' for English."""
    if language.code == SOURCE:
        return ""
    table: dict[str, str | dict[str, str]] = {}
    categories = _plural_categories(language.locale)
    for message in script_messages(templates):
        if isinstance(message, tuple):
            forms = [language.translations.ngettext(*message, n) for n in _plural_samples(language.locale)]
            table[message[0]] = dict(zip(categories, forms))
        else:
            table[message] = language.translations.gettext(message)
    # In an HTML <script> element, '</' would end it: JSON allows the escape.
    return json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")


def script_messages(templates: Path) -> list[str | tuple[str, str]]:
    """Return the text the scripts of templates/static/ mark: _("…") and ngettext("…", "…", n)."""
    found: dict[str | tuple[str, str], None] = {}
    for path in sorted((templates / "static").glob("*.js")):
        with path.open("rb") as file:
            for _, message, _, _ in extract("javascript", file, keywords=SCRIPT_KEYWORDS, options=SCRIPT_OPTIONS):
                found[message] = None
    return list(found)


SCRIPT_KEYWORDS = {"_": None, "ngettext": (1, 2)}
# Read the calls inside a template literal's ${…} too, which Babel skips otherwise (as templates/locales/babel.cfg).
SCRIPT_OPTIONS = {"parse_template_string": True}


def _plural_categories(locale: Locale) -> list[str]:
    """Return the language's CLDR plural categories in the order of its gettext forms (Babel's order)."""
    return [tag for tag in ("zero", "one", "two", "few", "many") if tag in locale.plural_form.tags] + ["other"]


def _plural_samples(locale: Locale) -> list[int]:
    """Return a number of each plural category, in the order of _plural_categories."""
    samples = {}
    for n in (*range(0, 200), 1_000_000):
        samples.setdefault(locale.plural_form(n), n)
    return [samples[tag] for tag in _plural_categories(locale)]


def translations_for(code: str, templates: Path) -> gettext.NullTranslations:
    """Return the interface text of a language: none to look up for the source language."""
    if code == SOURCE:
        return gettext.NullTranslations()
    path = catalog_path(templates, code)
    shown = display_path(path)
    try:
        with path.open("rb") as file:
            catalog = read_po(file, locale=code.replace("-", "_"), abort_invalid=True)
    except FileNotFoundError:
        raise CatalogProblem(shown, 0, MISSING_CATALOG.format(code=code)) from None
    except PoFileError as exc:
        raise CatalogProblem(shown, getattr(exc, "lineno", 0), f"{exc} — fix the catalog's entry there") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogProblem(shown, 0, f"cannot be read as a gettext catalog ({exc}) — save it as UTF-8 text") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
