"""Nobody approves their own commitment: a cell secretary's is reviewed by a deputy or by
the committee above, as the committee above reviews the cell's thematic topics."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.plans.models import Commitment, CommitmentStatus
from chibo.plans.services import commitment_review

TODAY = timezone.localdate()


def test_a_secretary_cannot_approve_their_own_commitment(demo: Any) -> None:
    secretary = demo.client("bithu1")
    response = secretary.post(
        f"/orgs/DU-DT-CB01/commitments/write/?year={TODAY.year}",
        {"job_position": "Bí thư chi bộ", "commitment_items": "Gương mẫu",
         "plan_items": "Đọc chuyên đề", "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    commitment = Commitment.objects.get(person__user__username="bithu1", year=TODAY.year)
    assert commitment.status == CommitmentStatus.SUBMITTED
    url = f"/commitments/{commitment.pk}/"

    page = secretary.get(url).content.decode()
    assert 'value="approve"' not in page and 'value="return"' not in page
    for action in ("approve", "return"):
        refused = secretary.post(url, {"action": action, "comment": "Tự duyệt"})
        assert refused.status_code == 200
        assert "không tự duyệt" in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        commitment_review(commitment=commitment, approve=True, actor=demo.user("bithu1"))
    assert "cấp ủy cấp trên" in str(error.value)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.SUBMITTED and commitment.reviewed_by is None
    assert not AuditEntry.objects.filter(
        subject_type="plans.commitment", subject_id=commitment.pk, summary__startswith="Duyệt"
    ).exists()

    # The commune's committee, above the cell, approves it.
    committee = demo.client("danguy")
    assert 'value="approve"' in committee.get(url).content.decode()
    committee.post(url, {"action": "approve", "comment": "Đồng ý"})
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.reviewed_by == demo.user("danguy")
