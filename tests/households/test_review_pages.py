"""Round pages (administrators) and the commune submission pages (officers, district staff)."""

import datetime as dt

import pytest
from django.urls import reverse

from households.models import ReviewRound, Survey
from tests.conftest import unit
from tests.households.factories import open_round, register, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_to(cast):
    return unit("21484")


@pytest.fixture
def round_(cast):
    return open_round(cast.admin, 2026)


def commune_url(round_, commune, action=None):
    if action:
        return reverse("commune_round_act", args=[round_.pk, commune.pk, action])
    return reverse("commune_round", args=[round_.pk, commune.pk])


def test_anonymous_redirected(client, round_, ba_to):
    for url in (
        reverse("round_list"),
        reverse("round_open"),
        reverse("round_detail", args=[round_.pk]),
        commune_url(round_, ba_to),
    ):
        assert client.get(url).status_code == 302, url


def test_round_list_and_open_for_admin_only(client, cast):
    client.force_login(cast.officer)
    assert client.get(reverse("round_list")).status_code == 200
    assert client.get(reverse("round_open")).status_code == 403
    assert client.post(reverse("round_open"), {}).status_code == 403
    client.force_login(cast.admin)
    body = client.get(reverse("round_list")).content.decode()
    assert "Chưa có đợt rà soát nào" in body
    response = client.post(
        reverse("round_open"),
        {"year": 2026, "kind": "periodic", "starts_on": "01/09/2026", "ends_on": "14/12/2026"},
    )
    round_ = ReviewRound.objects.get(year=2026)
    assert response.status_code == 302
    assert round_.standard == "ND07_2021"  # Decree 07 covers the 2026 review
    assert round_.is_open


def test_round_open_rejects_bad_input_with_messages(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("round_open"),
        {"year": 2026, "kind": "periodic", "starts_on": "01/09/2026", "ends_on": "01/08/2026"},
    )
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()
    open_round(cast.admin, 2025)
    response = client.post(
        reverse("round_open"),
        {"year": 2025, "kind": "periodic", "starts_on": "02/09/2025", "ends_on": "14/12/2025"},
    )
    assert "đã có đợt rà soát định kỳ" in response.content.decode()
    assert ReviewRound.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "in_force", "other"),
    [(2026, "ND07_2021", "ND351_2025"), (2027, "ND351_2025", "ND07_2021")],
)
def test_the_standard_follows_the_review_year_unless_overridden_with_a_reason(
    client, cast, year, in_force, other
):
    """Issue 10: a 2026 round could be opened under Decree 351/2025 (in force from 2027)."""
    client.force_login(cast.admin)
    form = {"year": year, "kind": "periodic", "starts_on": f"01/09/{year}",
            "ends_on": f"14/12/{year}", "standard": other}  # fmt: skip
    response = client.post(reverse("round_open"), form)
    assert response.status_code == 200
    assert f"Chuẩn nghèo áp dụng cho rà soát năm {year} là {in_force}" in response.content.decode()
    assert not ReviewRound.objects.exists()
    response = client.post(reverse("round_open"), {**form, "standard_reason": "Thí điểm"})
    round_ = ReviewRound.objects.get(year=year)
    assert (round_.standard, round_.standard_reason) == (other, "Thí điểm")
    assert "Thí điểm" in client.get(response.url).content.decode()


def test_a_reason_is_not_kept_when_the_standard_in_force_is_chosen(cast):
    from households.services import round_open

    round_ = round_open(
        by=cast.admin, year=2026, kind="periodic", starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 12, 14), standard="ND07_2021", standard_reason="không cần",
    )  # fmt: skip
    assert round_.standard_reason == ""


def test_round_close_admin_only(client, cast, round_):
    client.force_login(cast.district)
    assert client.post(reverse("round_close", args=[round_.pk])).status_code == 403
    client.force_login(cast.admin)
    assert client.post(reverse("round_close", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert not round_.is_open


def test_round_detail_is_scoped(client, cast, round_, ba_to):
    register(cast.officer, ba_to)
    client.force_login(cast.officer)
    body = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    assert "Xã Ba Tơ" in body and "Xã Ba Vinh" not in body
    client.force_login(cast.district)
    body = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    assert "Xã Ba Vinh" in body and "Xã Sơn Tịnh" not in body
    assert client.get(reverse("round_detail", args=[999999])).status_code == 404


def test_closed_round_shows_real_states_and_counts_pending_entries_as_the_rollup(
    client, cast, ba_to
):
    """Issue 10: a closed round listed every commune as "Đang nhập liệu"; the progress page
    counted a pending entry as unclassified where the rollup counts its previous class."""
    from households.services import round_close
    from tests.projects.factories import classify

    household = register(cast.officer, ba_to)
    last = open_round(cast.admin, 2025)
    classify(cast.officer, last, household, "poor")
    round_close(by=cast.admin, round_=last)
    current = open_round(cast.admin, 2026)
    assert Survey.objects.get(round=current, household=household).status == "pending"
    client.force_login(cast.officer)
    body = client.get(reverse("round_detail", args=[current.pk])).content.decode()
    row = body.split("Xã Ba Tơ", 1)[1].split("</tr>", 1)[0]
    assert "Đang nhập liệu" in row
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split("<td")[1:]]
    assert cells[6:8] == ["1", "0"], row  # poor, near-poor (after the share done column)
    body = client.get(reverse("round_detail", args=[last.pk])).content.decode()
    row = body.split("Xã Ba Tơ", 1)[1].split("</tr>", 1)[0]
    assert "Không gửi kết quả (đợt đã đóng)" in row and "Đang nhập liệu" not in row


def test_commune_page_outsider_404(client, cast, round_, ba_to):
    client.force_login(cast.outsider)
    assert client.get(commune_url(round_, ba_to)).status_code == 404
    assert client.post(commune_url(round_, ba_to, "submit")).status_code == 404


def test_submit_accept_flow_through_pages(client, cast, round_, ba_to):
    household = register(cast.officer, ba_to)
    survey = Survey.objects.get(household=household, round=round_)
    client.force_login(cast.officer)
    response = client.post(commune_url(round_, ba_to, "submit"), follow=True)
    assert "Còn 1 hộ" in response.content.decode()  # refused with the reason
    save(cast.officer, survey)
    response = client.post(commune_url(round_, ba_to, "submit"), follow=True)
    assert "Đã gửi, chờ tiếp nhận" in response.content.decode()
    # the officer cannot accept their own commune
    assert client.post(commune_url(round_, ba_to, "accept")).status_code == 403
    client.force_login(cast.leader)
    assert client.post(commune_url(round_, ba_to, "accept")).status_code == 403
    client.force_login(cast.district)
    response = client.post(commune_url(round_, ba_to, "return"), {"comment": ""}, follow=True)
    assert "Ghi rõ lý do trả lại" in response.content.decode()
    response = client.post(commune_url(round_, ba_to, "accept"), {"comment": "Đạt"}, follow=True)
    body = response.content.decode()
    assert "Đã tiếp nhận" in body and "Đạt" in body
    response = client.post(commune_url(round_, ba_to, "reopen"), {"comment": "Sai hộ"}, follow=True)
    assert "Mở lại để sửa" in response.content.decode()


def test_unknown_action_is_refused(client, cast, round_, ba_to):
    client.force_login(cast.officer)
    assert client.post(commune_url(round_, ba_to, "delete")).status_code == 403
