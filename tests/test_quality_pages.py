"""The quality gate on the starter site, in real Chromium: one page of every template (and a later page of
each paginated list, from the paged fake directory), served with exactly the headers netlify.toml sets. Accessibility (axe, keyboard, structure, reflow, motion) and
the quick-exit link; tests/test_quality_privacy.py covers requests, cookies, headers and CSP.

Each test walks every sample and reports every problem at once. The checks live in
tests/quality.py; tests/test_quality_fixtures.py shows each one failing on a broken page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import quality
from quality import Sample

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def samples(starter_site: Path) -> list[Sample]:
    return quality.sample_pages(starter_site)


@pytest.fixture(scope="module")
def targets(samples, netlify_server, paged_site, paged_server) -> list[tuple[str, Sample]]:
    """(base URL, sample) for every page the gate opens: the starter site's samples, and a later page of
    each paginated list (the starter lists fit on one page, so these come from the paged fake directory)."""
    later_pages = quality.sample_pages(paged_site, within="/page/")
    return [(netlify_server, s) for s in samples] + [(paged_server, s) for s in later_pages]


def test_every_page_has_a_template_and_every_required_template_has_a_page(starter_site, samples):
    unmarked = [f.relative_to(starter_site).as_posix() for f in sorted(starter_site.rglob("*.html"))
                if not quality.page_template(f)]
    assert unmarked == [], "pages without <body data-template>: render them with render.page()"
    assert quality.REQUIRED_TEMPLATES - {s.template for s in samples} == set()


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items() if found)


def keyboard_problems(page) -> list[str]:
    return quality.skip_link_problems(page) + quality.focus_problems(page)


def structure_problems(page) -> list[str]:
    return quality.landmark_problems(page) + quality.heading_problems(page)


def dark_colour_problems(page) -> list[str]:
    """Return axe's colour violations of the same page in the dark colour scheme. Dark differs from light only in
    its colours, so the light pass switches the scheme in place rather than opening every page again."""
    page.emulate_media(color_scheme="dark")
    try:
        return quality.axe_violations(page, quality.COLOUR_RULES)
    finally:
        page.emulate_media(color_scheme="light")


def reflow_at_320px(page) -> list[str]:
    """Narrow the window of the page already open at 640 px to 320 px, and check it there (the layout depends on
    the width in CSS pixels, not on the pixel density, so one visit serves both widths)."""
    page.set_viewport_size({"width": 320, "height": 800})
    return quality.reflow_problems(page, 320)


# Each pass opens every sample once, in one browser setting, and runs its checks in order (the
# keyboard check last: it moves focus). 200 % zoom of a 1280 px window lays the page out 640 CSS
# pixels wide at twice the pixel density; the narrow pass checks that, then 320 px.
PASSES = {
    "light": ({"color_scheme": "light", "reduced_motion": "reduce"},
              {"axe": quality.axe_violations, "motion": quality.motion_problems, "structure": structure_problems,
               "quick-exit": quality.quick_exit_problems, "dark": dark_colour_problems, "keyboard": keyboard_problems}),
    # The Spanish pages: the checks whose results depend on the words (motion and colours do not).
    "spanish": ({"color_scheme": "light", "reduced_motion": "reduce"},
                {"axe": quality.axe_violations, "structure": structure_problems,
                 "quick-exit": quality.quick_exit_problems, "keyboard": keyboard_problems}),
    "narrow": ({"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
               {"200pct-zoom": lambda page: quality.reflow_problems(page, 640), "320px": reflow_at_320px}),
}


class Gate:
    """Runs each pass over the samples on first use and keeps {pass: {check: {sample id: problems}}}."""

    def __init__(self, browser, targets: list[tuple[str, Sample]]):
        self.browser, self.targets = browser, targets
        self.results: dict[str, dict[str, dict[str, list[str]]]] = {}

    def problems(self, pass_name: str, check: str) -> dict[str, list[str]]:
        if pass_name not in self.results:
            self.results[pass_name] = self._run(*PASSES[pass_name])
        return self.results[pass_name][check]

    def _run(self, options: dict, checks: dict) -> dict[str, dict[str, list[str]]]:
        found: dict[str, dict[str, list[str]]] = {name: {} for name in checks}
        for base, sample in self.targets:
            with quality.open_page(self.browser, base + sample.path, sample.template, **options) as (_, page, _, _):
                for name, check in checks.items():
                    found[name][sample.id] = check(page)
        return found


@pytest.fixture(scope="module")
def gate(browser, targets) -> Gate:
    return Gate(browser, targets)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_a_or_aa_violations(gate, scheme):
    problems = gate.problems("light", "axe" if scheme == "light" else "dark")
    assert not any(problems.values()), report(problems)


def test_skip_link_and_visible_focus(gate):
    problems = gate.problems("light", "keyboard")
    assert not any(problems.values()), report(problems)


def test_landmarks_and_headings_in_order(gate):
    problems = gate.problems("light", "structure")
    assert not any(problems.values()), report(problems)


@pytest.mark.parametrize("setting", ["320px", "200pct-zoom"])
def test_no_sideways_scrolling_at_320px_or_200_percent_zoom(gate, setting):
    problems = gate.problems("narrow", setting)
    assert not any(problems.values()), report(problems)


def test_nothing_moves_when_reduced_motion_is_asked_for(gate):
    problems = gate.problems("light", "motion")
    assert not any(problems.values()), report(problems)


@pytest.fixture(scope="module")
def spanish_gate(browser, spanish_server, spanish_site) -> Gate:
    """The gate over one Spanish page of every template."""
    return Gate(browser, [(spanish_server, s) for s in quality.sample_pages(spanish_site, within="/es/")])


@pytest.mark.parametrize("check", ["axe", "structure", "keyboard", "quick-exit"])
def test_spanish_pages_pass_the_same_checks(spanish_gate, check):
    assert len(spanish_gate.targets) >= 10
    problems = spanish_gate.problems("spanish", check)
    assert not any(problems.values()), report(problems)


def test_every_template_has_a_quick_exit(gate):
    problems = gate.problems("light", "quick-exit")
    assert not any(problems.values()), report(problems)
