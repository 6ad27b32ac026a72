"""Who sees which aggregates (``indicators.visibility``): dashboards, maps and exports × roles
(commune officer, district staff, leader, an officer of another district) × groups (the Ba Tơ
former-district group, "Các huyện miền núi" spanning five former districts). The officer gets no
figure of a commune outside their scope.

Data: the review of ``tests/reports/conftest.py`` (2025, new tree): households in Xã Ba Tơ (the
officer's), Xã Ba Vinh (former Ba Tơ district, not the officer's) and Xã Sơn Tịnh.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from areas.models import UnitGroup
from indicators.models import IndicatorValue
from tests.conftest import unit
from tests.reports.conftest import data_rows, media_root, review  # noqa: F401 (fixtures)
from tests.reports.test_exports_aggregate import workbook
from tests.reports.test_exports_lists import download, household_rows, run_export

pytestmark = pytest.mark.django_db

RESTRICTED = "các xã trong phạm vi của người dùng"


def groups():
    return UnitGroup.objects.get(code="huyen-cu-535"), UnitGroup.objects.get(code="mien-nui")


def dashboard(client, user, round_, **area):
    client.force_login(user)
    return client.get(reverse("dashboard"), {"round": round_.pk, **area})


def map_tips(client, round_, **area) -> dict[str, str]:
    """{commune code: its tooltip} of the map's communes."""
    svg = client.get(reverse("dashboard_map"), {"round": round_.pk, **area}).content.decode()
    return dict(re.findall(r"\((\d{5})\): ([^<]*)</title>", svg))


def test_officer_never_gets_a_group_aggregate(client, cast, review):  # noqa: F811
    r25 = review.r25
    ba_to = unit("21484")
    for group in groups():
        response = dashboard(client, cast.officer, r25, group=group.pk)
        assert response.status_code == 200
        owner = response.context["owner"]
        assert owner.unit == ba_to and owner.group is None  # fell back to their commune
        assert "chỉ dành cho người xem được mọi xã trong nhóm" in response.content.decode()
        tips = map_tips(client, r25, group=group.pk)
        assert {code for code, tip in tips.items() if "%" in tip} <= {"21484"}


def test_officer_on_the_province_sees_its_totals_not_other_communes(client, cast, review):  # noqa: F811
    r25 = review.r25
    province = unit("51")
    response = dashboard(client, cast.officer, r25, unit=province.pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["owner"].unit == province
    value = IndicatorValue.objects.get(round=r25, unit=province, indicator__code="poor_rate").value
    assert f"{value:.2f}".replace(".", ",") in body  # the province's published total
    assert "Huyện Ba Tơ (cũ)" not in body and "Sơn Tịnh" not in body
    assert "Chỉ hiện 0/" in body and "trong phạm vi của bạn" in body
    tips = map_tips(client, r25, unit=province.pk)
    assert {code for code, tip in tips.items() if "%" in tip} == {"21484"}


def test_district_staff_see_their_group_not_the_mountain_group(client, cast, review):  # noqa: F811
    r25 = review.r25
    ba_to_group, mountain = groups()
    response = dashboard(client, cast.district, r25, group=ba_to_group.pk)
    assert response.context["owner"].group == ba_to_group
    rows = response.context["breakdown"]
    assert {r["owner"].code for r in rows} >= {"21484", "21490"}
    response = dashboard(client, cast.district, r25, group=mountain.pk)
    assert response.status_code == 200
    assert response.context["owner"].group == ba_to_group  # their default, with the notice
    assert response.context["owner"].notice
    tips = map_tips(client, r25, group=mountain.pk)
    assert "%" in tips["21490"] and "%" not in tips["21220"]


def test_leader_sees_every_group_whole(client, cast, review):  # noqa: F811
    r25 = review.r25
    _ba_to_group, mountain = groups()
    response = dashboard(client, cast.leader, r25, group=mountain.pk)
    assert response.context["owner"].group == mountain
    assert len(response.context["breakdown"]) == 24
    assert 'data-testid="breakdown-hidden"' not in response.content.decode()


def test_outsider_gets_404_for_groups_they_see_nothing_of(client, cast, review):  # noqa: F811
    for group in groups():
        assert dashboard(client, cast.outsider, review.r25, group=group.pk).status_code == 404
    response = dashboard(client, cast.outsider, review.r25, unit=unit("51").pk)
    assert response.status_code == 200
    assert "Huyện Ba Tơ (cũ)" not in response.content.decode()


def labels(ws) -> list[str]:
    _first, rows = data_rows(ws)
    return [str(r[1]) for r in rows if r[1]]


def test_results_export_per_role(client, cast, review):  # noqa: F811
    r25 = review.r25
    ba_to_group, mountain = groups()
    # the officer asking for the mountain group: their commune, said in the header
    ws = workbook(client, cast.officer, "results", r25, f"group:{mountain.pk}")
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Xã Ba Tơ" in text and "Ba Vinh" not in text and "Xã Ba Xa" not in text
    # the officer asking for the province: its total and their commune, title says so
    ws = workbook(client, cast.officer, "results", r25, f"unit:{unit('51').pk}")
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert RESTRICTED.upper() in text  # the title, in capitals
    assert "Ba Vinh" not in text and "Sơn Tịnh" not in text
    # district staff: their group whole; the mountain group falls back to their group
    ws = workbook(client, cast.district, "results", r25, f"group:{ba_to_group.pk}")
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Ba Vinh" in text and RESTRICTED not in text
    ws = workbook(client, cast.district, "results", r25, f"group:{mountain.pk}")
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Huyện Ba Tơ (cũ)" in text and "Sơn Hà" not in text
    # the leader: the mountain group's 24 communes
    ws = workbook(client, cast.leader, "results", r25, f"group:{mountain.pk}")
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Các huyện miền núi" in text and RESTRICTED not in text
    # the other district's officer: the group is a 404
    response = client.post(
        reverse("export_create"),
        {"report": "results", "round": r25.pk, "area": f"group:{mountain.pk}"},
    )
    assert response.status_code == 200
    client.force_login(cast.outsider)
    response = client.post(
        reverse("export_create"),
        {"report": "results", "round": r25.pk, "area": f"group:{mountain.pk}"},
    )
    assert response.status_code == 404


def test_poor_list_title_says_what_it_holds(
    client,
    cast,
    review,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    r25 = review.r25
    _ba_to_group, mountain = groups()
    mine = {review.households["stuck"].code, review.households["worse"].code}
    data = {"report": "list_poor", "round": r25.pk, "area": f"group:{mountain.pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.officer, data)
    ws = download(client, job)
    text = " ".join(str(c.value) for row in ws.iter_rows(max_row=8) for c in row if c.value)
    assert "Địa bàn: Xã Ba Tơ" in text and "Địa bàn: Các huyện miền núi" not in text
    _first, rows = data_rows(ws)
    assert {r[1] for r in household_rows(rows)} == mine
    data = {"report": "list_poor", "round": r25.pk, "area": f"unit:{unit('51').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.officer, data)
    ws = download(client, job)
    text = " ".join(str(c.value) for row in ws.iter_rows(max_row=8) for c in row if c.value)
    assert RESTRICTED.upper() in text  # the title, in capitals
    _first, rows = data_rows(ws)
    assert {r[1] for r in household_rows(rows)} == mine


def test_export_area_choices_offer_only_whole_groups(client, cast, review):  # noqa: F811
    from reports.exports.common import area_choices

    ba_to_group, mountain = groups()
    _units, offered = area_choices(cast.officer, review.r25)
    assert offered == []
    units, offered = area_choices(cast.district, review.r25)
    assert [key for key, _name in offered] == [f"group:{ba_to_group.pk}"]
    assert units[0][0] == f"unit:{unit('51').pk}"  # the province's published totals
    _units, offered = area_choices(cast.leader, review.r25)
    assert f"group:{mountain.pk}" in {key for key, _name in offered}
