"""The list exports, built as jobs (Celery, inline here): the detailed lists of poor and near-poor
households with their members, projects, and the list pages "as shown"; progress, failures,
downloads for the owner only, scope, formula injection."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from areas.models import Assignment, UnitGroup
from areas.services import OLD_TREE_TO
from indicators.models import IndicatorValue
from projects.loading import program_load
from reports.exports import household_list, services
from reports.models import Job
from reports.xlsx import DATE, MONEY
from tests.conftest import unit
from tests.projects.factories import approved, proposal
from tests.reports.conftest import INJECTED, data_rows, open_xlsx, response_bytes, texts

pytestmark = pytest.mark.django_db


def run_export(client, capture, user, data, url="export_create"):
    """Post the export form as ``user``; the job runs when the request's transaction commits."""
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse(url), data)
    assert response.status_code == 302, response.status_code
    job = Job.objects.filter(owner=user).latest("created_at")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    return job


def download(client, job):
    response = client.get(reverse("job_download", args=[job.pk, "ket-qua"]))
    assert response.status_code == 200
    return open_xlsx(response_bytes(response)).active


def household_rows(rows):
    """The household rows of a detailed list (members follow without a number)."""
    return [r for r in rows if r[0] is not None]


def stored(round_, unit_, code):
    return IndicatorValue.objects.get(round=round_, unit=unit_, indicator__code=code).value


# --- the detailed lists ----------------------------------------------------------------------


def test_poor_list_job_runs_to_done_and_matches_the_stored_count(
    client, cast, review, django_capture_on_commit_callbacks, monkeypatch
):
    r25 = review.r25
    seen = []
    real_chunks = household_list._chunks

    def spying(rows, size):
        for chunk in real_chunks(rows, size):
            seen.append(Job.objects.get(owner=cast.leader).done)
            yield chunk

    monkeypatch.setattr(household_list, "CHUNK", 2)
    monkeypatch.setattr(household_list, "_chunks", spying)
    data = {"report": "list_poor", "round": r25.pk, "area": f"unit:{unit('51').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, data)
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.total == job.done == stored(r25, unit("51"), "poor_households") == 5
    assert seen == [0, 2, 4]  # progress moved after every chunk
    assert job.finished_at and job.result.name.endswith(".xlsx")
    assert job.params["round"] == str(r25.pk) and job.params["unit"] == str(unit("51").pk)
    assert job.title == "Danh sách hộ nghèo · Tỉnh Quảng Ngãi · Rà soát định kỳ năm 2025"

    page = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'data-status="done"' in page.content and b"5/5" in page.content

    ws = download(client, job)
    first, rows = data_rows(ws)
    head = texts(ws, first - 1)
    for text in ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "DANH SÁCH HỘ NGHÈO", "Địa bàn: Tỉnh Quảng Ngãi",
                 "Đợt rà soát định kỳ năm 2025 (từ 01/09/2025 đến 14/12/2025)"):  # fmt: skip
        assert text in head, text
    assert [c.value for c in ws[first - 1]] == [str(i) for i in range(1, 23)]
    assert ws.freeze_panes == f"D{first}"
    households = household_rows(rows)
    assert [r[0] for r in households] == [1, 2, 3, 4, 5]
    expected = [
        review.households[k].code for k in ("far", "stuck", "worse", "newcomer", "waiting")
    ]  # by commune code (Sơn Tịnh 21220, Ba Tơ 21484, Ba Vinh 21490), village, code
    assert sorted(r[1] for r in households) == sorted(expected)
    assert len(rows) == 10  # every household has two members: the head's row, then the child
    waiting = next(r for r in households if r[1] == review.households["waiting"].code)
    assert waiting[21] and waiting[15] is None  # not surveyed yet: last round's class, noted
    stuck_at = next(i for i, r in enumerate(rows) if r[1] == review.households["stuck"].code)
    head, child = rows[stuck_at], rows[stuck_at + 1]  # citizen IDs masked for the leader
    assert head[2:5] == ("Chủ Hộ Stuck", "Chủ hộ", "Nam") and head[7] == "051*******01"
    assert head[12] == "x" and head[10] == 2 and head[18] == "6, 9, 10, 11"
    assert head[19] == "Có người ốm đau, bệnh nặng, tai nạn" and head[20] == "Vẫn nghèo"
    assert child[0] is None and child[2:4] == ("Con Stuck", "Con") and child[7] == "051*******01"
    assert child[5] == dt.datetime(2012, 5, 2)
    birth = ws.cell(first + stuck_at, 6)
    assert birth.number_format == DATE and ws.cell(first + stuck_at, 16).number_format == MONEY


def test_formula_injection_stays_text_in_the_list(
    client, cast, review, django_capture_on_commit_callbacks
):
    data = {
        "report": "list_poor",
        "round": review.r24.pk,
        "area": f"unit:{unit('51', OLD_TREE_TO).pk}",
    }
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, data)
    ws = download(client, job)
    first, rows = data_rows(ws)
    at = next(i for i, r in enumerate(rows) if r[1] == review.households["injected"].code)
    cell = ws.cell(first + at, 3)
    assert cell.value == INJECTED
    assert cell.data_type == "s" and cell.quotePrefix
    # members as surveyed in 2024, IDs from the register (masked for the leader)
    assert rows[at][7] == "051*******00"
    assert (
        len(household_rows(rows))
        == 6
        == stored(review.r24, unit("51", OLD_TREE_TO), "poor_households")
    )


def test_lists_hold_only_households_the_user_may_see(
    client, cast, review, django_capture_on_commit_callbacks
):
    """The officer may pick the former-district group (they see one of its communes), but the
    personal list holds only the households of their own commune."""
    group = UnitGroup.objects.get(code="huyen-cu-535")
    data = {"report": "list_poor", "round": review.r25.pk, "area": f"group:{group.pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.officer, data)
    _first, rows = data_rows(download(client, job))
    codes = {r[1] for r in household_rows(rows)}
    assert codes == {review.households["stuck"].code, review.households["worse"].code}
    job = run_export(client, django_capture_on_commit_callbacks, cast.district, data)
    _first, rows = data_rows(download(client, job))
    assert len(household_rows(rows)) == 4  # Ba Tơ's two, Ba Vinh's two


def test_outsiders_and_other_users(client, cast, review, django_capture_on_commit_callbacks):
    r25 = review.r25
    client.force_login(cast.outsider)
    for report in ("list_poor", "list_near_poor", "projects"):
        data = {"report": report, "round": r25.pk, "area": f"unit:{unit('21484').pk}"}
        assert client.post(reverse("export_create"), data).status_code == 404
    assert not Job.objects.exists()
    data = {"report": "list_near_poor", "round": r25.pk, "area": f"unit:{unit('21484').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.officer, data)
    assert job.status == "done"
    for other in (cast.leader, cast.outsider):
        client.force_login(other)
        assert client.get(reverse("job_download", args=[job.pk, "ket-qua"])).status_code == 404
        assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404


def test_a_failed_export_keeps_nothing(
    client, cast, review, django_capture_on_commit_callbacks, monkeypatch, settings
):
    def broken(*args, **kwargs):
        raise RuntimeError("hết dung lượng đĩa")

    monkeypatch.setattr(household_list, "write_rows", broken)
    data = {"report": "list_poor", "round": review.r25.pk, "area": f"unit:{unit('51').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, data)
    job.refresh_from_db()
    # the user reads a message and the job's reference; the exception's text goes to the log
    assert job.status == "failed" and job.reference in job.error
    assert "hết dung lượng đĩa" not in job.error
    assert not job.result and job.finished_at
    exports = settings.MEDIA_ROOT / "reports"
    assert not exports.exists() or not any(p.is_file() for p in exports.rglob("*"))
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert job.reference in page and "hết dung lượng đĩa" not in page


def test_running_twice_or_after_losing_access(
    client, cast, review, django_capture_on_commit_callbacks
):
    data = {"report": "list_poor", "round": review.r25.pk, "area": f"unit:{unit('21484').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.officer, data)
    finished = Job.objects.get(pk=job.pk).finished_at
    services.export_run(job_id=job.pk)  # a redelivered message: nothing happens
    assert Job.objects.get(pk=job.pk).finished_at == finished

    with django_capture_on_commit_callbacks() as queued:
        job = services.export_start(
            by=cast.officer,
            report="list_poor",
            params={"round": review.r25.pk, "unit": unit("21484").pk},
        )
    Assignment.objects.filter(user=cast.officer).delete()  # reassigned before the job ran
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "failed" and "không còn quyền" in job.error and not job.result


# --- lists as shown ------------------------------------------------------------------------


def page_codes(client, query: dict) -> list[str]:
    html = client.get(reverse("household_list"), query).content.decode()
    return re.findall(r'data-household="([^"]+)"', html)


@pytest.mark.parametrize(
    "query",
    [
        {"poverty_class": "poor"},
        {"transition": "poor_to_near_poor"},
        {"commune": "21490", "status": "pending"},
        {"q": "chủ hộ st"},
        {},
    ],
)
def test_household_list_as_shown_equals_the_page(
    client, cast, review, django_capture_on_commit_callbacks, query
):
    r25 = review.r25
    if "commune" in query:
        query = {**query, "commune": unit(query["commune"]).pk}
    client.force_login(cast.leader)
    shown = page_codes(client, {"round": r25.pk, **query})
    page = client.get(reverse("household_list"), {"round": r25.pk, **query}).content.decode()
    assert reverse("export_households_shown") in page  # the download button, with the query
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update({**query, "page": "1"})
    data = {"query": q.urlencode(), "round": r25.pk}  # the page's own round: as it showed it
    job = run_export(
        client, django_capture_on_commit_callbacks, cast.leader, data, "export_households_shown"
    )
    assert job.status == "done", job.error
    ws = download(client, job)
    first, rows = data_rows(ws)
    assert [r[1] for r in rows] == shown
    assert job.total == len(shown)
    head = texts(ws, first - 1)
    assert "DANH SÁCH HỘ GIA ĐÌNH" in head
    assert any(
        t.startswith("Bộ lọc:") if query else t == "Danh sách đầy đủ, không lọc." for t in head
    )


def test_household_list_as_shown_keeps_the_scope_and_injection_safety(
    client, cast, review, django_capture_on_commit_callbacks
):
    data = {"query": f"round={review.r24.pk}", "round": review.r24.pk}
    job = run_export(
        client, django_capture_on_commit_callbacks, cast.outsider, data, "export_households_shown"
    )
    _first, rows = data_rows(download(client, job))
    client.force_login(cast.outsider)
    assert [r[1] for r in rows] == page_codes(client, {"round": review.r24.pk})
    assert {r[4] for r in rows} == {"Thị trấn Tịnh Hà"}  # their commune only
    job = run_export(
        client, django_capture_on_commit_callbacks, cast.officer, data, "export_households_shown"
    )
    ws = download(client, job)
    first, rows = data_rows(ws)
    at = next(i for i, r in enumerate(rows) if r[2] == INJECTED)
    assert ws.cell(first + at, 3).data_type == "s"


# --- projects ------------------------------------------------------------------------------


@pytest.fixture
def projects(cast, review):
    program_load()
    h = review.households
    ours = proposal(
        cast.officer,
        [unit("21484")],
        [h["stuck"], h["worse"]],
        categories=["poor", "near_poor"],
        title="=cmd|' /C calc'!A0",
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    approved(ours, cast.officer, cast.district)
    later = proposal(
        cast.admin,
        [unit("21220")],
        [h["far"]],
        title="Trồng keo",
        total=50_000_000,
        state=40_000_000,
    )  # 2026 only
    return ours, later


def test_projects_of_a_year_and_area(
    client, cast, review, projects, django_capture_on_commit_callbacks
):
    ours, _later = projects
    ours.refresh_from_db()
    data = {"report": "projects", "round": review.r25.pk, "area": f"unit:{unit('51').pk}"}
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, data)
    assert job.status == "done", job.error
    ws = download(client, job)
    first, rows = data_rows(ws)
    assert "Dự án thực hiện trong năm 2025" in texts(ws, first - 1)
    total, row = rows
    assert total[2] == "Tổng cộng: 1 dự án" and total[9] == 2
    assert row[1] == ours.code and row[2] == "=cmd|' /C calc'!A0"
    assert ws.cell(first + 1, 3).data_type == "s"
    assert row[9:16] == (2, 1, 1, 0, 0, 0, 0)  # participants, then by category
    assert row[16] == float(ours.beneficiary_share)
    assert row[17:24] == (100_000_000, 90_000_000, 10_000_000, 0, 0, 0, 0)
    assert total[17:24] == row[17:24]
    decided = ours.decision_date.strftime("%d/%m/%Y")
    assert row[24] == "Đã phê duyệt" and row[25] == f"12/QĐ-UBND ngày {decided}"
    assert ws.cell(first + 1, 18).number_format == MONEY


def test_project_list_as_shown_equals_the_page(
    client, cast, review, projects, django_capture_on_commit_callbacks
):
    ours, later = projects
    for user, query, expected in (
        (cast.leader, "", [later.code, ours.code]),
        (cast.leader, "status=approved", [ours.code]),
        (cast.outsider, "", [later.code]),
    ):
        client.force_login(user)
        html = client.get(reverse("project_list") + "?" + query).content.decode()
        assert reverse("export_projects_shown") in html
        shown = re.findall(r"<code>([^<]+)</code>", html)
        assert shown == expected
        job = run_export(
            client, django_capture_on_commit_callbacks, user, {"query": query},
            "export_projects_shown",
        )  # fmt: skip
        _first, rows = data_rows(download(client, job))
        assert [r[1] for r in rows[1:]] == shown
