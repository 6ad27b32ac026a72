"""The survey import end to end: preview, confirm, the classes the rules give, idempotence, updates
of households already on the list, concurrency, rollback, scope and permissions, the pages."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households import facts
from households.models import Household, Member, Survey, SurveyDeprivation
from households.services import bulk, rows
from indicators.models import StaleCommune
from reports.imports import services
from reports.models import Job, JobStatus
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)
from tests.reports.test_import_data import (
    NEAR_POOR,
    POOR,
    confirm,
    hh,
    mb,
    state,
    upload,
    validate,
    xlsx,
)

pytestmark = pytest.mark.django_db


def three_new() -> tuple[list[dict], list[dict]]:
    households = [hh("P1", **POOR), hh("C1", **NEAR_POOR), hh("K1", village="Thôn 3")]
    members = [
        mb("P1", "Hồ Văn Pó", ethnicity="Hrê", citizen_id="051085000201"),
        mb("P1", "Hồ Thị Lan", sex="Nữ", relation="Vợ/chồng", ethnicity="Hrê"),
        mb("C1", "Lê Văn Cận"),
        mb("K1", "Phạm Thị Khá", sex="Nữ", birth_date="12/07/1979"),
    ]
    return households, members


# --- happy path -------------------------------------------------------------------------------


def test_preview_then_confirm_writes_classified_surveys(cast, round_):
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    summary = job.summary
    assert summary["counts"] == {"new": 3, "enter": 0, "change": 0, "same": 0}
    assert summary["classes"] == {"poor": 1, "near_poor": 1, "none": 1}
    assert summary["members"]["added"] == 4
    assert [s["code"] for s in summary["sample"]] == ["P1", "C1", "K1"]
    assert not Household.objects.exists()  # nothing written before confirming

    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE, job.error
    assert job.summary["written"] == {"created": 3, "saved": 3}
    surveys = {s.household.code: s for s in Survey.objects.filter(round=round_)}
    assert {c: s.poverty_class for c, s in surveys.items()} == {
        "P1": "poor", "C1": "near_poor", "K1": "none",
    }  # fmt: skip
    assert {c: s.transition for c, s in surveys.items()} == {
        "P1": "other_increase_poor", "C1": "other_increase_near_poor", "K1": "arrived_none",
    }  # fmt: skip
    assert all(s.status == "surveyed" and s.arrival == "new" for s in surveys.values())
    poor = surveys["P1"]
    assert poor.deprived_count == 3
    deprived = SurveyDeprivation.objects.filter(survey=poor).values_list("indicator", flat=True)
    assert set(deprived) == {"water", "latrine", "telecom"}
    assert poor.household.is_ethnic_minority and poor.household.head_name == "Hồ Văn Pó"
    assert poor.household.members.count() == 2
    assert surveys["K1"].household.members.get().birth_date == dt.date(1979, 7, 12)
    # what the rules say, for the stored facts
    for survey in surveys.values():
        rows = list(survey.household.members.values())
        evaluated = facts.assess(
            members=rows, survey=survey.__dict__, on=round_.reference_date, is_urban=False,
            is_farm_household=survey.household.is_farm_household, standard=round_.get_standard(),
        )  # fmt: skip
        assert evaluated.assessment.poverty_class.value == survey.poverty_class
    # history names the officer who confirmed
    assert {h.history_user for h in Survey.history.filter(household__code="P1")} == {cast.officer}


def test_import_again_changes_nothing(cast, round_):
    content = xlsx(*three_new(), round_)
    confirm(cast.officer, validate(cast.officer, round_, content))
    before = state()
    again = validate(cast.officer, round_, content)
    assert again.summary["counts"] == {"new": 0, "enter": 0, "change": 0, "same": 3}
    assert again.summary["sample"] == []
    again = confirm(cast.officer, again)
    assert again.status == JobStatus.DONE
    assert again.summary["written"] == {"created": 0, "saved": 0}
    assert state() == before  # no version bump, no history row


def test_household_income_basis_is_idempotent_too(cast, round_):
    households = [hh("H1", income_per_person=None, household_income=5_000_000)]
    members = [mb("H1"), mb("H1", "Lê Thị Hai", sex="Nữ", relation="Vợ/chồng")]
    content = xlsx(households, members, round_)
    confirm(cast.officer, validate(cast.officer, round_, content))
    survey = Survey.objects.get(household__code="H1")
    assert (survey.income_per_person, survey.household_income) == (2_500_000, 5_000_000)
    assert validate(cast.officer, round_, content).summary["counts"]["same"] == 1


# --- households already on the list -----------------------------------------------------------


@pytest.fixture
def on_list(cast, round_):
    """Two households of Xã Ba Tơ on the round's list: one pending, one surveyed near-poor."""
    pending = register(cast.officer, unit("21484"), members=[member(citizen_id="051085000301")])
    surveyed = register(
        cast.officer,
        unit("21484"),
        members=[
            member("Đinh Văn Mốt", citizen_id="051085000302"),
            member("Đinh Thị Hai", relation="spouse", sex="female", born=dt.date(1988, 1, 2)),
        ],
    )
    save(cast.officer, Survey.objects.get(household=surveyed, round=round_), **NEAR_POOR_FIELDS)
    return pending, surveyed


def test_existing_households_are_entered_and_changed(cast, round_, on_list):
    pending, surveyed = on_list
    households = [
        hh(pending.code, village=pending.village, **POOR),
        hh(surveyed.code, village="Thôn mới", **NEAR_POOR),
        hh("MOI1"),
    ]
    members = [
        mb(pending.code, citizen_id="051085000301", has_health_insurance="Không"),
        # matched by citizen ID although the name was corrected; the spouse is not in the file
        mb(surveyed.code, "Đinh Văn Một", citizen_id="051085000302"),
        mb(surveyed.code, "Đinh Văn Ba", relation="Con", birth_date=dt.date(2010, 3, 3),
           schooling="Đang học trung học phổ thông", education_level="Tiểu học",
           employment="Không tham gia lao động (đi học, nội trợ, già yếu)"),
        mb("MOI1"),
    ]  # fmt: skip
    version = Survey.objects.get(household=surveyed).version
    job = validate(cast.officer, round_, xlsx(households, members, round_))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["counts"] == {"new": 1, "enter": 1, "change": 1, "same": 0}
    assert job.summary["members"] == {"added": 2, "removed": 1, "changed": 2}
    changed = next(s for s in job.summary["sample"] if s["code"] == surveyed.code)
    assert "thôn / tổ dân phố" in changed["changes"]
    assert changed["previous"] == "near_poor"
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE, job.error
    survey = Survey.objects.get(household=surveyed)
    assert survey.version == version + 1
    surveyed.refresh_from_db()
    assert surveyed.village == "Thôn mới"
    assert list(
        surveyed.members.filter(is_current=True).order_by("pk").values_list("full_name", flat=True)
    ) == ["Đinh Văn Một", "Đinh Văn Ba"]
    assert surveyed.members.filter(is_current=False).get().full_name == "Đinh Thị Hai"
    assert Member.objects.filter(citizen_id="051085000302").count() == 1
    assert Survey.objects.get(household=pending).status == "surveyed"


def test_households_absent_from_the_file_are_left_alone(cast, round_, on_list):
    before = Survey.objects.filter(household__in=on_list).order_by("pk")
    before = list(before.values_list("pk", "version", "status"))
    job = validate(cast.officer, round_, xlsx([hh("MOI2")], [mb("MOI2")], round_))
    assert job.summary["absent"] == 2
    assert job.summary["communes"][0]["absent"] == 2
    confirm(cast.officer, job)
    after = Survey.objects.filter(household__in=on_list).order_by("pk")
    assert list(after.values_list("pk", "version", "status")) == before


def test_a_survey_saved_after_the_check_stops_the_write(cast, round_, on_list):
    _pending, surveyed = on_list
    job = validate(
        cast.officer,
        round_,
        xlsx([hh(surveyed.code, **POOR), hh("MOI3")], [mb(surveyed.code), mb("MOI3")], round_),
    )
    assert job.status == JobStatus.VALIDATED
    save(cast.officer, Survey.objects.get(household=surveyed))  # another tab saves meanwhile
    before = state()
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.FAILED
    assert "tải tệp lên lại" in job.error
    assert state() == before
    assert not Household.objects.filter(code="MOI3").exists()


def test_a_failure_while_writing_rolls_everything_back(cast, round_, monkeypatch):
    """The write fails in its second batch of households, after the first was written."""
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    monkeypatch.setattr(bulk, "BULK_BATCH", 2)
    real = rows.insert
    calls = []

    def flaky(model, rows, *args, **kwargs):
        if model is SurveyDeprivation:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
        return real(model, rows, *args, **kwargs)

    monkeypatch.setattr(rows, "insert", flaky)
    job = confirm(cast.officer, job)
    assert len(calls) == 2
    assert job.status == JobStatus.FAILED
    assert "không có gì được ghi" in job.error.lower() and job.reference in job.error
    assert "disk full" not in job.error
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not Survey.history.exists() and not Household.history.exists()


def test_one_rollup_per_commune_after_commit(cast, round_, django_capture_on_commit_callbacks):
    job = validate(cast.admin, round_, xlsx(*three_new(), round_))
    services.import_confirm(by=cast.admin, job=job)
    with (
        mock.patch("indicators.tasks.outbox_drain_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.import_apply(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
    # the commune is owed one rollup (one outbox row, marked once), asked for once
    owed = StaleCommune.objects.values_list("round_id", "commune_id", "version")
    assert list(owed) == [(round_.pk, unit("21484").pk, 1)]
    delay.assert_called_once_with()


def test_submitted_commune_is_locked(cast, round_):
    from households.models import CommuneSubmission

    CommuneSubmission.objects.create(round=round_, commune=unit("21484"), status="submitted")
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    assert job.status == JobStatus.REJECTED
    assert "đã được gửi hoặc tiếp nhận" in job.summary["errors"][0]["message"]


def test_closed_round(cast, round_):
    content = xlsx(*three_new(), round_)
    round_.status = "closed"
    round_.save()
    job = validate(cast.officer, round_, content)
    assert job.status == JobStatus.REJECTED
    assert "đã đóng" in job.summary["errors"][0]["message"]


def test_redelivered_tasks_do_nothing(cast, round_):
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    assert services.import_validate(job_id=job.pk).status == JobStatus.VALIDATED
    job = confirm(cast.officer, job)
    before = state()
    assert services.import_apply(job_id=job.pk).status == JobStatus.DONE
    assert state() == before


# --- scope and permissions --------------------------------------------------------------------


def test_household_of_another_commune_in_the_file(cast, round_):
    """An administrator's file may name any commune; an officer's only theirs (row error)."""
    households = [hh("S1", commune="21220"), hh("S2")]
    members = [mb("S1"), mb("S2")]
    officer_job = validate(cast.officer, round_, xlsx(households, members, round_))
    assert officer_job.status == JobStatus.REJECTED
    assert [(e["row"], e["column"]) for e in officer_job.summary["errors"]] == [(2, "A")]
    admin_job = validate(cast.admin, round_, xlsx(households, members, round_))
    assert admin_job.status == JobStatus.VALIDATED


def test_code_of_a_household_in_another_commune(cast, round_):
    elsewhere = register(cast.outsider, unit("21220"))
    job = validate(cast.officer, round_, xlsx([hh(elsewhere.code)], [mb(elsewhere.code)], round_))
    assert job.status == JobStatus.REJECTED
    assert "đã được dùng cho một hộ ở xã khác" in job.summary["errors"][0]["message"]


@pytest.mark.parametrize("who", ["leader", "district"])
def test_only_users_who_enter_data_may_import(client, cast, round_, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("import_upload")).status_code == 403
    assert client.get(reverse("import_template")).status_code == 403
    content = xlsx(*three_new(), round_)
    response = client.post(reverse("import_upload"), {"round": round_.pk, "file": upload(content)})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_jobs_are_their_owners(client, cast, round_):
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    client.force_login(cast.outsider)
    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.VALIDATED
    client.logout()
    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 302


# --- the pages ----------------------------------------------------------------------------------


def test_upload_preview_confirm_through_the_pages(
    client, cast, round_, django_capture_on_commit_callbacks
):
    client.force_login(cast.officer)
    page = client.get(reverse("household_list")).content.decode()
    assert reverse("import_upload") in page  # the "Nhập từ Excel" button
    page = client.get(reverse("import_upload")).content.decode()
    assert f'value="{round_.pk}" selected' in page
    template = client.get(reverse("import_template"), {"round": round_.pk})
    assert template["Content-Disposition"].startswith("attachment")
    assert template.content[:2] == b"PK"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("import_upload"),
            {"round": round_.pk, "file": upload(xlsx(*three_new(), round_))},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_detail", args=[job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="confirm"' in page and "Hồ Văn Pó" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_confirm", args=[job.pk]))
    page = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-done"' in page
    listing = client.get(reverse("household_list"), {"round": round_.pk}).content.decode()
    assert all(code in listing for code in ("P1", "C1", "K1"))
    # a second confirm is refused, not a second write
    response = client.post(reverse("import_confirm", args=[job.pk]), follow=True)
    assert "không còn chờ xác nhận" in response.content.decode()


def test_rejected_file_page_lists_the_errors(
    client, cast, round_, django_capture_on_commit_callbacks
):
    households, members = three_new()
    households[2]["water_source"] = "Nước giếng"
    client.force_login(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("import_upload"),
            {"round": round_.pk, "file": upload(xlsx(households, members, round_))},
        )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-rejected"' in page
    assert 'data-row="4" data-column="Q"' in page and "Nước giếng" in page
    assert reverse("job_download", args=[job_pk(response), "ket-qua"]) in page


def job_pk(response) -> int:
    return int(response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_upload_form_refuses_what_is_not_xlsx(client, cast, round_):
    client.force_login(cast.officer)
    for name, content, message in [
        ("ho.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Excel cũ (.xls)"),
        ("ho.xlsx", b"ma_xa;ma_ho\n", "không phải là sổ tính Excel"),
        ("ho.xlsx", b"", "Tệp rỗng"),
    ]:
        file = SimpleUploadedFile(name, content)
        response = client.post(reverse("import_upload"), {"round": round_.pk, "file": file})
        assert response.status_code == 200
        assert message in response.content.decode(), name
    assert not Job.objects.exists()


def test_upload_larger_than_the_limit_is_not_kept(client, cast, round_, monkeypatch):
    monkeypatch.setattr("reports.views.imports.MAX_BYTES", 100)
    client.force_login(cast.officer)
    content = xlsx(*three_new(), round_)
    response = client.post(reverse("import_upload"), {"round": round_.pk, "file": upload(content)})
    assert response.status_code == 200
    assert "lớn hơn 20 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_leader_sees_no_import_button(client, cast, round_):
    client.force_login(cast.leader)
    assert reverse("import_upload") not in client.get(reverse("household_list")).content.decode()


def test_a_2027_round_reads_the_new_indicators(cast):
    round_ = open_round(cast.admin, 2027)
    households = [hh("W1", waste_collected="Không", uses_digital_services="Có")]
    job = validate(cast.officer, round_, xlsx(households, [mb("W1")], round_))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    confirm(cast.officer, job)
    survey = Survey.objects.get(household__code="W1")
    assert survey.waste_collected is False
    assert survey.deprivations.filter(indicator="waste").exists()
    missing = validate(
        cast.officer, round_, xlsx([hh("W2", waste_collected=None)], [mb("W2")], round_)
    )
    assert missing.summary["errors"][0]["message"] == "Nhập Có hoặc Không (hoặc 1 / 0)."


def test_an_old_template_without_the_employer_training_column_still_loads(cast, round_):
    """Officers fill in templates downloaded before the column was added (indicator 5)."""
    from tests.reports.test_import_data import edit

    def drop_column(workbook):
        for sheet in workbook.worksheets:
            for cell in sheet[1]:
                if cell.value and "người sử dụng lao động" in str(cell.value):
                    sheet.delete_cols(cell.column)
                    break

    content = edit(xlsx(*three_new(), round_), drop_column)
    job = validate(cast.officer, round_, content)
    assert job.status == JobStatus.VALIDATED, job.summary
    confirm(cast.officer, job)
    assert not Member.objects.filter(employer_certified_training=True).exists()
    assert Member.objects.filter(full_name="Lê Văn Cận").exists()
