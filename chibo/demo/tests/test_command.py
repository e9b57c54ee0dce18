import io

from django.core.management import call_command

from chibo.fees.models import FeeBasis, FeePayment
from chibo.orgs.models import Org


def test_chibo_demo_writes_a_year_of_fees_once(demo):
    root = Org.objects.get(code="TU-TN")
    call_command("demo", stdout=io.StringIO())
    payments = FeePayment.objects.filter(org__path__startswith=root.path).count()
    assert payments > 1000
    assert FeeBasis.objects.filter(org__path__startswith=root.path).exists()
    call_command("demo", stdout=io.StringIO())
    assert FeePayment.objects.filter(org__path__startswith=root.path).count() == payments
