"""The exchange file for the national database (issue 14, part 4): a round's list of an area as
two CSV files in a zip, with a manifest and checksums. The layout is documented column by column
in ``docs/exchange.md``; ``LAYOUT_VERSION`` changes whenever a column is added, removed or
changes meaning, so that the receiving system can refuse a layout it does not know.

- ``ho.csv``: one row per entry of the round's list (household), ``HOUSEHOLD_COLUMNS``.
- ``thanh_vien.csv``: one row per member (as surveyed in the round; an entry not surveyed yet
  lists the household's current members, as the detailed list does), ``MEMBER_COLUMNS``.
- ``manifest.json``: round, area, generated-at, row counts, layout version, each file's SHA-256.
- ``SHA256SUMS``: ``sha256sum -c`` checks the three files above.

Codes, not labels: the 5-digit commune codes, the GSO ethnicity codes (``ETHNICITY_GSO``, with
the portal's own code beside them), the
DOMAIN indicator codes for the deprivation flags, and short documented codes for the rest.
Plain UTF-8 without BOM, comma-separated, CRLF (RFC 4180): what servers parse without surprises.

Personal data: the same rows as the detailed household list (``household_list.entries``: the
round's list in the area, as the user may see it) and the same citizen-ID rule (in full only in
the communes whose officers enter them, ``households.privacy``); the job is recorded and the
access logged as every personal export (``services``).

Streamed: entries are read ``CHUNK`` at a time through a database cursor, each chunk costing two
more queries (members, deprivations); households go straight into the zip, members into a
temporary file copied in afterwards (a zip takes one member file at a time). Memory stays at one
chunk whatever the area's size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy

from areas.models import Unit
from households.privacy import mask_citizen_id
from households.standards import STANDARDS

from .common import ExportContext
from .household_list import _chunks, _members, chunk_rows, entries, revealed_communes

TITLE = gettext_lazy("Tệp trao đổi dữ liệu với cơ sở dữ liệu quốc gia (CSV, nén zip)")
LAYOUT = "povertyportal-exchange"
LAYOUT_VERSION = 1
CHUNK = 2000
HOUSEHOLD_FILE, MEMBER_FILE = "ho.csv", "thanh_vien.csv"
MANIFEST_FILE, SUMS_FILE = "manifest.json", "SHA256SUMS"

# Every indicator code of every standard, in a fixed order (the 10 shared ones, then Decree
# 07/2021's 11-12, then Decree 351/2025's 11-12): one layout for every round.
INDICATOR_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(i.code for standard in STANDARDS for i in standard.indicators)
)

HOUSEHOLD_COLUMNS: tuple[str, ...] = (
    "ma_tinh",
    "ma_xa",
    "ma_ho",
    "thon",
    "trang_thai",
    "phan_loai",
    "phan_loai_ky_truoc",
    "bien_dong",
    "thu_nhap_binh_quan",
    "tong_thu_nhap",
    "diem_b1",
    "diem_b2",
    "so_nhan_khau",
    "so_chi_so_thieu_hut",
    *(f"thieu_{code}" for code in INDICATOR_CODES),
    "dan_toc_thieu_so",
    "ho_nong_nghiep",
    "khong_kha_nang_lao_dong",
    "co_nguoi_co_cong",
    "bao_tro_xa_hoi",
    "ngay_ra_soat",
)
MEMBER_COLUMNS: tuple[str, ...] = (
    "ma_xa",
    "ma_ho",
    "stt",
    "ho_ten",
    "gioi_tinh",
    "ngay_sinh",
    "quan_he_chu_ho",
    "ma_dan_toc",
    "dan_toc",
    "so_dinh_danh",
)

STATUS = {"surveyed": "1", "pending": "2", "carried_over": "3"}
CLASS = {"poor": "1", "near_poor": "2", "average": "3", "none": "4"}
SEX = {"male": "1", "female": "2"}  # GSO: 1 Nam, 2 Nữ
RELATION = {
    "head": "1",
    "spouse": "2",
    "child": "3",
    "parent": "4",
    "grandchild": "5",
    "sibling": "6",
    "other": "9",
}
# The GSO list of Vietnam's ethnic groups in force, Decision 1019/QĐ-TCTK of 12 November 2008
# (it replaced the 1979 list, Decision 121-TCTK/PPCĐ, whose numbers differ: Hrê was 19 there,
# 18 here). The portal keeps names (households.choices.Ethnicity), mapped here; Ca Dong is named
# in that list as a group of the Xơ Đăng. Only codes checked against the list's text are given:
# Cor (Co), Giẻ Triêng, Brâu and Rơ Măm are left blank until their numbers are confirmed (the
# next column, ``dan_toc``, carries the portal's code for every member), and "other" has none.
ETHNICITY_GSO = {
    "kinh": "01",
    "hoa": "06",
    "gia_rai": "10",
    "ba_na": "12",
    "xo_dang": "16",
    "ca_dong": "16",
    "hre": "18",
    "gie_trieng": "",
    "cor": "",
    "brau": "",
    "ro_mam": "",
    "other": "",
}

FIELDS = (
    "pk",
    "household_id",
    "commune_id",
    "household__code",
    "household__village",
    "household__head_name",
    "household__is_farm_household",
    "household__no_working_capacity",
    "household__revolutionary_merit",
    "household__social_protection",
    "status",
    "effective_class",
    "previous_class",
    "transition",
    "income_per_person",
    "household_income",
    "b1_score",
    "b2_score",
    "member_count",
    "deprived_count",
    "is_ethnic_minority",
    "surveyed_at",
    "members_snapshot",
)


def queryset(ctx: ExportContext):
    return entries(ctx)


def total(ctx: ExportContext) -> int:
    return queryset(ctx).count()


def ids_shown(ctx: ExportContext) -> bool:
    return queryset(ctx).filter(commune_id__in=revealed_communes(ctx)).exists()


def _flag(value) -> str:
    return "1" if value else "0"


def _number(value) -> str:
    return "" if value is None else str(value)


class _Hashed:
    """A binary sink that counts the SHA-256 of what passes through it."""

    def __init__(self, sink):
        self.sink, self.sha = sink, hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.sink.write(data)


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _communes(ctx: ExportContext) -> dict[int, tuple[str, str]]:
    """commune id -> (province code, commune code), for the area's communes (two queries)."""
    ids = list(queryset(ctx).order_by().values_list("commune_id", flat=True).distinct())
    units = list(Unit.objects.filter(pk__in=ids).values_list("pk", "code", "path"))
    roots = {int(path.strip("/").split("/")[0]) for _pk, _code, path in units}
    provinces = dict(Unit.objects.filter(pk__in=roots).values_list("pk", "code"))
    return {
        pk: (provinces.get(int(path.strip("/").split("/")[0]), ""), code)
        for pk, code, path in units
    }


def write(ctx: ExportContext, out, progress: Callable[[int], None] | None = None) -> dict:
    """The zip into ``out`` (a seekable binary file); returns the manifest."""
    standard = ctx.round.get_standard()
    in_standard = {i.code for i in standard.indicators}
    revealed = revealed_communes(ctx)
    communes = _communes(ctx)
    rows = queryset(ctx).order_by("commune__code", "household__code").values(*FIELDS)
    counts = {HOUSEHOLD_FILE: 0, MEMBER_FILE: 0}
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile() as spool,
    ):
        members_out = _Hashed(spool)
        members_out.write(_csv_bytes([MEMBER_COLUMNS]))
        with archive.open(HOUSEHOLD_FILE, "w") as raw:
            households_out = _Hashed(raw)
            households_out.write(_csv_bytes([HOUSEHOLD_COLUMNS]))
            for chunk in _chunks(rows.iterator(chunk_size=CHUNK), CHUNK):
                household_rows, member_rows = _chunk(chunk, communes, in_standard, revealed)
                households_out.write(_csv_bytes(household_rows))
                members_out.write(_csv_bytes(member_rows))
                counts[HOUSEHOLD_FILE] += len(household_rows)
                counts[MEMBER_FILE] += len(member_rows)
                if progress is not None:
                    progress(counts[HOUSEHOLD_FILE])
        spool.seek(0)
        with archive.open(MEMBER_FILE, "w") as raw:
            while block := spool.read(1 << 20):
                raw.write(block)
        sums = {
            HOUSEHOLD_FILE: households_out.sha.hexdigest(),
            MEMBER_FILE: members_out.sha.hexdigest(),
        }
        manifest = _manifest(ctx, counts, sums)
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        archive.writestr(MANIFEST_FILE, manifest_bytes)
        sums[MANIFEST_FILE] = hashlib.sha256(manifest_bytes).hexdigest()
        archive.writestr(SUMS_FILE, "".join(f"{digest}  {name}\n" for name, digest in sums.items()))
    return manifest


def _chunk(chunk, communes, in_standard, revealed) -> tuple[list[list], list[list]]:
    registry, deprived = chunk_rows(chunk)
    household_rows, member_rows = [], []
    for e in chunk:
        province, commune = communes.get(e["commune_id"], ("", ""))
        surveyed = e["status"] == "surveyed"
        flags = [
            (_flag(code in deprived[e["pk"]]) if surveyed and code in in_standard else "")
            for code in INDICATOR_CODES
        ]
        household_rows.append(
            [
                province,
                commune,
                e["household__code"],
                e["household__village"],
                STATUS.get(e["status"], ""),
                CLASS.get(e["effective_class"] or "", ""),
                CLASS.get(e["previous_class"] or "", ""),
                e["transition"] or "",
                _number(e["income_per_person"] if surveyed else None),
                _number(e["household_income"] if surveyed else None),
                _number(e["b1_score"]),
                _number(e["b2_score"] if surveyed else None),
                _number(e["member_count"]),
                _number(e["deprived_count"] if surveyed else None),
                *flags,
                _flag(e["is_ethnic_minority"]),
                _flag(e["household__is_farm_household"]),
                _flag(e["household__no_working_capacity"]),
                _flag(e["household__revolutionary_merit"]),
                _flag(e["household__social_protection"]),
                timezone.localtime(e["surveyed_at"]).date().isoformat()
                if surveyed and e["surveyed_at"]
                else "",
            ]
        )
        members = _members(e, registry.get(e["household_id"], []))
        show = e["commune_id"] in revealed
        for n, (name, relation, sex, born, ethnicity, cid) in enumerate(members, start=1):
            member_rows.append(
                [
                    commune,
                    e["household__code"],
                    n,
                    name,
                    SEX.get(sex, ""),
                    born.isoformat() if born else "",
                    RELATION.get(relation, ""),
                    ETHNICITY_GSO.get(ethnicity, ""),
                    ethnicity,
                    cid if show else mask_citizen_id(cid),
                ]
            )
    return household_rows, member_rows


def _manifest(ctx: ExportContext, counts: dict[str, int], sums: dict[str, str]) -> dict:
    round_, owner = ctx.round, ctx.owner
    if owner.unit is not None:
        unit = {"type": owner.unit.level, "code": owner.unit.code, "name": owner.unit.label}
    else:
        unit = {"type": "group", "code": owner.group.code, "name": owner.group.name}
    return {
        "layout": LAYOUT,
        "layout_version": LAYOUT_VERSION,
        "round": {
            "id": round_.pk,
            "year": round_.year,
            "kind": round_.kind,
            "starts_on": round_.starts_on.isoformat(),
            "ends_on": round_.ends_on.isoformat(),
            "status": round_.status,
            "standard": round_.standard,
        },
        "unit": unit,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "encoding": "UTF-8",
        "delimiter": ",",
        "files": {
            name: {"rows": counts[name], "sha256": sums[name]}
            for name in (HOUSEHOLD_FILE, MEMBER_FILE)
        },
        "columns": {HOUSEHOLD_FILE: list(HOUSEHOLD_COLUMNS), MEMBER_FILE: list(MEMBER_COLUMNS)},
    }


def name(ctx: ExportContext) -> str:
    owner = ctx.owner
    area = owner.unit.code if owner.unit is not None else owner.group.code
    return f"trao-doi-{area}-{ctx.round.year}-dot-{ctx.round.pk}.zip"


def title(ctx: ExportContext) -> str:
    return f"{TITLE} · {ctx.owner.label} · {ctx.round}"
