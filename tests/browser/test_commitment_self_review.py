"""A cell secretary opens their own commitment on a 360 px phone: no approve button, a
word on who reviews it; the commune committee approves it from a desktop."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chibo.plans.models import Commitment, CommitmentStatus, ItemKind
from chibo.plans.services import CommitmentData, ItemData, commitment_save, commitment_submit
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def test_the_secretary_sees_no_approve_button_on_their_own_commitment(new_page, demo_live):
    year = timezone.localdate().year
    bithu1 = demo_live.user("bithu1")
    commitment = commitment_save(
        person=bithu1.person,
        org=demo_live.org("DU-DT-CB01"),
        year=year,
        data=CommitmentData(
            job_position="Bí thư chi bộ",
            pledge="",
            items=[
                ItemData(ItemKind.COMMITMENT, "Gương mẫu đi đầu"),
                ItemData(ItemKind.PLAN, "Đọc chuyên đề"),
            ],
        ),
        actor=bithu1,
    )
    commitment_submit(commitment=commitment, actor=bithu1)

    phone = new_page(SMALL_PHONE)
    log_in(phone, "bithu1")
    phone.goto(f"/commitments/{commitment.pk}/")
    assert phone.get_by_role("button", name="Duyệt", exact=True).count() == 0
    assert phone.get_by_role("button", name="Trả lại để sửa").count() == 0
    assert phone.get_by_text("do phó bí thư hoặc cấp ủy cấp trên duyệt").is_visible()
    screenshot(phone, "plans-own-commitment-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]

    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto(f"/commitments/{commitment.pk}/")
    committee.get_by_role("button", name="Duyệt", exact=True).click()
    assert "Đã duyệt" in committee.locator(".messages").inner_text()
    screenshot(committee, "plans-secretary-commitment-approved-desktop")
    commitment = Commitment.objects.get(pk=commitment.pk)
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.reviewed_by_id == demo_live.user("danguy").pk
