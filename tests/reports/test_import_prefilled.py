"""The commune workbook pre-filled with the round's households (issue 14, part 3): downloaded as
an export job, edited in three rows, re-imported through the normal import: exactly those three
written; untouched it writes nothing; a row saved in the portal after the download is a conflict
that rejects the whole file; a file without the version column still loads; scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from households.models import Household, Member, PersonalDataAccess, Survey
from households.services import round_close
from reports.exports import services as export_services
from reports.imports import columns as C
from reports.imports.plan import version_token
from reports.models import Job, JobStatus
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save
from tests.reports.test_import_data import confirm, edit, state, validate

pytestmark = pytest.mark.django_db


NAMES = ("An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hà", "Khoa")


@pytest.fixture
def commune(cast, round_):
    """Eight surveyed households of Xã Ba Tơ with two members each, answers of every kind: a
    poor one, one saved from the household's total income, decimals, lists, a citizen ID."""
    ba_to = unit("21484")
    codes = []
    for n, given in enumerate(NAMES):
        household = register(
            cast.officer,
            ba_to,
            village=f"Thôn {n % 3 + 1}",
            members=[
                member(f"Hồ Văn {given}", citizen_id=f"0510850004{n:02d}", ethnicity="hre"),
                member(
                    f"Hồ Thị {given}", relation="spouse", sex="female", born=dt.date(1990, 5, 17),
                    nutrition="unknown", has_health_insurance=n % 2 == 0,
                ),
            ],
        )  # fmt: skip
        fields = {"floor_area": Decimal("45.50"), "causes": ",capital,land,"}
        if n == 1:
            fields.update(POOR_FIELDS)
        if n == 2:
            fields.update(income_per_person=None, household_income=5_000_001)
        if n == 3:
            fields.update(b1_score=120, devices="", needs=",credit,")
        save(cast.officer, Survey.objects.get(household=household, round=round_), **fields)
        codes.append(household.code)
    return codes


def prefilled(user, round_, commune_code="21484") -> bytes:
    """The workbook as the job builds it (the job runs inline here)."""
    job = export_services.export_start(
        by=user, report="prefilled", params={"round": round_.pk, "unit": unit(commune_code).pk}
    )
    export_services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.result.open("rb") as handle:
        return handle.read()


def errors(job) -> list[tuple]:
    return [(e["row"], e["header"], e["message"]) for e in job.summary.get("errors", [])][:5]


def sheets(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return workbook[str(C.HOUSEHOLD_SHEET)], workbook[str(C.MEMBER_SHEET)]


def column(ws, header) -> int:
    return next(c.column for c in ws[1] if c.value == str(header))


def row_of(ws, code: str, key_column: int = 2) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, key_column).value == code)


def test_the_workbook_holds_the_list_in_the_templates_layout(cast, round_, commune):
    households, members = sheets(prefilled(cast.officer, round_))
    headers = [c.value for c in households[1]]
    assert headers[-1] == "Phiên bản"
    assert headers[:3] == ["Mã xã", "Mã hộ", "Thôn / tổ dân phố"]
    assert households.max_row == 1 + 8 and members.max_row == 1 + 16
    assert households.data_validations.dataValidation  # the template's drop-downs are there
    code = commune[2]
    r = row_of(households, code)
    survey = Survey.objects.get(household__code=code, round=round_)
    assert households.cell(r, 1).value == "21484" and households.cell(r, 1).number_format == "@"
    assert households.cell(r, column(households, "Phiên bản")).value == version_token(
        survey.version, survey.household.version
    )
    # saved from the household's total: only the total is written, the import divides it again
    assert (
        households.cell(r, column(households, "Thu nhập bình quân (đồng/người/tháng)")).value
        is None
    )
    assert (
        households.cell(r, column(households, "Tổng thu nhập của hộ (đồng/tháng)")).value
        == 5_000_001
    )
    assert households.cell(r, column(households, "Nguồn nước sinh hoạt")).value == "Nước máy"
    assert households.cell(r, column(households, "Nguyên nhân nghèo")).value == (
        "Thiếu vốn; Thiếu đất sản xuất"
    )
    head = row_of(members, "Hồ Văn Cường", key_column=2)
    assert members.cell(head, column(members, "Số định danh cá nhân")).value == "051085000402"
    assert members.cell(head, column(members, "Ngày sinh")).value.date() == dt.date(1985, 3, 1)
    assert members.cell(head, column(members, "Dân tộc")).value == "Hrê"
    # the download of personal data is recorded, as every personal export
    access = PersonalDataAccess.objects.get(user=cast.officer)
    assert access.commune == unit("21484") and access.citizen_ids_shown


def test_three_edited_rows_are_written_and_nothing_else(cast, round_, commune):
    content = prefilled(cast.officer, round_)
    income_code, insurance_code, water_code = commune[0], commune[4], commune[5]

    def change(workbook):
        hh, mb = workbook[str(C.HOUSEHOLD_SHEET)], workbook[str(C.MEMBER_SHEET)]
        hh.cell(
            row_of(hh, income_code), column(hh, "Thu nhập bình quân (đồng/người/tháng)")
        ).value = 1_100_000
        hh.cell(row_of(hh, water_code), column(hh, "Nguồn nước sinh hoạt")).value = "Giếng khoan"
        r = row_of(mb, "Hồ Thị Em", key_column=2)
        mb.cell(r, column(mb, "Có thẻ bảo hiểm y tế")).value = "Không"

    before = {
        s.household.code: (s.version, s.household.version, s.history.count())
        for s in Survey.objects.filter(round=round_).select_related("household")
    }
    job = validate(cast.officer, round_, edit(content, change))
    assert job.status == JobStatus.VALIDATED, errors(job)
    assert job.summary["counts"] == {"new": 0, "enter": 0, "change": 3, "same": 5}
    assert job.summary["members"] == {"added": 0, "removed": 0, "changed": 1}
    assert {s["code"] for s in job.summary["sample"]} == {income_code, insurance_code, water_code}

    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE, job.error
    assert job.summary["written"] == {"created": 0, "saved": 3}
    after = {
        s.household.code: (s.version, s.household.version, s.history.count())
        for s in Survey.objects.filter(round=round_).select_related("household")
    }
    changed = {code for code in before if before[code] != after[code]}
    assert changed == {income_code, insurance_code, water_code}
    surveys = {s.household.code: s for s in Survey.objects.filter(round=round_)}
    assert surveys[income_code].income_per_person == 1_100_000
    assert surveys[water_code].water_source == "drilled_well"
    assert not Member.objects.get(full_name="Hồ Thị Em").has_health_insurance


def test_the_untouched_workbook_changes_nothing(cast, round_, commune):
    content = prefilled(cast.officer, round_)
    before = state()
    job = validate(cast.officer, round_, content)
    assert job.status == JobStatus.VALIDATED, errors(job)
    assert job.summary["counts"] == {"new": 0, "enter": 0, "change": 0, "same": 8}
    assert job.summary["members"] == {"added": 0, "removed": 0, "changed": 0}
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE
    assert job.summary["written"] == {"created": 0, "saved": 0}
    assert state() == before


def test_a_row_saved_in_the_portal_after_the_download_rejects_the_file(cast, round_, commune):
    content = prefilled(cast.officer, round_)
    survey = Survey.objects.get(household__code=commune[6], round=round_)
    save(cast.officer, survey, income_per_person=4_000_000)  # survey_save, after the download

    def change(workbook):  # another household edited: the file still may not be written
        hh = workbook[str(C.HOUSEHOLD_SHEET)]
        hh.cell(row_of(hh, commune[0]), column(hh, "Nguồn nước sinh hoạt")).value = "Nước mưa"

    before = state()
    job = validate(cast.officer, round_, edit(content, change))
    assert job.status == JobStatus.REJECTED
    row = row_of(sheets(content)[0], commune[6])
    [error] = job.summary["errors"]
    assert error["row"] == row and error["header"] == "Phiên bản"
    assert f"Dòng {row}, hộ {commune[6]}" in error["message"]
    assert "đã được sửa trên cổng sau khi tải tệp" in error["message"]
    assert "tải lại tệp" in error["message"]
    assert state() == before
    assert Survey.objects.get(pk=survey.pk).income_per_person == 4_000_000


def test_a_save_between_the_check_and_the_confirm_is_refused(cast, round_, commune):
    content = prefilled(cast.officer, round_)

    def change(workbook):
        hh = workbook[str(C.HOUSEHOLD_SHEET)]
        hh.cell(row_of(hh, commune[0]), column(hh, "Nguồn nước sinh hoạt")).value = "Nước mưa"

    job = validate(cast.officer, round_, edit(content, change))
    assert job.status == JobStatus.VALIDATED
    save(cast.officer, Survey.objects.get(household__code=commune[7], round=round_), b1_score=9)
    before = state()
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.FAILED
    assert "Không có gì được ghi" in job.error
    assert state() == before


def test_a_file_without_the_version_column_still_imports(cast, round_, commune):
    def drop(workbook):
        hh = workbook[str(C.HOUSEHOLD_SHEET)]
        hh.delete_cols(column(hh, "Phiên bản"))
        hh.cell(row_of(hh, commune[3]), column(hh, "Điểm B1")).value = 300

    job = validate(cast.officer, round_, edit(prefilled(cast.officer, round_), drop))
    assert job.status == JobStatus.VALIDATED, errors(job)
    assert job.summary["counts"] == {"new": 0, "enter": 0, "change": 1, "same": 7}
    assert confirm(cast.officer, job).status == JobStatus.DONE
    assert Survey.objects.get(household__code=commune[3], round=round_).b1_score == 300


def test_a_version_on_a_household_that_does_not_exist_is_an_error(cast, round_, commune):
    def rename(workbook):
        hh = workbook[str(C.HOUSEHOLD_SHEET)]
        mb = workbook[str(C.MEMBER_SHEET)]
        r = row_of(hh, commune[0])
        hh.cell(r, 2).value = "MOI001"
        for m in range(2, mb.max_row + 1):
            if mb.cell(m, 1).value == commune[0]:
                mb.cell(m, 1).value = "MOI001"
                mb.cell(m, column(mb, "Số định danh cá nhân")).value = None

    job = validate(cast.officer, round_, edit(prefilled(cast.officer, round_), rename))
    assert job.status == JobStatus.REJECTED
    [error] = job.summary["errors"]
    assert error["header"] == "Phiên bản" and "không sửa mã hộ" in error["message"]
    assert not Household.objects.filter(code="MOI001").exists()


def test_only_a_commune_the_user_enters_data_for(
    client, cast, round_, commune, django_capture_on_commit_callbacks
):
    params = {"round": round_.pk, "unit": unit("21484").pk}
    for user in (cast.outsider, cast.district, cast.leader):
        with pytest.raises(Http404):
            export_services.export_start(by=user, report="prefilled", params=params)
    with pytest.raises(Http404):  # a district is not a commune, even for an administrator
        export_services.export_start(
            by=cast.admin, report="prefilled", params={"round": round_.pk, "unit": unit("51").pk}
        )
    url = reverse("import_prefilled")
    data = {"round": round_.pk, "commune": unit("21484").pk}
    client.force_login(cast.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.district)
    assert client.post(url, data).status_code == 403
    assert not Job.objects.exists()
    client.force_login(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    job = Job.objects.get(owner=cast.officer)
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result.name.endswith(".xlsx")
    # the import page offers it for the officer's commune
    page = client.get(reverse("import_upload")).content.decode()
    assert reverse("import_prefilled") in page and "21484" in page
    # and the commune's round page, to those who enter data there only
    round_page = reverse("commune_round", args=[round_.pk, unit("21484").pk])
    assert reverse("import_prefilled") in client.get(round_page).content.decode()
    client.force_login(cast.leader)
    assert reverse("import_prefilled") not in client.get(round_page).content.decode()


def test_entries_not_surveyed_yet_stay_as_they_are_unless_edited(cast):
    """A pending entry (poor last round) and a carried-over one are pre-filled with their last
    surveyed answers, a new household's entry with none: untouched, all three are "same"."""
    ba_to = unit("21484")
    r25 = open_round(cast.admin, 2025)
    poor = register(cast.officer, ba_to, members=[member("Đinh Văn Nghèo")])
    fine = register(cast.officer, ba_to, members=[member("Đinh Văn Khá")])
    save(cast.officer, Survey.objects.get(household=poor, round=r25), **POOR_FIELDS)
    save(cast.officer, Survey.objects.get(household=fine, round=r25))
    round_close(by=cast.admin, round_=r25)
    r26 = open_round(cast.admin, 2026)
    fresh = register(cast.officer, ba_to, members=[member("Đinh Văn Mới")])
    statuses = dict(Survey.objects.filter(round=r26).values_list("household__code", "status"))
    assert statuses == {poor.code: "pending", fine.code: "carried_over", fresh.code: "pending"}

    content = prefilled(cast.officer, r26)
    hh_sheet, _mb = sheets(content)
    water = column(hh_sheet, "Nguồn nước sinh hoạt")
    assert hh_sheet.cell(row_of(hh_sheet, poor.code), water).value == "Nước sông, suối, ao, hồ"
    assert hh_sheet.cell(row_of(hh_sheet, fresh.code), water).value is None
    before = state()
    job = validate(cast.officer, r26, content)
    assert job.status == JobStatus.VALIDATED, errors(job)
    assert job.summary["counts"] == {"new": 0, "enter": 0, "change": 0, "same": 3}
    assert confirm(cast.officer, job).summary["written"] == {"created": 0, "saved": 0}
    assert state() == before

    def change(workbook):
        hh = workbook[str(C.HOUSEHOLD_SHEET)]
        hh.cell(row_of(hh, poor.code), column(hh, "Nguồn nước sinh hoạt")).value = "Nước máy"

    job = validate(cast.officer, r26, edit(content, change))
    assert job.summary["counts"] == {"new": 0, "enter": 1, "change": 0, "same": 2}
    assert confirm(cast.officer, job).status == JobStatus.DONE
    entered = Survey.objects.get(household=poor, round=r26)
    assert (entered.status, entered.water_source) == ("surveyed", "piped")
    assert Survey.objects.get(household=fine, round=r26).status == "carried_over"

    def fresh_member_only(workbook):  # a member edited on a row without answers: an error
        mb = workbook[str(C.MEMBER_SHEET)]
        mb.cell(
            row_of(mb, "Đinh Văn Mới", key_column=2), column(mb, "Ngày sinh")
        ).value = "02/03/1986"

    job = validate(cast.officer, r26, edit(prefilled(cast.officer, r26), fresh_member_only))
    assert job.status == JobStatus.REJECTED
    assert ["Dòng chưa có câu trả lời" in e["message"] for e in job.summary["errors"]] == [True]
