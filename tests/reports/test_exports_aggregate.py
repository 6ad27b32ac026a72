"""The aggregate exports (downloaded at once): the official block, numbered columns, hierarchical
rows, number formats and frozen panes, and figures equal to the stored indicator values (or, for
the breakdowns the catalog does not hold, to counts made here from the raw rows)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from areas.models import Unit, UnitGroup
from areas.services import OLD_TREE_TO
from households.models import Exclusion, Member, Survey
from households.rules import BALANCE_NEAR_POOR, BALANCE_POOR
from indicators.models import IndicatorValue, Target
from indicators.targets import targets_seed
from reports.xlsx import COUNT, RATE, roman
from tests.conftest import unit
from tests.reports.conftest import data_rows, open_xlsx, texts

pytestmark = pytest.mark.django_db

AGGREGATES = [
    "results",
    "changes_poor",
    "changes_near_poor",
    "deprivation_poor",
    "deprivation_near_poor",
    "beneficiaries",
    "ethnicity",
    "causes",
    "targets",
]
RESULT_CODES = [
    "households", "persons", "poor_households", "poor_rate", "poor_persons", "poor_persons_rate",
    "near_poor_households", "near_poor_rate", "near_poor_persons", "average_households",
    "average_rate", "multidim_rate", "poor_rate_reduction",
]  # fmt: skip


def export(client, user, report, round_, area=""):
    client.force_login(user)
    return client.post(
        reverse("export_create"), {"report": report, "round": round_.pk, "area": area}
    )


def workbook(client, user, report, round_, area=""):
    response = export(client, user, report, round_, area)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return open_xlsx(response.content).active


def stored(round_, key, code):
    kind, pk = key
    value = IndicatorValue.objects.filter(round=round_, indicator__code=code, **{kind: pk}).first()
    return value.value if value else None


def same(cell, value) -> bool:
    if value is None:
        return cell is None
    return cell is not None and Decimal(str(cell)).quantize(Decimal("0.01")) == value


# --- results: the header, the old tree's districts, stored figures -----------------------------


def test_results_on_the_old_tree_by_district(client, cast, review):
    r24 = review.r24
    ws = workbook(client, cast.leader, "results", r24, f"unit:{unit('51', OLD_TREE_TO).pk}")
    first, rows = data_rows(ws)
    head = texts(ws, first - 1)
    for text in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG NGÃI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO",
        "Địa bàn: Tỉnh Quảng Ngãi",
        "Đợt rà soát định kỳ năm 2024 (từ 01/09/2024 đến 14/12/2024)",
    ):
        assert text in head, text
    assert [c.value for c in ws[first - 1]] == ["A", "B", *[str(i) for i in range(1, 14)]]
    assert ws.freeze_panes == f"C{first}"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"E{first - 3}:H{first - 3}" in merged  # "Hộ nghèo" over its four columns
    assert ws.cell(first - 3, 5).value == "Hộ nghèo"

    # the province, then each district (I, II...) followed by its communes
    assert rows[0][:2] == (None, "Tỉnh Quảng Ngãi")
    day = r24.reference_date
    districts = list(Unit.objects.valid_on(day).filter(level="district", parent__code="51"))
    assert [r[1] for r in rows if r[0] and not r[0].isdigit()] == [
        d.label for d in sorted(districts, key=lambda d: d.code)
    ]
    ba_to = next(i for i, r in enumerate(rows) if r[1] == "Huyện Ba Tơ")
    position = sorted(d.code for d in districts).index("535") + 1
    assert rows[ba_to][0] == roman(position)
    communes = Unit.objects.valid_on(day).filter(parent__code="535").order_by("code")
    assert [r[1] for r in rows[ba_to + 1 : ba_to + 1 + communes.count()]] == [
        c.label for c in communes
    ]
    assert rows[ba_to + 1][0] == "1"

    # figures: the stored values of every line that has some
    units: dict[str, list[Unit]] = {}
    for u in Unit.objects.valid_on(day).filter(path__startswith=unit("51", OLD_TREE_TO).path):
        units.setdefault(u.label, []).append(u)
    checked = 0
    for row in rows:
        assert any(  # (a label may repeat across districts: one of them matches)
            all(
                same(cell, stored(r24, ("unit", u.pk), code))
                for code, cell in zip(RESULT_CODES, row[2:], strict=True)
            )
            for u in units[row[1]]
        ), row
        checked += any(v is not None for v in row[2:])
    assert checked == 6  # the province, two districts, three communes
    assert rows[0][2:5] == (11, 22, 6)  # 11 households, 22 persons, 6 poor in 2024
    total = ws[first]
    assert total[2].number_format == COUNT and total[5].number_format == RATE
    assert total[1].font.b and not ws[first + 2][1].font.b  # totals in bold


def test_results_after_the_reform_province_then_communes(client, cast, review):
    r25 = review.r25
    ws = workbook(client, cast.leader, "results", r25)  # the default area: the province
    _first, rows = data_rows(ws)
    communes = Unit.objects.valid_on(r25.reference_date).filter(level="commune")
    assert len(rows) == 1 + communes.count()
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(rows))]
    province = unit("51")
    for code, cell in zip(RESULT_CODES, rows[0][2:], strict=True):
        assert same(cell, stored(r25, ("unit", province.pk), code)), code
    ba_vinh = next(r for r in rows if r[1] == "Xã Ba Vinh")
    for code, cell in zip(RESULT_CODES, ba_vinh[2:], strict=True):
        assert same(cell, stored(r25, ("unit", unit("21490").pk), code)), code


def test_results_for_a_former_district_group(client, cast, review):
    r25 = review.r25
    group = UnitGroup.objects.get(code="huyen-cu-535")
    ws = workbook(client, cast.district, "results", r25, f"group:{group.pk}")
    first, rows = data_rows(ws)
    assert "Địa bàn: " + group.name in texts(ws, first - 1)
    assert "TỈNH QUẢNG NGÃI" in texts(ws, first - 1)  # a group's reports go out from the province
    assert rows[0][1] == group.name
    for code, cell in zip(RESULT_CODES, rows[0][2:], strict=True):
        assert same(cell, stored(r25, ("group", group.pk), code)), code
    assert {"Xã Ba Tơ", "Xã Ba Vinh"} <= {r[1] for r in rows[1:]}
    assert "Xã Sơn Tịnh" not in {r[1] for r in rows}


# --- changes: columns 1-9, households and persons rows -------------------------------------


def persons_expected(round_, communes, kind):
    """Persons per balance column, counted here row by row."""
    cls = {"poor": "poor", "near_poor": "near_poor"}[kind]
    c = Counter()
    for s in Survey.objects.filter(round=round_, commune__in=communes):
        now = s.previous_class if s.status == "pending" else s.poverty_class
        if s.arrival == "" and s.previous_class == cls:
            c["start"] += s.member_count
        if now == cls:
            c["end"] += s.member_count
        if s.transition:
            c[f"t_{s.transition}"] += s.member_count
    for e in Exclusion.objects.filter(round=round_, commune__in=communes):
        if e.previous_class == cls:
            c["start"] += e.member_count
        if e.transition:
            c[f"t_{e.transition}"] += e.member_count
    return c


@pytest.mark.parametrize("kind", ["poor", "near_poor"])
def test_changes_balance_in_households_and_persons(client, cast, review, kind):
    r25 = review.r25
    ws = workbook(client, cast.leader, f"changes_{kind}", r25)
    first, rows = data_rows(ws)
    assert [c.value for c in ws[first - 1]] == ["A", "B", "C", *[str(i) for i in range(1, 10)]]
    assert ws.freeze_panes == f"D{first}"
    assert {f"A{first}:A{first + 1}", f"B{first}:B{first + 1}"} <= {
        str(r) for r in ws.merged_cells.ranges
    }
    balance = BALANCE_POOR if kind == "poor" else BALANCE_NEAR_POOR
    transitions = [t for t, s in balance.items() if s < 0] + [
        t for t, s in balance.items() if s > 0
    ]
    start, end = ("poor_start", "poor_households") if kind == "poor" else (
        "near_poor_start", "near_poor_households")  # fmt: skip
    codes = [start, *[f"t_{t.value}" for t in transitions], end]
    keys = ["start", *[f"t_{t.value}" for t in transitions], "end"]
    signs = [balance[t] for t in transitions]
    checks = {"Tỉnh Quảng Ngãi": unit("51"), "Xã Ba Tơ": unit("21484"), "Xã Ba Vinh": unit("21490")}
    for i in range(0, len(rows), 2):
        households, persons = rows[i], rows[i + 1]
        assert households[2] == "Hộ" and persons[2] == "Người"
        if households[1] not in checks:
            continue
        u = checks[households[1]]
        for code, cell in zip(codes, households[3:], strict=True):
            assert same(cell, stored(r25, ("unit", u.pk), code)), (u, code)
        communes = [u] if u.level == "commune" else u.descendants().filter(level="commune")
        expected = persons_expected(r25, communes, kind)
        assert list(persons[3:]) == [expected[k] for k in keys], u
        for row in (households, persons):  # column 9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8
            assert row[3] + sum(s * v for s, v in zip(signs, row[4:11], strict=True)) == row[11]
    if kind == "poor":  # start 6, −1 −1 −1 (died), +1 (near→poor) +1 (moved in): end 5
        assert rows[0][3:] == (6, 1, 1, 1, 1, 0, 0, 1, 5)


# --- deprivation -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind,prefix", [("poor", "dep_poor"), ("near_poor", "dep_near")])
def test_deprivation_counts_and_shares(client, cast, review, kind, prefix):
    r25 = review.r25
    ws = workbook(client, cast.officer, f"deprivation_{kind}", r25, f"unit:{unit('21484').pk}")
    first, rows = data_rows(ws)
    indicators = r25.get_standard().indicators
    groups = [ws.cell(first - 3, 4 + 2 * i).value for i in range(len(indicators))]
    assert groups == [f"{i.number}. {i.name_vi}" for i in indicators]
    assert len(rows) == 1 and rows[0][1] == "Xã Ba Tơ"
    total = "poor_households" if kind == "poor" else "near_poor_households"
    codes = [total]
    for i in indicators:
        codes += [f"{prefix}_{i.code}", f"{prefix}_{i.code}_share"]
    key = ("unit", unit("21484").pk)
    for code, cell in zip(codes, rows[0][2:], strict=True):
        assert same(cell, stored(r25, key, code)), code
    assert ws.cell(first, 5).number_format == RATE and ws.cell(first, 4).number_format == COUNT


# --- breakdowns the catalog does not hold: counted here from the raw rows -----------------------


def expected_breakdown(round_, communes, part):
    counts = Counter()
    heads = {
        m.household_id: m.ethnicity for m in Member.objects.filter(relation="head", is_current=True)
    }
    for s in Survey.objects.filter(round=round_, commune__in=communes).select_related("household"):
        cls = s.previous_class if s.status == "pending" else s.poverty_class
        if cls not in ("poor", "near_poor"):
            continue
        counts[cls, "total"] += 1
        for key in part(s, heads):
            counts[cls, key] += 1
    return counts


PARTS = {
    "beneficiaries": (
        ["no_working_capacity", "revolutionary_merit", "social_protection", "ethnic_minority"],
        lambda s, heads: [
            k
            for k, on in (
                ("no_working_capacity", s.household.no_working_capacity),
                ("revolutionary_merit", s.household.revolutionary_merit),
                ("social_protection", s.household.social_protection),
                ("ethnic_minority", s.is_ethnic_minority),
            )
            if on
        ],
    ),
    "ethnicity": (
        [
            "kinh",
            "hre",
            "cor",
            "ca_dong",
            "xo_dang",
            "ba_na",
            "gie_trieng",
            "gia_rai",
            "brau",
            "ro_mam",
            "hoa",
            "other",
        ],
        lambda s, heads: [heads.get(s.household_id, "other")],
    ),
    "causes": (
        ["land", "capital", "labour", "tools", "knowhow", "skills", "illness", "other"],
        lambda s, heads: [c for c in s.causes.split(",") if c],
    ),
}


@pytest.mark.parametrize("report", list(PARTS))
def test_breakdowns_equal_independent_counts(client, cast, review, report):
    for round_ in (review.r24, review.r25):
        province = Unit.objects.valid_on(round_.reference_date).get(code="51")
        ws = workbook(client, cast.leader, report, round_, f"unit:{province.pk}")
        _first, rows = data_rows(ws)
        keys, part = PARTS[report]
        communes = Unit.objects.valid_on(round_.reference_date).filter(level="commune")
        lines = {r[1]: r for r in rows}
        for label, scope in [("Tỉnh Quảng Ngãi", communes)] + [
            (c.label, [c]) for c in communes.filter(code__in=["21484", "21490", "21220"])
        ]:
            expected = expected_breakdown(round_, scope, part)
            want = []
            for cls in ("poor", "near_poor"):
                want += [expected[cls, "total"]] + [expected[cls, k] for k in keys]
            assert list(lines[label][2:]) == want, (round_.year, label)
        totals = rows[0][2:]
        poor_total, near_total = totals[0], totals[1 + len(keys)]
        assert poor_total == stored(round_, ("unit", province.pk), "poor_households")
        assert near_total == stored(round_, ("unit", province.pk), "near_poor_households")


# --- targets -----------------------------------------------------------------------------------


def test_target_progress_against_stored_values(client, cast, review):
    targets_seed()
    for round_, statuses in (
        (review.r24, {"Đạt", "Không đạt", "Chưa có số liệu"}),  # closed: official figures
        (review.r25, {"Đúng tiến độ", "Có nguy cơ không đạt", "Chưa có số liệu"}),  # open
    ):
        province = Unit.objects.valid_on(round_.reference_date).get(code="51")
        ws = workbook(client, cast.leader, "targets", round_, f"unit:{province.pk}")
        first, rows = data_rows(ws)
        assert "BÁO CÁO TIẾN ĐỘ THỰC HIỆN MỤC TIÊU GIẢM NGHÈO" in texts(ws, first)
        targets = list(
            Target.objects.filter(year=round_.year).select_related("indicator", "unit", "group")
        )
        assert len(rows) == len(targets) > 0
        by_name = {
            (t.indicator.name_vi, t.unit.label if t.unit else t.group.name): t for t in targets
        }
        for row in rows:
            t = by_name[row[1], row[2]]
            key = ("unit", t.unit_id) if t.unit_id else ("group", t.group_id)
            assert same(row[7], stored(round_, key, t.indicator.code)), row
            assert row[8] in statuses, row
            assert row[9] == t.source
    reduction = next(
        r for r in rows if r[2] == "Tỉnh Quảng Ngãi" and r[1] == "Mức giảm tỷ lệ hộ nghèo"
    )
    assert reduction[7] == 9.1  # 6 poor of 11 households in 2024, 5 of 11 in 2025: 54.55 − 45.45
    assert reduction[8] == "Đúng tiến độ"
    assert [reduction[5], reduction[6]] == [1, 1.5]


# --- scope -----------------------------------------------------------------------------------


def test_outsiders_get_404_for_areas_they_may_not_see(client, cast, review):
    r25 = review.r25
    ba_to_group = UnitGroup.objects.get(code="huyen-cu-535")
    for report in AGGREGATES:
        assert (
            export(client, cast.outsider, report, r25, f"unit:{unit('21484').pk}").status_code
            == 404
        )
        assert (
            export(client, cast.outsider, report, r25, f"group:{ba_to_group.pk}").status_code == 404
        )
        # (the province's own totals are published to the officer: indicators.visibility)
        assert (
            export(client, cast.officer, report, r25, f"unit:{unit('21220').pk}").status_code == 404
        )
    assert export(client, cast.outsider, "results", r25, "nonsense").status_code == 404
    assert export(client, cast.leader, "no_such_report", r25).status_code == 404
    assert export(client, cast.leader, "households_shown", r25).status_code == 404
    client.logout()
    response = client.post(reverse("export_create"), {"report": "results", "round": r25.pk})
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_export_page_offers_only_the_users_areas(client, cast, review):
    client.force_login(cast.outsider)
    page = client.get(reverse("export_index"), {"round": review.r25.pk}).content.decode()
    assert "Xã Sơn Tịnh" in page and "Xã Ba Tơ" not in page and "Huyện Ba Tơ (cũ)" not in page
    client.force_login(cast.leader)
    page = client.get(reverse("export_index"), {"round": review.r24.pk}).content.decode()
    assert "Huyện Ba Tơ" in page and "Thị trấn Ba Tơ" in page
    for key in ("results", "changes_near_poor", "list_poor", "projects", "targets"):
        assert f'value="{key}"' in page
    assert 'value="households_shown"' not in page
    assert reverse("export_index") in client.get(reverse("home")).content.decode()  # the menu
