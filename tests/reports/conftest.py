"""A small review across the 2025 reform, built through the services and rolled up, for the
export tests: 2024 on the old tree (entered "in 2024"), 2025 on the new tree (open, with every
kind of change, one entry still pending and one commune accepted)."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from households.models import Household, ReviewRound, Survey
from households.services import (
    average_request_create,
    average_request_decide,
    commune_accept,
    commune_submit,
    household_exclude,
    round_close,
)
from indicators import services as indicator_services
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)

INJECTED = '=HYPERLINK("http://example.invalid/x","bấm vào đây")'
FIELDS = {"poor": POOR_FIELDS, "near": NEAR_POOR_FIELDS, "none": {}}
OLD_DAY = dt.date(2024, 8, 15)  # the 2024 households and round were entered on the old tree
_real_localdate = timezone.localdate


@contextmanager
def on(day: dt.date):
    """Services read today's date (scope, member checks): pretend it is ``day``."""

    def localdate(value=None, timezone=None):
        return day if value is None else _real_localdate(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def round_(cast):
    """The open 2026 periodic round that the import tests fill (a test module may define its
    own)."""
    return open_round(cast.admin, 2026)


@dataclass
class Review:
    r24: ReviewRound
    r25: ReviewRound
    households: dict[str, Household]


# (key, old commune, 2024 class, 2025: class / "exclude" / "pending" / None = carried over,
#  extra household fields, members, causes)
PLAN = [
    ("injected", "21484", "poor", "near", {}, "injected", ",land,capital,"),
    ("stuck", "21484", "poor", "poor", {"no_working_capacity": True}, "hre", ",illness,"),
    ("escaped", "21484", "poor", "none", {}, "kinh", ",capital,"),
    ("worse", "21484", "near", "poor", {"revolutionary_merit": True}, "kinh", ",tools,"),
    ("fine", "21484", "none", None, {}, "kinh", ""),
    ("died", "21490", "poor", "exclude", {}, "kinh", ",land,"),
    ("steady", "21490", "near", "near", {"social_protection": True}, "cor", ",knowhow,"),
    ("waiting", "21490", "poor", "pending", {}, "hre", ",land,"),
    ("farm", "21490", "average", None, {"is_farm_household": True}, "kinh", ""),
    ("well", "21220", "none", None, {}, "kinh", ""),
    ("far", "21220", "poor", "poor", {}, "hre", ",skills,"),
]
AVERAGE_FIELDS = {"income_per_person": 1_800_000}  # a rural farm household within the band


def _members(key: str, i: int, kind: str) -> list[dict]:
    head_name = INJECTED if kind == "injected" else f"Chủ Hộ {key.title()}"
    ethnicity = "hre" if kind == "injected" else kind
    return [
        member(head_name, ethnicity=ethnicity, citizen_id=f"0510850000{i:02d}"),
        member(
            f"Con {key.title()}",
            relation="child",
            born=dt.date(2012, 5, i + 1),
            ethnicity=ethnicity,
            citizen_id=f"0512120000{i:02d}",
        ),
    ]


def _average_approved(admin, survey) -> None:
    """The household's request to be recognised as of average living standard, approved."""
    members = survey.household.members.filter(is_current=True).count()
    request = average_request_create(
        by=admin, household=survey.household, round_=survey.round,
        requested_on=survey.round.starts_on,
        income_12_months=AVERAGE_FIELDS["income_per_person"] * 12 * members, member_count=members,
    )  # fmt: skip
    average_request_decide(by=admin, request=request, decision="approved")


def _fields(cls: str, causes: str) -> dict:
    fields = {**(AVERAGE_FIELDS if cls == "average" else FIELDS[cls])}
    if cls in ("poor", "near"):
        fields["causes"] = causes
    return fields


@pytest.fixture
def review(cast, django_capture_on_commit_callbacks) -> Review:
    admin = cast.admin
    households = {}
    with django_capture_on_commit_callbacks() as callbacks:
        with on(OLD_DAY):
            for i, (key, code, *_rest, extra, kind, _causes) in enumerate(PLAN):
                households[key] = register(
                    admin, unit(code, OLD_DAY), members=_members(key, i, kind), **extra
                )
            r24 = open_round(admin, 2024)
        with on(dt.date(2024, 10, 1)):
            for key, _code, first, _second, _extra, _kind, causes in PLAN:
                survey = Survey.objects.get(household=households[key], round=r24)
                if first == "average":  # recognised on the household's request (Decree 07/2021)
                    _average_approved(admin, survey)
                save(admin, survey, **_fields(first, causes))
            round_close(by=admin, round_=r24)
        r25 = open_round(admin, 2025)  # the households move onto the new tree first
        for key, _code, _first, second, _extra, _kind, causes in PLAN:
            survey = Survey.objects.get(household=households[key], round=r25)
            if second == "exclude":
                household_exclude(by=admin, survey=survey, reason="died")
            elif second in FIELDS:
                save(admin, survey, **_fields(second, causes))
        households["newcomer"] = register(
            admin, unit("21490"), members=_members("newcomer", 20, "hre"), arrival="moved_in"
        )
        save(admin, Survey.objects.get(household=households["newcomer"], round=r25), **POOR_FIELDS)
        commune_submit(by=admin, round_=r25, commune=unit("21220"))
        commune_accept(by=admin, submission=r25.submissions.get(commune=unit("21220")))
    callbacks.clear()  # the incremental rollups queued above: a full run follows
    for round_ in (r24, r25):
        with django_capture_on_commit_callbacks(execute=True):
            run = indicator_services.rollup_start(round_=round_)
        run.refresh_from_db()
        assert run.status == "done", run.error
    for household in households.values():
        household.refresh_from_db()  # the 2025 crosswalk moved them onto the new tree
    return Review(r24=r24, r25=r25, households=households)


def open_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def data_rows(ws) -> tuple[int, list[tuple]]:
    """(the first data row's number, the rows of the table): the table starts after the
    numbering row (its first cell "A" or "1") and ends at the first empty row."""
    numbering = next(
        row[0].row
        for row in ws.iter_rows()
        if row[0].value in ("A", "1") and row[1].value in ("B", "2")
    )
    rows = []
    for row in ws.iter_rows(min_row=numbering + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return numbering + 1, rows


def texts(ws, last_row: int) -> list[str]:
    return [c.value for row in ws.iter_rows(max_row=last_row) for c in row if c.value]
