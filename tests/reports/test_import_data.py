"""Builders shared by the survey import tests (no tests here; named test_import* to sit with them).

Rows are dicts keyed by the column keys of reports.imports.columns, holding what an officer would
type: labels of the drop-downs, "Có"/"Không", dates.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from households.models import Household, Member, Survey
from reports.imports import services, template
from reports.models import Job


def hh(code: str, commune: str = "21484", **over) -> dict:
    """A household above the line with no deprivation (as tests/households/factories.py)."""
    row = {
        "commune": commune,
        "code": code,
        "village": "Thôn 1",
        "address": "",
        "is_farm_household": "Không",
        "no_working_capacity": "Không",
        "revolutionary_merit": "Không",
        "social_protection": "Không",
        "requested_review": "Không",
        "income_per_person": 3_500_000,
        "household_income": None,
        "b1_score": None,
        "walls_durable": "Có",
        "columns_durable": "Có",
        "roof_durable": "Có",
        "floor_area": 60,
        "water_source": "Nước máy",
        "has_hygienic_latrine": "Có",
        "uses_internet": "Có",
        "devices": "Điện thoại thông minh; Ti vi",
        "uses_digital_services": "Có",
        "waste_collected": "Có",
        "causes": "",
        "needs": "",
    }
    row.update(over)
    return row


# 3 deprivations (latrine, water, internet) and income under the rural line
POOR = {
    "income_per_person": 1_000_000,
    "has_hygienic_latrine": "Không",
    "water_source": "Nước sông, suối, ao, hồ",
    "uses_internet": "Không",
}
NEAR_POOR = {"income_per_person": 1_200_000}


def mb(code: str, name: str = "Nguyễn Văn An", **over) -> dict:
    row = {
        "household": code,
        "full_name": name,
        "sex": "Nam",
        "birth_date": dt.date(1985, 3, 1),
        "relation": "Chủ hộ",
        "ethnicity": "Kinh",
        "citizen_id": "",
        "has_health_insurance": "Có",
        "schooling": "Không đi học",
        "education_level": "Trung học phổ thông",
        "employment": "Tự làm (nông nghiệp, buôn bán...)",
        "is_disabled": "Không",
        "has_monthly_social_allowance": "Không",
        "nutrition": "",
    }
    row.update(over)
    return row


def xlsx(households: list[dict], members: list[dict], round_) -> bytes:
    return template.write_rows(households, members, standard=round_.get_standard())


def edit(content: bytes, change) -> bytes:
    """Open a workbook normally, let ``change(workbook)`` alter it, return the new bytes."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "phieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def validate(user, round_, content: bytes, name: str = "phieu.xlsx") -> Job:
    """Upload and check, as the task does (on-commit callbacks do not run inside a test's
    transaction, so the service is called directly)."""
    job = services.import_start(by=user, round_=round_, upload=upload(content, name))
    return services.import_validate(job_id=job.pk)


def confirm(user, job: Job) -> Job:
    services.import_confirm(by=user, job=job)
    return services.import_apply(job_id=job.pk)


def state() -> dict:
    """Everything an import may write, to compare before and after."""
    return {
        "households": list(Household.objects.order_by("pk").values_list("pk", "version")),
        "members": list(Member.objects.order_by("pk").values_list("pk", "is_current")),
        "surveys": list(Survey.objects.order_by("pk").values_list("pk", "version", "status")),
        "history": (
            Household.history.count(),
            Member.history.count(),
            Survey.history.count(),
        ),
    }
