"""Labour pages: the needs list with filters and summary, the officer's form, the Excel
summary, fairs with their hires, the placement summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from labour.models import FairHire, JobFair, TrainingNeed
from projects.models import EmploymentRecord

from .factories import fair, hire, need, trade

pytestmark = pytest.mark.django_db


def head(household):
    return household.members.order_by("pk").first()


@pytest.fixture
def surveyed(cast, homes):
    need(cast.officer, head(homes.poor), code="garment", level="elementary", where="province")
    need(cast.officer, head(homes.near), code="construction", level="intermediate",
         where="abroad", wants_job=False)  # fmt: skip
    need(cast.outsider, head(homes.outside))
    return homes


def test_needs_list_filters_and_summary(client, cast, surveyed):
    client.force_login(cast.officer)
    url = reverse("labour_needs", args=[surveyed.ba_to.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert surveyed.poor.code in page and surveyed.near.code in page
    assert surveyed.outside.code not in page
    summary = page[page.index('data-testid="needs-summary"') :]
    assert "May mặc" in summary and "Xây dựng" in summary and "Nước ngoài" in summary
    page = client.get(url, {"year": 2026, "trade": trade("garment").pk}).content.decode()
    assert surveyed.poor.code in page and surveyed.near.code not in page
    page = client.get(url, {"year": 2026, "where": "abroad"}).content.decode()
    assert surveyed.near.code in page and surveyed.poor.code not in page
    page = client.get(url, {"year": 2026, "wants_job": "no"}).content.decode()
    assert surveyed.near.code in page and surveyed.poor.code not in page
    assert client.get(reverse("labour_needs", args=[surveyed.son_tinh.pk])).status_code == 404
    assert client.get(reverse("labour_index")).url == url


def test_need_form(client, cast, homes):
    client.force_login(cast.officer)
    url = reverse("labour_need_add", args=[homes.ba_to.pk])
    page = client.get(url).content.decode()
    assert head(homes.poor).full_name in page
    assert head(homes.average).full_name not in page  # not poor: not offered
    assert f"{homes.poor.code} – Đinh Văn Nghèo Con" not in page  # born 2012: not offered
    data = {"member": head(homes.poor).pk, "surveyed_on": "04/05/2026",
            "trade": trade("driving").pk, "level": "elementary", "where": "outside",
            "wants_job": "on"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert TrainingNeed.objects.get().trade.code == "driving"
    response = client.post(url, data | {"surveyed_on": "05/06/2026"})
    assert response.status_code == 200
    assert "Đã ghi nhu cầu đào tạo" in response.content.decode()
    assert TrainingNeed.objects.count() == 1
    response = client.post(url, {"member": head(homes.average).pk})
    assert response.status_code == 200 and TrainingNeed.objects.count() == 1


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) + [None] * 16 for r in ws.iter_rows(values_only=True)]


def test_excel_summary(client, cast, surveyed):
    need(cast.officer, surveyed.poor.members.create(
        full_name="Đinh Thị Vợ", sex="female", birth_date=dt.date(1990, 1, 1), relation="spouse",
        ethnicity=head(surveyed.poor).ethnicity, schooling=head(surveyed.poor).schooling,
        education_level=head(surveyed.poor).education_level,
        employment=head(surveyed.poor).employment,
    ), code="garment")  # fmt: skip
    client.force_login(cast.district)
    response = client.get(reverse("labour_needs_export", args=[surveyed.ba_to.pk]), {"year": 2026})
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert any("NHU CẦU ĐÀO TẠO NGHỀ" in str(r).upper() for r in rows[:8])
    data = {r[2]: r for r in rows if r[2] in ("May mặc", "Xây dựng")}
    # columns: STT, commune, trade, then where (province, outside, abroad) × level
    # (elementary, intermediate, college), total, wanting a job
    garment, building = data["May mặc"], data["Xây dựng"]
    assert garment[3:14] == [2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2]
    assert building[3:14] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]
    assert not any(r[1] and "Sơn Tịnh" in str(r[1]) for r in rows)


def test_fairs_and_hires(client, cast, homes):
    client.force_login(cast.officer)
    response = client.post(reverse("job_fair_create"), {
        "kind": "session", "held_on": "12/06/2026", "unit": homes.ba_to.pk, "place": "UBND xã",
        "employers_count": 3, "jobs_offered": 80, "attendees": 50, "attendees_poor": 60,
        "hires": 5,
    })  # fmt: skip
    assert response.status_code == 200
    assert "không được lớn hơn số người tham dự" in response.content.decode()
    assert not JobFair.objects.exists()
    response = client.post(reverse("job_fair_create"), {
        "kind": "session", "held_on": "12/06/2026", "unit": homes.ba_to.pk, "place": "UBND xã",
        "employers_count": 3, "jobs_offered": 80, "attendees": 50, "attendees_poor": 20,
        "hires": 5,
    })  # fmt: skip
    made = JobFair.objects.get()
    assert response.url == reverse("job_fair_detail", args=[made.pk])
    url = reverse("job_fair_hire_add", args=[made.pk])
    page = client.get(url).content.decode()
    assert head(homes.poor).full_name in page and homes.outside.code not in page
    response = client.post(url, {
        "member": head(homes.poor).pk, "employer": "Công ty May", "contract": "abroad",
        "starts_on": "01/07/2026", "is_abroad": "on", "is_sustainable": "on",
    })  # fmt: skip
    assert response.status_code == 302
    record = EmploymentRecord.objects.get()
    assert record.is_abroad and FairHire.objects.get().employment_record == record
    page = client.get(reverse("job_fair_detail", args=[made.pk])).content.decode()
    assert homes.poor.code in page and "Công ty May" in page
    page = client.get(reverse("job_fair_list")).content.decode()
    assert reverse("job_fair_detail", args=[made.pk]) in page
    client.force_login(cast.outsider)
    assert client.get(reverse("job_fair_detail", args=[made.pk])).status_code == 404
    assert (
        reverse("job_fair_detail", args=[made.pk])
        not in client.get(reverse("job_fair_list")).content.decode()
    )


def test_placement_summary(client, cast, homes):
    made = fair(cast.officer, homes.ba_to)
    hire(cast.officer, made, head(homes.poor), abroad=True)
    hire(cast.officer, made, head(homes.near), sustainable=False)
    other = fair(cast.outsider, homes.son_tinh)
    hire(cast.outsider, other, head(homes.outside))
    client.force_login(cast.leader)
    page = client.get(reverse("labour_placements"), {"year": 2026}).content.decode()
    table = page[page.index('data-testid="placement-table"') :]
    # total row: 3 placed, 1 abroad, 2 sustainable, 3 through fairs
    foot = table[table.index("<tfoot>") :]
    assert [c for c in ("3", "1", "2", "3") if f'class="num">{c}<' in foot] == ["3", "1", "2", "3"]
    client.force_login(cast.officer)
    page = client.get(reverse("labour_placements"), {"year": 2026}).content.decode()
    assert "Sơn Tịnh" not in page[page.index('data-testid="placement-table"') :]
