"""Writes: a survey saved with PUT through the survey page's forms and ``survey_save`` (version
check, Vietnamese field messages, locks, scope), a household registered with POST through the
registration page's forms, and the round trip a client makes: read a survey, change it, write it
back, recompute, read the indicator."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from households.models import Household, Member, Survey
from households.services import commune_submit, round_close
from indicators import services as indicator_services
from tests.households.factories import save

pytestmark = pytest.mark.django_db

POOR_ANSWERS = {  # tests.households.factories.POOR_FIELDS, as the API writes them
    "income_per_person": 1_000_000,
    "has_hygienic_latrine": False,
    "water_source": "surface",
    "uses_internet": False,
}


def put(client, survey_pk: int, body: dict):
    return client.put(
        reverse("api_survey_detail", args=[survey_pk]),
        json.dumps(body),
        content_type="application/json",
    )


def state(survey: Survey) -> tuple:
    survey.refresh_from_db()
    members = list(Member.objects.filter(household=survey.household_id).values_list())
    return survey.version, survey.poverty_class, survey.income_per_person, members


def poor_households(client, commune, round_) -> int:
    body = client.get(
        reverse("api_indicator_values"), {"unit": commune.pk, "round": round_.pk}
    ).json()
    values = {v["indicator"]: v for v in body["values"]}
    assert values["poor_households"]["computed_at"]
    assert values["poor_households"]["provisional"] is True  # the round is open
    return int(float(values["poor_households"]["value"]))


def test_round_trip_read_change_write_rollup(
    world, clients, cast, round_, django_capture_on_commit_callbacks
):
    survey = save(cast.officer, world["inside"]["survey"])  # not poor
    commune = world["inside"]["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=round_)
    before = poor_households(clients["officer"], commune, round_)

    url = reverse("api_survey_detail", args=[survey.pk])
    body = clients["officer"].get(url).json()
    assert body["poverty_class"] == "none"
    body["answers"].update(POOR_ANSWERS)
    response = put(clients["officer"], survey.pk, body)
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["poverty_class"] == "poor" and saved["version"] == body["version"] + 1
    assert {"water", "latrine"} <= {d["indicator"] for d in saved["deprived"]}
    assert saved["deprived_count"] == len(saved["deprived"]) >= 3

    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=round_)
    assert poor_households(clients["officer"], commune, round_) == before + 1


def test_stale_write_is_refused_and_changes_nothing(world, clients, cast):
    survey = world["inside"]["survey"]
    body = clients["officer"].get(reverse("api_survey_detail", args=[survey.pk])).json()
    save(cast.officer, survey)  # someone else saves meanwhile
    before = state(survey)
    body["answers"].update(POOR_ANSWERS)
    response = put(clients["officer"], survey.pk, body)
    assert response.status_code == 409
    assert "vừa được người khác" in response.json()["detail"]
    assert state(survey) == before


def test_invalid_input_gives_the_forms_messages_and_changes_nothing(world, clients, cast):
    survey = save(cast.officer, world["inside"]["survey"])
    before = state(survey)
    body = clients["officer"].get(reverse("api_survey_detail", args=[survey.pk])).json()
    body["answers"].update(income_per_person=-5, floor_area=0)
    body["members"][0]["citizen_id"] = "123"
    body["members"][0]["birth_date"] = "2999-01-01"
    response = put(clients["officer"], survey.pk, body)
    assert response.status_code == 400
    errors = response.json()
    assert errors["answers"]["income_per_person"] == ["Thu nhập không được là số âm."]
    assert errors["answers"]["floor_area"] == ["Diện tích nhà ở phải lớn hơn 0."]
    row = errors["members"][0]
    assert row["citizen_id"] == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]
    assert row["birth_date"] == ["Ngày sinh không được sau ngày hôm nay."]
    assert state(survey) == before

    no_head = clients["officer"].get(reverse("api_survey_detail", args=[survey.pk])).json()
    no_head["members"][0]["left"] = True
    response = put(clients["officer"], survey.pk, no_head)
    assert response.status_code == 400
    assert "members_errors" in response.json() or "members" in response.json()
    assert state(survey) == before

    missing_version = put(clients["officer"], survey.pk, {"answers": POOR_ANSWERS})
    assert missing_version.status_code == 400 and "version" in missing_version.json()
    not_an_object = put(clients["officer"], survey.pk, {"version": 1, "answers": [1]})
    assert not_an_object.status_code == 400
    assert state(survey) == before


def test_a_partial_write_keeps_what_it_leaves_out(world, clients, cast):
    survey = save(cast.officer, world["inside"]["survey"], floor_area=45)
    members = list(Member.objects.filter(household=survey.household_id, is_current=True).values())
    response = put(
        clients["officer"], survey.pk, {"version": survey.version, "answers": POOR_ANSWERS}
    )
    assert response.status_code == 200, response.content
    survey.refresh_from_db()
    assert survey.poverty_class == "poor" and survey.floor_area == 45
    after = list(Member.objects.filter(household=survey.household_id, is_current=True).values())
    assert after == members


def test_who_may_write(world, clients, cast):
    inside, outside = world["inside"]["survey"], world["outside"]["survey"]
    body = {"version": inside.version, "answers": POOR_ANSWERS}
    before = state(inside), state(outside)
    assert put(clients["anonymous"], inside.pk, body).status_code == 401
    assert put(clients["leader"], inside.pk, body).status_code == 403  # sees, may not enter
    assert put(clients["district"], inside.pk, body).status_code == 403
    assert put(clients["outsider"], inside.pk, body).status_code == 404
    assert put(clients["officer"], outside.pk, body).status_code == 404
    assert put(clients["officer"], 999_999, body).status_code == 404
    assert (state(inside), state(outside)) == before


def test_a_locked_commune_or_closed_round_is_a_conflict(world, clients, cast, round_):
    survey = save(cast.officer, world["inside"]["survey"])
    for other in Survey.objects.filter(round=round_, commune=survey.commune, status="pending"):
        save(cast.officer, other)
    commune_submit(by=cast.officer, round_=round_, commune=survey.commune)
    before = state(survey)
    response = put(clients["officer"], survey.pk, {"version": survey.version, "answers": {}})
    assert response.status_code == 409
    assert "đã được gửi hoặc tiếp nhận" in response.json()["detail"]
    assert state(survey) == before
    round_close(by=cast.admin, round_=round_)
    response = put(clients["admin"], survey.pk, {"version": survey.version, "answers": {}})
    assert response.status_code == 409 and "đã đóng" in response.json()["detail"]


def _new_household(commune, **over) -> dict:
    body = {
        "commune": commune.pk,
        "village": "Thôn 3",
        "members": [
            {
                "full_name": "Phạm Văn Mới",
                "sex": "male",
                "birth_date": "1980-05-02",
                "relation": "head",
                "ethnicity": "kinh",
                "schooling": "not_in_school",
                "education_level": "upper_secondary",
                "employment": "self_employed",
            }
        ],
    }
    body.update(over)
    return body


def test_register_a_household(world, clients, cast, round_):
    url = reverse("api_household_list")
    commune = world["inside"]["commune"]
    count = Household.objects.count()
    response = clients["officer"].post(
        url, _new_household(commune), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = Household.objects.get(pk=response.json()["id"])
    assert created.head_name == "Phạm Văn Mới" and created.commune == commune
    assert Survey.objects.filter(household=created, round=round_).exists()  # joins the round
    assert response.json()["members"][0]["full_name"] == "Phạm Văn Mới"

    count = Household.objects.count()
    bad = clients["officer"].post(
        url, _new_household(commune, village="", members=[]), content_type="application/json"
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert errors["village"] and errors["members_errors"] == ["Hộ phải có ít nhất một thành viên."]
    outside = clients["officer"].post(
        url, _new_household(world["outside"]["commune"]), content_type="application/json"
    )
    assert outside.status_code == 400 and "commune" in outside.json()  # not a choice
    for role, status in (("leader", 403), ("district", 403), ("anonymous", 401)):
        response = clients[role].post(url, _new_household(commune), content_type="application/json")
        assert response.status_code == status, role
    assert Household.objects.count() == count
