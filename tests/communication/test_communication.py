"""Communication activities (project 6): services and their refusals, scope, pages, the summary
and its workbook (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communication import services
from communication.models import Activity, ActivityKind, InformationKind
from support import services as support_services
from support.models import SupportKind
from tests.conftest import unit

from .conftest import activity, kind

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def ba_to():
    return unit("21484")


@pytest.fixture
def ba_vinh():
    return unit("21490")  # another commune of the former Ba Tơ district


# --- data -------------------------------------------------------------------------------------


def test_kinds_are_data_and_unconfirmed():
    kinds = ActivityKind.objects.all()
    assert {k.subproject for k in kinds} == {"6.1", "6.2"}
    assert not kinds.filter(confirmed=True).exists()
    info = InformationKind.objects.select_related("support_kind")
    assert {i.support_kind.code for i in info} == {
        "info-tv", "info-radio", "info-phone", "info-internet",
    }  # fmt: skip
    assert SupportKind.objects.filter(code="info-tv", active=True).exists()


# --- services ---------------------------------------------------------------------------------


def test_officer_district_and_admin_record_leaders_and_outsiders_may_not(cast, ba_to, ba_vinh):
    made = activity(cast.officer, ba_to, audience_groups=["poor", "ethnic"])
    assert made.audience_groups == ",poor,ethnic,"
    assert made.audience_labels() == ["Hộ nghèo, hộ cận nghèo", "Đồng bào dân tộc thiểu số"]
    activity(cast.district, ba_vinh)  # a commune of the district staff's group
    activity(cast.admin, unit("51"), code="broadcast")  # the province itself
    for user, where in (
        (cast.leader, ba_to),
        (cast.outsider, ba_to),
        (cast.officer, ba_vinh),  # another commune
        (cast.officer, unit("51")),  # the province
        (cast.district, unit("21220")),  # outside the group
    ):
        with pytest.raises(PermissionDenied):
            activity(user, where)
    assert Activity.objects.count() == 3


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"held_on": "tomorrow"}, "held_on"),
        ({"reach": -1}, "reach"),
        ({"materials": -5}, "materials"),
        ({"cost": -1}, "cost"),
        ({"title": "  "}, "title"),
        ({"audience_groups": ["aliens"]}, "audience_groups"),
    ],
)
def test_validation(cast, ba_to, changes, field):
    if changes.get("held_on") == "tomorrow":
        changes = {"held_on": timezone.localdate() + dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as error:
        activity(cast.officer, ba_to, **changes)
    assert field in error.value.error_dict
    assert not Activity.objects.exists()


def test_retired_kind_is_refused_for_new_activities_kept_on_old_ones(cast, ba_to):
    made = activity(cast.officer, ba_to, code="event")
    ActivityKind.objects.filter(code="event").update(active=False)
    with pytest.raises(ValidationError):
        activity(cast.officer, ba_to, code="event")
    services.activity_update(
        by=cast.officer, activity=made, kind=kind("event"), held_on=made.held_on, unit=ba_to,
        title="Hội thi tìm hiểu chính sách", reach=120, materials=0,
    )  # fmt: skip
    made.refresh_from_db()
    assert made.reach == 120


def test_update_and_delete_need_the_unit(cast, ba_to):
    made = activity(cast.officer, ba_to)
    for user in (cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.activity_update(
                by=user, activity=made, kind=made.kind, held_on=made.held_on, unit=ba_to,
                title="X", reach=1, materials=1,
            )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.activity_delete(by=user, activity=made)
    with pytest.raises(PermissionDenied):  # moving it out of the officer's commune
        services.activity_update(
            by=cast.officer, activity=made, kind=made.kind, held_on=made.held_on,
            unit=unit("21490"), title="X", reach=1, materials=1,
        )  # fmt: skip
    services.activity_delete(by=cast.district, activity=made)
    assert not Activity.objects.exists()


# --- pages ------------------------------------------------------------------------------------


def test_list_is_scoped_filtered_and_totalled(client, cast, ba_to, ba_vinh):
    activity(cast.officer, ba_to, title="Hội nghị Ba Tơ", reach=80, materials=100, cost=5_000_000)
    activity(cast.district, ba_vinh, code="equipment", title="Loa Ba Vinh", reach=300,
             materials=4, cost=12_000_000)  # fmt: skip
    activity(cast.officer, ba_to, title="Năm trước", held_on=dt.date(2025, 6, 1))
    activity(cast.outsider, unit("21220"), title="Sơn Tịnh riêng")
    client.force_login(cast.officer)
    html = client.get(reverse("communication_list")).text
    assert "Hội nghị Ba Tơ" in html and "Năm trước" in html
    assert "Loa Ba Vinh" not in html and "Sơn Tịnh riêng" not in html
    client.force_login(cast.district)
    html = client.get(reverse("communication_list"), {"year": YEAR}).text
    assert "Hội nghị Ba Tơ" in html and "Loa Ba Vinh" in html and "Năm trước" not in html
    assert "Sơn Tịnh riêng" not in html
    totals = re.search(r'data-testid="communication-totals">(.*?)</p>', html, re.S).group(1)
    assert "380" in totals and "17.000.000" in totals.replace(",", ".")
    html = client.get(reverse("communication_list"), {"subproject": "6.1"}).text
    assert "Loa Ba Vinh" in html and "Hội nghị Ba Tơ" not in html
    html = client.get(reverse("communication_list"), {"unit": ba_to.pk}).text
    assert "Hội nghị Ba Tơ" in html and "Loa Ba Vinh" not in html
    client.force_login(cast.leader)
    html = client.get(reverse("communication_list")).text
    assert "Sơn Tịnh riêng" in html and "Ghi hoạt động" not in html


def test_detail_out_of_scope_is_404(client, cast, ba_to):
    made = activity(cast.officer, ba_to)
    client.force_login(cast.outsider)
    assert client.get(reverse("communication_detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("communication_edit", args=[made.pk])).status_code == 404
    assert client.post(reverse("communication_delete", args=[made.pk])).status_code == 404
    assert client.get(reverse("communication_detail", args=[999_999])).status_code == 404
    client.force_login(cast.leader)
    assert client.get(reverse("communication_detail", args=[made.pk])).status_code == 200
    assert client.get(reverse("communication_edit", args=[made.pk])).status_code == 403


def test_create_and_edit_pages(client, cast, ba_to):
    client.force_login(cast.officer)
    url = reverse("communication_create")
    form = client.get(url).text
    assert ba_to.label in form and "Xã Ba Vinh" not in form
    data = {
        "kind": kind("printed").pk, "held_on": "12/03/2026", "unit": ba_to.pk,
        "title": "Phát tờ rơi chính sách", "audience_groups": ["poor", "public"],
        "audience": "Hộ nghèo thôn 2", "reach": "250", "materials": "500",
        "materials_note": "Tờ rơi A4", "cost": "3500000",
    }  # fmt: skip
    response = client.post(url, {**data, "held_on": "12/03/2027"})
    assert response.status_code == 200
    assert "không được sau ngày hôm nay" in response.text
    response = client.post(url, {**data, "reach": "-3"})
    assert response.status_code == 200 and not Activity.objects.exists()
    response = client.post(url, data)
    made = Activity.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{made.pk}/")
    assert (made.reach, made.materials, made.cost) == (250, 500, 3_500_000)
    assert made.audience_groups == ",poor,public,"
    detail = client.get(reverse("communication_detail", args=[made.pk])).text
    assert "3.500.000" in detail.replace(",", ".") and "Tờ rơi A4" in detail
    edit = reverse("communication_edit", args=[made.pk])
    assert "Phát tờ rơi chính sách" in client.get(edit).text
    assert client.post(edit, {**data, "reach": "260"}).status_code == 302
    made.refresh_from_db()
    assert made.reach == 260


def test_delete_page(client, cast, ba_to):
    made = activity(cast.officer, ba_to)
    client.force_login(cast.officer)
    response = client.post(reverse("communication_delete", args=[made.pk]))
    assert response.status_code == 302 and not Activity.objects.exists()


# --- the summary and its workbook -------------------------------------------------------------


@pytest.fixture
def informed(cast, homes, django_capture_on_commit_callbacks):
    """Information support to Ba Tơ's poor household (twice: one household) and last year's to
    the near-poor one (not this year)."""
    tv = SupportKind.objects.get(code="info-tv")
    with django_capture_on_commit_callbacks(execute=True):
        for day in (dt.date(YEAR, 4, 1), dt.date(YEAR, 7, 1)):
            support_services.support_record(
                by=cast.officer, household=homes.poor, kind=tv, source="central",
                received_on=day, quantity=1,
            )  # fmt: skip
        support_services.support_record(
            by=cast.officer, household=homes.near, kind=tv, source="central",
            received_on=dt.date(YEAR - 1, 4, 1), quantity=1,
        )  # fmt: skip
        support_services.support_record(  # not an information kind
            by=cast.officer, household=homes.near, kind=SupportKind.objects.get(code="housing"),
            source="central", received_on=dt.date(YEAR, 4, 1), amount=40_000_000,
        )  # fmt: skip
    return homes


def test_summary_page_and_workbook(client, cast, informed, ba_vinh):
    ba_to = informed.ba_to
    activity(cast.officer, ba_to, reach=80, materials=100, cost=5_000_000)
    activity(cast.officer, ba_to, code="printed", reach=20, materials=300)
    activity(cast.district, ba_vinh, code="equipment", reach=300, materials=4, cost=12_000_000)
    activity(cast.admin, unit("51"), code="broadcast", reach=10_000, materials=12)
    activity(cast.officer, ba_to, held_on=dt.date(2025, 6, 1))  # another year
    activity(cast.outsider, unit("21220"))  # outside the district's scope
    client.force_login(cast.district)
    url = reverse("communication_summary")
    html = client.get(url, {"year": YEAR}).text
    assert 'data-testid="communication-summary"' in html and "Sơn Tịnh" not in html
    response = client.get(url, {"year": YEAR, "download": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    kinds = list(ActivityKind.objects.order_by("position", "name"))
    rows = {
        r[1].split(",")[0]: r[2:]
        for r in ws.iter_rows(values_only=True)
        if r and isinstance(r[0], int)
    }
    assert set(rows) == {ba_to.label, ba_vinh.label}  # the district sees no province row
    n = len(kinds)
    by_kind = dict(zip([k.code for k in kinds], rows[ba_to.label][:n], strict=True))
    assert by_kind["conference"] == 1 and by_kind["printed"] == 1 and by_kind["equipment"] == 0
    # total, reach, materials, cost, households with information support
    assert tuple(rows[ba_to.label][n : n + 5]) == (2, 100, 400, 5_000_000, 1)
    assert tuple(rows[ba_vinh.label][n : n + 5]) == (1, 300, 4, 12_000_000, 0)
    assert "Sơn Tịnh" not in str([list(r) for r in ws.iter_rows(values_only=True)])
    # the administrator sees the province's own line
    client.force_login(cast.admin)
    ws = load_workbook(
        io.BytesIO(client.get(url, {"year": YEAR, "download": "xlsx"}).content)
    ).worksheets[0]
    labels = [r[1] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert any(label.startswith(unit("51").label) for label in labels)


def test_information_support_shows_on_the_household_page(client, cast, informed):
    client.force_login(cast.officer)
    html = client.get(reverse("household_detail", args=[informed.poor.pk])).text
    assert "Hỗ trợ ti vi" in html
