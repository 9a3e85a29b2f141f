"""The quick-exit link, driven in Chromium: it leaves for a neutral site and Back does not return.

The neutral site is answered by Playwright's routing, so no real network is needed.
"""
from __future__ import annotations

import re

import pytest

import quality

pytestmark = pytest.mark.browser

NEUTRAL_PAGE = "<!doctype html><title>Weather</title><h1>Forecast</h1>"


def route_neutral_site(context) -> list[dict]:
    """Answer the quick exit's destination locally; return the requests it received (url, referer)."""
    seen = []

    def fulfil(route):
        seen.append({"url": route.request.url, "referer": route.request.headers.get("referer")})
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route(re.compile(r"^https://www\.weather\.gov/"), fulfil)
    return seen


def test_quick_exit_leaves_and_takes_the_page_out_of_history(browser, netlify_server):
    with quality.open_page(browser, netlify_server + "/directory/", "directory.html") as (context, page, console, _):
        seen = route_neutral_site(context)
        length_before = page.evaluate("history.length")

        page.get_by_role("link", name=re.compile("^Quick exit")).click()
        page.wait_for_url("https://www.weather.gov/")

        assert page.locator("h1").inner_text() == "Forecast"
        assert page.evaluate("history.length") == length_before
        assert seen == [{"url": "https://www.weather.gov/", "referer": None}]
        page.go_back()
        assert not page.url.startswith(netlify_server), "Back returned to the directory"


@pytest.mark.parametrize("width", [320, 1280])
def test_quick_exit_is_the_second_tab_stop_and_at_the_top(browser, netlify_server, width):
    with quality.open_page(browser, netlify_server + "/", viewport={"width": width, "height": 700}) as (_, page, _, _):
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "quick-exit"
        box = page.locator("a.quick-exit").bounding_box()
        assert box is not None and box["y"] < 20, f"the quick exit is not at the top of the page: {box}"
        assert box["x"] + box["width"] > width * 0.75, f"the quick exit is not at the right: {box}"


def test_quick_exit_works_as_a_plain_link_without_javascript(browser, netlify_server):
    with quality.open_page(browser, netlify_server + "/about/", java_script_enabled=False) as (context, page, _, _):
        seen = route_neutral_site(context)
        length_before = page.evaluate("history.length")
        page.locator("a.quick-exit").click()
        page.wait_for_url("https://www.weather.gov/")
        assert seen == [{"url": "https://www.weather.gov/", "referer": None}]
        # A plain link adds a history entry: what the script's location.replace avoids.
        assert page.evaluate("history.length") == length_before + 1


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_down_a_long_page_the_crisis_lines_and_the_quick_exit_stay_one_tap_away(browser, netlify_server, width, height):
    with quality.open_page(browser, netlify_server + "/directory/", viewport={"width": width, "height": height}) as (
            context, page, _, _):
        dock = page.locator(".crisis-dock")
        assert dock.is_hidden()  # the lines at the top are on screen
        page.mouse.wheel(0, 4000)
        dock.wait_for(state="visible")
        box = dock.bounding_box()
        assert box["y"] + box["height"] <= height + 1 and box["height"] < 70  # at the foot, one line
        assert dock.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
        assert dock.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
        # At the very end the footer's last line is above the bar, not under it. (Scrolled to the end until the end
        # stays put: the rest of the page's cards come in a task after the first ten, and a slow machine may
        # scroll before they do, the footer then moving on down.)
        page.wait_for_function("""() => {
            const height = document.documentElement.scrollHeight;
            window.scrollTo(0, height);
            const settled = window.lastHeight === height;
            window.lastHeight = height;
            return settled;
        }""", polling=300)
        page.wait_for_timeout(100)
        last = page.locator(".site-footer p").last.bounding_box()
        assert last["y"] + last["height"] <= dock.bounding_box()["y"]
        # Its quick exit leaves as the one at the top does, taking the page out of history.
        seen = route_neutral_site(context)
        length_before = page.evaluate("history.length")
        dock.get_by_role("link", name=re.compile("^Quick exit")).click()
        page.wait_for_url("https://www.weather.gov/")
        assert page.evaluate("history.length") == length_before and seen[0]["referer"] is None
        # Back at the top, the bar goes.
        page.goto(netlify_server + "/directory/")
        page.mouse.wheel(0, 4000)
        dock.wait_for(state="visible")
        page.evaluate("window.scrollTo(0, 0)")
        dock.wait_for(state="hidden")


def test_in_spanish_the_bar_keeps_every_link_on_a_phone_screen(browser, spanish_server):
    url = spanish_server + "/es/directory/"
    with quality.open_page(browser, url, viewport={"width": 360, "height": 740}) as (_, page, _, _):
        # The lines at the top leave most of a small phone's screen to the page (they took 309 px of it).
        assert page.locator(".crisis").bounding_box()["height"] <= 250
        page.mouse.wheel(0, 4000)
        dock = page.locator(".crisis-dock")
        dock.wait_for(state="visible")
        for link in dock.get_by_role("link").all():
            box = link.bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740, box
        # 988 answers texts in Spanish to the word AYUDA (the 988 Lifeline's own guide to texting it).
        assert dock.get_by_role("link", name="Enviar AYUDA al 988").get_attribute("href") == "sms:988?&body=AYUDA"
        assert dock.get_by_role("link", name="Llamar al 988 (oprima 2)").get_attribute("href") == "tel:988"
        # The bar takes more than one row here, and the page leaves room for all of them at its end (it left one).
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(100)
        height = dock.bounding_box()["height"]
        room = page.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
        assert height > 60 and room >= height
        last = page.locator(".site-footer p").last.bounding_box()
        assert last["y"] + last["height"] <= dock.bounding_box()["y"]


def test_the_skip_link_moves_to_the_main_part_without_a_step_in_the_history(browser, netlify_server):
    phone = {"width": 360, "height": 640}
    with quality.open_page(browser, netlify_server + "/about/", viewport=phone) as (_, page, _, _):
        steps = page.evaluate("history.length")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert abs(page.locator("main").bounding_box()["y"]) < 1, "the main part is not at the top of the screen"
        assert page.evaluate("history.length") == steps and page.url == netlify_server + "/about/"
