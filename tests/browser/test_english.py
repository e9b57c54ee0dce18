"""The evaluation pages in English in a real browser: a member switches the language with
the footer's button on a 360 px phone, finds the self-assessment in English without sideways
scrolling (English runs longer than Vietnamese), and switches back; the committee reads
the cell's page in English on a desktop."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from chibo.evaluation.models import Round
from chibo.evaluation.services import round_open
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
YEAR = 2025


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"


def to_english(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.fixture
def compiled() -> Iterator[None]:
    """The live server reads the compiled catalogue: compile the .po as it is now, and have
    Django load it afresh (changing LOCALE_PATHS empties its cache of catalogues)."""
    call_command("i18n", verbosity=0)
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


@pytest.mark.usefixtures("compiled")
def test_the_evaluation_pages_in_english(new_page: Any, demo_live: Any) -> None:
    round_: Round = round_open(
        user=demo_live.user("danguy"),
        org=demo_live.org("DU-DT"),
        year=YEAR,
        reference_date=datetime.date(YEAR, 12, 1),
    )

    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    to_english(member)
    member.get_by_role("link", name="Evaluation and grading").first.click()
    member.wait_for_url("**/evaluation/")
    assert member.get_by_role("heading", level=1).inner_text() == "Quality evaluation and grading"
    member.get_by_role("link", name=f"Self-assessment and self-grading for {YEAR}").click()
    member.wait_for_url(f"**/evaluation/rounds/{round_.pk}/self/")
    assert member.get_by_role("heading", level=1).inner_text() == (
        f"Self-assessment and self-grading for {YEAR}"
    )
    member.get_by_label("Strengths").fill("Exemplary and hard-working")
    member.get_by_label("Shortcomings and their causes").fill("Shy to speak at meetings")
    assert member.get_by_role("button", name="Send the self-assessment").is_visible()
    no_sideways_scroll(member)
    screenshot(member, "evaluation-self-english-phone")

    with member.expect_navigation():
        member.get_by_role("button", name="Tiếng Việt").click()
    assert member.get_by_role("heading", level=1).inner_text() == (
        f"Tự đánh giá, xếp loại năm {YEAR}"
    )

    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    to_english(committee)
    committee.goto(f"/evaluation/rounds/{round_.pk}/units/DU-DT-CB01/")
    heading = committee.get_by_role("heading", level=1).inner_text()
    assert heading.startswith(f"Evaluation and grading of {YEAR} — ")
    assert committee.get_by_role("link", name="Decide the grades").is_visible()
    screenshot(committee, "evaluation-cell-english-desktop")

    phone = new_page(SMALL_PHONE)
    log_in(phone, "danguy")
    to_english(phone)
    phone.goto(f"/evaluation/rounds/{round_.pk}/")
    assert phone.get_by_role("heading", level=1).inner_text() == (
        f"Evaluation and grading of {YEAR}"
    )
    no_sideways_scroll(phone)
    screenshot(phone, "evaluation-round-english-phone")
