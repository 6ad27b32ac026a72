"""Input hygiene: names normalised by one rule on the survey page, registration and the Excel
import; the member rows posted must be the household's own, and its head is never replaced or
removed silently."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areas.text import person_name
from households.models import Household, Member, Survey
from reports.models import JobStatus
from tests.households.factories import member, register
from tests.households.test_survey_page import current_members, form_data, new_household
from tests.reports.test_import_data import confirm, hh, mb, state, validate, xlsx

pytestmark = pytest.mark.django_db

ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
DIGIT_MESSAGE = "Họ tên không được chứa chữ số."
LETTER_MESSAGE = "Họ tên phải có ít nhất một chữ cái."
TAMPERED = "Danh sách thành viên gửi lên không khớp với hộ đang nhập"
HEAD_KEPT = "Không thể bỏ chủ hộ hoặc đổi quan hệ của chủ hộ mà không chọn “Đổi chủ hộ”."


@pytest.fixture
def survey(cast, ba_to, round_):
    household = register(
        cast.officer,
        ba_to,
        members=[member("Nguyễn Văn An"), member("Nguyễn Thị Bình", relation="spouse")],
    )
    return Survey.objects.get(household=household, round=round_)


def post(client, user, survey, data):
    client.force_login(user)
    return client.post(reverse("survey_edit", args=[survey.pk]), data)


def snapshot(survey) -> tuple:
    survey.refresh_from_db()
    members = survey.household.members.order_by("pk").values_list(
        "pk", "full_name", "relation", "is_current"
    )
    return survey.version, survey.status, list(members), Member.objects.count()


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (f"Nguy{ZWSP}ễn Văn{ZWJ} An", "Nguyễn Văn An"),
        (f"{BOM}Trần{WJ} Thị{ZWNJ} Bình", "Trần Thị Bình"),
        ("Nguye\u0302\u0303n  Văn\tAn ", "Nguyễn Văn An"),  # NFD typed on a Mac: stored NFC
        ("Lê\x00 Văn\x07 Ba", "Lê Văn Ba"),
        ("Hồ\u00a0Thị\u3000Cúc", "Hồ Thị Cúc"),
    ],
)
def test_names_are_stored_nfc_without_invisible_or_control_characters(raw, stored):
    assert person_name(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Nguyễn Văn ３", DIGIT_MESSAGE),  # full-width digit
        ("Nguyễn Văn 3", DIGIT_MESSAGE),
        ("Nguyễn Văn ٣", DIGIT_MESSAGE),  # Arabic-Indic digit
        ("Nguyễn Văn ²", DIGIT_MESSAGE),  # superscript: NFKC folds it to 2
        (ZWSP * 3, LETTER_MESSAGE),
        ("-- .", LETTER_MESSAGE),
    ],
)
def test_names_with_digits_or_without_letters_are_refused(raw, message):
    with pytest.raises(ValidationError) as error:
        person_name(raw)
    assert error.value.messages == [message]


# --- through the survey page -----------------------------------------------------------------


def test_the_page_stores_a_zero_width_name_cleaned(client, cast, survey):
    members = current_members(survey)
    members[1]["full_name"] = f"Nguyễn{ZWSP} Thị{ZWJ} Bình{BOM}"
    response = post(client, cast.officer, survey, form_data(survey, members=members))
    assert response.status_code == 302
    assert survey.household.members.get(relation="spouse").full_name == "Nguyễn Thị Bình"


@pytest.mark.parametrize(
    ("name", "message"), [("Nguyễn Thị １２", DIGIT_MESSAGE), (ZWSP + ZWJ, LETTER_MESSAGE)]
)
def test_the_page_refuses_a_bad_name_and_saves_nothing(client, cast, survey, name, message):
    before = snapshot(survey)
    members = current_members(survey)
    members[1]["full_name"] = name
    response = post(client, cast.officer, survey, form_data(survey, members=members))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(survey) == before


def test_registration_refuses_a_full_width_digit_name(client, cast, ba_to, round_):
    client.force_login(cast.officer)
    data = new_household(ba_to, members=[{**member("Đinh Văn ５"), "id": None}])
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 200 and DIGIT_MESSAGE in response.content.decode()
    assert not Household.objects.exists()


# --- the member rows are the household's -------------------------------------------------------


def test_a_tampered_initial_forms_count_is_refused_and_nothing_saved(client, cast, survey):
    before = snapshot(survey)
    data = form_data(survey)
    data["members-INITIAL_FORMS"] = "50"
    response = post(client, cast.officer, survey, data)
    assert response.status_code == 200 and TAMPERED in response.content.decode()
    data["members-TOTAL_FORMS"] = "50"  # and 48 rows marked "no longer in the household"
    for i in range(2, 50):
        data[f"members-{i}-DELETE"] = "on"
    response = post(client, cast.officer, survey, data)
    assert response.status_code == 200 and TAMPERED in response.content.decode()
    assert snapshot(survey) == before


def test_another_households_member_id_is_refused_and_nothing_saved(client, cast, survey, ba_to):
    other = register(cast.officer, ba_to, members=[member("Võ Văn Khác")])
    theirs = other.members.get()
    before, other_before = snapshot(survey), list(other.members.values())
    for index in (0, 1):  # in place of one of ours, or as a "new" row
        members = current_members(survey)
        if index == 0:
            members[1]["id"] = theirs.pk
        else:
            members.append({**member("Võ Văn Khác", relation="other"), "id": theirs.pk})
        data = form_data(survey, members=members)
        data["members-INITIAL_FORMS"] = "2"
        response = post(client, cast.officer, survey, data)
        assert response.status_code == 200
        assert "Thành viên này không thuộc hộ đang nhập." in response.content.decode()
        assert snapshot(survey) == before
        assert list(other.members.values()) == other_before


def test_the_head_is_never_replaced_silently(client, cast, survey):
    before = snapshot(survey)
    head, spouse = current_members(survey)
    attempts = [
        # the head's row deleted, the spouse made head
        [{**head, "DELETE": True}, {**spouse, "relation": "head"}],
        # the head's row kept but demoted, the spouse made head
        [{**head, "relation": "other"}, {**spouse, "relation": "head"}],
        # the head's row deleted and a new head added
        [{**head, "DELETE": True}, spouse, {**member("Người Lạ"), "id": None}],
    ]
    for members in attempts:
        data = form_data(survey, members=members)
        data["members-INITIAL_FORMS"] = "2"
        response = post(client, cast.officer, survey, data)
        assert response.status_code == 200
        assert HEAD_KEPT in response.content.decode()
        assert snapshot(survey) == before


def test_changing_the_head_is_an_explicit_choice(client, cast, survey):
    head, spouse = current_members(survey)
    data = form_data(survey, members=[{**head, "DELETE": True}, {**spouse, "relation": "head"}])
    data["members-change_head"] = "on"
    assert post(client, cast.officer, survey, data).status_code == 302
    household = Household.objects.get(pk=survey.household_id)
    assert household.head_name == "Nguyễn Thị Bình"
    assert not household.members.get(pk=head["id"]).is_current  # kept on record, with history


# --- through the Excel import ----------------------------------------------------------------


def test_the_import_cleans_zero_width_names(cast, round_):
    households = [hh("N1")]
    members = [
        mb("N1", f"Nguyễn{ZWSP} Văn{BOM} An"),
        mb("N1", f"Lê{ZWJ} Thị Hoa", sex="Nữ", relation="Vợ/chồng"),
    ]
    job = validate(cast.officer, round_, xlsx(households, members, round_))
    assert job.status == JobStatus.VALIDATED, job.summary
    confirm(cast.officer, job)
    household = Household.objects.get(code="N1")
    assert household.head_name == "Nguyễn Văn An"
    names = set(household.members.values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn An", "Lê Thị Hoa"}


@pytest.mark.parametrize(
    ("name", "message"), [("Nguyễn Văn １", DIGIT_MESSAGE), (ZWSP * 2, LETTER_MESSAGE)]
)
def test_the_import_refuses_bad_names_at_their_cell(cast, round_, name, message):
    before = state()
    job = validate(cast.officer, round_, xlsx([hh("N1")], [mb("N1", name)], round_))
    assert job.status == JobStatus.REJECTED, job.summary
    found = [e for e in job.summary["errors"] if e["message"] == message]
    assert found and found[0]["row"] == 2, job.summary["errors"]
    assert state() == before
