"""The exchange file for the national database (issue 14, part 4): a zip of ho.csv, thanh_vien.csv,
manifest.json and SHA256SUMS. Its rows equal an independent count of the round's list, its
columns are those of docs/exchange.md in that order, the checksums match, scope is kept, the
access is recorded, and memory does not grow with the area (streamed, a few queries a chunk)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum
from django.http import Http404

from households.models import PersonalDataAccess, Survey
from reports.exports import exchange, services
from reports.models import JobStatus
from tests.conftest import unit

pytestmark = pytest.mark.django_db
DOCS = Path(settings.BASE_DIR) / "docs" / "exchange.md"


def built(user, params) -> tuple[zipfile.ZipFile, str]:
    job = services.export_start(by=user, report="exchange", params=params)
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.result.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read())), job.result.name


def table(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    text = archive.read(name).decode("utf-8")
    assert not text.startswith("\ufeff")  # plain UTF-8, no BOM (docs/exchange.md)
    return list(csv.reader(io.StringIO(text, newline="")))


def documented(file_name: str) -> list[str]:
    """The column names of a file's table in docs/exchange.md, in order."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"## `{file_name}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| *\d+ *\| *`([a-z0-9_]+)`", section, flags=re.MULTILINE)


def test_rows_columns_and_checksums(cast, review):
    province = unit("51")
    archive, name = built(cast.admin, {"round": review.r25.pk, "unit": province.pk})
    assert re.search(rf"trao-doi-51-2025-dot-{review.r25.pk}\.zip$", name)
    assert archive.namelist() == ["ho.csv", "thanh_vien.csv", "manifest.json", "SHA256SUMS"]
    households, members = table(archive, "ho.csv"), table(archive, "thanh_vien.csv")

    # every documented column, in the documented order, and nothing else
    assert households[0] == documented("ho.csv") == list(exchange.HOUSEHOLD_COLUMNS)
    assert members[0] == documented("thanh_vien.csv") == list(exchange.MEMBER_COLUMNS)
    assert len(households[0]) == len(exchange.HOUSEHOLD_COLUMNS)

    # rows: an independent count of the round's list and of its members
    entries = Survey.objects.filter(round=review.r25, commune__path__startswith=province.path)
    assert len(households) - 1 == entries.count() > 0
    assert len(members) - 1 == entries.aggregate(n=Sum("member_count"))["n"]
    assert all(len(row) == len(households[0]) for row in households)

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["layout_version"] == exchange.LAYOUT_VERSION
    assert manifest["round"]["id"] == review.r25.pk
    assert manifest["unit"]["code"] == "51"
    assert manifest["files"]["ho.csv"]["rows"] == len(households) - 1
    assert manifest["files"]["thanh_vien.csv"]["rows"] == len(members) - 1

    # SHA256SUMS as `sha256sum -c` reads it, and the manifest's own checksums
    sums = {}
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, file_name = line.split("  ")
        sums[file_name] = digest
    assert set(sums) == {"ho.csv", "thanh_vien.csv", "manifest.json"}
    for file_name, digest in sums.items():
        assert hashlib.sha256(archive.read(file_name)).hexdigest() == digest
    for file_name in ("ho.csv", "thanh_vien.csv"):
        assert manifest["files"][file_name]["sha256"] == sums[file_name]


def test_codes(cast, review):
    archive, _name = built(cast.admin, {"round": review.r25.pk, "unit": unit("51").pk})
    header, *rows = table(archive, "ho.csv")
    by_code = {row[header.index("ma_ho")]: dict(zip(header, row, strict=True)) for row in rows}
    stuck = by_code[review.households["stuck"].code]
    assert stuck["ma_tinh"] == "51" and stuck["ma_xa"] == unit("21484").code
    assert (stuck["trang_thai"], stuck["phan_loai"]) == ("1", "1")  # surveyed, poor
    assert stuck["khong_kha_nang_lao_dong"] == "1"
    survey = Survey.objects.get(household=review.households["stuck"], round=review.r25)
    flags = {c for c in exchange.INDICATOR_CODES if stuck[f"thieu_{c}"] == "1"}
    assert flags == set(survey.deprivations.values_list("indicator", flat=True))
    assert len(flags) == survey.deprived_count == int(stuck["so_chi_so_thieu_hut"])
    # a 2025 round: Decree 07/2021's indicators, the 2027 ones left blank
    assert stuck["thieu_waste"] == "" and stuck["thieu_telecom"] in ("0", "1")
    waiting = by_code[review.households["waiting"].code]
    assert waiting["trang_thai"] == "2" and waiting["thu_nhap_binh_quan"] == ""
    assert waiting["thieu_water"] == ""  # not surveyed yet: no flags
    fine = by_code[review.households["fine"].code]
    assert (fine["trang_thai"], fine["phan_loai"]) == ("3", "4")  # carried over, not poor

    header, *rows = table(archive, "thanh_vien.csv")
    people = {row[header.index("ho_ten")]: dict(zip(header, row, strict=True)) for row in rows}
    head = people["Chủ Hộ Stuck"]
    assert (head["gioi_tinh"], head["quan_he_chu_ho"], head["ma_dan_toc"]) == ("1", "1", "18")
    assert head["dan_toc"] == "hre"
    assert head["ngay_sinh"] == "1985-03-01" and head["stt"] == "1"
    steady = people["Chủ Hộ Steady"]  # Cor: its GSO number is not confirmed yet
    assert (steady["ma_dan_toc"], steady["dan_toc"]) == ("", "cor")
    assert people["Chủ Hộ Stuck"]["ma_dan_toc"] == "18"
    kinh = people["Chủ Hộ Escaped"]
    assert (kinh["ma_dan_toc"], kinh["dan_toc"]) == ("01", "kinh")
    assert people["Con Stuck"]["quan_he_chu_ho"] == "3"
    assert head["so_dinh_danh"] == "051085000001"  # in full for an administrator


def test_scope_and_masking(cast, review):
    params = {"round": review.r25.pk, "unit": unit("21484").pk}
    with pytest.raises(Http404):
        services.export_start(by=cast.outsider, report="exchange", params=params)
    # a commune officer asking for the province gets their commune's rows only, in full
    archive, _name = built(cast.officer, {"round": review.r25.pk, "unit": unit("51").pk})
    header, *rows = table(archive, "ho.csv")
    assert {row[header.index("ma_xa")] for row in rows} == {"21484"}
    # provincial leaders read IDs masked (households.privacy)
    archive, _name = built(cast.leader, {"round": review.r25.pk, "unit": unit("51").pk})
    header, *rows = table(archive, "thanh_vien.csv")
    ids = [row[header.index("so_dinh_danh")] for row in rows]
    assert ids and all(re.fullmatch(r"\d{3}\*{7}\d{2}", i) for i in ids)
    access = PersonalDataAccess.objects.filter(action="export").order_by("pk")
    assert [(a.user, a.citizen_ids_shown) for a in access] == [
        (cast.officer, True),
        (cast.leader, False),
    ]


def test_queries_do_not_grow_with_the_households(cast, review, django_assert_max_num_queries):
    """Set-based: a handful of queries a chunk of 2,000 households, never one per household."""
    from reports.exports.common import context_for

    ctx = context_for(cast.admin, {"round": review.r25.pk, "unit": unit("51").pk})
    with django_assert_max_num_queries(20):
        exchange.write(ctx, io.BytesIO())
