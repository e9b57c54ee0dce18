import io

from django.core.management import call_command

from chibo.fees.models import FeeBasis, FeePayment
from chibo.meetings.models import Meeting, Minutes
from chibo.orgs.models import Org


def test_chibo_demo_writes_a_year_of_fees_once(demo):
    root = Org.objects.get(code="TU-TN")
    call_command("demo", stdout=io.StringIO())
    payments = FeePayment.objects.filter(org__path__startswith=root.path).count()
    assert payments > 1000
    assert FeeBasis.objects.filter(org__path__startswith=root.path).exists()
    call_command("demo", stdout=io.StringIO())
    assert FeePayment.objects.filter(org__path__startswith=root.path).count() == payments


def _meeting_story(root: Org) -> dict[str, int]:
    rows = Minutes.objects.filter(meeting__org__path__startswith=root.path)
    return {
        "meetings": Meeting.objects.filter(org__path__startswith=root.path).count(),
        "minutes": rows.count(),
        "corrected": rows.filter(replaced_by__isnull=False).count(),
        "locked": rows.filter(locked_at__isnull=False).count(),
        "fees": FeePayment.objects.filter(org__path__startswith=root.path).count(),
    }


def test_chibo_demo_then_reset_then_demo_again_with_corrected_minutes(demo):
    """Corrected minutes (a chain of versions) used to stop the reset's purge."""
    call_command("demo", stdout=io.StringIO())
    root = Org.objects.get(code="TU-TN")
    story = _meeting_story(root)
    assert story["meetings"] > 100 and story["corrected"] == 1
    old = Minutes.objects.get(meeting__org__path__startswith=root.path, replaced_by__isnull=False)
    new = old.replaced_by
    assert new is not None
    assert (old.number, new.number) == (1, 2)
    assert old.meeting.org.code == "DU-DT-CB01"
    assert old.is_locked and new.is_locked and new.correction_reason
    assert new.item_notes["6"].startswith(old.item_notes["6"]) and new.item_notes != old.item_notes
    old_ids = set(Minutes.objects.values_list("pk", flat=True))

    out = io.StringIO()
    call_command("demo", "--reset", stdout=out)
    root = Org.objects.get(code="TU-TN")
    assert "Xóa dữ liệu mẫu cũ" in out.getvalue()
    assert _meeting_story(root) == story
    assert not old_ids & set(Minutes.objects.values_list("pk", flat=True))

    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Lịch sinh hoạt mẫu đã có" in out.getvalue()
    assert _meeting_story(Org.objects.get(code="TU-TN")) == story
