"""Every read endpoint × role × object inside / outside the Ba Tơ officer's scope, and the
filters and pagination of the lists. Outcomes follow the pages: 401 without credentials, 404 for
an object outside the caller's scope (or an unknown id), the object otherwise."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db

# Who sees which side: the leader and the administrator see the whole province.
SEES = {
    "inside": {"officer", "district", "leader", "admin"},
    "outside": {"leader", "admin", "outsider"},
}
DETAILS = {
    "api_household_detail": "household",
    "api_survey_detail": "survey",
    "api_project_detail": "project",
}


def expected(role: str, side: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role in SEES[side] else 404


@pytest.mark.parametrize("name", sorted(DETAILS))
@pytest.mark.parametrize("side", ["inside", "outside"])
def test_detail_by_role_and_scope(name, side, world, clients):
    obj = world[side][DETAILS[name]]
    url = reverse(name, args=[obj.pk])
    got = {role: clients[role].get(url).status_code for role in ROLES}
    assert got == {role: expected(role, side) for role in ROLES}
    unknown = reverse(name, args=[999_999])
    assert clients["admin"].get(unknown).status_code == 404
    assert clients["officer"].get(unknown).status_code == 404


LISTS = {
    # url name: (the object it lists, the field of each result that names it)
    "api_household_list": ("household", "id"),
    "api_survey_list": ("survey", "id"),
    "api_project_list": ("project", "id"),
}


def _all_ids(client, url, params=None) -> set[int]:
    ids, params = set(), {"page_size": 200, **(params or {})}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        url, params = body["next"], None
    return ids


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lists_hold_what_each_role_sees(name, world, clients):
    kind, _field = LISTS[name]
    url = reverse(name)
    assert clients["anonymous"].get(url).status_code == 401
    for role in ROLES[1:]:
        ids = _all_ids(clients[role], url)
        for side in ("inside", "outside"):
            assert (world[side][kind].pk in ids) == (role in SEES[side]), (role, side)


def test_units_at_a_date(world, clients):
    url = reverse("api_unit_list")
    assert clients["anonymous"].get(url).status_code == 401
    today = clients["officer"].get(url, {"level": "commune"}).json()["results"]
    assert [u["code"] for u in today] == ["21484"]  # Xã Ba Tơ of the new tree
    before = clients["officer"].get(url, {"level": "commune", "at": "2025-01-01"}).json()
    assert [u["code"] for u in before["results"]] == ["21484"]  # Thị trấn Ba Tơ, the old tree
    assert before["results"][0]["id"] != today[0]["id"]
    province = clients["leader"].get(url, {"level": "province"}).json()["results"]
    assert [u["code"] for u in province] == ["51"]
    parent = province[0]["id"]
    children = _all_ids(clients["leader"], url, {"parent": parent})
    assert children and parent not in children
    assert clients["outsider"].get(url, {"q": "Ba Tơ"}).json()["results"] == []
    bad = clients["officer"].get(url, {"at": "28/11/2026"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.json()["at"][0]


def test_rounds(world, clients, round_):
    url = reverse("api_round_list")
    assert clients["anonymous"].get(url).status_code == 401
    for role in ROLES[1:]:
        rows = clients[role].get(url).json()["results"]
        assert [r["id"] for r in rows] == [round_.pk]
        assert rows[0]["status"] == "open" and rows[0]["year"] == 2026


def test_survey_filters_as_the_list_page(world, clients, round_, cast):
    from tests.households.factories import POOR_FIELDS, save

    save(cast.officer, world["inside"]["survey"], **POOR_FIELDS)
    url = reverse("api_survey_list")
    poor = _all_ids(clients["officer"], url, {"round": round_.pk, "poverty_class": "poor"})
    assert poor == {world["inside"]["survey"].pk}
    found = _all_ids(clients["leader"], url, {"q": "Ngoài"})  # by the head's name
    assert found == {world["outside"]["survey"].pk}
    code = world["outside"]["household"].code
    assert _all_ids(clients["leader"], url, {"q": code}) == {world["outside"]["survey"].pk}
    assert _all_ids(clients["officer"], url, {"q": code}) == set()
    communes = _all_ids(clients["leader"], url, {"commune": world["outside"]["commune"].pk})
    assert world["outside"]["survey"].pk in communes
    assert world["inside"]["survey"].pk not in communes
    bad = clients["officer"].get(url, {"poverty_class": "rich"})
    assert bad.status_code == 400 and "poverty_class" in bad.json()
    assert clients["officer"].get(url, {"round": 999_999}).status_code == 404


def test_household_filters(world, clients):
    url = reverse("api_household_list")
    household = world["inside"]["household"]
    assert _all_ids(clients["leader"], url, {"q": household.code}) == {household.pk}
    assert _all_ids(clients["leader"], url, {"q": "Trong", "status": "active"}) == {household.pk}
    by_commune = _all_ids(clients["leader"], url, {"commune": world["outside"]["commune"].pk})
    assert household.pk not in by_commune and world["outside"]["household"].pk in by_commune
    assert clients["leader"].get(url, {"status": "gone"}).status_code == 400


def test_household_detail_members_and_masked_ids(world, clients, cast):
    from households.models import Member, PersonalDataAccess

    household = world["inside"]["household"]
    Member.objects.filter(household=household).update(citizen_id="051085000101")
    url = reverse("api_household_detail", args=[household.pk])
    officer = clients["officer"].get(url).json()
    assert [m["full_name"] for m in officer["members"]] == ["Nguyễn Văn Trong"]
    assert officer["members"][0]["citizen_id"] == "051085000101"  # enters data: in full
    leader = clients["leader"].get(url).json()
    assert leader["members"][0]["citizen_id"] == "051*******01"  # sees only: masked
    logged = PersonalDataAccess.objects.filter(household=household).order_by("pk")
    assert [(a.user_id, a.citizen_ids_shown) for a in logged] == [
        (cast.officer.pk, True),
        (cast.leader.pk, False),
    ]  # each read recorded, as opening the household's page is


def test_survey_detail_has_the_classification_and_answers(world, clients, cast):
    from tests.households.factories import POOR_FIELDS, save

    survey = save(cast.officer, world["inside"]["survey"], **POOR_FIELDS)
    body = clients["officer"].get(reverse("api_survey_detail", args=[survey.pk])).json()
    assert body["poverty_class"] == "poor" and body["version"] == survey.version
    assert body["answers"]["income_per_person"] == 1_000_000
    assert body["answers"]["water_source"] == "surface"
    deprived = {d["indicator"] for d in body["deprived"]}
    assert len(deprived) == body["deprived_count"] == survey.deprived_count >= 3
    assert {"previous_class", "transition", "income_per_person"} <= set(body)
    assert body["answers_from"] == survey.pk


def test_pages_cost_a_fixed_number_of_queries(world, clients, cast, django_assert_max_num_queries):
    from tests.households.factories import register

    commune = world["inside"]["commune"]
    for _ in range(8):
        register(cast.officer, commune)
    for name in ("api_household_list", "api_survey_list", "api_project_list"):
        with django_assert_max_num_queries(12):
            response = clients["officer"].get(reverse(name), {"page_size": 5})
        assert response.status_code == 200
        assert "count" not in response.json()  # no COUNT(*): cursor pages
    first = clients["officer"].get(reverse("api_household_list"), {"page_size": 3}).json()
    second = clients["officer"].get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 6


@pytest.mark.parametrize("name", ["api_indicator_values", "api_target_list"])
@pytest.mark.parametrize("side", ["inside", "outside"])
def test_indicator_values_and_targets_follow_the_dashboard_scope(name, side, world, clients):
    url = reverse(name)
    commune = world[side]["commune"]
    got = {role: clients[role].get(url, {"unit": commune.pk}).status_code for role in ROLES}
    assert got == {role: expected(role, side) for role in ROLES}
    assert clients["officer"].get(url, {"unit": "x"}).status_code == 400
    assert clients["officer"].get(url, {"round": 999_999}).status_code == 404


def test_indicator_values_name_their_owner(world, clients, round_):
    inside = world["inside"]["commune"]
    url = reverse("api_indicator_values")
    body = clients["officer"].get(url, {"unit": inside.pk, "round": round_.pk}).json()
    assert body["owner"] == {"kind": "unit", "id": inside.pk, "label": inside.label}
    assert body["round"] == round_.pk and body["notice"] == ""


def test_keyset_pages_forward_and_back_in_the_list_order(world, clients, cast):
    from tests.households.factories import register

    for commune in (world["inside"]["commune"], world["outside"]["commune"]):
        for _ in range(3):
            register(cast.admin, commune)
    url = reverse("api_survey_list")
    pages, link = [], url + "?page_size=3"
    while link:
        body = clients["admin"].get(link).json()
        pages.append(body)
        link = body["next"]
    rows = [row for page in pages for row in page["results"]]
    keys = [(row["commune"], row["household"]["id"]) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) == 10
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    back = clients["admin"].get(pages[2]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    bad = clients["admin"].get(url, {"cursor": "not-a-cursor"})
    assert bad.status_code == 404 and bad.json()["detail"] == "Con trỏ trang không hợp lệ."
