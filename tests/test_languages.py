"""A site in more than one language: each page in each language under its prefix, and the interface text from the
language's gettext catalog."""
from __future__ import annotations

import csv
import gettext
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from generator.i18n import Language, script_messages
from generator.pipeline import build_site
from helpers import (ONLINE, REPO_ROOT, check_problems, html_pages, new_content, parse_page, run_build_py,
                     write_listing, write_sample_site)

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">')


def two_language_site(project: Path, languages: str = "[en, es]") -> Path:
    content = new_content(project)
    write_sample_site(content)
    with (content / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(f"languages: {languages}\ntagline: Find a fictional group\n"
                   "translations:\n  es: {tagline: Encuentre un grupo ficticio}\n")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("languages")
    build_site(two_language_site(project), project / "output")
    return project / "output"


def text(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_page_is_in_each_language_under_its_prefix(built):
    english = {p.relative_to(built).as_posix() for p in html_pages(built) if not p.relative_to(built).parts[0] == "es"}
    spanish = {p.relative_to(built / "es").as_posix() for p in html_pages(built / "es")}
    assert spanish == english
    assert 'lang="es"' in text(built, "es/directory/index.html").split("\n")[1]
    assert 'lang="en"' in text(built, "directory/index.html").split("\n")[1]
    # The files every language shares are made once, at the root.
    assert not (built / "es" / "api").exists() and not (built / "es" / "static").exists()


def test_pages_name_each_other_and_the_switch_leads_to_the_same_page(built):
    for english, spanish in (("", "es/"), ("directory/", "es/directory/"), ("listings/hartford-tuesday/",
                                                                            "es/listings/hartford-tuesday/")):
        for page in (english, spanish):
            alternates = dict(ALTERNATE.findall(text(built, page + "index.html")))
            assert alternates == {"en": f"/{english}", "es": f"/{spanish}", "x-default": f"/{english}"}
        switch_en = parse_page(text(built, english + "index.html"))
        links = [attrs for tag, attrs in switch_en.tags if tag == "a" and "data-same-page" in attrs]
        assert [(a["href"], a["hreflang"], a["lang"]) for a in links] == [(f"/{spanish}", "es", "es")]
    assert ">Español</a>" in text(built, "index.html") and ">English</a>" in text(built, "es/index.html")
    assert '<a class="crisis-link" href="sms:988">Text 988</a>' in text(built, "index.html")
    assert '<a class="crisis-link" href="sms:741741?&amp;body=HOME">Text HOME to 741741</a>' in text(built, "index.html")


def test_spanish_pages_speak_spanish_and_link_within_spanish(built):
    for page in html_pages(built / "es"):
        html = page.read_text(encoding="utf-8")
        assert "¿Necesita ayuda ahora?" in html and "Need help now?" not in html, page
        assert re.search(r"988(</a>)? y (luego )?oprima 2", html), page  # 988 answers in Spanish: press 2
        if page.parent.name != "embed":  # or text AYUDA (the embed's one line of help is its own)
            assert '<a class="crisis-link" href="sms:988?&amp;body=AYUDA">Enviar AYUDA al 988</a>' in html, page
        # Each paragraph or item that offers a text to 988 in Spanish also gives the AYUDA link, the word that
        # reaches a Spanish-speaking counselor (the footer's and home page's general "call or text" come before it).
        assert 'href="sms:988"' not in html, page
        # The Crisis Text Line, too, answers in Spanish to AYUDA (its own announcement of the service); HOME reaches
        # an English-speaking counselor.
        assert "body=HOME" not in html and "HOME" not in re.sub(r"<[^>]+>", "", html), page
        if page.parent.name != "embed":
            assert '<a class="crisis-link" href="sms:741741?&amp;body=AYUDA">Enviar AYUDA al 741741</a>' in html, page
        for offer in re.findall(r"<(p|li)\b[^>]*>((?:(?!</?\1\b).)*?texto al (?:<a [^>]*>)?988.*?)</\1>", html, re.S):
            assert 'href="sms:988?&amp;body=AYUDA"' in offer[1], (page, offer[1])
    directory = parse_page(text(built, "es/directory/index.html"))
    cards = [attrs["href"] for tag, attrs in directory.tags if tag == "a" and "/listings/" in attrs.get("href", "")]
    assert cards and all(href.startswith("/es/listings/") for href in cards)
    assert (built / "es" / "listings" / "hartford-tuesday" / "meetings.ics").is_file()


def test_spanish_pages_write_dates_days_zones_and_settings_in_spanish(built):
    listing = text(built, "es/listings/hartford-tuesday/index.html")
    assert '<th scope="row">Martes</th>' in listing and "hora oriental" in listing
    assert re.search(r'<time datetime="2026-01-05">5 de enero de 2026</time>', listing)
    english = text(built, "listings/hartford-tuesday/index.html")
    assert '<th scope="row">Tuesday</th>' in english and "Eastern Time" in english and ">5 January 2026<" in english
    # Times as each language writes them in the United States, as the browser writes the next meeting's.
    assert '<time datetime="19:00">7:00\u00a0p.m.</time>–<time datetime="20:00">8:00\u00a0p.m.</time>' in listing
    assert '<time datetime="19:00">7:00\u00a0PM</time>–<time datetime="20:00">8:00\u00a0PM</time>' in english
    assert "(America/New_York)" not in listing + english  # the zone by its name, not its database id
    assert '<h1 id="home-title">Encuentre un grupo ficticio</h1>' in text(built, "es/index.html")
    assert '<h1 id="home-title">Find a fictional group</h1>' in text(built, "index.html")
    directory = text(built, "es/directory/index.html")
    assert "<legend>Forma de apoyo</legend>" in directory and "Más filtros: tipo de apoyo, forma de apoyo" in directory


def test_the_sitemap_lists_both_languages(built):
    sitemap = text(built, "sitemap.xml")
    assert "<loc>/directory/</loc>" in sitemap and "<loc>/es/directory/</loc>" in sitemap
    assert sitemap.count("<loc>/es/") == sitemap.count("<loc>") // 2


def test_one_language_has_no_prefix_alternates_or_switch(tmp_path):
    content = new_content(tmp_path)
    write_sample_site(content)
    build_site(content, tmp_path / "output")
    home = text(tmp_path / "output", "index.html")
    assert not (tmp_path / "output" / "es").exists()
    assert "hreflang" not in home and "data-same-page" not in home and "language." not in home


def test_a_third_language_is_one_catalog_and_one_line(tmp_path):
    """Nothing is made for two languages only: a fake third one, with a catalog that marks every text."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO_ROOT / "templates", templates)
    with (templates / "locales" / "messages.pot").open("rb") as file:
        catalog = read_po(file, locale="eo")
    for message in catalog:
        if message.id:
            message.string = f"[eo] {message.id}"
    target = templates / "locales" / "eo" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as file:
        write_po(file, catalog)
    content = two_language_site(tmp_path, "[en, es, eo]")
    build_site(content, tmp_path / "output", templates=templates)
    home = text(tmp_path / "output", "eo/index.html")
    assert 'lang="eo"' in home and "[eo] Need help now?" in home
    assert dict(ALTERNATE.findall(home)) == {"en": "/", "es": "/es/", "eo": "/eo/", "x-default": "/"}
    assert "¿Necesita ayuda ahora?" in text(tmp_path / "output", "es/index.html")


def test_a_language_without_a_catalog_or_code_is_an_error_naming_the_fix(tmp_path):
    content = two_language_site(tmp_path, "[en, fr]")
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/locales/fr/LC_MESSAGES/messages.po: (catalog): is missing — the site's languages include 'fr'" \
        in result.stderr
    assert not (tmp_path / "output").exists()
    (content / "site.yaml").write_text("contact: corrections@example.org\nlanguages:\n  - en\n  - spanish\n  - en\n"
                                       "tagline: Find help\ntranslations:\n  fr: {tagline: Trouver}\n  en: {motto: x}\n")
    lines = check_problems(tmp_path)
    assert any(line.startswith("content/site.yaml:4:") and "'spanish' is not a language code" in line for line in lines)
    assert any(line.startswith("content/site.yaml:5:") and "'en' is listed twice" in line for line in lines)
    assert any(line.startswith("content/site.yaml:8: warning:") and "'fr' is not one of the site's languages" in line
               for line in lines)
    assert any(line.startswith("content/site.yaml:9:") and "'motto' cannot be translated here" in line for line in lines)


def without_translations(content: Path) -> str:
    """Return the starter taxonomy with no term's translations, as a site that has not written them yet."""
    path = content / "taxonomy.yaml"
    lines, kept, inside = path.read_text(encoding="utf-8").splitlines(keepends=True), [], False
    for line in lines:
        inside = line == "    translations:\n" or (inside and line.startswith("      "))
        if not inside:
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")
    return "".join(kept)


def test_terms_show_their_words_in_the_pages_language(tmp_path):
    content = two_language_site(tmp_path)
    taxonomy = without_translations(content)
    taxonomy = taxonomy.replace("    label: 12-step\n", "    label: 12-step\n    translations:\n"
                                "      es: {label: Doce pasos, description: Grupos que siguen los doce pasos.}\n", 1)
    (content / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    build_site(content, tmp_path / "output")
    spanish = text(tmp_path / "output", "es/support-types/index.html")
    english = text(tmp_path / "output", "support-types/index.html")
    assert ">Doce pasos</a>" in spanish and ">12-step</a>" in english and "Doce pasos" not in english
    assert "Grupos que siguen los doce pasos." in spanish
    card = text(tmp_path / "output", "es/listings/hartford-tuesday/index.html")
    assert ">Doce pasos</a>" in card


def term_page(site: Path, path: str) -> dict:
    """Return what a term's page says of its term: <title>, meta and og: descriptions, <h1>, lead and breadcrumb."""
    html = text(site, path + "index.html")
    page = parse_page(html)
    meta = {attrs.get("name") or attrs.get("property"): attrs.get("content") for tag, attrs in page.tags
            if tag == "meta"}
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    return {"title": page.title, "description": meta["description"], "og:title": meta["og:title"],
            "og:description": meta["og:description"], "h1": re.search(r"<h1>(.*?)</h1>", html).group(1),
            "lead": re.search(r'<p class="lead">(.*?)</p>', html).group(1),
            "crumbs": re.findall(r">([^<>]+)</(?:a|span)>", trail)}


# (page, label, description, its online page's heading) of a support type, a kind and a region, in each language.
TERM_PAGES = {
    "en": [("support-types/family-support/", "Family support", "Support for parents, partners",
            "Family support online"),
           ("kinds/peer-program/", "Peer program", "An organization, service or training program", ""),
           ("regions/ca/", "California", "Peer support in California.", "")],
    "es": [("es/support-types/family-support/", "Apoyo a familias", "Apoyo para padres, parejas",
            "Apoyo a familias en línea"),
           ("es/kinds/peer-program/", "Programa de apoyo entre pares", "Una organización, un servicio", ""),
           ("es/regions/ca/", "California", "Apoyo entre pares en California.", "")]}


@pytest.mark.parametrize("code", ["en", "es"])
def test_a_terms_own_pages_name_and_describe_it_in_the_pages_language(built, code):
    """A term's page, and its online page, say in the page's language what its cards already say there."""
    for path, label, description, online in TERM_PAGES[code]:
        page = term_page(built, path)
        assert page["h1"] == label and page["og:title"] == label and page["title"].startswith(f"{label} — "), page
        assert page["lead"].startswith(description) and page["crumbs"][-1] == label, page
        assert f": {description}" in page["description"] and page["og:description"] == page["description"], page
        if online:
            online_page = term_page(built, path.replace("support-types", "online"))
            assert online_page["h1"] == online and online_page["title"].startswith(f"{online} — "), online_page
            assert online_page["lead"].startswith(description) and online_page["crumbs"][-1] == label, online_page
            assert f": {description}" in online_page["description"], online_page
    # The online page's way in by support type names each type as its page does.
    online_list = text(built, ("es/" if code == "es" else "") + "online/index.html")
    named = re.findall(r'<a href="[^"]*/online/family-support/">([^<]+) <span', online_list)
    assert named == [TERM_PAGES[code][0][1]]


def test_check_names_each_term_and_text_a_language_lacks(tmp_path):
    content = two_language_site(tmp_path)
    assert "has no label" not in run_build_py("check", "--content", "content", cwd=tmp_path).stderr  # the starter's
    without_translations(content)
    lines = run_build_py("check", "--content", "content", cwd=tmp_path).stderr.splitlines()
    kinds = [line for line in lines if "kinds[" in line]
    assert kinds[0].startswith("content/taxonomy.yaml:") and "'local-group' has no label in 'es'" in kinds[0]
    assert len([line for line in lines if "has no label in 'es'" in line]) == sum(
        len(terms) for terms in yaml_sections(content))
    assert run_build_py("check", "--strict", "--content", "content", cwd=tmp_path).returncode == 1


def yaml_sections(content: Path) -> list:
    import yaml

    return [terms for terms in yaml.safe_load((content / "taxonomy.yaml").read_text(encoding="utf-8")).values()]


def catalog_ids(path: Path) -> set[str]:
    with path.open("rb") as file:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(file) if message.id}


def extracted_ids(config: Path, folder: Path, tmp_path: Path) -> set[str]:
    """Return the texts `pybabel extract` finds in `folder` with `config`, as `make messages` runs it."""
    pot = tmp_path / "extracted.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(config), "-o", str(pot), "--no-location",
                                "--omit-header", str(folder)])
    return catalog_ids(pot)


def test_the_catalog_template_holds_the_text_of_the_code_as_it_is_now(tmp_path):
    """`make messages` was run after the last change of interface text: extracting again adds and drops nothing."""
    committed = catalog_ids(REPO_ROOT / "templates/locales/messages.pot")
    assert extracted_ids(REPO_ROOT / "templates/locales/babel.cfg", REPO_ROOT, tmp_path) == committed, \
        "run `make messages` and translate what it adds"


# A script's text for the catalog: the first argument of _() or ngettext(), as a plain string literal.
COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
SCRIPT_TEXT = re.compile(r"""(?<![\w.$])(?:_|ngettext)\(\s*(["'])((?:\\.|(?!\1).)*)\1""")


def test_every_text_a_script_translates_is_in_the_catalog():
    """Read the scripts apart from Babel, whose reader has had blind spots (a call inside a template literal's
    ${…}, before parse_template_string), so that no text meant to be translated is left out of the catalog or
    of the build's table for the pages (and so shown in English on a Spanish page)."""
    committed = catalog_ids(REPO_ROOT / "templates/locales/messages.pot")
    scripts = [path for path in sorted((REPO_ROOT / "templates/static").rglob("*.js")) if "vendor" not in path.parts]
    code = {path.name: COMMENT_LINE.sub("", path.read_text(encoding="utf-8")) for path in scripts}
    calls = [(name, json.loads(f'"{match[2]}"') if match[1] == '"' else match[2])
             for name, text in code.items() for match in SCRIPT_TEXT.finditer(text)]
    assert len(calls) > 80 and {"directory.js", "map.js"} <= {name for name, _ in calls}
    assert [(name, words) for name, words in calls if words not in committed] == []
    shipped = {message if isinstance(message, str) else message[0] for message in script_messages(REPO_ROOT / "templates")}
    assert [(name, words) for name, words in calls if words not in shipped] == []  # what the build gives the pages


def test_a_text_marked_inside_a_template_literal_reaches_the_catalog_and_the_page(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "note.js").write_text(
        'export const note = (n, place) => `${ngettext("%(num)s fake", "%(num)s fakes", n)}'
        '${place ? ` ${_("around %(place)s", { place })}` : ""}.`;\n', encoding="utf-8")
    assert script_messages(tmp_path) == [("%(num)s fake", "%(num)s fakes"), "around %(place)s"]
    config = tmp_path / "babel.cfg"
    config.write_text((REPO_ROOT / "templates/locales/babel.cfg").read_text(encoding="utf-8").replace(
        "templates/static/", "static/"), encoding="utf-8")
    assert extracted_ids(config, tmp_path, tmp_path) == {"%(num)s fake", "around %(place)s"}


def test_a_catalog_lacking_text_is_warned_of_at_its_line(tmp_path):
    from generator.errors import Problems
    from generator.i18n import check_catalogs

    locales = tmp_path / "locales"
    (locales / "es" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "messages.pot").write_text('msgid "Search"\nmsgstr ""\n\nmsgid "Directory"\nmsgstr ""\n\n'
                                          'msgid "New text"\nmsgstr ""\n', encoding="utf-8")
    (locales / "es" / "LC_MESSAGES" / "messages.po").write_text(
        'msgid "Search"\nmsgstr "Buscar"\n\nmsgid "Directory"\nmsgstr ""\n', encoding="utf-8")
    problems = Problems()
    check_catalogs(("en", "es"), tmp_path, problems)
    found = [(p.line, p.message.split(" — ")[0]) for p in problems.items]
    assert found == [(4, "'Directory' has no Spanish text yet"), (0, "lacks 'New text'")]
    assert all(p.severity == "warning" for p in problems.items)


SPANISH_ARTICLE = """\
---
title: Encontrar un grupo a su medida
summary: Cómo probar varios grupos y quedarse con el que le siente bien.
date: 2026-04-01
support_types: [12-step, family-support]
---

Pruebe algunas reuniones antes de decidir.
"""


def test_an_article_in_spanish_and_one_not_yet_translated(tmp_path):
    content = two_language_site(tmp_path)
    (content / "articles" / "finding-a-group.es.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    build_site(content, tmp_path / "output")
    site = tmp_path / "output"
    translated = text(site, "es/articles/finding-a-group/index.html")
    assert "<h1 id=\"article-title\">Encontrar un grupo a su medida</h1>" in translated
    assert "Pruebe algunas reuniones" in translated and "no se ha traducido" not in translated
    assert "Try a few meetings" in text(site, "articles/finding-a-group/index.html")
    untranslated = text(site, "es/articles/first-meeting/index.html")
    assert 'Este artículo todavía no se ha traducido al español, así que aquí está en inglés.' in untranslated
    assert '<article class="prose article" aria-labelledby="article-title" lang="en">' in untranslated
    listing = text(site, "es/articles/index.html")
    assert ">Encontrar un grupo a su medida</a>" in listing and '<li lang="en">' in listing
    assert not (site / "articles" / "finding-a-group.es").exists()


def test_a_translation_of_no_article_or_into_no_language_of_the_site(tmp_path):
    content = two_language_site(tmp_path)
    (content / "articles" / "no-such-article.es.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    (content / "articles" / "finding-a-group.sp.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    lines = check_problems(tmp_path)
    assert "content/articles/no-such-article.es.md:1: (file name): translates 'no-such-article.md', which is not an " \
           "article — name it after the article it translates, as <slug>.<language>.md" in lines
    # 'sp' is no language: a mistyped code (a language the site does not have is counted in one line, as above).
    assert any(line.startswith("content/articles/finding-a-group.sp.md:1:") and "into 'sp'" in line for line in lines)


TRANSLATED = """\
    translations:
      es:
        summary: Un foro en línea moderado (y ficticio) para quienes usan las herramientas de SMART Recovery.
        description: |
          Abierto **día y noche**.
"""


def test_a_listing_shows_its_translation_and_marks_text_left_as_written(tmp_path):
    content = two_language_site(tmp_path)
    write_listing(content, "online/anytime-forum.yaml", ONLINE + "    description: Open **day and night**.\n" + TRANSLATED)
    build_site(content, tmp_path / "output")
    site = tmp_path / "output"
    spanish = text(site, "es/listings/anytime-forum/index.html")
    assert '<p class="lead">Un foro en línea moderado (y ficticio)' in spanish
    assert "<div><p>Abierto <strong>día y noche</strong>.</p></div>" in spanish and "day and night" not in spanish
    english = text(site, "listings/anytime-forum/index.html")
    assert '<p class="lead">A moderated online forum' in english and "Un foro" not in english
    # A listing without a translation keeps its own words, marked as English for screen readers and translators.
    assert '<p class="lead" lang="en">A weekly 12-step meeting' in text(site, "es/listings/hartford-tuesday/index.html")
    cards = text(site, "es/online/index.html")
    assert '<p class="card-summary">Un foro en línea' in cards and '<p class="card-summary" lang="en">A peer-led' in cards
    # Search engines read the Spanish page's own address and words; the organization is one in both languages.
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', spanish).group(1))
    assert data["mainEntityOfPage"] == "/es/listings/anytime-forum/" and data["description"].startswith("Un foro")
    assert data["@id"] == "/listings/anytime-forum/#organization"


def test_a_listings_translations_are_open_data_and_search_data(tmp_path):
    content = two_language_site(tmp_path)
    write_listing(content, "online/anytime-forum.yaml", ONLINE + TRANSLATED)
    build_site(content, tmp_path / "output")
    site = tmp_path / "output"
    records = {r["id"]: r for r in json.loads(text(site, "api/listings.json"))["listings"]}
    forum = next(r for r in records.values() if r["slug"] == "anytime-forum")
    assert forum["translations"]["es"]["summary"].startswith("Un foro en línea")
    assert all(r["translations"] == {} for r in records.values() if r["slug"] != "anytime-forum")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text(site, "api/listings.csv")))}
    assert json.loads(rows["anytime-forum"]["translations"])["es"]["description"] == "Abierto **día y noche**.\n"
    assert rows["hartford-tuesday"]["translations"] == ""
    # The search data: a shard's records carry the summaries as written, and the file beside it ('.es.json') the
    # Spanish ones in the same order, for the Spanish pages alone to fetch.
    index = json.loads(text(site, "search/index.json"))
    assert index["fields"][-3:] == ["also", "only", "gone"] and "translated" not in index["fields"]
    assert index["summaries"] == ["es"]
    urls = [url for scope in index["scopes"].values() for urls in scope["shards"].values() for url in urls]
    spanish = {}
    for url in urls:
        records = json.loads((site / url.lstrip("/")).read_text(encoding="utf-8"))
        summaries = json.loads((site / url.lstrip("/").replace(".json", ".es.json")).read_text(encoding="utf-8"))
        assert len(summaries) == len(records)
        spanish.update((record[1], summary) for record, summary in zip(records, summaries))
    assert spanish["anytime-forum"] == forum["translations"]["es"]["summary"] and spanish["hartford-tuesday"] == ""
    assert "Un foro" not in "".join((site / url.lstrip("/")).read_text(encoding="utf-8") for url in urls)


def test_with_no_summary_translated_there_are_no_summaries_files(built):
    index = json.loads(text(built, "search/index.json"))
    assert index["summaries"] == [] and not list((built / "search" / "s").rglob("*.es.json"))


def test_a_translation_into_no_language_of_the_site_is_a_warning_at_its_line(tmp_path):
    content = two_language_site(tmp_path)
    write_listing(content, "online/anytime-forum.yaml", ONLINE + TRANSLATED.replace("es:", "sp:"))
    lines = check_problems(tmp_path, "--strict")
    assert [line for line in lines if "anytime-forum" in line] == ["content/listings/online/anytime-forum.yaml:15: warning: translations.sp: 'sp' is not one of the "
                     "site's other languages (es), so no page shows this translation — use one of their codes, or add "
                     "the language to `languages:` in content/site.yaml"]


def test_a_broken_link_in_a_translation_is_named_at_its_line(tmp_path):
    content = two_language_site(tmp_path)
    (content / "articles" / "finding-a-group.es.md").write_text(
        SPANISH_ARTICLE + "\nVea [el grupo](/es/listings/hartford-tusday/).\n", encoding="utf-8")
    write_listing(content, "online/anytime-forum.yaml", ONLINE + TRANSLATED.replace(
        "Abierto **día y noche**.", "Abierto **día y noche**. [Más](/listings/anytime-forumm/)"))
    lines = check_problems(tmp_path)
    assert any(line.startswith("content/articles/finding-a-group.es.md:10: (text): links to /es/listings/hartford-tusday/")
               and "did you mean" in line for line in lines), lines
    assert any(line.startswith("content/listings/online/anytime-forum.yaml:19: translations.es.description: links to "
                               "/listings/anytime-forumm/") for line in lines), lines


def test_arizona_time_is_named_apart_from_the_mountain_time_of_its_neighbours():
    """Arizona keeps standard time all summer: 'Mountain Time' alone would put its meetings an hour out."""
    spanish = Language("es", "/es", gettext.NullTranslations())
    assert spanish.zone_name("America/Phoenix") == "hora de las Montañas Rocosas (Arizona)"
    assert spanish.zone_name("America/Denver") == "hora de las Montañas Rocosas"
    assert Language("en", "", gettext.NullTranslations()).zone_name("America/Phoenix") == "Mountain Time (Arizona)"


def test_the_states_are_listed_in_the_alphabetical_order_of_the_pages_language(built):
    """A Spanish reader looks for Carolina del Norte under C, not where North Carolina is."""
    for page, first, second in (("regions/index.html", "Maine", "North Carolina"),
                                ("es/regions/index.html", "Carolina del Norte", "Maine")):
        labels = re.findall(r'<li><a href="/(?:es/)?regions/[a-z]+/"[^>]*>([^<]+?) <span', text(built, page))
        assert len(labels) > 50 and labels == sorted(labels, key=str.casefold), page
        assert labels.index(first) < labels.index(second), page


def test_a_site_without_spanish_leaves_its_translations_unused_with_one_line_that_check_and_build_agree_on(tmp_path):
    """An adopter turns Spanish off (`languages: [en]`): the Spanish articles and listing translations are not used,
    and one line says how many and why, where there used to be an error per article and a warning per listing."""
    content = new_content(tmp_path)
    write_sample_site(content)
    (content / "site.yaml").write_text("contact: corrections@example.org\nlanguages: [en]\n", encoding="utf-8")
    (content / "articles" / "finding-a-group.es.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    write_listing(content, "online/anytime-forum.yaml", ONLINE + TRANSLATED)
    write_listing(content, "online/other-forum.yaml", ONLINE.replace("Anytime", "Other Fake") + TRANSLATED)
    summary = ("content/site.yaml:2: warning: languages: 1 article and 2 listings are translated into 'es', which is "
               "not one of the site's languages, so no page shows those translations — add 'es' to `languages:` to "
               "publish them, or delete them (<slug>.es.md, and `translations: {es: …}` in listings)")
    checked = run_build_py("check", "--content", "content", cwd=tmp_path)
    built = run_build_py("build", "--content", "content", "--output", "output", cwd=tmp_path)
    assert (checked.returncode, built.returncode) == (0, 0), built.stderr
    assert [line for line in checked.stderr.splitlines() if "'es'" in line] == [summary]
    assert checked.stderr == built.stderr  # the same lines and the same count
    assert not (tmp_path / "output" / "es").exists()
    assert "Encontrar un grupo" not in text(tmp_path / "output", "articles/finding-a-group/index.html")


def test_a_translation_into_the_sites_own_language_is_still_named_in_its_file(tmp_path):
    content = new_content(tmp_path)
    write_sample_site(content)
    (content / "articles" / "finding-a-group.en.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    lines = check_problems(tmp_path)
    assert "content/articles/finding-a-group.en.md:1: (file name): translates the article into 'en', which is not " \
           "one of the site's other languages (none) — add it to `languages:` in content/site.yaml, or rename the " \
           "file" in lines


def test_language_beside_languages_is_said_to_be_ignored(tmp_path):
    content = new_content(tmp_path)
    (content / "site.yaml").write_text("contact: corrections@example.org\nlanguage: fr\nlanguages: [en]\n",
                                       encoding="utf-8")
    result = run_build_py("check", "--content", "content", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/site.yaml:2: warning: language: is ignored, since `languages:` (line 3) is given too and its first "
        "language is the site's own — remove `language:`", "0 errors, 1 warning (errors, with --strict)"]


@pytest.mark.parametrize("block", ["", "translations:\n  es: {title: Directorio ficticio}\n"])
def test_each_setting_a_second_language_lacks_is_warned_of_with_or_without_a_translations_block(tmp_path, block):
    content = new_content(tmp_path)
    (content / "site.yaml").write_text("contact: corrections@example.org\ntitle: Fake Directory\n"
                                       f"tagline: Find a fictional group\nlanguages: [en, es]\n{block}",
                                       encoding="utf-8")
    result = run_build_py("check", "--content", "content", cwd=tmp_path)
    lacking = [line for line in result.stderr.splitlines() if "has no 'es' version" in line]
    expected = [f"content/site.yaml:{line}: warning: {key}: has no 'es' version — add it under "
                f"`translations: {{es: {{{key}: …}}}}`; until then its own words show"
                for line, key in ((2, "title"), (3, "tagline")) if not (block and key == "title")]
    assert lacking == expected
