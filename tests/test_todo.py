"""The home page's to-do list per role (issue 12): each line a count and a link to the work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from areas.models import Role, UnitGroup
from areas.services import OLD_TREE_FROM as OLD
from households.models import Survey
from households.services import commune_accept, commune_return, commune_submit
from povertyportal import todo
from reports.models import Job, JobStatus
from tests.conftest import TODAY, make_user, unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Due dates are compared with TODAY (28/11/2026), whatever the clock says: the 2026 round's
    commune step (15/11) is 13 days late, the district step (30/11) still in time."""
    monkeypatch.setattr(todo, "local_today", lambda: TODAY)


def lines_on(user, day: dt.date) -> list[todo.Item]:
    """The user's to-do items on ``day`` (the function the home page calls)."""
    request = RequestFactory().get("/")
    request.user = user
    return todo.for_request(request, today=day)


def items(client, user) -> list[tuple[str, int, str]]:
    """(text, count, link) of every to-do line on the user's home page."""
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    found = re.findall(
        r'data-testid="todo-item">\s*<div>\s*<a href="([^"]+)">([^<]+)</a>.*?'
        r'data-testid="todo-count">(\d+)<',
        html,
        flags=re.S,
    )
    return [(text.strip(), int(n), url.replace("&amp;", "&")) for url, text, n in found]


@pytest.fixture
def round_(cast):
    return open_round(cast.admin, 2026)


@pytest.fixture
def ba_to_entries(cast, round_):
    """Two households of Xã Ba Tơ in the open round, pending."""
    for name in ("Hồ Văn An", "Hồ Văn Bình"):
        register(cast.officer, unit("21484"), members=[member(name)])
    return list(Survey.objects.filter(round=round_))


def test_the_officer_sees_pending_surveys_and_they_fall_as_they_are_saved(
    client, cast, round_, ba_to_entries
):
    lines = items(client, cast.officer)
    assert lines[0][:2] == ("2 phiếu chưa rà soát trong đợt 2026", 2)
    assert lines[0][2] == f"{reverse('household_list')}?round={round_.pk}&status=pending"
    save(cast.officer, ba_to_entries[0], **POOR_FIELDS)
    assert items(client, cast.officer)[0][:2] == ("1 phiếu chưa rà soát trong đợt 2026", 1)


def test_a_returned_commune_shows_with_the_districts_comment(client, cast, round_, ba_to_entries):
    for survey in ba_to_entries:
        save(cast.officer, survey, **POOR_FIELDS)
    ba_to = unit("21484")
    submission = commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    commune_return(by=cast.district, submission=submission, comment="Thiếu chữ ký trưởng thôn.")
    client.force_login(cast.officer)
    html = client.get(reverse("home")).content.decode()
    assert "Huyện trả lại kết quả của Xã Ba Tơ" in html
    assert "Thiếu chữ ký trưởng thôn." in html
    assert reverse("commune_round", args=[round_.pk, ba_to.pk]) in html


def test_the_district_count_falls_as_they_accept(client, cast, round_, ba_to_entries):
    for survey in ba_to_entries:
        save(cast.officer, survey, **POOR_FIELDS)
    submission = commune_submit(by=cast.officer, round_=round_, commune=unit("21484"))
    lines = items(client, cast.district)
    assert ("1 xã gửi kết quả đợt 2026, chờ tiếp nhận", 1) in [line[:2] for line in lines]
    assert 'data-testid="todo-waited">Từ hôm nay' in client.get(reverse("home")).content.decode()
    commune_accept(by=cast.district, submission=submission)
    assert not [line for line in items(client, cast.district) if "chờ tiếp nhận" in line[0]]
    # an officer of another district has nothing of Ba Tơ's
    assert not items(client, cast.outsider)


def test_the_leader_sees_communes_not_yet_accepted(client, cast, round_, ba_to_entries):
    lines = items(client, cast.leader)
    assert ("1 xã chưa được tiếp nhận kết quả đợt 2026", 1) in [line[:2] for line in lines]
    html = client.get(reverse("home")).content.decode()
    assert "Hạn huyện tiếp nhận: 30/11/2026." in html


def test_the_leaders_line_turns_urgent_once_the_district_due_date_has_passed(
    cast, round_, ba_to_entries
):
    (before,) = [i for i in lines_on(cast.leader, dt.date(2026, 11, 30)) if "xã chưa" in i.text]
    assert not before.urgent and before.count == 1
    (after,) = [i for i in lines_on(cast.leader, dt.date(2026, 12, 1)) if "xã chưa" in i.text]
    assert after.urgent and after.count == 1
    assert after.text == "1 xã chưa được tiếp nhận kết quả đợt 2026, đã quá hạn huyện tiếp nhận"
    assert after.detail == "Hạn huyện tiếp nhận: 30/11/2026."
    for survey in ba_to_entries:
        save(cast.officer, survey, **POOR_FIELDS)
    submission = commune_submit(by=cast.officer, round_=round_, commune=unit("21484"))
    commune_accept(by=cast.district, submission=submission)
    assert not [i for i in lines_on(cast.leader, dt.date(2026, 12, 1)) if "xã chưa" in i.text]


def test_the_officer_sees_the_due_date_of_the_commune_step(client, cast, round_, ba_to_entries):
    ba_to = unit("21484")
    (line,) = [i for i in lines_on(cast.officer, dt.date(2026, 11, 10)) if "Hạn gửi" in i.text]
    assert line.text == "Hạn gửi kết quả đợt 2026 lên huyện: 15/11/2026"
    assert (line.detail, line.urgent, line.count) == ("Còn 5 ngày.", False, 1)
    assert line.url == reverse("commune_round", args=[round_.pk, ba_to.pk])
    (line,) = [i for i in lines_on(cast.officer, dt.date(2026, 11, 15)) if "Hạn gửi" in i.text]
    assert (line.detail, line.urgent) == ("Hôm nay là hạn cuối.", True)
    # on the home page, at TODAY (28/11): 13 days late
    lines = items(client, cast.officer)
    assert ("Quá hạn gửi kết quả đợt 2026 lên huyện (hạn 15/11/2026)", 1) in [
        line[:2] for line in lines
    ]
    assert "Trễ 13 ngày." in client.get(reverse("home")).content.decode()
    for survey in ba_to_entries:
        save(cast.officer, survey, **POOR_FIELDS)
    commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    assert not [i for i in lines_on(cast.officer, TODAY) if "hạn" in i.text.lower()]


def test_the_district_sees_communes_late_to_submit_and_the_district_due_date(
    cast, round_, ba_to_entries
):
    assert not [i for i in lines_on(cast.district, dt.date(2026, 11, 15)) if "quá hạn" in i.text]
    (late,) = [i for i in lines_on(cast.district, TODAY) if "quá hạn" in i.text]
    assert (late.text, late.count, late.urgent) == ("1 xã quá hạn gửi kết quả đợt 2026", 1, True)
    assert late.detail == "Hạn xã gửi kết quả: 15/11/2026."
    assert late.url == reverse("round_detail", args=[round_.pk])
    # district staff of Sơn Tịnh have no commune of Ba Tơ's
    son_tinh = make_user(
        "son_tinh", Role.DISTRICT_STAFF, (UnitGroup.objects.get(code="huyen-cu-527"), OLD, None)
    )
    assert not [i for i in lines_on(son_tinh, TODAY) if "quá hạn" in i.text]
    for survey in ba_to_entries:
        save(cast.officer, survey, **POOR_FIELDS)
    commune_submit(by=cast.officer, round_=round_, commune=unit("21484"))
    lines = lines_on(cast.district, TODAY)
    assert not [i for i in lines if "quá hạn gửi" in i.text]
    (waiting,) = [i for i in lines if "chờ tiếp nhận" in i.text]
    assert (waiting.detail, waiting.urgent) == ("Hạn huyện tiếp nhận: 30/11/2026.", False)
    (waiting,) = [i for i in lines_on(cast.district, dt.date(2026, 12, 2)) if "chờ" in i.text]
    assert (waiting.detail, waiting.urgent) == (
        "Hạn huyện tiếp nhận: 30/11/2026, đã quá hạn.",
        True,
    )


def test_the_administrator_sees_failed_jobs_and_a_stale_rollup(client, cast, round_):
    Job.objects.create(
        owner=cast.officer, kind="export", report="results", title="t",
        status=JobStatus.FAILED, finished_at=timezone.now(),
    )  # fmt: skip
    texts = [line[0] for line in items(client, cast.admin)]
    assert "1 công việc xuất, nhập bị lỗi trong 7 ngày qua" in texts
    assert any("chờ cập nhật số liệu" in t for t in texts)  # no rollup has ever run
    page = client.get(reverse("admin:reports_job_changelist"))
    assert page.status_code == 200  # where the line leads
    # other roles never see the administrator's lines
    assert not [t for t, _n, _u in items(client, cast.officer) if "công việc" in t]


def test_nothing_waiting_says_so(client, cast):
    client.force_login(cast.leader)
    assert "Không có việc nào đang chờ bạn." in client.get(reverse("home")).content.decode()
