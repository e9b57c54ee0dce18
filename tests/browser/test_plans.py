"""Study and follow in a real browser: the commune committee issues a theme with its
document, a cell secretary records the cell's plan, a member writes a commitment on a
360 px phone and the secretary approves it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from chibo.plans.models import Commitment, CommitmentStatus, Theme, UnitPlan
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
TITLE = "Học tập và làm theo Bác về thực hành tiết kiệm, chống lãng phí"


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"


def test_theme_plan_commitment_and_approval(new_page, demo_live):
    year = timezone.localdate().year

    # 1. The commune committee issues the year's theme with its plan document.
    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto("/orgs/DU-DT/plans/")
    committee.get_by_role("link", name="Ban hành chuyên đề").click()
    committee.wait_for_url("**/orgs/DU-DT/plans/themes/new/")
    committee.get_by_label("Tên chuyên đề").fill(TITLE)
    committee.get_by_label("Số văn bản ban hành").fill("125-KH/ĐU")
    committee.get_by_label("Loại tài liệu kèm theo").select_option("plan")
    committee.get_by_label("Tên tài liệu kèm theo").fill(f"Kế hoạch học tập chuyên đề năm {year}")
    committee.get_by_label("Nội dung tài liệu").fill("100% chi bộ xây dựng kế hoạch trước 15/3.")
    screenshot(committee, "plans-theme-form-desktop")
    committee.get_by_role("button", name="Ban hành chuyên đề").click()
    committee.wait_for_url(re.compile(r".*/orgs/DU-DT/plans/themes/\d+/$"))
    assert "Đã ban hành chuyên đề" in committee.locator(".messages").inner_text()
    theme = Theme.objects.get(title=TITLE)
    assert theme.org.code == "DU-DT" and theme.documents.count() == 1
    screenshot(committee, "plans-theme-desktop")

    # 2. The cell secretary sees it reach the cell and records the cell's plan, on a phone.
    secretary = new_page(SMALL_PHONE)
    log_in(secretary, "bithu1")
    secretary.get_by_role("link", name="Học tập, cam kết").click()
    secretary.get_by_role("link", name="Chi bộ xóm Đồng Tiến").click()
    secretary.wait_for_url("**/orgs/DU-DT-CB01/plans/")
    secretary.get_by_role("link", name=TITLE).click()
    secretary.wait_for_url(re.compile(r".*/themes/\d+/\?year=\d+"))
    assert secretary.get_by_role("link", name="125-KH/ĐU").is_visible()
    secretary.get_by_label("Nội dung công việc").first.fill(
        "Quán triệt chuyên đề tại sinh hoạt chi bộ"
    )
    secretary.get_by_label("Thời gian hoàn thành").first.fill(f"15/03/{year}")
    secretary.get_by_label("Người thực hiện, phụ trách").first.fill("Bí thư chi bộ")
    no_sideways_scroll(secretary)
    secretary.get_by_role("button", name="Lưu kế hoạch").click()
    secretary.wait_for_url(re.compile(r".*/themes/\d+/\?year=\d+"))
    assert "Đã lưu kế hoạch" in secretary.locator(".messages").inner_text()
    plan = UnitPlan.objects.get(org__code="DU-DT-CB01", theme=theme, year=year)
    assert [item.who for item in plan.items.all()] == ["Bí thư chi bộ"]
    no_sideways_scroll(secretary)
    screenshot(secretary, "plans-unit-plan-phone")

    # 3. A plain member writes the year's commitment on a 360 px phone.
    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    member.get_by_role("link", name="Học tập, cam kết").click()
    member.wait_for_url("**/plans/")
    member.get_by_role("link", name="Viết bản cam kết").click()
    member.get_by_label("Vị trí việc làm, nhiệm vụ được giao").fill("Nông dân, đảng viên ở xóm")
    member.get_by_label("Nội dung cam kết tu dưỡng, rèn luyện, phấn đấu").fill(
        "Gương mẫu chấp hành quy ước của xóm\nVận động các hộ liền kề phân loại rác"
    )
    member.get_by_label("Kế hoạch cá nhân học tập và làm theo tư tưởng").fill(
        "Đọc chuyên đề năm, liên hệ bản thân trong sinh hoạt chi bộ"
    )
    no_sideways_scroll(member)
    screenshot(member, "plans-commitment-form-phone")
    member.get_by_role("button", name="Gửi bí thư duyệt").click()
    member.wait_for_url(re.compile(r".*/commitments/\d+/$"))
    assert "Chờ duyệt" in member.locator("main").inner_text()
    commitment = Commitment.objects.get(person__user__username="dangvien1", year=year)
    assert commitment.status == CommitmentStatus.SUBMITTED
    assert commitment.items.count() == 3
    no_sideways_scroll(member)
    screenshot(member, "plans-commitment-submitted-phone")

    # 4. The secretary approves it from the cell's commitments page.
    secretary.goto(f"/orgs/DU-DT-CB01/commitments/?year={year}")
    no_sideways_scroll(secretary)
    screenshot(secretary, "plans-compliance-phone")
    secretary.get_by_role("link", name=commitment.person.full_name).first.click()
    secretary.wait_for_url(f"**/commitments/{commitment.pk}/")
    secretary.get_by_label("Ý kiến của bí thư").fill("Cụ thể, gắn với việc ở xóm.")
    secretary.get_by_role("button", name="Duyệt", exact=True).click()
    secretary.wait_for_url(f"**/commitments/{commitment.pk}/")
    assert "Đã duyệt bản cam kết" in secretary.locator(".messages").inner_text()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.reviewed_by.username == "bithu1"
    screenshot(secretary, "plans-commitment-approved-phone")

    # The committee sees the figure at a glance, drillable to the cell.
    committee.goto(f"/orgs/DU-DT/commitments/?year={year}")
    assert committee.get_by_role("link", name="Chi bộ xóm Đồng Tiến").is_visible()
    screenshot(committee, "plans-compliance-desktop")


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
FILE_NAME = "Kế hoạch 125-KH-ĐU học tập chuyên đề.pdf"


def test_committee_uploads_a_pdf_and_a_cell_secretary_downloads_it(
    new_page, demo_live, settings, tmp_path
):
    from chibo.plans.models import Document

    settings.PLANS_DOCUMENT_DIR = tmp_path / "documents"
    source = tmp_path / FILE_NAME
    source.write_bytes(PDF)

    # The commune committee puts the signed plan, as a PDF, in its library.
    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto("/orgs/DU-DT/library/")
    committee.locator("summary", has_text="Thêm tài liệu").click()
    committee.get_by_label("Loại văn bản").select_option("plan")
    committee.get_by_label("Số, ký hiệu").fill("125-KH/ĐU")
    committee.get_by_label("Trích yếu, tên tài liệu").fill("Kế hoạch học tập chuyên đề năm")
    committee.get_by_label("Tệp toàn văn").set_input_files(str(source))
    screenshot(committee, "plans-upload-form-desktop")
    committee.get_by_role("button", name="Đưa vào tủ tài liệu").click()
    committee.wait_for_url(re.compile(r".*/orgs/DU-DT/library/\d+/$"))
    assert "Đã đưa" in committee.locator(".messages").inner_text()
    document = Document.objects.get(title="Kế hoạch học tập chuyên đề năm")
    assert document.file_name == FILE_NAME and document.file_size == len(PDF)
    screenshot(committee, "plans-uploaded-desktop")

    # A renamed file is refused with the problem named, and nothing is saved.
    fake = tmp_path / "anh-chup.png"
    fake.write_bytes(PDF)
    committee.goto("/orgs/DU-DT/library/")
    committee.locator("summary", has_text="Thêm tài liệu").click()
    committee.get_by_label("Trích yếu, tên tài liệu").fill("Ảnh chụp giả")
    committee.get_by_label("Tệp toàn văn").set_input_files(str(fake))
    committee.get_by_role("button", name="Đưa vào tủ tài liệu").click()
    committee.wait_for_load_state()
    assert "không phải tệp PNG" in committee.locator("main").inner_text()
    assert not Document.objects.filter(title="Ảnh chụp giả").exists()

    # The cell secretary finds it in the cell's library and downloads it on a phone.
    secretary = new_page(SMALL_PHONE)
    log_in(secretary, "bithu1")
    secretary.goto("/orgs/DU-DT-CB01/library/")
    assert "có tệp đính kèm" in secretary.locator("main").inner_text()
    secretary.get_by_role("link", name=re.compile("Kế hoạch học tập chuyên đề năm")).click()
    secretary.wait_for_url(f"**/orgs/DU-DT-CB01/library/{document.pk}/")
    no_sideways_scroll(secretary)
    screenshot(secretary, "plans-document-file-phone")
    with secretary.expect_download() as info:
        secretary.get_by_role("link", name=re.compile("Tải tệp")).click()
    download = info.value
    assert download.suggested_filename == FILE_NAME
    assert Path(download.path()).read_bytes() == PDF
