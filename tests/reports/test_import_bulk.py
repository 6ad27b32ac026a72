"""The set-based confirm writes exactly what the per-row services write.

The same checked file is written twice from the same database state, each time in a savepoint
that is rolled back afterwards: once household by household through ``household_create`` and
``survey_save`` (the path the import took before, and the one the survey page takes), once
through the import's confirm (``households.services.surveys_save_bulk``). Every stored field of
households, members, surveys, deprivations and exclusions, and every history row (type, user,
change reason, tracked values), must be the same; only keys and clock times differ.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from areas.models import Assignment
from households import services as household_services
from households.models import (
    Exclusion,
    Household,
    Member,
    ReviewRound,
    Survey,
    SurveyDeprivation,
)
from households.services import household_move, round_close, round_list_generate
from reports.imports import plan as plans
from reports.imports import reader, services
from reports.imports.plan import NEW, Plan
from reports.models import JobStatus
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
    survey_fields,
)
from tests.reports.test_import_data import NEAR_POOR, POOR, confirm, hh, mb, validate, xlsx

pytestmark = pytest.mark.django_db

# Values that differ between two runs by nature: keys and clock times.
NOT_COMPARED = {"id", "history_id", "history_date", "created_at", "updated_at", "surveyed_at"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def apply_per_row(plan: Plan, *, user) -> dict:
    """The confirm as it was before the set-based service: every household through
    ``household_create`` (new ones) and ``survey_save``, one after another."""
    written = {"created": 0, "saved": 0}
    with household_services.rollups_batched():
        for item in plan.to_write():
            members = item.members_for_service()
            if item.action == NEW:
                household = household_services.household_create(
                    by=user,
                    commune=item.commune,
                    code=item.code,
                    members=members,
                    arrival="new",
                    **item.household_data,
                )
                survey = Survey.objects.select_related("round", "commune").get(
                    household=household, round=plan.round_
                )
                ids = household.members.order_by("pk").values_list("pk", flat=True)
                members = [{**m, "id": pk} for m, pk in zip(members, ids, strict=True)]
                household_data = {}
                written["created"] += 1
            else:
                survey = Survey.objects.select_related("round", "commune").get(pk=item.survey_id)
                household_data = item.household_data
            household_services.survey_save(
                by=user,
                survey=survey,
                expected_version=survey.version if item.action == NEW else item.survey_version,
                household_data=household_data,
                members=members,
                survey_data=item.survey_data,
            )
            written["saved"] += 1
    return written


def stored() -> dict:
    """Everything the writes touch, keyed by natural keys (household code, round, position)."""
    codes = dict(Household.objects.values_list("pk", "code"))
    members = {}  # member pk -> (household code, position among the household's members)
    for household_id in codes:
        pks = Member.objects.filter(household_id=household_id).order_by("pk")
        for n, pk in enumerate(pks.values_list("pk", flat=True)):
            members[pk] = (codes[household_id], n)
    surveys = {
        pk: (codes[h], r) for pk, h, r in Survey.objects.values_list("pk", "household_id", "round")
    }

    def rows(queryset, key):
        found = {}
        for row in queryset.values():
            k = key(row)
            row = {f: v for f, v in row.items() if f not in NOT_COMPARED}
            row.pop("household_id", None)
            row.pop("survey_id", None)
            found.setdefault(k, []).append(row)
        return found

    def history(model, key):
        queryset = model.history.order_by("history_id")
        return rows(queryset, lambda row: key(row["id"]))

    return {
        "households": rows(Household.objects.all(), lambda r: r["code"]),
        "members": rows(Member.objects.all(), lambda r: members[r["id"]]),
        "surveys": rows(Survey.objects.all(), lambda r: surveys[r["id"]]),
        "deprivations": {
            k: sorted(v, key=lambda r: r["indicator"])
            for k, v in rows(
                SurveyDeprivation.objects.all(), lambda r: surveys[r["survey_id"]]
            ).items()
        },
        "exclusions": rows(
            Exclusion.objects.all(),
            lambda r: (codes[r["household_id"]], r["round_id"], r["commune_id"]),
        ),
        "household history": history(Household, codes.get),
        "member history": history(Member, members.get),
        "survey history": history(Survey, surveys.get),
        "history types": {
            model.__name__: sorted(model.history.values_list("history_type", flat=True))
            for model in (Household, Member, Survey, Exclusion)
        },
    }


def in_savepoint(write) -> tuple[object, dict]:
    with transaction.atomic():
        result = write()
        state = stored()
        transaction.set_rollback(True)
    return result, state


@pytest.fixture
def history_2025(cast):
    """Households with a 2025 class, on the open 2026 round's list, one surveyed in 2026 already,
    one moved to another commune in 2026, and a regular review after the periodic one."""
    admin = cast.admin
    ba_to = unit("21484")
    r25 = open_round(admin, 2025)
    made = {
        "poor": register(admin, ba_to, members=[
            member("Hồ Văn Nghèo", citizen_id="051085000401", ethnicity="hre"),
            member("Hồ Thị Vợ", relation="spouse", sex="female", born=dt.date(1987, 2, 3)),
            member("Hồ Văn Con", relation="child", born=dt.date(2012, 6, 1),
                   schooling="lower_secondary", education_level="primary",
                   employment="not_in_labour_force"),
        ]),
        "near": register(admin, ba_to, members=[member("Lê Văn Cận", citizen_id="051085000402")]),
        "well": register(admin, ba_to, members=[member("Trần Văn Khá")]),
        "same": register(admin, ba_to, members=[member("Phạm Văn Y", citizen_id="051085000403")]),
        "moved": register(admin, ba_to, members=[member("Đinh Văn Đi")]),
    }  # fmt: skip
    for key, fields in (
        ("poor", POOR_FIELDS), ("near", NEAR_POOR_FIELDS), ("well", {}), ("same", NEAR_POOR_FIELDS),
        ("moved", POOR_FIELDS),
    ):  # fmt: skip
        save(admin, Survey.objects.get(household=made[key], round=r25), **fields)
    round_close(by=admin, round_=r25)
    r26 = open_round(admin, 2026)
    save(admin, Survey.objects.get(household=made["near"], round=r26), **NEAR_POOR_FIELDS)
    save(admin, Survey.objects.get(household=made["same"], round=r26), **NEAR_POOR_FIELDS)
    household_move(by=admin, household=made["moved"], to_commune=unit("21490"), village="Thôn 2")
    regular = ReviewRound.objects.create(
        year=2026, kind="regular", starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31),
        standard=r26.standard,
    )  # fmt: skip
    round_list_generate(regular)
    assert Survey.objects.filter(round=regular, status="carried_over").exists()
    save(admin, Survey.objects.get(household=made["poor"], round=regular), **POOR_FIELDS)
    for household in made.values():
        household.refresh_from_db()
    return r26, made


def the_file(made) -> tuple[list[dict], list[dict]]:
    poor, near, well, same, moved = (made[k] for k in ("poor", "near", "well", "same", "moved"))
    households = [
        hh("N1", **POOR, requested_review="Có"),
        hh("N2", income_per_person=None, household_income=4_800_000, village="Thôn 4"),
        hh("N3", **NEAR_POOR, is_farm_household="Có"),
        hh(poor.code, village=poor.village, **NEAR_POOR),  # pending: entered, members changed
        hh(near.code, village="Thôn mới", **POOR),  # surveyed near-poor: changed to poor
        hh(well.code, village=well.village),  # carried over: entered
        hh(same.code, village=same.village, **NEAR_POOR),  # surveyed, nothing differs
        hh(moved.code, commune="21490", village="Thôn 2", **POOR),  # moved in: entered
    ]
    members = [
        mb("N1", "Hồ Văn Mới", ethnicity="Hrê", citizen_id="051085000501"),
        mb("N1", "Hồ Thị Mới", sex="Nữ", relation="Vợ/chồng", ethnicity="Hrê"),
        mb("N2", "Lê Văn Hai"),
        mb("N2", "Lê Thị Hai", sex="Nữ", relation="Vợ/chồng", citizen_id="051085000502"),
        mb("N3", "Phạm Văn Ba", ethnicity="Cor"),
        # the head matched by citizen ID, renamed; the spouse by name and birth date, now without
        # insurance; the child is not in the file (leaves); a baby is added
        mb(poor.code, "Hồ Văn Nghẻo", ethnicity="Hrê", citizen_id="051085000401"),
        mb(poor.code, "Hồ Thị Vợ", sex="Nữ", relation="Vợ/chồng", birth_date=dt.date(1987, 2, 3),
           has_health_insurance="Không"),
        mb(poor.code, "Hồ Thị Bé", sex="Nữ", relation="Con", birth_date=dt.date(2026, 1, 5),
           schooling="Không đi học", education_level="Chưa tốt nghiệp tiểu học",
           employment="Không tham gia lao động (đi học, nội trợ, già yếu)"),
        mb(near.code, "Lê Văn Cận", citizen_id="051085000402"),
        mb(well.code, "Trần Văn Khá"),
        mb(same.code, "Phạm Văn Y", citizen_id="051085000403"),
        mb(moved.code, "Đinh Văn Đi"),
    ]  # fmt: skip
    return households, members


def test_set_based_confirm_writes_what_the_per_row_services_write(cast, history_2025):
    round_, made = history_2025
    job = validate(cast.admin, round_, xlsx(*the_file(made), round_))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["counts"] == {"new": 3, "enter": 3, "change": 1, "same": 1}
    assert job.summary["members"] == {"added": 6, "removed": 1, "changed": 2}
    before = stored()

    def per_row():
        outcome = services._check(job, lambda *a, **k: None)
        with services._history_by(cast.admin):
            return apply_per_row(outcome.plan, user=cast.admin)

    def set_based():
        done = confirm(cast.admin, job)
        assert done.status == JobStatus.DONE, done.error
        return done.summary["written"]

    written, reference = in_savepoint(per_row)
    assert written == {"created": 3, "saved": 7}
    result, bulk = in_savepoint(set_based)
    assert result == written
    for part, expected in reference.items():
        assert bulk[part] == expected, part
    # the reference did what the file says: a check of the comparison itself
    assert reference["history types"] != before["history types"]
    regular = ReviewRound.objects.get(kind="regular")
    later = reference["surveys"][(made["poor"].code, regular.pk)][0]
    assert later["previous_class"] == "near_poor"  # the later review follows the new class


# --- the rows kept between the check and the confirm -------------------------------------------


def test_stored_rows_are_the_rows_the_forms_cleaned(cast, history_2025):
    round_, made = history_2025
    job = validate(cast.admin, round_, xlsx(*the_file(made), round_))
    digest, items = plans.load(default_storage.open(job.summary["plan"]).read())
    checked = services._check(job, lambda *a, **k: None).plan
    assert digest == checked.digest() == job.summary["digest"]

    def typed(values: dict) -> dict:
        return {k: (type(v), repr(v)) for k, v in values.items()}

    assert len(items) == len(checked.items)
    for got, want in zip(items, checked.items, strict=True):
        assert (got.code, got.row.number) == (want.code, want.row.number)
        assert typed(got.household_data) == typed(want.household_data)
        assert typed(got.survey_data) == typed(want.survey_data)
        assert [(r.number, typed(d)) for r, d in got.members] == [
            (r.number, typed(d)) for r, d in want.members
        ]


def test_confirm_does_not_read_the_workbook_again(cast, history_2025, monkeypatch):
    round_, made = history_2025
    job = validate(cast.admin, round_, xlsx(*the_file(made), round_))

    def unreadable(*args, **kwargs):
        raise AssertionError("the workbook was read again")

    monkeypatch.setattr(reader, "read", unreadable)
    job = confirm(cast.admin, job)
    assert job.status == JobStatus.DONE, job.error
    assert job.summary["written"] == {"created": 3, "saved": 7}
    assert not default_storage.exists(job.summary["plan"])  # dropped once written


def test_without_the_stored_rows_the_workbook_is_checked_again(cast, history_2025):
    round_, made = history_2025
    job = validate(cast.admin, round_, xlsx(*the_file(made), round_))
    default_storage.delete(job.summary["plan"])
    job = confirm(cast.admin, job)
    assert job.status == JobStatus.DONE, job.error
    assert job.summary["written"] == {"created": 3, "saved": 7}


def test_rights_lost_before_confirming_stop_the_write(cast):
    round_ = open_round(cast.admin, 2026)
    job = validate(cast.officer, round_, xlsx([hh("Q1")], [mb("Q1")], round_))
    assert job.status == JobStatus.VALIDATED
    Assignment.objects.filter(user=cast.officer, unit=unit("21484")).update(unit=unit("21490"))
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.FAILED
    assert "tải tệp lên lại" in job.error
    assert not Household.objects.filter(code="Q1").exists()


def test_text_is_stored_as_given(cast):
    """Values written with COPY come back as given: backslashes, tabs, line breaks, a text that
    reads like COPY's NULL marker, quotes, Vietnamese letters (in the members snapshot too)."""
    round_ = open_round(cast.admin, 2026)
    odd = 'Hồ \\N "Văn"\tA\\B\nC\r'
    entry = household_services.SurveyEntry(
        commune=unit("21484"),
        household_data={"village": "\\N", "address": "", "is_farm_household": False,
                        "no_working_capacity": False, "revolutionary_merit": False,
                        "social_protection": False, "requested_review": False},
        members=[member(odd, citizen_id="051085000999")],
        survey_data=survey_fields(causes=",land,"),
        code="ODD1",
    )  # fmt: skip
    household_services.surveys_save_bulk(by=cast.admin, round_=round_, entries=[entry])
    household = Household.objects.get(code="ODD1")
    assert (household.village, household.head_name) == ("\\N", odd)
    assert household.members.get().full_name == odd
    survey = Survey.objects.get(household=household)
    assert survey.members_snapshot[0]["full_name"] == odd
    assert survey.floor_area == Decimal("60") and survey.b1_score is None
    assert Household.history.get(history_type="+").head_name == odd
