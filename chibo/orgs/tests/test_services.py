import pytest
from django.core.exceptions import ValidationError

from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create, org_update


def test_org_create_with_place_from_official_divisions(personas):
    ward = divisions.find_ward(19, "Xã Đại Từ")
    assert ward is not None
    org = org_create(
        parent=personas.commune, code="t-d", name="Chi bộ  xóm  Đình", family=Family.PARTY,
        level=Level.BRANCH, province_code=19, ward_code=ward, hamlet="Xóm Đình",
    )  # fmt: skip
    assert org.code == "T-D"
    assert org.name == "Chi bộ xóm Đình"
    assert org.place == "Xóm Đình, Xã Đại Từ, Thái Nguyên"
    assert org.search_text == "chi bo xom dinh t-d"
    parent = Org.objects.get_parent(org)
    assert parent is not None and parent.code == "T-C"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"code": "T-A"}, "code"),
        ({"code": "có dấu"}, "code"),
        ({"name": " "}, "name"),
        ({"province_code": 999}, "province_code"),
        ({"province_code": 1, "ward_code": 5830}, "ward_code"),
        ({"ward_code": 5830}, "ward_code"),
    ],
)
def test_org_create_refusals_name_the_field(personas, kwargs, field):
    arguments = {"code": "T-NEW", "name": "Chi bộ mới", "family": Family.PARTY,
                 "level": Level.BRANCH} | kwargs  # fmt: skip
    count = Org.objects.count()
    with pytest.raises(ValidationError) as error:
        org_create(parent=personas.commune, **arguments)
    assert field in error.value.message_dict
    assert Org.objects.count() == count


def test_org_update_keeps_code(personas):
    org_update(org=personas.cell_a, name="Chi bộ xóm Đồng Mới", short_name="CB Đồng",
               province_code=None, ward_code=None, hamlet="")  # fmt: skip
    org = Org.objects.get(code="T-A")
    assert org.name == "Chi bộ xóm Đồng Mới" and org.display_name == "CB Đồng"
