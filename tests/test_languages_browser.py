"""The Spanish site in real Chromium: a search by ZIP code, the scripts' text in Spanish, and the language switch."""
from __future__ import annotations

import re

import pytest

from generator.pipeline import build_site
from test_search_browser import FAKE_ARTICLE, write_fake_content

SPANISH_ARTICLE = FAKE_ARTICLE.replace("title: Finding a fictional meeting", "title: Cómo encontrar una reunión inventada")


@pytest.fixture(scope="module")
def spanish_site(repo_root, tmp_path_factory, serve_dir):
    root = tmp_path_factory.mktemp("spanish")
    content = write_fake_content(root, repo_root)
    (content / "site.yaml").write_text("languages: [en, es]\ncontact: corrections@example.org\n", encoding="utf-8")
    with (content / "listings" / "ct" / "fake-hartford-tuesday.yaml").open("a", encoding="utf-8") as listing:
        listing.write("translations:\n  es:\n    summary: Una reunión semanal de doce pasos, inventada para las pruebas.\n")
    (content / "articles" / "finding-a-fictional-meeting.md").write_text(FAKE_ARTICLE, encoding="utf-8")
    (content / "articles" / "finding-a-fictional-meeting.es.md").write_text(SPANISH_ARTICLE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1799755200")  # 2027-01-12, as the English search tests
        build_site(content, root / "output")
    with serve_dir(root / "output") as url:
        yield url


def status_is(page, text: str) -> None:
    page.wait_for_function("([text]) => document.getElementById('result-status').textContent === text", arg=[text])


def test_a_spanish_search_by_zip_code_answers_in_spanish(page, spanish_site):
    page.goto(f"{spanish_site}/es/directory/")
    page.wait_for_selector("#filters:not([hidden])")
    status_is(page, "8 listados encontrados")
    page.fill("#f-place", "06103")
    page.keyboard.press("Enter")
    page.wait_for_selector("#near-title")
    # "de 06103 (código postal)": "de código postal 06103" lacks its article, and "de el" would be "del".
    assert page.locator("#near-title").text_content().startswith("En persona a menos de 25 millas de 06103 (código postal)")
    assert page.locator("#f-chips .chip").first.text_content().startswith("A menos de 25 millas de 06103")
    card = page.locator("#results .card", has_text="Fake Hartford Tuesday Group")
    meta = card.locator(".card-meta").text_content()
    # At the ZIP code's own point it names its town, not a distance; one farther off gives it in Spanish words.
    assert "Grupo local" in meta and "En persona" in meta and "Hartford, CT" in meta and "millas" not in meta
    farther = page.locator("#results .card", has_text="Fake Springfield Family Circle").locator(".card-meta")
    assert re.search(r"a \d+(,\d)? millas", farther.text_content()), farther.text_content()
    assert card.locator(".card-times").text_content().startswith("Se reúne: martes 7:00\u00a0p.m.–8:00\u00a0p.m.")
    assert card.locator(".tag").first.text_content() == "Doce pasos"
    assert card.locator(".tag").first.get_attribute("href") == "/es/support-types/12-step/"
    assert page.console_errors == []
    assert [url for url in page.requests if not url.startswith(spanish_site)] == []


def test_an_accentless_search_finds_the_accented_word(page, spanish_site):
    """Search folds accents both ways: 'recuperacion' finds 'recuperación', and the other way round."""
    page.goto(f"{spanish_site}/es/directory/?q=ficticio")
    page.wait_for_selector("#filters:not([hidden])")
    status_is(page, "0 listados encontrados")
    page.goto(f"{spanish_site}/es/directory/?q=fictíonal")
    status_is(page, "8 listados encontrados")


def test_the_language_switch_keeps_the_page_and_its_filters(page, spanish_site):
    page.goto(f"{spanish_site}/es/directory/?type=12-step")
    page.wait_for_selector("#filters:not([hidden])")
    status_is(page, "3 listados encontrados")
    assert page.inner_text("#f-open") == "Filtros (1 en uso)"  # how many filters the closed panel holds
    page.click(".language-switch a[hreflang='en']")
    page.wait_for_url(f"{spanish_site}/directory/#type=12-step")
    status_is(page, "3 listings found")
    assert page.inner_text("#f-open") == "Filters (1 in use)"
    assert page.locator("html").get_attribute("lang") == "en"
    page.click(".language-switch a[hreflang='es']")
    page.wait_for_url(f"{spanish_site}/es/directory/#type=12-step")
    status_is(page, "3 listados encontrados")  # the script has read the address into the form
    assert page.locator("input[name='type'][value='12-step']").is_checked()


def test_the_embed_speaks_the_language_its_snippet_asks_for(page, spanish_site, serve_dir, tmp_path):
    page.goto(f"{spanish_site}/widget/")
    page.wait_for_selector("#preview iframe")
    page.select_option("#b-lang", "es")
    page.select_option("#b-region", "CT")
    page.wait_for_function("document.getElementById('snippet').value.includes('data-lang=\"es\"')")
    snippet = page.input_value("#snippet")
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "index.html").write_text(
        f'<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Anfitrión</title>'
        f'<link rel="icon" href="data:,"></head><body><h1>Nuestro centro</h1>{snippet}</body></html>', encoding="utf-8")
    with serve_dir(tmp_path / "host") as host:
        page.goto(f"{host}/")
        frame = page.locator("iframe")
        assert frame.get_attribute("src").startswith(f"{spanish_site}/es/embed/?")
        assert frame.get_attribute("title").startswith("Directorio de apoyo entre pares")
        inner = frame.element_handle().content_frame()
        inner.wait_for_function("/^\\d+ listados encontrados$/.test(document.getElementById('result-status')?.textContent)")
        assert inner.locator("#f-region").input_value() == "CT"
        assert inner.evaluate("document.documentElement.lang") == "es"
        assert page.console_errors == []


def test_a_translated_summary_is_shown_and_searched_and_the_rest_marked_english(page, spanish_site):
    page.goto(f"{spanish_site}/es/directory/?q=reunion+inventada")
    page.wait_for_selector("#filters:not([hidden])")
    status_is(page, "1 listado encontrado")
    summary = page.locator("#results .card .card-summary")
    assert summary.text_content() == "Una reunión semanal de doce pasos, inventada para las pruebas."
    assert summary.get_attribute("lang") is None
    # The article is found by its Spanish title, and opens in Spanish.
    article = page.locator("#article-results a")
    assert article.text_content() == "Cómo encontrar una reunión inventada"
    assert article.get_attribute("href") == "/es/articles/finding-a-fictional-meeting/"
    page.goto(f"{spanish_site}/es/directory/?q=new+haven")
    status_is(page, "1 listado encontrado")
    summary = page.locator("#results .card .card-summary")
    assert summary.text_content().startswith("A fictional SMART Recovery meeting")
    assert summary.get_attribute("lang") == "en"
    # The Spanish summaries come in their own file, which only a Spanish page fetches.
    assert [url for url in page.requests if url.endswith(".es.json")]
    before = len(page.requests)
    page.goto(f"{spanish_site}/directory/?q=reunion+inventada")  # the English page does not search Spanish words
    page.wait_for_selector("#filters:not([hidden])")
    status_is(page, "0 listings found")
    assert [url for url in page.requests[before:] if url.endswith(".es.json")] == []
    assert [url for url in page.requests[before:] if "/search/s/" in url]  # (but the search data it has, it fetched)
    assert page.console_errors == []


def test_the_spanish_embed_builder_starts_in_spanish_and_says_so(browser, spanish_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{spanish_site}/es/widget/")
        page.wait_for_selector("#preview iframe")
        assert page.input_value("#b-lang") == "es"
        assert 'data-lang="es"' in page.input_value("#snippet")
        assert page.frame_locator("#preview iframe").locator("html").get_attribute("lang") == "es"
        page.click("#copy")
        page.wait_for_function("document.getElementById('copy-status').textContent.startsWith('Copiado.')")
        assert 'data-lang="es"' in page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()


def test_a_spanish_visitor_reads_the_next_meeting_as_times_are_written_in_the_united_states(browser, spanish_site):
    # Tuesday 17 November 2026, 15:30 in California: Hartford's 19:00 meeting is at 4:00 p.m. for this visitor.
    context = browser.new_context(timezone_id="America/Los_Angeles", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.clock.set_fixed_time("2026-11-17T23:30:00Z")
        page.goto(f"{spanish_site}/es/directory/?today=1")
        status_is(page, "1 listado encontrado")
        card = page.locator("#results .card", has_text="Fake Hartford Tuesday Group")
        # "4:00 p.m. PST", not "16:00 GMT-8": the zone named as visitors in the United States know it.
        assert " ".join(card.locator(".card-next").text_content().split()) == (
            "Próxima reunión: hoy, 4:00 p.m. PST (7:00 p.m. EST donde se reúne)")
    finally:
        context.close()


@pytest.mark.parametrize("address", ["/es/directory/?q=reunion+inventada", "/es/regions/ct/"])
def test_the_map_s_panel_shows_the_summary_in_spanish(browser, spanish_site, address):
    """The map beside the directory, and the one on a state's page, read the Spanish summaries from their file."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # where the map opens by itself
    page = context.new_page()
    try:
        page.goto(spanish_site + address)
        page.wait_for_selector("#map .map-marker")
        seen = {}
        for marker in page.locator("#map .map-marker").all():
            box = marker.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            for card in page.locator("#map .map-panel .card").all():
                summary = card.locator(".card-summary")
                seen[card.locator(".card-title").text_content()] = (summary.text_content(),
                                                                    summary.get_attribute("lang"))
        spanish = "Una reunión semanal de doce pasos, inventada para las pruebas."
        assert seen["Fake Hartford Tuesday Group"] == (spanish, None)
        assert all(lang == "en" for title, (_, lang) in seen.items() if title != "Fake Hartford Tuesday Group"), seen
    finally:
        context.close()


def test_the_map_s_note_says_where_it_is_centred_in_spanish(browser, spanish_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{spanish_site}/es/directory/?place=Hartford,+CT")
        page.wait_for_selector("#map .map-marker")
        note = page.inner_text("#map .map-note")
        assert re.fullmatch(r"\d+ listados? en el mapa alrededor de Hartford, CT(; .+ solo en la lista)?\.", note), note
    finally:
        context.close()


def test_without_the_spanish_summaries_file_the_cards_show_the_summaries_as_written(browser, spanish_site):
    context = browser.new_context()
    context.route("**/*.es.json", lambda route: route.fulfill(status=404, body="not found"))
    page = context.new_page()
    try:
        page.goto(f"{spanish_site}/es/directory/?q=hartford+tuesday")
        page.wait_for_selector("#filters:not([hidden])")
        status_is(page, "1 listado encontrado")
        summary = page.locator("#results .card .card-summary")
        assert summary.text_content().startswith("A fictional") and summary.get_attribute("lang") == "en"
    finally:
        context.close()
