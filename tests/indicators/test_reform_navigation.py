"""Across the 1 July 2025 reform the dashboard never answers 404: a unit of the other tree is
mapped through the crosswalk (``areas.selectors.area_across``) and the page says so; a mapped
area the user may not see gives their default area for the round, with the notice.

Table-driven over the review of ``tests/reports/conftest.py`` (2024 on the old tree, 2025 on the
new one, both rolled up): for the provincial leader, district staff and a commune officer, every
unit and group they may open on either round (their scope on both trees, their province, the
groups they see whole) × every periodic round. The dashboard HTML only (no chart data, no map).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from areas.models import Unit
from areas.scope import user_scope
from areas.services import OLD_TREE_TO
from indicators import visibility
from indicators.selectors import dashboard_rounds
from reports.exports.common import context_for
from tests.conftest import unit
from tests.reports.conftest import media_root, review  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def openable(user, rounds) -> list[tuple[str, int]]:
    """Every unit and group the user may open on any of the rounds."""
    areas: set[tuple[str, int]] = set()
    for round_ in rounds:
        scope = user_scope(user, round_.reference_date)
        units = list(scope.units())
        roots = {int(u.path.strip("/").split("/")[0]) for u in units}
        areas |= {("unit", u.pk) for u in units} | {("unit", pk) for pk in roots}
        areas |= {("group", pk) for pk in visibility.visible_group_ids(scope)}
    return sorted(areas)


def check(client, user, areas, rounds):
    client.force_login(user)
    for round_ in rounds:
        day = round_.reference_date
        for kind, pk in areas:
            response = client.get(reverse("dashboard"), {"round": round_.pk, kind: pk})
            assert response.status_code == 200, (user.username, round_.year, kind, pk)
            owner = response.context["owner"]
            body = response.content.decode()
            assert escape(owner.label) in body
            if owner.unit:
                assert owner.unit.is_valid_on(day)
            if kind == "unit" and not Unit.objects.get(pk=pk).is_valid_on(day):
                # mapped across the reform (or a fallback): the page says so
                assert owner.notice and escape(owner.notice) in body, (kind, pk, round_.year)
                assert owner.asked == ("unit", pk)


def test_leader_every_unit_and_group_on_every_round(client, cast, review):  # noqa: F811
    rounds = list(dashboard_rounds())
    assert {r.year for r in rounds} == {2024, 2025}
    areas = openable(cast.leader, rounds)
    # both provinces 51, their old districts and communes, the new communes, every group
    assert len(areas) > 300
    check(client, cast.leader, areas, rounds)


@pytest.mark.parametrize("who", ["district", "officer"])
def test_district_staff_and_officer_every_area_they_open(client, cast, review, who):  # noqa: F811
    rounds = list(dashboard_rounds())
    user = getattr(cast, who)
    areas = openable(user, rounds)
    assert len(areas) >= 4
    check(client, user, areas, rounds)


def test_the_issue_urls_map_and_say_so(client, cast, review):  # noqa: F811
    """2025 province → choose 2024; 2024 commune → choose 2025; a new commune made of several
    old ones → its old district; an old district → its former-district group."""
    r24, r25 = review.r24, review.r25
    client.force_login(cast.leader)

    def shown(round_, **area):
        response = client.get(reverse("dashboard"), {"round": round_.pk, **area})
        assert response.status_code == 200
        return response.context["owner"], response.content.decode()

    owner, body = shown(r24, unit=unit("51").pk)
    assert owner.unit == unit("51", OLD_TREE_TO)
    assert "Đợt 2024 dùng địa giới trước sắp xếp: đang xem Tỉnh Quảng Ngãi" in body
    # the round selector keeps the area asked for: back on 2025 it is the new province again
    assert f'name="unit" value="{unit("51").pk}"' in body

    owner, body = shown(r25, unit=unit("21484", OLD_TREE_TO).pk)
    assert owner.unit == unit("21484")
    assert "đang xem Xã Ba Tơ thay cho Thị trấn Ba Tơ" in body

    owner, body = shown(r24, unit=unit("21484").pk)
    assert owner.unit == unit("535", OLD_TREE_TO)
    assert "Đợt 2024 dùng địa giới trước sắp xếp: đang xem Huyện Ba Tơ thay cho Xã Ba Tơ" in body

    owner, body = shown(r25, unit=unit("535", OLD_TREE_TO).pk)
    assert owner.group.code == "huyen-cu-535"

    # the officer cannot see old Huyện Ba Tơ: their own 2024 commune, with the notice
    client.force_login(cast.officer)
    owner, body = shown(r24, unit=unit("21484").pk)
    assert owner.unit == unit("21484", OLD_TREE_TO)
    assert "ngoài phạm vi của bạn" in body


def test_bad_ids_still_404(client, cast, review):  # noqa: F811
    client.force_login(cast.leader)
    for params in ({"unit": "x"}, {"unit": 999999}, {"group": 999999}, {"group": "1; drop"}):
        response = client.get(reverse("dashboard"), {"round": review.r24.pk, **params})
        assert response.status_code == 404, params


def test_exports_map_the_same_way(cast, review):  # noqa: F811
    ctx = context_for(cast.leader, {"round": review.r24.pk, "unit": unit("51").pk})
    assert ctx.owner.unit == unit("51", OLD_TREE_TO)
    assert ctx.owner.notice
    ctx = context_for(cast.district, {"round": review.r25.pk, "unit": unit("535", OLD_TREE_TO).pk})
    assert ctx.owner.group.code == "huyen-cu-535"
