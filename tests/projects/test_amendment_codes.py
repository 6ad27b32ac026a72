"""Households added by code in a project amendment: an unknown code and a code of a household
outside the project (another district, out of the user's scope) get the same answer, so the page
is no oracle of which household codes exist elsewhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import ProjectAmendment
from tests.conftest import unit
from tests.households.factories import member, register
from tests.projects.factories import approved, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, ba_to, members):
    return approved(proposal(cast.officer, [ba_to], members), cast.officer, cast.district)


def amend(client, user, project, codes: str):
    item = project.items.get()
    client.force_login(user)
    return client.post(
        reverse("project_amend", args=[project.pk]),
        {
            "reason": "Bổ sung hộ",
            "total_cost": "100000000", "state_support": "90000000", "counterpart_cash": "10000000",
            "counterpart_kind": "0", "counterpart_labour": "0", "policy_credit": "0",
            "other_funds": "0", "add_codes": codes, "add_category": "poor",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "1",
            "items-0-name": item.name, "items-0-unit": item.unit,
            "items-0-quantity": "10", "items-0-unit_cost": str(item.unit_cost),
        },
    )  # fmt: skip


def answer(response, code: str) -> str:
    """The page's error about the codes, with the code itself taken out."""
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index("Không có hộ đang cư trú tại xã thực hiện dự án")
    message = body[start : body.index("</", start)]
    assert code in message
    return message.replace(code, "<code>")


def test_unknown_and_out_of_scope_codes_get_the_same_answer(client, cast, project):
    elsewhere = register(cast.outsider, unit("21220"), members=[member("Phan Văn Xa")])
    unknown = "HH999999"
    assert not type(elsewhere).objects.filter(code=unknown).exists()
    before = (project.participants.count(), ProjectAmendment.objects.count())
    for user in (cast.district, cast.admin):
        a = answer(amend(client, user, project, elsewhere.code), elsewhere.code)
        b = answer(amend(client, user, project, unknown), unknown)
        assert a == b
        assert "không cư trú" not in a.lower() and "Không tìm thấy hộ" not in a
    assert (project.participants.count(), ProjectAmendment.objects.count()) == before


def test_a_household_of_the_project_commune_is_added(client, cast, project, ba_to):
    newcomer = register(cast.officer, ba_to, members=[member("Hồ Văn Mới")])
    response = amend(client, cast.district, project, newcomer.code)
    assert response.status_code == 302
    assert project.participants.filter(household=newcomer, category="poor").exists()
