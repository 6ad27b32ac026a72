"""A round's timetable (due dates of the commune, district and province steps) and the
completeness of its communes on the round's page (issue 12, item 2)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from areas.models import Role, Unit
from areas.services import NEW_TREE_FROM
from households.models import ReviewRound, SubmissionAction, SubmissionEvent, Survey
from households.progress import round_completeness
from households.services import commune_accept, commune_submit, round_close, round_timetable_set
from households.timetable import default_dues, timetable_errors
from tests.conftest import TODAY, make_user, unit
from tests.households.factories import POOR_FIELDS, open_round, register, save

pytestmark = pytest.mark.django_db

D = dt.date


# --- defaults and the order rule (pure) ------------------------------------------------------


def test_periodic_defaults_follow_the_domain_timetable():
    assert default_dues("periodic", D(2026, 9, 1), D(2026, 12, 14)) == {
        "commune_due": D(2026, 11, 15),
        "district_due": D(2026, 11, 30),
        "province_due": D(2026, 12, 14),
    }


def test_regular_defaults_are_relative_to_the_round_and_stay_inside_it():
    assert default_dues("regular", D(2026, 10, 1), D(2026, 10, 31)) == {
        "commune_due": D(2026, 10, 26),
        "district_due": D(2026, 10, 29),
        "province_due": D(2026, 10, 31),
    }
    # a three-day round: clamped to its first day, still in order
    assert default_dues("regular", D(2026, 10, 1), D(2026, 10, 3)) == {
        "commune_due": D(2026, 10, 1),
        "district_due": D(2026, 10, 1),
        "province_due": D(2026, 10, 3),
    }
    # a periodic round that ends early keeps every step inside it
    dues = default_dues("periodic", D(2026, 9, 1), D(2026, 11, 20))
    assert dues == {
        "commune_due": D(2026, 11, 15),
        "district_due": D(2026, 11, 20),
        "province_due": D(2026, 11, 20),
    }


def test_the_order_rule_names_each_wrong_date():
    ok = {
        "starts_on": D(2026, 9, 1),
        "ends_on": D(2026, 12, 14),
        "commune_due": D(2026, 11, 15),
        "district_due": D(2026, 11, 30),
        "province_due": D(2026, 12, 14),
    }
    assert timetable_errors(**ok) == {}
    assert timetable_errors(**{**ok, "district_due": ok["district_due"].replace(day=15)}) == {}
    assert set(timetable_errors(**{**ok, "commune_due": D(2026, 8, 31)})) == {"commune_due"}
    assert set(timetable_errors(**{**ok, "district_due": D(2026, 11, 14)})) == {"district_due"}
    assert set(timetable_errors(**{**ok, "province_due": D(2026, 11, 29)})) == {"province_due"}
    assert set(timetable_errors(**{**ok, "province_due": D(2026, 12, 15)})) == {"province_due"}
    message = timetable_errors(**{**ok, "district_due": D(2026, 11, 14)})["district_due"]
    assert message == "Hạn huyện tiếp nhận không được trước hạn xã gửi kết quả (15/11/2026)."


# --- opening a round ------------------------------------------------------------------------


def test_opening_rounds_gives_the_default_timetable(cast):
    periodic = open_round(cast.admin, 2026)
    assert (periodic.commune_due, periodic.district_due, periodic.province_due) == (
        D(2026, 11, 15),
        D(2026, 11, 30),
        D(2026, 12, 14),
    )
    from households.services import round_open

    regular = round_open(
        by=cast.admin, year=2026, kind="regular", starts_on=D(2026, 10, 1), ends_on=D(2026, 10, 31)
    )
    assert (regular.commune_due, regular.district_due, regular.province_due) == (
        D(2026, 10, 26),
        D(2026, 10, 29),
        D(2026, 10, 31),
    )


def test_the_open_form_takes_due_dates_and_rejects_them_out_of_order(client, cast):
    client.force_login(cast.admin)
    form = {"year": 2026, "kind": "periodic", "starts_on": "01/09/2026", "ends_on": "14/12/2026"}
    response = client.post(
        reverse("round_open"), {**form, "commune_due": "20/11/2026", "district_due": "10/11/2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hạn huyện tiếp nhận không được trước hạn xã gửi kết quả (20/11/2026)." in body
    assert not ReviewRound.objects.exists()  # nothing half-saved
    response = client.post(
        reverse("round_open"), {**form, "commune_due": "10/11/2026", "district_due": "25/11/2026"}
    )
    assert response.status_code == 302
    round_ = ReviewRound.objects.get()
    assert (round_.commune_due, round_.district_due, round_.province_due) == (
        D(2026, 11, 10),
        D(2026, 11, 25),
        D(2026, 12, 14),  # left blank: the round's last day
    )


def test_the_database_refuses_dues_out_of_order(cast):
    round_ = open_round(cast.admin, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.filter(pk=round_.pk).update(district_due=D(2026, 11, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.filter(pk=round_.pk).update(province_due=D(2026, 12, 31))


# --- editing the timetable ------------------------------------------------------------------


def timetable(round_, **dues):
    url = reverse("round_timetable", args=[round_.pk])
    data = {"commune_due": "20/11/2026", "district_due": "05/12/2026", "province_due": "12/12/2026"}
    return url, {**data, **dues}


def test_an_administrator_edits_the_timetable_on_the_round_page(client, cast):
    round_ = open_round(cast.admin, 2026)
    client.force_login(cast.admin)
    page = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    assert 'data-testid="timetable-form"' in page
    url, data = timetable(round_)
    response = client.post(url, data)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.commune_due, round_.district_due, round_.province_due) == (
        D(2026, 11, 20),
        D(2026, 12, 5),
        D(2026, 12, 12),
    )
    page = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    assert 'data-testid="commune-due">20/11/2026<' in page


def test_bad_timetable_input_shows_the_page_again_with_messages(client, cast):
    round_ = open_round(cast.admin, 2026)
    client.force_login(cast.admin)
    url, data = timetable(round_, district_due="01/11/2026", province_due="31/12/2026")
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hạn huyện tiếp nhận không được trước hạn xã gửi kết quả (20/11/2026)." in body
    assert "Hạn tỉnh tổng hợp không được sau ngày kết thúc đợt (14/12/2026)." in body
    assert "<details open>" in body
    url, data = timetable(round_, commune_due="không phải ngày")
    assert client.post(url, data).status_code == 200
    round_.refresh_from_db()
    assert round_.commune_due == D(2026, 11, 15)  # unchanged
    round_close(by=cast.admin, round_=round_)
    url, data = timetable(round_)
    body = client.post(url, data).content.decode()
    assert "Đợt rà soát đã đóng: không thể đổi thời hạn." in body
    round_.refresh_from_db()
    assert round_.commune_due == D(2026, 11, 15)


def test_only_administrators_edit_the_timetable(client, cast):
    round_ = open_round(cast.admin, 2026)
    url, data = timetable(round_)
    for user in (cast.officer, cast.district, cast.leader, cast.outsider):
        client.force_login(user)
        assert client.post(url, data).status_code == 403, user
        page = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
        assert 'data-testid="timetable-form"' not in page
    client.force_login(cast.admin)
    assert client.get(url).status_code == 405
    round_.refresh_from_db()
    assert round_.commune_due == D(2026, 11, 15)
    with pytest.raises(PermissionDenied):
        round_timetable_set(
            by=cast.district,
            round_=round_,
            commune_due=D(2026, 11, 20),
            district_due=D(2026, 12, 5),
            province_due=D(2026, 12, 12),
        )
    with pytest.raises(ValidationError):
        round_timetable_set(
            by=cast.admin,
            round_=round_,
            commune_due=D(2026, 8, 1),
            district_due=D(2026, 12, 5),
            province_due=D(2026, 12, 12),
        )


# --- completeness -----------------------------------------------------------------------------


def _submit(officer, district, round_, commune, day, *, accept=False):
    submission = commune_submit(by=officer, round_=round_, commune=commune)
    if accept:
        commune_accept(by=district, submission=submission)
    SubmissionEvent.objects.filter(submission=submission, action=SubmissionAction.SUBMIT).update(
        at=dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)
    )


def test_completeness_puts_late_communes_first_and_counts_like_the_raw_rows(cast):
    round_ = open_round(cast.admin, 2026)
    ba_to, ba_vinh, third = unit("21484"), unit("21490"), unit("21496")
    officers = {
        c.code: make_user(f"officer{c.code}", Role.COMMUNE_OFFICER, (c, NEW_TREE_FROM, None))
        for c in (ba_vinh, third)
    }
    officers[ba_to.code] = cast.officer
    for commune, n in ((ba_to, 3), (ba_vinh, 2), (third, 1)):
        for _ in range(n):
            register(officers[commune.code], commune)
    done = {ba_to: 1, ba_vinh: 2, third: 1}
    for commune, k in done.items():
        for survey in Survey.objects.filter(round=round_, commune=commune).order_by("pk")[:k]:
            save(officers[commune.code], survey, **POOR_FIELDS)
    _submit(officers[ba_vinh.code], cast.district, round_, ba_vinh, D(2026, 11, 14), accept=True)
    _submit(officers[third.code], cast.district, round_, third, D(2026, 11, 20))
    communes = Unit.objects.filter(pk__in=[ba_to.pk, ba_vinh.pk, third.pk, unit("21499").pk])

    rows, summary = round_completeness(round_, communes, today=TODAY)
    by_code = {r["commune"].code: r for r in rows}
    for commune in (ba_to, ba_vinh, third):  # an independent count of the raw rows
        entries = Survey.objects.filter(round=round_, commune=commune)
        row = by_code[commune.code]
        assert row["total"] == entries.count()
        assert row["share"] == entries.exclude(status="pending").count() / entries.count()
    assert by_code["21484"]["share_pct"] == 33
    # Ba Tơ is late (not sent, 13 days after 15/11); the others by share done; a commune with
    # nothing on its list comes last and is not expected
    assert [r["commune"].code for r in rows] == ["21484", "21490", "21496", "21499"]
    assert [(r["late"], r["days_late"]) for r in rows[:3]] == [(True, 13), (False, 0), (False, 0)]
    assert (by_code["21496"]["sent_late"], by_code["21496"]["sent_days_late"]) == (True, 5)
    assert not by_code["21490"]["sent_late"]
    assert not by_code["21499"]["expected"] and not by_code["21499"]["late"]
    assert (summary.expected, summary.on_time, summary.sent_late, summary.overdue) == (3, 1, 1, 1)
    assert summary.waiting == 0

    # before the due date nobody is late: Ba Tơ is still in time, ordered by its share
    rows, summary = round_completeness(round_, communes, today=D(2026, 11, 15))
    assert not any(r["late"] for r in rows)
    assert [r["commune"].code for r in rows] == ["21484", "21490", "21496", "21499"]
    assert (summary.overdue, summary.waiting) == (0, 1)
    # the due date moves: Ba Động's submission becomes on time
    round_timetable_set(
        by=cast.admin,
        round_=round_,
        commune_due=D(2026, 11, 20),
        district_due=D(2026, 11, 30),
        province_due=D(2026, 12, 14),
    )
    round_.refresh_from_db()
    rows, summary = round_completeness(round_, communes, today=TODAY)
    assert (summary.on_time, summary.sent_late, summary.overdue) == (2, 0, 1)
    assert rows[0]["days_late"] == 8


def test_the_round_page_shows_the_late_commune_first_with_the_summary(client, cast):
    round_ = open_round(cast.admin, 2026)
    ba_to = unit("21484")
    register(cast.officer, ba_to)
    client.force_login(cast.district)
    body = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    first_row = body.split('data-testid="commune-row"', 2)[1]
    late = timezone.localdate() > round_.commune_due  # the page measures against the clock
    if late:
        assert 'data-commune="21484"' in first_row and "Trễ" in first_row
        assert "1 xã quá hạn chưa gửi" in body
    else:
        assert "1 xã chưa đến hạn" in body
    assert "0/1 xã đã gửi kết quả đúng hạn (15/11/2026)" in body
    assert 'data-testid="share">0%<' in body


def test_the_round_page_reads_no_household_one_by_one(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = open_round(cast.admin, 2026)
    ba_to = unit("21484")
    client.force_login(cast.district)
    url = reverse("round_detail", args=[round_.pk])
    register(cast.officer, ba_to)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        register(cast.officer, ba_to)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
