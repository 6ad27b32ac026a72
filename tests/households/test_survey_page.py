"""The survey page, its live preview, exclusion from the list and household registration, through
the test client on the real unit tree: who may do what, validation, concurrency and locking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Exclusion, Household, Member, Survey, SurveyDeprivation
from households.services import (
    MEMBER_MODEL_FIELDS,
    commune_submit,
    household_exclude,
    round_close,
)
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)

pytestmark = pytest.mark.django_db

SURVEY_DEFAULTS = {
    "income_basis": "per_person",
    "income_per_person": "3500000",
    "household_income": "",
    "b1_score": "",
    "walls_durable": True,
    "columns_durable": True,
    "roof_durable": True,
    "floor_area": "60",
    "water_source": "piped",
    "has_hygienic_latrine": True,
    "uses_internet": True,
    "devices": ["smartphone", "tv"],
    "causes": [],
    "needs": [],
    "village": "Thôn 1",
    "address": "",
    "is_farm_household": False,
    "no_working_capacity": False,
    "revolutionary_merit": False,
    "social_protection": False,
    "requested_review": False,
}


def _value(value):
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def encode(values: dict, members: list[dict], prefix="members") -> dict:
    """What the browser posts: checked boxes as "on", unchecked ones left out."""
    data = {}
    for key, value in values.items():
        if value is True:
            data[key] = "on"
        elif value is not False:
            data[key] = _value(value)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(members)),
            f"{prefix}-INITIAL_FORMS": str(sum(1 for m in members if m.get("id"))),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(members):
        for key, value in row.items():
            if value is True:
                data[f"{prefix}-{i}-{key}"] = "on"
            elif value is not False:
                data[f"{prefix}-{i}-{key}"] = _value(value)
    return data


def current_members(survey: Survey, **over) -> list[dict]:
    rows = survey.household.members.filter(is_current=True).order_by("pk")
    return [{**row, **over} for row in rows.values(*MEMBER_MODEL_FIELDS)]


def form_data(survey: Survey, *, members=None, **over) -> dict:
    survey.refresh_from_db()
    values = {"version": survey.version, **SURVEY_DEFAULTS, **over}
    return encode(values, current_members(survey) if members is None else members)


@pytest.fixture
def survey(cast, ba_to, round_):
    household = register(cast.officer, ba_to, members=[member(citizen_id="051085000001")])
    return Survey.objects.get(household=household, round=round_)


def client_for(client, user):
    client.force_login(user)
    return client


def edit_url(survey):
    return reverse("survey_edit", args=[survey.pk])


def preview_url(survey):
    return reverse("survey_preview", args=[survey.pk])


def exclude_url(survey):
    return reverse("survey_exclude", args=[survey.pk])


def text(response) -> str:
    return response.content.decode()


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, survey):
    for method, url in [
        ("get", edit_url(survey)),
        ("post", edit_url(survey)),
        ("post", preview_url(survey)),
        ("get", exclude_url(survey)),
        ("get", reverse("household_create")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_outsider_gets_404_everywhere(client, cast, survey):
    c = client_for(client, cast.outsider)
    data = form_data(survey)
    assert c.get(edit_url(survey)).status_code == 404
    assert c.post(edit_url(survey), data).status_code == 404
    assert c.post(preview_url(survey), data).status_code == 404
    assert c.get(exclude_url(survey)).status_code == 404
    assert c.post(exclude_url(survey), {"reason": "died"}).status_code == 404
    survey.refresh_from_db()
    assert survey.status == "pending"
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_unknown_survey_is_404(client, cast, survey):
    c = client_for(client, cast.officer)
    missing = Survey.objects.order_by("-pk").first().pk + 1000
    assert c.get(reverse("survey_edit", args=[missing])).status_code == 404
    assert c.post(reverse("survey_preview", args=[missing])).status_code == 404
    assert c.get(reverse("survey_exclude", args=[missing])).status_code == 404


@pytest.mark.parametrize("who", ["district", "leader"])
def test_readers_see_the_page_read_only_and_cannot_write(client, cast, survey, who):
    c = client_for(client, getattr(cast, who))
    response = c.get(edit_url(survey))
    assert response.status_code == 200
    page = text(response)
    assert "Bạn chỉ có quyền xem phiếu này." in page
    assert 'data-testid="save"' not in page
    assert "hx-post" not in page  # no live preview, no "add member"
    assert 'name="income_per_person"' in page
    assert 'name="income_per_person" value="" inputmode="numeric"' not in page
    entry = response.context["entry"]
    widgets = [f.widget for f in entry.survey_form.fields.values()]
    assert all(w.attrs.get("disabled") for w in widgets if not w.is_hidden)
    assert c.post(edit_url(survey), form_data(survey, **POOR_FIELDS)).status_code == 403
    assert c.post(preview_url(survey), form_data(survey)).status_code == 403
    assert c.get(exclude_url(survey)).status_code == 403
    assert c.post(exclude_url(survey), {"reason": "died"}).status_code == 403
    assert c.get(reverse("household_create")).status_code == 403
    survey.refresh_from_db()
    assert survey.status == "pending"


# --- entering a survey ----------------------------------------------------------------------------


def test_pending_survey_is_prefilled_from_the_last_surveyed_round(client, cast, ba_to):
    household = register(cast.officer, ba_to)
    r2025 = open_round(cast.admin, 2025)
    save(cast.officer, Survey.objects.get(household=household, round=r2025), **NEAR_POOR_FIELDS)
    round_close(by=cast.admin, round_=r2025)
    r2026 = open_round(cast.admin, 2026)
    pending = Survey.objects.get(household=household, round=r2026)
    assert pending.status == "pending"  # near-poor last year: on the list again
    response = client_for(client, cast.officer).get(edit_url(pending))
    assert response.status_code == 200
    initial = response.context["entry"].survey_form.initial
    assert initial["income_per_person"] == 1_200_000
    assert initial["devices"] == ["smartphone", "tv"]
    assert initial["version"] == pending.version
    page = text(response)
    assert 'value="1.200.000"' in page  # Vietnamese thousands separators
    assert "Điền sẵn từ phiếu của Rà soát định kỳ năm 2025" in page
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="01/03/1985"' in page  # dd/mm/yyyy
    assert 'data-testid="save"' in page
    assert f'hx-post="{preview_url(pending)}"' in page


def test_new_household_without_history_starts_from_defaults(client, cast, survey):
    response = client_for(client, cast.officer).get(edit_url(survey))
    assert response.status_code == 200
    assert response.context["entry"].prefilled_from is None
    assert "income_per_person" not in response.context["entry"].survey_form.initial


def test_officer_saves_a_survey_and_is_sent_to_the_list(client, cast, survey, round_):
    c = client_for(client, cast.officer)
    data = form_data(
        survey,
        members=current_members(survey, full_name="Nguyễn Văn Ân"),
        income_per_person="1.000.000",
        has_hygienic_latrine=False,
        water_source="surface",
        uses_internet=False,
        causes=["land", "capital"],
        b1_score="120",
    )
    response = c.post(edit_url(survey), data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('household_list')}?round={round_.pk}"
    survey.refresh_from_db()
    assert (survey.status, survey.poverty_class, survey.deprived_count) == ("surveyed", "poor", 3)
    assert survey.income_per_person == 1_000_000
    assert survey.b1_score == 120
    assert survey.causes == ",capital,land,"
    assert survey.household.head_name == "Nguyễn Văn Ân"
    assert Survey.objects.filter(household=survey.household, round=round_).count() == 1
    follow = c.get(edit_url(survey))
    assert 'data-testid="survey-class" data-class="poor"' in text(follow)


def test_save_and_stay_returns_to_the_survey(client, cast, survey):
    c = client_for(client, cast.officer)
    response = c.post(edit_url(survey), {**form_data(survey), "stay": "1"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(survey)
    survey.refresh_from_db()
    assert survey.poverty_class == "none"
    page = text(c.get(edit_url(survey)))
    assert "Đã lưu phiếu rà soát của hộ" in page
    # saving again is an edit of the same row: still one survey for the household this round
    assert c.post(edit_url(survey), form_data(survey, **NEAR_POOR_FIELDS)).status_code == 302
    assert Survey.objects.filter(household=survey.household).count() == 1
    survey.refresh_from_db()
    assert survey.poverty_class == "near_poor"


def test_income_from_household_total(client, cast, ba_to, round_):
    household = register(
        cast.officer, ba_to, members=[member(), member("Lê Thị Bình", relation="spouse")]
    )
    survey = Survey.objects.get(household=household, round=round_)
    c = client_for(client, cast.officer)
    data = form_data(
        survey, income_basis="household", income_per_person="", household_income="3000001"
    )
    assert c.post(edit_url(survey), data).status_code == 302
    survey.refresh_from_db()
    assert (survey.income_per_person, survey.household_income) == (1_500_000, 3_000_001)
    assert survey.poverty_class == "near_poor"  # on the line counts as below it
    # the page comes back with the household total as the basis, so editing it takes effect
    initial = c.get(edit_url(survey)).context["entry"].survey_form.initial
    assert initial["income_basis"] == "household"
    data = form_data(survey, income_basis="household", household_income="5000000")
    assert c.post(edit_url(survey), data).status_code == 302
    survey.refresh_from_db()
    assert (survey.income_per_person, survey.poverty_class) == (2_500_000, "none")


def test_member_left_and_member_added(client, cast, ba_to, round_):
    household = register(
        cast.officer, ba_to, members=[member(), member("Lê Thị Bình", relation="spouse")]
    )
    survey = Survey.objects.get(household=household, round=round_)
    members = current_members(survey)
    members[1]["DELETE"] = True
    baby = member("Nguyễn Thị Mai", born=dt.date(2024, 5, 2), relation="child", sex="female")
    members.append({**baby, "id": None, "employment": "not_in_labour_force"})
    response = client_for(client, cast.officer).post(
        edit_url(survey), form_data(survey, members=members)
    )
    assert response.status_code == 302
    names = set(household.members.filter(is_current=True).values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn An", "Nguyễn Thị Mai"}
    assert Member.objects.get(full_name="Lê Thị Bình").is_current is False  # kept on record


def test_add_member_button_adds_a_blank_row_and_saves_nothing(client, cast, survey):
    data = {**form_data(survey, income_per_person="999"), "add_member": "1"}
    response = client_for(client, cast.officer).post(edit_url(survey), data)
    assert response.status_code == 200
    page = text(response)
    assert 'name="members-TOTAL_FORMS" value="2"' in page
    assert 'name="members-1-full_name"' in page
    assert 'value="999"' in page  # what was typed stays
    assert "is-invalid" not in page  # the blank row is not an error yet
    survey.refresh_from_db()
    assert survey.status == "pending"


# --- validation -----------------------------------------------------------------------------------

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def _member_over(**over):
    return lambda s: current_members(s, **over)


def _two_members(first: dict, second: dict):
    def build(s):
        return [*current_members(s, **first), {**member("Lê Thị Bình", **second), "id": None}]

    return build


INVALID = {
    "negative income": (
        {"income_per_person": "-1"},
        None,
        "Thu nhập không được là số âm.",
    ),
    "income above the ceiling": (
        {"income_per_person": "1000000001"},
        None,
        "Thu nhập bình quân không được vượt quá 1.000.000.000 đồng/người/tháng.",
    ),
    "household income above the ceiling": (
        {"income_basis": "household", "household_income": "10000000001"},
        None,
        "Tổng thu nhập của hộ không được vượt quá 10.000.000.000 đồng/tháng.",
    ),
    "no income at all": (
        {"income_per_person": "", "household_income": ""},
        None,
        "Nhập thu nhập bình quân đầu người hoặc tổng thu nhập của hộ.",
    ),
    "income is not a number": (
        {"income_per_person": "một triệu"},
        None,
        "Nhập một số nguyên, ví dụ 1.500.000.",
    ),
    "floor area zero": ({"floor_area": "0"}, None, "Diện tích nhà ở phải lớn hơn 0."),
    "floor area huge": (
        {"floor_area": "5000,5"},
        None,
        "Diện tích nhà ở không được vượt quá 5.000 m²",
    ),
    "birth date in the future": (
        {},
        _member_over(birth_date=TOMORROW),
        "Ngày sinh không được sau ngày hôm nay.",
    ),
    "birth date before 1900": (
        {},
        _member_over(birth_date=dt.date(1899, 12, 31)),
        "Ngày sinh không được trước ngày 01/01/1900.",
    ),
    "birth date unreadable": (
        {},
        _member_over(birth_date="31/02/1985"),
        "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/03/1985.",
    ),
    "citizen id too short": (
        {},
        _member_over(citizen_id="05108500012"),
        "Số định danh cá nhân phải gồm đúng 12 chữ số.",
    ),
    "citizen id not digits": (
        {},
        _member_over(citizen_id="05108500012A"),
        "Số định danh cá nhân phải gồm đúng 12 chữ số.",
    ),
    "citizen id twice in the household": (
        {},
        _two_members({}, {"relation": "spouse", "citizen_id": "051085000001"}),
        "Hai thành viên trong hộ không thể có cùng số định danh.",
    ),
    "no head": ({}, _member_over(relation="spouse"), "Hộ phải có đúng một chủ hộ."),
    "two heads": ({}, _two_members({}, {"relation": "head"}), "Hộ phải có đúng một chủ hộ."),
    "no member left": ({}, _member_over(DELETE=True), "Hộ phải có ít nhất một thành viên."),
    "member name missing": ({}, _member_over(full_name=" "), "Nhập họ và tên."),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_input_is_refused_beside_the_field_and_kept(client, cast, survey, case):
    over, members, message = INVALID[case]
    data = form_data(survey, members=members(survey) if members else None, **over)
    response = client_for(client, cast.officer).post(edit_url(survey), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Phiếu chưa được lưu" in page
    survey.refresh_from_db()
    assert (survey.status, survey.version) == ("pending", 1)
    assert survey.household.members.get().full_name == "Nguyễn Văn An"
    # the preview refuses the same input with the same message, and saves nothing either
    preview = client.post(preview_url(survey), data)
    assert preview.status_code == 200
    assert message in text(preview)
    assert 'data-testid="survey-class"' not in text(preview)


def test_citizen_id_of_someone_in_another_household(client, cast, ba_to, survey):
    register(cast.officer, ba_to, members=[member("Trần Văn Cường", citizen_id="051090000777")])
    members = current_members(survey, citizen_id="051090000777")
    response = client_for(client, cast.officer).post(
        edit_url(survey), form_data(survey, members=members)
    )
    assert response.status_code == 200
    assert "Số định danh 051090000777 đã thuộc về một người ở hộ khác." in text(response)
    assert survey.household.members.get().citizen_id == "051085000001"


def test_keeping_ones_own_citizen_id_is_fine(client, cast, survey):
    # the household's own members do not clash with themselves
    response = client_for(client, cast.officer).post(edit_url(survey), form_data(survey))
    assert response.status_code == 302


def test_member_of_another_household_cannot_be_smuggled_in(client, cast, ba_to, survey):
    other = register(cast.officer, ba_to, members=[member("Trần Văn Cường")])
    members = current_members(survey, id=other.members.get().pk)
    response = client_for(client, cast.officer).post(
        edit_url(survey), form_data(survey, members=members)
    )
    assert response.status_code == 200
    assert "Thành viên này không thuộc hộ đang nhập." in text(response)
    assert other.members.get().full_name == "Trần Văn Cường"


# --- two tabs, locks ------------------------------------------------------------------------------


def test_second_tab_with_a_stale_version_is_refused_and_keeps_its_input(client, cast, survey):
    c = client_for(client, cast.officer)
    stale = form_data(survey, income_per_person="4.400.000")  # loaded in a second tab
    assert c.post(edit_url(survey), form_data(survey, **POOR_FIELDS)).status_code == 302
    response = c.post(edit_url(survey), stale)
    assert response.status_code == 200
    page = text(response)
    assert "Phiếu này vừa được người khác (hoặc ở thẻ khác) lưu." in page
    assert 'data-testid="form-errors"' in page
    assert 'value="4.400.000"' in page  # the user's input is still there
    survey.refresh_from_db()
    assert (survey.poverty_class, survey.income_per_person, survey.version) == (
        "poor",
        1_000_000,
        2,
    )


def test_submitted_commune_is_read_only_and_refuses_posts(client, cast, ba_to, round_, survey):
    save(cast.officer, survey)
    commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    c = client_for(client, cast.officer)
    response = c.get(edit_url(survey))
    assert response.status_code == 200
    page = text(response)
    assert "đã được gửi hoặc tiếp nhận: không thể sửa" in page
    assert 'data-testid="save"' not in page
    assert "hx-post" not in page
    assert 'data-class="none"' in page  # the saved result is shown
    survey.refresh_from_db()
    response = c.post(edit_url(survey), form_data(survey, **POOR_FIELDS))
    assert response.status_code == 200
    assert "đã được gửi hoặc tiếp nhận: không thể sửa" in text(response)
    assert 'value="1000000"' in text(response)  # what was typed is shown, not saved
    survey.refresh_from_db()
    assert (survey.poverty_class, survey.version) == ("none", 2)
    assert c.get(exclude_url(survey)).status_code == 200
    assert c.post(exclude_url(survey), {"reason": "died"}).status_code == 200
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_closed_round_is_read_only(client, cast, round_, survey):
    round_close(by=cast.admin, round_=round_)
    c = client_for(client, cast.officer)
    page = text(c.get(edit_url(survey)))
    assert "Đợt rà soát Rà soát định kỳ năm 2026 đã đóng." in page
    assert 'data-testid="save"' not in page
    c.post(edit_url(survey), form_data(survey, **POOR_FIELDS))
    survey.refresh_from_db()
    assert survey.status == "pending"


# --- live preview ---------------------------------------------------------------------------------


def test_preview_classifies_unsaved_input_with_reasons(client, cast, survey):
    c = client_for(client, cast.officer)
    data = form_data(
        survey,
        members=current_members(survey, has_health_insurance=False),
        income_per_person="1.200.000",
        has_hygienic_latrine=False,
        water_source="surface",
    )
    response = c.post(preview_url(survey), data)
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page  # a fragment
    assert 'data-testid="survey-class" data-class="poor"' in page
    assert "Hộ nghèo" in page
    assert "Nguyễn Văn An, 41 tuổi, không có bảo hiểm y tế" in page
    assert "Không tiếp cận được nguồn nước sạch (đang dùng nước sông, suối, ao, hồ)" in page
    assert page.count('data-testid="indicator-') == 12  # every indicator of Decree 07/2021
    assert page.count('data-deprived="yes"') == 3
    assert 'data-testid="income-used">1.200.000 đ' in page
    assert 'data-testid="b2-score">30' in page
    # nothing was saved
    survey.refresh_from_db()
    assert (survey.status, survey.version, survey.poverty_class) == ("pending", 1, "")
    assert survey.household.members.get().has_health_insurance is True
    assert not SurveyDeprivation.objects.filter(survey=survey).exists()


def test_preview_uses_income_from_household_total(client, cast, survey):
    data = form_data(
        survey, income_basis="household", income_per_person="9.999.999", household_income="1400000"
    )
    page = text(client_for(client, cast.officer).post(preview_url(survey), data))
    assert 'data-testid="income-used">1.400.000 đ' in page
    assert 'data-class="near_poor"' in page


def test_preview_names_indicators_in_english(client, cast, survey):
    c = client_for(client, cast.officer)
    c.cookies["django_language"] = "en"
    page = text(c.post(preview_url(survey), form_data(survey)))
    assert "Health insurance" in page
    assert "Bảo hiểm y tế" not in page


def test_standard_from_2027_asks_for_digital_services_and_waste(client, cast, ba_to, survey):
    page = text(client_for(client, cast.officer).get(edit_url(survey)))
    assert 'name="waste_collected"' not in page
    assert 'name="uses_digital_services"' not in page
    round_close(by=cast.admin, round_=survey.round)
    r2027 = open_round(cast.admin, 2027)
    later = Survey.objects.get(household=survey.household, round=r2027)
    page = text(client.get(edit_url(later)))
    assert 'name="waste_collected"' in page
    data = form_data(later, waste_collected=False, uses_digital_services=False)
    preview = text(client.post(preview_url(later), data))
    assert "Rác thải sinh hoạt không được thu gom, xử lý" in preview
    assert 'data-testid="indicator-info_assets"' not in preview


# --- exclusion ------------------------------------------------------------------------------------


def test_exclude_needs_a_reason_then_takes_the_household_off_the_list(client, cast, survey):
    c = client_for(client, cast.officer)
    assert c.get(exclude_url(survey)).status_code == 200
    response = c.post(exclude_url(survey), {"reason": "", "leaves_registry": "on"})
    assert response.status_code == 200
    assert "Chọn lý do đưa hộ ra khỏi danh sách." in text(response)
    assert Survey.objects.filter(pk=survey.pk).exists()
    response = c.post(exclude_url(survey), {"reason": "moved_out", "note": "Vào Bình Dương"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('household_list')}?round={survey.round_id}"
    exclusion = Exclusion.objects.get(household=survey.household)
    assert (exclusion.reason, exclusion.note) == ("moved_out", "Vào Bình Dương")
    assert not Survey.objects.filter(pk=survey.pk).exists()
    survey.household.refresh_from_db()
    assert survey.household.status == "active"  # "leaves_registry" was left unchecked


def test_excluded_survey_is_gone(client, cast, survey):
    url = edit_url(survey)
    household_exclude(by=cast.officer, survey=survey, reason="died")
    assert client_for(client, cast.officer).get(url).status_code == 404


# --- household registration -----------------------------------------------------------------------


def new_household(commune, code="HH-MOI-01", members=None, **over):
    values = {
        "commune": commune.pk,
        "code": code,
        "village": "Thôn 3",
        "address": "",
        "arrival": "moved_in",
        "is_farm_household": True,
        **over,
    }
    rows = members if members is not None else [{**member("Đinh Văn Hùng"), "id": None}]
    return encode(values, rows)


def test_register_a_household_then_enter_its_survey(client, cast, ba_to, round_):
    c = client_for(client, cast.officer)
    response = c.get(reverse("household_create"))
    assert response.status_code == 200
    assert response.context["form"].fields["commune"].initial == ba_to.pk  # the only commune
    response = c.post(reverse("household_create"), new_household(ba_to))
    assert response.status_code == 302
    household = Household.objects.get(code="HH-MOI-01")
    survey = Survey.objects.get(household=household, round=round_)
    assert response["Location"] == edit_url(survey)
    assert (survey.arrival, survey.status) == ("moved_in", "pending")
    assert (household.head_name, household.is_farm_household) == ("Đinh Văn Hùng", True)


def test_register_without_an_open_round_goes_to_the_household(client, cast, ba_to):
    response = client_for(client, cast.officer).post(
        reverse("household_create"), new_household(ba_to)
    )
    household = Household.objects.get(code="HH-MOI-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[household.pk])
    assert not household.surveys.exists()


def test_register_refuses_bad_input(client, cast, ba_to, survey):
    c = client_for(client, cast.officer)
    taken = survey.household.code
    cases = [
        (new_household(ba_to, code=taken), f"Mã hộ {taken} đã tồn tại."),
        (new_household(ba_to, members=[]), "Hộ phải có ít nhất một thành viên."),
        (
            new_household(ba_to, members=[{**member(citizen_id="0510"), "id": None}]),
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        ),
        (
            new_household(ba_to, members=[{**member(citizen_id="051085000001"), "id": None}]),
            "Số định danh 051085000001 đã thuộc về một người ở hộ khác.",
        ),
        (new_household(ba_to, village=""), "Trường này là bắt buộc."),
    ]
    for data, message in cases:
        response = c.post(reverse("household_create"), data)
        assert response.status_code == 200, message
        assert message in text(response)
    assert Household.objects.count() == 1


def test_register_only_in_ones_own_communes(client, cast, ba_to):
    c = client_for(client, cast.outsider)
    response = c.get(reverse("household_create"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["commune"].queryset) == [unit("21220")]
    response = c.post(reverse("household_create"), new_household(ba_to))
    assert response.status_code == 200
    assert not Household.objects.exists()


def test_register_add_member_button(client, cast, ba_to):
    data = {**new_household(ba_to), "add_member": "1"}
    response = client_for(client, cast.officer).post(reverse("household_create"), data)
    assert response.status_code == 200
    assert 'name="members-TOTAL_FORMS" value="2"' in text(response)
    assert not Household.objects.exists()
