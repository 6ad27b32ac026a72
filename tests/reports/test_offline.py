"""Offline collection (issue 14, part 2): the round's XLSForm checked by pyxform and ODK Validate,
the commune's household list, and submissions exported by ODK Central (zip of CSVs) and
KoboToolbox (.xlsx) through the import: error report, preview, confirm, idempotence, limits.

The submission files are built from the generated form's own question names: a question renamed
in the form without the import following breaks these tests."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.urls import reverse
from pyxform.xls2xform import convert

from households.models import PersonalDataAccess, Survey
from reports.models import JobStatus
from reports.offline import xlsform
from tests.conftest import unit
from tests.households.factories import member, open_round, register, save
from tests.reports.test_import_data import confirm, state, validate

pytestmark = pytest.mark.django_db
XF = {"h": "http://www.w3.org/2002/xforms", "jr": "http://openrosa.org/javarosa"}


# --- the form ---------------------------------------------------------------------------------


def xform(form: xlsform.Form, tmp_path, *, validate_odk: bool) -> ElementTree.Element:
    """pyxform's conversion with its own checks, and ODK Validate (bundled with pyxform, run on
    the installed Java) when asked."""
    path = tmp_path / f"{form.form_id}.xlsx"
    path.write_bytes(form.xlsx())
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings, validate=validate_odk)
    assert warnings == []
    return ElementTree.fromstring(result.xform)  # noqa: S314 (our own form)


def bind(root, path: str) -> dict:
    found = root.findall(f".//h:bind[@nodeset='{path}']", XF)
    assert len(found) == 1, path
    return dict(found[0].attrib)


@pytest.mark.parametrize("with_commune", [False, True], ids=["blank", "pre-loaded"])
def test_the_form_passes_pyxform_and_odk_validate(cast, round_, tmp_path, with_commune):
    assert shutil.which("java"), "ODK Validate needs Java"
    commune = unit("21484") if with_commune else None
    form = xlsform.build(round_, commune)
    root = xform(form, tmp_path, validate_odk=True)

    assert form.settings["form_id"] == ("ra_soat_%d_xa_21484" if commune else "ra_soat_%d") % (
        round_.pk
    )
    assert root.find(".//h:repeat[@nodeset='/data/members']", XF) is not None
    floor = bind(root, "/data/floor_area")
    assert floor["required"] == "true()"
    assert floor["constraint"] == ". > 0 and . <= 5000"
    assert bind(root, "/data/b1_score")["constraint"] == ". >= 0 and . <= 1000"
    assert "^[0-9]{12}$" in bind(root, "/data/members/citizen_id")["constraint"]
    assert bind(root, "/data/income_per_person")["relevant"].split() == [
        "/data/income_basis", "=", "'per_person'"
    ]  # fmt: skip
    assert bind(root, "/data/members/nutrition")["relevant"].split() == ["../age", "<", "16"]
    assert (
        "count(../../members[relation = 'head']) = 1"
        in bind(root, "/data/members/relation")["constraint"]
    )
    assert bind(root, "/data/one_head")["relevant"].split() == ["/data/heads", "!=", "1"]
    # the standard of the 2026 review has no waste indicator (Decree 351/2025: from 2027)
    assert not root.findall(".//h:bind[@nodeset='/data/waste_collected']", XF)
    instance_name = bind(root, "/data/meta/instanceName")["calculate"]
    assert "/data/code" in instance_name
    if commune:
        assert bind(root, "/data/commune")["calculate"] == "'21484'"
        assert root.find(".//h:instance[@src='jr://file-csv/ho.csv']", XF) is not None
        setvalue = root.find(".//{*}setvalue[@ref='/data/village']")
        assert "pulldata('ho', 'village', 'name'" in setvalue.get("value")
    else:
        assert "^[0-9]{5}$" in bind(root, "/data/commune")["constraint"]


def test_choices_are_the_codes_with_vietnamese_labels(round_):
    form = xlsform.build(round_)
    water = {c["name"]: c["label"] for c in form.choices if c["list_name"] == "water_source"}
    assert water["piped"] == "Nước máy"
    names = [q["name"] for q in form.survey]
    assert names.index("birth_date") < names.index("age") < names.index("nutrition")
    assert "household" not in names  # the repeat belongs to its household: no code column
    assert form.version == xlsform.build(round_).version  # the same questions, the same version


def test_the_2027_standard_adds_its_questions(cast, tmp_path):
    later = open_round(cast.admin, 2027)
    root = xform(xlsform.build(later), tmp_path, validate_odk=False)
    assert bind(root, "/data/waste_collected")["required"] == "true()"
    assert bind(root, "/data/uses_digital_services")["required"] == "true()"


def test_the_households_csv_lists_the_communes_round_list(cast, round_):
    inside = register(cast.officer, unit("21484"), members=[member("Hồ Văn Pó")])
    register(cast.outsider, unit("21220"), members=[member("Lê Văn Khác")])
    rows = list(csv.DictReader(io.StringIO(xlsform.households_csv(round_, unit("21484")).decode())))
    assert rows[0]["name"] == inside.code and rows[0]["label"] == f"{inside.code} - Hồ Văn Pó"
    assert rows[0]["village"] == inside.village
    assert [r["name"] for r in rows] == [inside.code, xlsform.NEW_HOUSEHOLD]


# --- the pages --------------------------------------------------------------------------------


def test_pages_downloads_and_scope(cast, round_, client):
    listed = register(cast.officer, unit("21484"), members=[member("Hồ Văn Pó")])
    client.force_login(cast.officer)
    page = client.get(reverse("import_odk"))
    assert page.status_code == 200
    assert "21484" in page.content.decode() and "21220" not in page.content.decode()
    assert reverse("import_odk") in client.get(reverse("import_upload")).content.decode()

    form = client.get(reverse("import_odk_form"), {"round": round_.pk})
    assert form.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(form.content)).sheetnames == [
        "survey", "choices", "settings"
    ]  # fmt: skip
    preloaded = client.get(reverse("import_odk_form"), {"round": round_.pk, "commune": "21484"})
    assert preloaded.status_code == 200
    assert f"ra_soat_{round_.pk}_xa_21484.xlsx" in preloaded["Content-Disposition"]
    survey_sheet = openpyxl.load_workbook(io.BytesIO(preloaded.content))["survey"]
    assert "select_one_from_file ho.csv" in [row[0] for row in survey_sheet.values]
    before = PersonalDataAccess.objects.count()
    households = client.get(
        reverse("import_odk_households"), {"round": round_.pk, "commune": "21484"}
    )
    assert households.status_code == 200 and listed.code.encode() in households.content
    log = PersonalDataAccess.objects.order_by("-pk").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert (log.user, log.action, log.commune.code) == (cast.officer, "export", "21484")

    # another commune's list, or its pre-loaded form: as if it did not exist
    for name in ("import_odk_households", "import_odk_form"):
        response = client.get(reverse(name), {"round": round_.pk, "commune": "21220"})
        assert response.status_code == 404
    assert client.get(reverse("import_odk_households"), {"round": "x"}).status_code == 404
    assert PersonalDataAccess.objects.count() == before + 1

    client.force_login(cast.district)  # sees, does not enter data
    assert client.get(reverse("import_odk")).status_code == 403


# --- submissions ------------------------------------------------------------------------------


def household(code: str, **over) -> dict:
    """One submission's answers by question name, as the tools export them (codes)."""
    answers = {
        "commune": "21484",
        "code": code,
        "village": "Thôn 1",
        "address": "",
        "is_farm_household": "0",
        "no_working_capacity": "0",
        "revolutionary_merit": "0",
        "social_protection": "0",
        "requested_review": "0",
        "income_basis": "per_person",
        "income_per_person": "3500000",
        "household_income": "",
        "b1_score": "",
        "walls_durable": "1",
        "columns_durable": "1",
        "roof_durable": "1",
        "floor_area": "60.5",
        "water_source": "piped",
        "has_hygienic_latrine": "1",
        "uses_internet": "1",
        "devices": "smartphone tv",
        "uses_digital_services": "1",
        "waste_collected": "1",
        "causes": "",
        "needs": "",
        "heads": "1",
        "one_head": "",
    }
    answers.update(over)
    return answers


POOR = {
    "income_per_person": "1000000",
    "has_hygienic_latrine": "0",
    "water_source": "surface",
    "uses_internet": "0",
    "devices": "",
    "causes": "capital land",
}


def person(name: str, **over) -> dict:
    answers = {
        "full_name": name,
        "sex": "male",
        "birth_date": "1985-03-01",
        "age": "41",
        "relation": "head",
        "ethnicity": "kinh",
        "citizen_id": "",
        "has_health_insurance": "1",
        "schooling": "not_in_school",
        "education_level": "upper_secondary",
        "employment": "self_employed",
        "is_disabled": "0",
        "has_monthly_social_allowance": "0",
        "employer_certified_training": "0",
        "nutrition": "",
    }
    answers.update(over)
    return answers


def questions(form: xlsform.Form) -> tuple[list[str], list[str]]:
    """The form's question names outside and inside the members repeat."""
    main, repeat, inside = [], [], False
    for q in form.survey:
        if q["type"] == "begin repeat":
            inside = True
        elif q["type"] == "end repeat":
            inside = False
        else:
            (repeat if inside else main).append(q["name"])
    return main, repeat


def odk_zip(form, submissions: list[tuple[dict, list[dict]]]) -> bytes:
    """What ODK Central's "Download all data" gives: <form>.csv and <form>-members.csv."""
    main, repeat = questions(form)
    head = ["SubmissionDate", *main, "meta-instanceID", "KEY", "SubmitterID", "ReviewState"]
    main_rows, member_rows = [head], [[*repeat, "PARENT_KEY", "KEY"]]
    for n, (answers, people) in enumerate(submissions, start=1):
        key = f"uuid:0000-{n}"
        row = ["2026-09-10T08:00:00.000Z", *[answers[name] for name in main], key, key, "7", ""]
        main_rows.append(row)
        for i, p in enumerate(people, start=1):
            member_rows.append([*[p[name] for name in repeat], key, f"{key}/members[{i}]"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in ((f"{form.form_id}.csv", main_rows),
                           (f"{form.form_id}-members.csv", member_rows)):  # fmt: skip
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(name, text.getvalue())
    return out.getvalue()


def kobo_xlsx(form, submissions: list[tuple[dict, list[dict]]]) -> bytes:
    """KoboToolbox's xlsx export: group paths in the headers, _index / _parent_index."""
    main, repeat = questions(form)
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Phieu ra soat 2026"
    ws.append([*main, "meta/instanceID", "_id", "_uuid", "_index"])
    people_ws = workbook.create_sheet("members")
    people_ws.append([*(f"members/{r}" for r in repeat), "_index", "_parent_index"])
    n = 0
    for i, (answers, people) in enumerate(submissions, start=1):
        ws.append([*(answers[name] for name in main), f"uuid:{i}", i, f"u{i}", i])
        for p in people:
            n += 1
            people_ws.append([*(p[name] for name in repeat), n, i])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


BUILDERS = {"odk": (odk_zip, "ra_soat.zip"), "kobo": (kobo_xlsx, "kobo.xlsx")}


@pytest.mark.parametrize("tool", ["odk", "kobo"])
def test_round_trip_wrong_then_corrected_then_again(cast, round_, tool):
    build, name = BUILDERS[tool]
    form = xlsform.build(round_)
    lan = person(
        "Hồ Thị Lan", sex="female", relation="spouse", birth_date="2014-10-02", nutrition="stunted"
    )
    good = (household("ODKP1", floor_area="60.500", **POOR), [person("Hồ Văn Pó"), lan])
    wrong = (household("ODKK1", floor_area="0"), [person("Phạm Thị Khá", sex="female")])
    before = state()

    job = validate(cast.officer, round_, build(form, [good, wrong]), name)
    assert job.status == JobStatus.REJECTED
    errors = job.summary["errors"]
    assert [(e["row"], e["message"]) for e in errors] == [
        (3, "Diện tích nhà ở phải lớn hơn 0.")
    ]  # the second submission, on its row of the uploaded file
    main, _repeat = questions(form)
    offset = 1 if tool == "odk" else 0  # SubmissionDate comes first in ODK Central's CSV
    assert errors[0]["column"] == chr(ord("A") + main.index("floor_area") + offset)
    if tool == "odk":
        assert errors[0]["sheet"] == f"{form.form_id}.csv"
        assert not job.result  # no workbook to write the report on: the page lists the errors
    else:
        report = openpyxl.load_workbook(job.result.open("rb"))  # the export, annotated
        assert "Diện tích" in str(report.worksheets[0].cell(row=3, column=len(main) + 5).value)
    assert state() == before  # nothing written

    wrong[0]["floor_area"] = "45"
    content = build(form, [good, wrong])
    job = validate(cast.officer, round_, content, name)
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["counts"] == {"new": 2, "enter": 0, "change": 0, "same": 0}
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE, job.error
    surveys = {s.household.code: s for s in Survey.objects.filter(round=round_)}
    assert surveys["ODKP1"].poverty_class == "poor"
    assert surveys["ODKK1"].poverty_class == "none"
    assert str(surveys["ODKK1"].floor_area) == "45.00"
    assert str(surveys["ODKP1"].floor_area) == "60.50"  # not 60500, the Vietnamese way
    assert sorted(surveys["ODKP1"].causes.strip(",").split(",")) == ["capital", "land"]
    lan = surveys["ODKP1"].household.members.get(full_name="Hồ Thị Lan")
    assert (lan.nutrition, lan.relation, str(lan.birth_date)) == ("stunted", "spouse", "2014-10-02")
    written = state()

    job = validate(cast.officer, round_, content, name)  # the same file again
    assert job.status == JobStatus.VALIDATED
    assert job.summary["counts"] == {"new": 0, "enter": 0, "change": 0, "same": 2}
    job = confirm(cast.officer, job)
    assert job.status == JobStatus.DONE
    assert state() == written  # not a row, not a version, not a history row


def test_an_existing_household_of_the_list_is_updated(cast, round_):
    listed = register(cast.officer, unit("21484"), members=[member("Đinh Văn Một")])
    survey = Survey.objects.get(round=round_, household=listed)
    save(cast.officer, survey)
    form = xlsform.build(round_, unit("21484"))
    main, _ = questions(form)
    assert {"household", "new_code", "code", "commune"} <= set(main)
    answers = household(listed.code, household=listed.code, new_code="", floor_area="80")
    people = [person("Đinh Văn Một", birth_date=str(listed.members.get().birth_date))]
    job = validate(cast.officer, round_, odk_zip(form, [(answers, people)]), "xa.zip")
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["counts"]["change"] == 1
    assert confirm(cast.officer, job).status == JobStatus.DONE
    survey.refresh_from_db()
    assert str(survey.floor_area) == "80.00"


def test_submission_errors_name_their_rows(cast, round_):
    form = xlsform.build(round_)
    submissions = [
        (household("ODKA", commune="21220"), [person("A")]),  # outside the officer's scope
        (household("ODKB", water_source="lake"), [person("B", relation="child")]),  # no head
        (household("ODKC"), [person("C", citizen_id="12345")]),
    ]
    job = validate(cast.officer, round_, odk_zip(form, submissions), "x.zip")
    assert job.status == JobStatus.REJECTED
    found = [(e["sheet"], e["row"], e["message"]) for e in job.summary["errors"]]
    main, members = f"{form.form_id}.csv", f"{form.form_id}-members.csv"
    assert any(s == main and r == 2 and "không được nhập liệu cho" in m for s, r, m in found)
    assert any(s == main and r == 3 and "không có trong danh sách" in m for s, r, m in found)
    assert (main, 3, "Hộ phải có đúng một chủ hộ.") in found
    assert any(s == members and r == 4 and "12 chữ số" in m for s, r, m in found)


def test_a_member_of_no_submission_is_reported(cast, round_):
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKX"), [person("X")])])
    archive = zipfile.ZipFile(io.BytesIO(content))
    parts = {n: archive.read(n) for n in archive.namelist()}
    members = f"{form.form_id}-members.csv"
    parts[members] = parts[members].replace(b"uuid:0000-1,", b"uuid:gone,")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for n, data in parts.items():
            target.writestr(n, data)
    job = validate(cast.officer, round_, out.getvalue(), "x.zip")
    assert job.status == JobStatus.REJECTED
    messages = {(e["sheet"], e["row"], e["header"]) for e in job.summary["errors"]}
    assert (members, 2, "PARENT_KEY") in messages


def test_a_plain_csv_without_repeats_is_read(cast, round_):
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKCSV"), [person("Y")])])
    main_csv = zipfile.ZipFile(io.BytesIO(content)).read(f"{form.form_id}.csv")
    job = validate(cast.officer, round_, main_csv, "ra_soat.csv")
    assert job.status == JobStatus.REJECTED  # read: the household has no members, as it says
    assert [e["message"][:30] for e in job.summary["errors"]] == ["Hộ chưa có thành viên nào trên"]


def test_a_zip_bomb_is_refused_before_reading(cast, round_, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 100_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ra_soat.csv", "SubmissionDate,code\n" + "0" * 200_000)
    assert len(out.getvalue()) < 5_000
    job = validate(cast.officer, round_, out.getvalue(), "bom.zip")
    assert job.status == JobStatus.REJECTED
    assert "khi giải nén quá lớn" in job.summary["errors"][0]["message"]


def test_a_file_missing_a_question_is_refused(cast, round_):
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKM"), [person("M")])])
    archive = zipfile.ZipFile(io.BytesIO(content))
    parts = {n: archive.read(n) for n in archive.namelist()}
    main = f"{form.form_id}.csv"
    parts[main] = parts[main].replace(b",floor_area,", b",dien_tich,")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for n, data in parts.items():
            target.writestr(n, data)
    job = validate(cast.officer, round_, out.getvalue(), "x.zip")
    assert job.status == JobStatus.REJECTED
    assert "thiếu cột: floor_area" in job.summary["errors"][0]["message"]


def rewritten(content: bytes, change) -> bytes:
    """The zip with ``change(name, data)`` applied to each of its files."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return out.getvalue()


def test_group_paths_in_headers_are_read(cast, round_):
    """Questions moved into a group: ODK Central writes "group-question" headers."""
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKG", floor_area="0"), [person("G")])])

    def grouped(name: str, data: bytes) -> bytes:
        header, rest = data.split(b"\r\n", 1)
        cells = [c if c in (b"KEY", b"PARENT_KEY") else b"nhom-" + c for c in header.split(b",")]
        return b",".join(cells) + b"\r\n" + rest

    job = validate(cast.officer, round_, rewritten(content, grouped), "x.zip")
    assert [(e["row"], e["header"]) for e in job.summary["errors"]] == [(2, "Diện tích nhà ở (m²)")]


def test_the_upload_page_takes_an_odk_export(cast, round_, client):
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKU"), [person("U")])])
    main_csv = zipfile.ZipFile(io.BytesIO(content)).read(f"{form.form_id}.csv")
    client.force_login(cast.officer)
    for name, data in (("ra_soat.zip", content), ("ra_soat.csv", main_csv)):
        upload = io.BytesIO(data)
        upload.name = name
        response = client.post(reverse("import_upload"), {"round": round_.pk, "file": upload})
        assert response.status_code == 302, response.content.decode()[:500]


def test_a_csv_that_is_not_utf8_is_refused(cast, round_):
    form = xlsform.build(round_)
    content = odk_zip(form, [(household("ODKE", village="Thôn Đồng"), [person("E")])])

    def latin(name: str, data: bytes) -> bytes:
        return data.decode().replace("Đồng", "Dong\xe9").encode("latin-1", "replace")

    job = validate(cast.officer, round_, rewritten(content, latin), "x.zip")
    assert job.status == JobStatus.REJECTED
    assert "UTF-8" in job.summary["errors"][0]["message"]
