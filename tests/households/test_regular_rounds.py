"""Regular (monthly) rounds (issue 12, item 7): the page explains how households get on the list
and shows only communes that have some; an officer puts a household of their commune on an open
regular round's list through the service, whose entry is the one the other services write."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from households.models import ReviewRound, Survey
from households.services import round_close, round_household_add, round_list_generate, round_open
from tests.conftest import unit
from tests.households.factories import member, open_round, register
from tests.projects.factories import classify

pytestmark = pytest.mark.django_db

FIELDS = (
    "commune_id", "status", "arrival", "poverty_class", "previous_class", "transition",
    "is_urban", "is_ethnic_minority", "member_count",
)  # fmt: skip


@pytest.fixture
def poor(cast, ba_to):
    """A household of Xã Ba Tơ classified poor in the (closed) periodic round of 2026."""
    household = register(
        cast.officer, ba_to, members=[member(), member("Đinh Thị Bé", relation="child",
                                                       born=dt.date(2015, 5, 1), sex="female")],
    )  # fmt: skip
    periodic = open_round(cast.admin, 2026)
    classify(cast.officer, periodic, household, "poor")
    round_close(by=cast.admin, round_=periodic)
    return household


@pytest.fixture
def regular(cast, poor):
    return round_open(
        by=cast.admin,
        year=2026,
        kind="regular",
        starts_on=dt.date(2026, 11, 15),
        ends_on=dt.date(2026, 11, 30),
    )


def add_url(round_, commune):
    return reverse("round_household_add", args=[round_.pk, commune.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the service ---------------------------------------------------------------------------------


def test_entry_is_what_the_list_generator_writes(cast, poor, regular):
    entry = round_household_add(
        by=cast.officer, round_=regular, household=poor, basis="request", note="Giấy 12/2026"
    )
    # the next periodic round's list, built by round_list_generate, for the same household
    later = ReviewRound.objects.create(
        year=2027,
        kind="periodic",
        starts_on=dt.date(2027, 9, 1),
        ends_on=dt.date(2027, 12, 14),
        standard=regular.standard,
    )
    round_list_generate(later)
    generated = Survey.objects.get(round=later, household=poor)
    assert {f: getattr(entry, f) for f in FIELDS} == {f: getattr(generated, f) for f in FIELDS}
    assert (entry.status, entry.previous_class, entry.member_count) == ("pending", "poor", 2)
    assert entry.arrival == ""
    # the basis and the note are on the entry's history row, with the officer
    row = entry.history.get()
    assert row.history_change_reason == "Hộ có giấy đề nghị rà soát: Giấy 12/2026"
    assert row.history_user == cast.officer


def test_an_arrival_gets_the_entry_household_create_writes(cast, ba_to, regular):
    household = register(cast.officer, ba_to)  # no open periodic round: on no list
    entry = round_household_add(
        by=cast.officer, round_=regular, household=household, basis="moved_in"
    )
    assert (entry.status, entry.arrival, entry.previous_class) == ("pending", "moved_in", "")
    assert entry.history.get().history_change_reason == "Chuyển đến"


def test_refusals(cast, ba_to, poor, regular):
    round_household_add(by=cast.officer, round_=regular, household=poor, basis="officer")
    with pytest.raises(ValidationError, match="đã có trong danh sách đợt này"):
        round_household_add(by=cast.officer, round_=regular, household=poor, basis="officer")
    other = register(cast.officer, ba_to)
    with pytest.raises(ValidationError, match="Chọn căn cứ"):
        round_household_add(by=cast.officer, round_=regular, household=other, basis="whim")
    with pytest.raises(PermissionDenied):  # district staff do not enter data
        round_household_add(by=cast.district, round_=regular, household=other, basis="officer")
    round_close(by=cast.admin, round_=regular)
    with pytest.raises(ValidationError, match="đã đóng"):
        round_household_add(by=cast.officer, round_=regular, household=other, basis="officer")


def test_periodic_rounds_and_households_on_another_open_list_are_refused(cast, ba_to):
    household = register(cast.officer, ba_to)
    periodic = open_round(cast.admin, 2026)
    with pytest.raises(ValidationError, match="do hệ thống lập khi mở đợt"):
        round_household_add(by=cast.officer, round_=periodic, household=household, basis="request")
    regular = round_open(
        by=cast.admin, year=2026, kind="regular", starts_on=dt.date(2026, 11, 15),
        ends_on=dt.date(2026, 11, 30),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="đang có trong danh sách Rà soát định kỳ năm 2026"):
        round_household_add(by=cast.officer, round_=regular, household=household, basis="request")


# --- the pages -----------------------------------------------------------------------------------


def test_regular_round_page_explains_and_shows_an_empty_state(client, cast, regular):
    client.force_login(cast.officer)
    body = text(client.get(reverse("round_detail", args=[regular.pk])))
    assert 'data-testid="regular-round-help"' in body
    assert "Hộ có giấy đề nghị rà soát" in body and "Hộ mới đến" in body
    assert "Cán bộ xã đề xuất" in body
    assert "Chưa có xã nào có hộ trong danh sách của đợt này." in body
    assert add_url(regular, unit("21484")) in body  # the officer's commune
    assert "<tbody>" not in body  # no table of communes with zeros
    client.force_login(cast.admin)  # 96 communes: only text, no row of zeros
    body = text(client.get(reverse("round_detail", args=[regular.pk])))
    assert "Chưa có xã nào có hộ" in body and "/them-ho/" not in body
    assert "Xã Ba Tơ" not in body


def test_only_communes_with_households_are_listed(client, cast, poor, regular):
    round_household_add(by=cast.officer, round_=regular, household=poor, basis="request")
    client.force_login(cast.admin)
    body = text(client.get(reverse("round_detail", args=[regular.pk])))
    assert body.count('data-testid="commune-row"') == 1  # Xã Ba Tơ only
    assert "Xã Ba Tơ" in body and "Chưa có xã nào có hộ" not in body


def test_periodic_round_page_is_unchanged(client, cast, ba_to):
    periodic = open_round(cast.admin, 2026)
    client.force_login(cast.officer)
    body = text(client.get(reverse("round_detail", args=[periodic.pk])))
    assert "regular-round-help" not in body and "Xã Ba Tơ" in body


def test_officer_adds_a_household_through_the_page(client, cast, ba_to, poor, regular):
    type(poor).objects.filter(pk=poor.pk).update(requested_review=True)
    client.force_login(cast.officer)
    commune_page = text(client.get(reverse("commune_round", args=[regular.pk, ba_to.pk])))
    assert "regular-round-help" in commune_page and add_url(regular, ba_to) in commune_page
    page = text(client.get(add_url(regular, ba_to)))
    assert poor.code in page and "có giấy đề nghị" in page  # requests are offered first
    response = client.post(
        add_url(regular, ba_to), {"household": poor.pk, "basis": "request", "note": "Giấy đề nghị"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("commune_round", args=[regular.pk, ba_to.pk])
    entry = Survey.objects.get(round=regular, household=poor)
    assert entry.status == "pending" and entry.commune_id == ba_to.pk
    # no longer offered, and a second time is refused with a message
    page = text(client.get(add_url(regular, ba_to)))
    assert f"Đã thêm hộ {poor.code} vào danh sách" in page  # the message of the redirect
    assert f'name="household" value="{poor.pk}"' not in page
    response = client.post(add_url(regular, ba_to), {"household": poor.pk, "basis": "officer"})
    assert response.status_code == 200 and "đã có trong danh sách đợt này" in text(response)
    assert Survey.objects.filter(round=regular).count() == 1


def test_search_finds_households_by_code_or_name(client, cast, ba_to, regular):
    household = register(cast.officer, ba_to, members=[member("Hồ Văn Tìm")])
    client.force_login(cast.officer)
    assert household.code in text(client.get(add_url(regular, ba_to), {"q": household.code}))
    assert household.code in text(client.get(add_url(regular, ba_to), {"q": "van tim"}))
    assert household.code not in text(client.get(add_url(regular, ba_to)))  # no request


def test_form_errors_are_shown(client, cast, poor, regular, ba_to):
    client.force_login(cast.officer)
    response = client.post(add_url(regular, ba_to), {"household": poor.pk, "basis": ""})
    assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert not Survey.objects.filter(round=regular).exists()


def test_household_of_another_commune_is_404(client, cast, ba_to, regular):
    elsewhere = register(cast.outsider, unit("21220"))
    client.force_login(cast.officer)
    response = client.post(add_url(regular, ba_to), {"household": elsewhere.pk, "basis": "officer"})
    assert response.status_code == 404
    assert client.get(add_url(regular, unit("21220"))).status_code == 404
    assert not Survey.objects.filter(round=regular).exists()


def test_closed_and_periodic_rounds_are_refused_on_the_page(client, cast, ba_to, poor, regular):
    round_close(by=cast.admin, round_=regular)
    client.force_login(cast.officer)
    body = text(client.get(add_url(regular, ba_to)))
    assert 'data-testid="entry-refusal"' in body and "đã đóng" in body
    response = client.post(add_url(regular, ba_to), {"household": poor.pk, "basis": "request"})
    assert response.status_code == 200 and "đã đóng" in text(response)
    assert not Survey.objects.filter(round=regular).exists()
    periodic = ReviewRound.objects.get(kind="periodic")
    assert "do hệ thống lập khi mở đợt" in text(client.get(add_url(periodic, ba_to)))


def test_district_staff_and_leader_cannot_add(client, cast, ba_to, poor, regular):
    for user in (cast.district, cast.leader):
        client.force_login(user)
        assert client.get(add_url(regular, ba_to)).status_code == 403
        data = {"household": poor.pk, "basis": "request"}
        assert client.post(add_url(regular, ba_to), data).status_code == 403
    assert not Survey.objects.filter(round=regular).exists()
    client.logout()
    assert "/dang-nhap/" in client.get(add_url(regular, ba_to))["Location"]
