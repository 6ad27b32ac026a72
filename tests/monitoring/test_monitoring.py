"""Inspection, check and supervision visits: services and their refusals, scope, pages, the
to-do lines, the Excel report and the indicators (issue 13, item 3)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from areas.models import UnitGroup
from areas.scope import user_scope
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Owner, targets_for
from monitoring import services
from monitoring.models import Recommendation, Visit
from povertyportal import todo
from tests.conftest import unit
from tests.households.factories import open_round
from tests.monitoring.factories import pdf, recommend, visit

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ba_to():
    return unit("21484")


@pytest.fixture
def ba_vinh():
    return unit("21490")  # another commune of the former Ba Tơ district


# --- services ---------------------------------------------------------------------------------


def test_district_staff_record_a_visit_officers_and_leaders_may_not(cast, ba_to):
    made = visit(cast.district, [ba_to])
    assert list(made.communes.all()) == [ba_to]
    for user in (cast.officer, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            visit(user, [ba_to])
    with pytest.raises(PermissionDenied):  # Sơn Tịnh is not in the district's group
        visit(cast.district, [ba_to, unit("21220")])
    with pytest.raises(ValidationError):
        visit(cast.district, [])


def test_recommendation_refusals(cast, ba_to, ba_vinh):
    made = visit(cast.district, [ba_to], held_on=dt.date(2026, 6, 10))
    with pytest.raises(ValidationError) as error:
        recommend(cast.district, made, ba_vinh)  # not a commune of the visit
    assert "commune" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        recommend(cast.district, made, ba_to, due_on=dt.date(2026, 6, 9))  # before the visit
    assert "due_on" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        recommend(cast.officer, made, ba_to)
    assert not Recommendation.objects.exists()


def test_files_are_checked_by_content(cast, ba_to):
    made = visit(cast.district, [ba_to])
    services.visit_file_add(by=cast.district, visit=made, file=pdf())
    html = SimpleUploadedFile("bien-ban.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError):
        services.visit_file_add(by=cast.district, visit=made, file=html)
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(ValidationError):
        services.visit_file_add(by=cast.district, visit=made, file=exe)
    with pytest.raises(PermissionDenied):
        services.visit_file_add(by=cast.officer, visit=made, file=pdf())
    assert made.files.count() == 1


def test_the_commune_reports_done_the_district_confirms_or_reopens(cast, ba_to):
    made = visit(cast.district, [ba_to])
    rec = recommend(cast.district, made, ba_to)
    services.follow_up_add(by=cast.officer, recommendation=rec, note="Đã họp thôn")
    assert rec.status == "in_progress"
    with pytest.raises(PermissionDenied):  # confirming is the district's
        services.recommendation_confirm(by=cast.officer, recommendation=rec)
    with pytest.raises(ValidationError):  # a report says what was done
        services.recommendation_report(by=cast.officer, recommendation=rec, note="")
    services.recommendation_report(by=cast.officer, recommendation=rec, note="Đã bổ sung")
    assert rec.status == "reported"
    with pytest.raises(PermissionDenied):  # the outsider officer is not responsible
        services.follow_up_add(by=cast.outsider, recommendation=rec, note="x")
    services.recommendation_reopen(by=cast.district, recommendation=rec, note="Còn thiếu 2 hộ")
    assert rec.status == "in_progress"
    services.recommendation_report(by=cast.officer, recommendation=rec, note="Đã đủ")
    services.recommendation_confirm(by=cast.district, recommendation=rec)
    rec.refresh_from_db()
    assert rec.status == "done" and rec.closed_by == cast.district
    assert rec.follow_ups.count() == 4


# --- pages and scope --------------------------------------------------------------------------


def test_pages_in_and_out_of_scope(client, cast, ba_to):
    made = visit(cast.district, [ba_to], findings="Phát hiện riêng Ba Tơ")
    rec = recommend(cast.district, made, ba_to, text="Kiến nghị riêng Ba Tơ")
    for user in (cast.officer, cast.district, cast.leader):
        client.force_login(user)
        assert "Phát hiện riêng Ba Tơ" in client.get(reverse("visit_detail", args=[made.pk])).text
        assert "Kiến nghị riêng Ba Tơ" in client.get(reverse("recommendation_list")).text
        assert client.get(reverse("visit_list")).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(reverse("visit_detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("recommendation_detail", args=[rec.pk])).status_code == 404
    assert "Kiến nghị riêng Ba Tơ" not in client.get(reverse("recommendation_list")).text
    assert client.get(reverse("visit_detail", args=[999999])).status_code == 404


def test_create_visit_and_recommendation_through_the_pages(client, cast, ba_to):
    client.force_login(cast.district)
    bad = client.post(reverse("visit_create"), {"kind": "check", "held_on": "10/06/2026"})
    assert bad.status_code == 200 and not Visit.objects.exists()
    response = client.post(
        reverse("visit_create"),
        {
            "kind": "monitoring",
            "held_on": "10/06/2026",
            "organiser": "UBND huyện",
            "team": "Đoàn giám sát",
            "communes": [ba_to.pk],
            "status": "draft",
        },
    )
    made = Visit.objects.get()
    assert response.status_code == 302
    late = client.post(
        reverse("recommendation_add", args=[made.pk]),
        {"text": "Sửa sổ sách", "commune": ba_to.pk, "due_on": "01/06/2026"},
    )
    assert late.status_code == 200 and "không được trước ngày" in late.text
    client.post(
        reverse("recommendation_add", args=[made.pk]),
        {"text": "Sửa sổ sách", "commune": ba_to.pk, "due_on": "30/09/2026"},
    )
    rec = Recommendation.objects.get()
    client.force_login(cast.officer)
    client.post(reverse("recommendation_step", args=[rec.pk, "report"]), {"note": "Đã sửa xong"})
    rec.refresh_from_db()
    assert rec.status == "reported"


# --- to-do ------------------------------------------------------------------------------------


def lines(user) -> dict[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    return {i.text: i.count for i in todo.for_request(request, today=TODAY)}


PENDING = "Kiến nghị sau kiểm tra, giám sát chưa thực hiện"
REPORTED = "Kiến nghị xã báo cáo đã thực hiện, chờ xác nhận"
OVERDUE = "Kiến nghị sau kiểm tra, giám sát quá hạn"
PROVINCE = "Kiến nghị sau kiểm tra, giám sát quá hạn trên địa bàn"


def test_todo_lines_fall_when_done(cast, ba_to):
    made = visit(cast.district, [ba_to])
    late = recommend(cast.district, made, ba_to, due_on=dt.date(2026, 9, 30))
    recommend(cast.district, made, ba_to, due_on=dt.date(2026, 12, 31))
    assert lines(cast.officer)[PENDING] == 2
    assert lines(cast.district)[OVERDUE] == 1
    assert lines(cast.leader)[PROVINCE] == 1
    assert PENDING not in lines(cast.outsider)
    services.recommendation_report(by=cast.officer, recommendation=late, note="Xong")
    assert lines(cast.officer)[PENDING] == 1
    assert lines(cast.district)[REPORTED] == 1
    assert OVERDUE not in lines(cast.district)
    assert PROVINCE not in lines(cast.leader)
    services.recommendation_confirm(by=cast.district, recommendation=late)
    assert REPORTED not in lines(cast.district)


def test_todo_line_on_the_home_page(client, cast, ba_to):
    recommend(cast.district, visit(cast.district, [ba_to]), ba_to, due_on=dt.date(2026, 9, 1))
    client.force_login(cast.officer)
    html = client.get(reverse("home")).text
    assert PENDING in html
    assert "state=pending" in html


# --- the report -------------------------------------------------------------------------------


def test_excel_report(client, cast, ba_to, ba_vinh):
    both = visit(cast.district, [ba_to, ba_vinh], kind="inspection")
    visit(cast.district, [ba_to], kind="community")
    visit(cast.district, [ba_to], held_on=dt.date(2025, 8, 1))  # another year
    done = recommend(cast.district, both, ba_to, due_on=dt.date(2026, 7, 1))
    recommend(cast.district, both, ba_to, due_on=dt.date(2026, 7, 1), text="Quá hạn X")
    recommend(cast.district, both, ba_vinh, due_on=dt.date(2027, 1, 31), text="Chưa đến hạn Y")
    services.recommendation_confirm(by=cast.district, recommendation=done)
    visit(cast.admin, [unit("21220")])  # outside the district's scope
    client.force_login(cast.district)
    response = client.get(reverse("monitoring_report"), {"year": YEAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    visits, recs, pending = wb.worksheets

    def table(ws):
        return [
            tuple(row) for row in ws.iter_rows(values_only=True) if row and isinstance(row[0], int)
        ]

    by_commune = {row[1].split(",")[0]: row[2:7] for row in table(visits)}
    assert by_commune == {
        ba_to.label: (1, 0, 0, 1, 2),  # inspection, check, monitoring, community, total
        ba_vinh.label: (1, 0, 0, 0, 1),
    }
    counts = {row[1].split(",")[0]: row[2:6] for row in table(recs)}
    assert counts[ba_to.label] == (2, 1, 1, 1)  # total, done, not done, overdue
    assert counts[ba_vinh.label] == (1, 0, 1, 0)
    texts = [row[2] for row in table(pending)]
    assert texts == ["Quá hạn X", "Chưa đến hạn Y"]
    assert "Sơn Tịnh" not in str([list(r) for r in visits.iter_rows(values_only=True)])


# --- indicators -------------------------------------------------------------------------------


def test_indicators_against_an_independent_count(
    cast, ba_to, ba_vinh, django_capture_on_commit_callbacks
):
    indicator_services.indicators_load()
    with django_capture_on_commit_callbacks():
        round_ = open_round(cast.admin, YEAR)
        first = visit(cast.district, [ba_to, ba_vinh])
        visit(cast.district, [ba_to], kind="monitoring")
        visit(cast.district, [ba_to], held_on=dt.date(2025, 9, 1))  # other year
        a = recommend(cast.district, first, ba_to)
        recommend(cast.district, first, ba_to)
        recommend(cast.district, first, ba_to, due_on=dt.date(2027, 3, 1))  # due next year
        b = recommend(cast.district, first, ba_vinh)
        for rec in (a, b):
            services.recommendation_confirm(by=cast.district, recommendation=rec)
    with django_capture_on_commit_callbacks(execute=True):
        indicator_services.rollup_start(round_=round_)

    def value(code, **owner):
        return IndicatorValue.objects.get(round=round_, indicator__code=code, **owner)

    # the independent count: the link rows of the year, and the recommendations due in it
    links = Visit.communes.through.objects.filter(visit__held_on__year=YEAR)
    group = UnitGroup.objects.get(code="huyen-cu-535")
    for owner, communes in (
        ({"unit": ba_to}, [ba_to]),
        ({"unit": ba_vinh}, [ba_vinh]),
        ({"group": group}, [ba_to, ba_vinh]),
        ({"unit": unit("51")}, [ba_to, ba_vinh]),
    ):
        expected_visits = links.filter(unit__in=communes).count()
        assert value("monitoring_visits", **owner).value == expected_visits
        due = Recommendation.objects.filter(due_on__year=YEAR, commune__in=communes)
        got = value("recommendations_done_share", **owner)
        assert (got.numerator, got.denominator) == (due.filter(status="done").count(), due.count())
    assert value("monitoring_visits", unit=ba_to).value == 2
    assert value("monitoring_visits", unit=unit("51")).value == 3  # commune-visits
    assert float(value("recommendations_done_share", unit=ba_to).value) == pytest.approx(50.0)

    # a target on the indicator shows on the province's dashboard
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="recommendations_done_share"),
        unit=province,
        year=YEAR,
        kind="at_least",
        low=90,
    )
    rows = targets_for(round_, user_scope(cast.leader), Owner(unit=province))
    assert [r.target.indicator.code for r in rows] == ["recommendations_done_share"]
    assert float(rows[0].actual) == pytest.approx(100 * 2 / 3, abs=0.01)


def test_phone_safe_tables(client, cast, ba_to):
    recommend(cast.district, visit(cast.district, [ba_to]), ba_to)
    client.force_login(cast.officer)
    for name in ("visit_list", "recommendation_list"):
        html = client.get(reverse(name)).text
        assert re.search(r'class="table-responsive">\s*<table', html), name


def test_a_visit_of_a_project(client, cast, ba_to, ba_vinh):
    from monitoring.selectors import project_choices
    from projects.loading import program_load
    from tests.households.factories import member, register
    from tests.projects.factories import proposal

    program_load()
    open_round(cast.admin, YEAR)
    households = [register(cast.officer, ba_to, members=[member("Hộ Dự Án")])]
    project = proposal(cast.officer, [ba_to], households)
    assert project in project_choices(user_scope(cast.district))
    assert project not in project_choices(user_scope(cast.officer))  # no REVIEW
    made = visit(cast.district, [], projects=[project])  # the project's commune is the visit's
    rec = services.recommendation_add(
        by=cast.district, visit=made, text="Bổ sung sổ sách dự án", commune=ba_to,
        project=project, due_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    assert rec.project == project
    with pytest.raises(ValidationError):
        recommend(cast.district, made, ba_vinh)
    client.force_login(cast.officer)
    assert client.get(reverse("visit_detail", args=[made.pk])).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(reverse("visit_detail", args=[made.pk])).status_code == 404


def test_edit_keeps_the_visit_and_refuses_dropping_a_responsible_commune(client, cast, ba_to):
    made = visit(cast.district, [ba_to])
    recommend(cast.district, made, ba_to)
    client.force_login(cast.district)
    page = client.get(reverse("visit_edit", args=[made.pk]))
    assert page.status_code == 200 and ba_to.label in page.text
    data = {
        "kind": "check", "held_on": "10/06/2026", "organiser": "UBND huyện", "team": "Đoàn",
        "communes": [unit("21490").pk], "status": "closed",
    }  # fmt: skip
    refused = client.post(reverse("visit_edit", args=[made.pk]), data)
    assert refused.status_code == 200
    assert list(Visit.objects.get(pk=made.pk).communes.all()) == [ba_to]
    data["communes"] = [ba_to.pk]
    assert client.post(reverse("visit_edit", args=[made.pk]), data).status_code == 302
    assert Visit.objects.get(pk=made.pk).status == "closed"
