"""Valid HTML: the Nu HTML Checker (vnu) finds no error in any page of the starter site, of the
sample site (schedules, phones, addresses) or of the paged site (lists of several pages), and does find
the broken fixture's errors.

All four folders go through ONE vnu run per session: each run starts a Java virtual machine.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import quality
from test_quality_fixtures import BROKEN


@pytest.fixture(scope="module")
def vnu_report(starter_site: Path, sample_site: Path, paged_site: Path, spanish_site: Path) -> list[str]:
    # The starter is in Spanish too (its es/ folder): then the Spanish site is the starter.
    spanish = [spanish_site / "es"] if spanish_site != starter_site else []
    return quality.vnu_errors(starter_site, sample_site, paged_site, *spanish, BROKEN)


def errors_under(report: list[str], folder: Path) -> list[str]:
    return [line for line in report if line.startswith(str(folder.resolve()) + "/")]


@pytest.mark.parametrize("site", ["starter_site", "sample_site", "paged_site", "spanish_site"])
def test_every_page_is_valid_html(vnu_report, site, request):
    folder = request.getfixturevalue(site) / ("es" if site == "spanish_site" else "")
    assert len(list(folder.rglob("*.html"))) > 5
    assert errors_under(vnu_report, folder) == []


def test_the_checker_reports_invalid_html(vnu_report):
    page = str(BROKEN.resolve() / "index.html")
    assert f"{page}:25: Stray end tag “section”." in errors_under(vnu_report, BROKEN)
