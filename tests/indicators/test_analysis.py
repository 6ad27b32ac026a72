"""The analysis page (issue 12 item 8): its tables against independent counts from the raw rows,
who may see which rows, the form's errors, the xlsx, and saved analyses (private, pinned on the
home page).

Data: ``two_rounds`` (2025 closed, 2026 open; new tree; Xã Ba Tơ and Xã Ba Vinh of former Ba Tơ
district, Xã Sơn Tịnh of former Sơn Tịnh district), rolled up.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas.models import UnitGroup
from households.models import Survey
from indicators import services
from indicators.models import CommuneTotals, IndicatorValue, SavedAnalysis
from tests.conftest import unit
from tests.indicators.independent import expected_values, pct
from tests.reports.conftest import media_root, review  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(two_rounds, django_capture_on_commit_callbacks):
    for round_ in two_rounds:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.rollup_start(round_=round_)
        run.refresh_from_db()
        assert run.status == "done", run.error
    return two_rounds


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("analysis"), params)


def cells(table) -> dict[str, list]:
    """{row label: [cell values]} of a table."""
    return {line.label: [c.value for c in line.cells] for line in table.lines}


def group(code: str) -> UnitGroup:
    return UnitGroup.objects.get(code=code)


def communes_of(g: UnitGroup, round_) -> set[int]:
    paths = tuple(g.members.values_list("path", flat=True))
    return {
        c.pk
        for c in unit("51").descendants().filter(level="commune")
        if c.path.startswith(paths) and c.is_valid_on(round_.reference_date)
    }


# --- the tables ---------------------------------------------------------------------------------


def test_round_columns_are_the_stored_values_and_match_the_raw_rows(client, cast, rounds):
    r25, r26 = rounds
    response = get(
        client, cast.leader, indicators=["poor_rate", "poor_households"],
        rows="group:former_district", columns="rounds", rounds=[r25.pk, r26.pk],
    )  # fmt: skip
    assert response.status_code == 200
    table = response.context["table"]
    assert [c.label for c in table.columns] == ["2026", "2025", "2026", "2025"]
    assert table.lines[0].label == "Tỉnh Quảng Ngãi" and table.lines[0].is_total
    by_label = cells(table)
    for code in ("huyen-cu-535", "huyen-cu-527"):
        g = group(code)
        ids = communes_of(g, r26)
        e26, e25 = expected_values(r26, ids), expected_values(r25, ids)
        assert by_label[g.name] == [  # catalog order: households before the rate
            e26["poor_households"], e25["poor_households"], e26["poor_rate"], e25["poor_rate"]
        ]  # fmt: skip
    province = unit("51")
    stored = IndicatorValue.objects.get(round=r26, unit=province, indicator__code="poor_rate")
    assert by_label["Tỉnh Quảng Ngãi"][2] == stored.value
    # 2026 is open with communes not accepted: provisional, marked on the page
    assert table.lines[1].cells[0].provisional and not table.lines[1].cells[1].provisional
    assert "<sup>*</sup>" in response.content.decode()
    assert response.context["chart"]["labels"] == [line.label for line in table.lines[1:]]
    assert [s["label"] for s in response.context["chart"]["series"]] == ["2025", "2026"]


def _independent_ethnic(round_, commune_ids) -> dict[str, dict[str, Decimal | None]]:
    """Poor rate and households of ethnic-minority and other households, from Survey rows."""
    counts = {True: [0, 0], False: [0, 0]}
    for s in Survey.objects.filter(round=round_, commune_id__in=commune_ids):
        cls = s.previous_class if s.status == "pending" else s.poverty_class
        counts[s.is_ethnic_minority][0] += 1
        counts[s.is_ethnic_minority][1] += cls == "poor"
    return {
        part: {"households": Decimal(n), "poor_rate": pct(poor, n)}
        for part, (n, poor) in (("em", counts[True]), ("other", counts[False]))
    }


def test_ethnic_breakdown_sums_the_stored_commune_totals(client, cast, rounds):
    _r25, r26 = rounds
    response = get(
        client, cast.leader, indicators=["households", "poor_rate"], rows="commune",
        columns="ethnic", rounds=[r26.pk],
    )  # fmt: skip
    table = response.context["table"]
    assert [c.label for c in table.columns][:3] == ["Dân tộc thiểu số", "Không phải DTTS", "Tổng"]
    by_label = cells(table)
    em_seen = False
    for code in ("21484", "21490", "21220"):
        commune = unit(code)
        expected = _independent_ethnic(r26, {commune.pk})
        row = by_label[commune.label]
        assert row[0:2] == [expected["em"]["households"], expected["other"]["households"]]
        assert row[3:5] == [expected["em"]["poor_rate"], expected["other"]["poor_rate"]]
        stored = IndicatorValue.objects.get(round=r26, unit=commune, indicator__code="poor_rate")
        assert row[5] == stored.value  # the total column is the stored figure
        em_seen = em_seen or expected["em"]["households"] > 0
    assert em_seen
    total = _independent_ethnic(r26, {unit(c).pk for c in ("21484", "21490", "21220")})
    assert by_label["Tỉnh Quảng Ngãi"][3] == total["em"]["poor_rate"]


@pytest.mark.parametrize("columns,flag", [("urban", "is_urban"), ("mountainous", "is_mountainous")])
def test_area_type_breakdown_matches_the_raw_rows(client, cast, rounds, columns, flag):
    _r25, r26 = rounds
    response = get(
        client, cast.leader, indicators=["poor_rate", "poor_rate_reduction", "persons"],
        rows="group:former_district", columns=columns, rounds=[r26.pk],
    )  # fmt: skip
    table = response.context["table"]
    communes = [unit(c) for c in ("21484", "21490", "21220")]
    yes = {c.pk for c in communes if getattr(c, flag)}
    no = {c.pk for c in communes if not getattr(c, flag)}
    row = cells(table)["Tỉnh Quảng Ngãi"]  # the province: all communes with data

    def value(ids, code):
        return expected_values(r26, ids)[code] if ids else None

    assert row == [  # catalog order
        value(yes, "persons"), value(no, "persons"), value(yes | no, "persons"),
        value(yes, "poor_rate"), value(no, "poor_rate"), value(yes | no, "poor_rate"),
        value(yes, "poor_rate_reduction"), value(no, "poor_rate_reduction"),
        value(yes | no, "poor_rate_reduction"),
    ]  # fmt: skip
    assert CommuneTotals.objects.filter(round=r26).count() == 3


def test_the_page_reads_stored_values_only(client, cast, rounds, django_assert_max_num_queries):
    """A handful of queries, none over households (the same count at any size)."""
    _r25, r26 = rounds
    client.force_login(cast.leader)
    params = {"indicators": ["poor_rate"], "rows": "commune", "columns": "urban",
              "rounds": [r26.pk]}  # fmt: skip
    client.get(reverse("analysis"), params)
    with django_assert_max_num_queries(30) as captured:
        client.get(reverse("analysis"), params)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "households_survey" not in sql and "households_household" not in sql


# --- who sees what ------------------------------------------------------------------------------


def test_officers_are_refused_and_have_no_menu_entry(client, cast, rounds):
    assert get(client, cast.officer).status_code == 403
    client.force_login(cast.officer)
    assert reverse("analysis") not in client.get(reverse("home")).content.decode()
    client.force_login(cast.district)
    assert reverse("analysis") in client.get(reverse("home")).content.decode()


def test_district_staff_get_their_own_rows_only(client, cast, rounds):
    _r25, r26 = rounds
    base = {"indicators": ["poor_rate"], "columns": "rounds", "rounds": [r26.pk]}
    # by default: their group, its communes
    table = get(client, cast.district, **base).context["table"]
    assert table.owner.group == group("huyen-cu-535")
    labels = {line.label for line in table.lines[1:]}
    assert {"Xã Ba Tơ", "Xã Ba Vinh"} <= labels and "Xã Sơn Tịnh" not in labels
    # another district's group: none of its communes are theirs
    response = get(client, cast.district, area=f"group:{group('huyen-cu-527').pk}", **base)
    assert response.status_code == 404
    # another district's commune
    response = get(client, cast.district, area=f"unit:{unit('21220').pk}", **base)
    assert response.status_code == 404
    # the province (published totals): its communes, but only theirs
    response = get(client, cast.district, area=f"unit:{unit('51').pk}", rows="commune", **base)
    table = response.context["table"]
    labels = [line.label for line in table.lines[1:]]
    assert "Xã Sơn Tịnh" not in labels and "Xã Ba Tơ" in labels
    assert table.hidden > 0 and "trong phạm vi của bạn" in response.content.decode()
    # groups as rows: only the groups they see whole
    response = get(client, cast.district, area=f"unit:{unit('51').pk}",
                   rows="group:former_district", **base)  # fmt: skip
    assert [line.label for line in response.context["table"].lines[1:]] == ["Huyện Ba Tơ (cũ)"]
    response = get(client, cast.district, area=f"unit:{unit('51').pk}",
                   rows="group:mountainous", **base)  # fmt: skip
    assert len(response.context["table"].lines) == 1  # the mountain group is refused


def test_a_partly_visible_group_is_refused(client, cast, rounds):
    _r25, r26 = rounds
    mountain = group("mien-nui")
    response = get(
        client, cast.district, indicators=["poor_rate"], columns="rounds", rounds=[r26.pk],
        area=f"group:{mountain.pk}",
    )  # fmt: skip
    assert response.status_code == 200
    table = response.context["table"]
    assert table.owner.group == group("huyen-cu-535")  # their default area instead
    assert "chỉ dành cho người xem được mọi xã trong nhóm" in response.content.decode()
    assert mountain.name not in [line.label for line in table.lines]


# --- the form -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params,message",
    [
        ({"rows": "commune"}, "Chọn ít nhất một chỉ tiêu."),
        ({"indicators": ["nope"]}, "không có trong danh mục"),
        ({"indicators": ["poor_rate"], "rounds": ["abc"]}, "không có hoặc không phải đợt định kỳ"),
        ({"indicators": ["poor_rate"], "area": "x:1"}, "Địa bàn không hợp lệ."),
        ({"indicators": ["poor_rate"], "rows": "street"}, "Cách chia hàng không hợp lệ."),
        ({"indicators": ["poor_rate"], "columns": "ethnic", "rounds": "both"},
         "chọn đúng một đợt"),
        ({"indicators": ["near_poor_rate_reduction"], "columns": "ethnic"},
         "Không có số liệu lưu sẵn để chia"),
        ({"indicators": ["projects_approved"], "columns": "urban"},
         "Không có số liệu lưu sẵn để chia"),
    ],
)  # fmt: skip
def test_bad_values_re_render_with_a_message(client, cast, rounds, params, message):
    r25, r26 = rounds
    params = {"rounds": [r26.pk], **params}
    if params["rounds"] == "both":
        params["rounds"] = [r25.pk, r26.pk]
    response = get(client, cast.leader, **params)
    assert response.status_code == 200
    assert response.context["table"] is None
    assert message in response.content.decode()


def test_an_unknown_area_id_is_a_404(client, cast, rounds):
    _r25, r26 = rounds
    response = get(client, cast.leader, indicators=["poor_rate"], rounds=[r26.pk],
                   area="unit:999999")  # fmt: skip
    assert response.status_code == 404


# --- the xlsx -----------------------------------------------------------------------------------


def page_table(html: str) -> list[tuple[str, list]]:
    """(row label, [data-value of each cell]) of the page's table."""
    body = html.split('data-testid="analysis-table"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*data-line[^>]*>(.*?)</tr>", body, flags=re.S):
        label = re.search(r"<th[^>]*>(.*?)</th>", row, flags=re.S)[1].strip()
        values = re.findall(r'data-value="([^"]*)"', row)
        rows.append((label, [Decimal(v) if v else None for v in values]))
    return rows


def test_the_xlsx_is_the_table_on_the_page(client, cast, rounds):
    r25, r26 = rounds
    params = {"indicators": ["poor_rate", "households"], "rows": "commune",
              "columns": "rounds", "rounds": [r25.pk, r26.pk]}  # fmt: skip
    page = get(client, cast.leader, **params)
    shown = page_table(page.content.decode())
    assert len(shown) == 1 + 96  # the province, then its communes
    response = client.get(reverse("analysis_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    ws = load_workbook(io.BytesIO(response.content)).active
    texts = [c.value for row in ws.iter_rows(max_row=12) for c in row if c.value]
    assert "PHÂN TÍCH CHỈ TIÊU GIẢM NGHÈO" in texts
    assert "Địa bàn: Tỉnh Quảng Ngãi" in texts
    assert "Đợt rà soát định kỳ: 2026, 2025" in texts
    assert "2026 (*)" in texts and "2025" in texts  # the provisional round is marked
    numbering = next(r[0].row for r in ws.iter_rows() if r[0].value == "A")
    rows = []
    for row in ws.iter_rows(min_row=numbering + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    assert len(rows) == len(shown)
    for (label, values), row in zip(shown, rows, strict=True):
        assert row[1] == label
        assert [None if v is None else Decimal(str(v)) for v in row[2:]] == values
    notes = [c.value for r in ws.iter_rows(min_row=numbering + len(rows)) for c in r if c.value]
    assert any("Số liệu tạm thời" in str(n) for n in notes)


def test_an_xlsx_with_bad_values_goes_back_to_the_page(client, cast, rounds):
    client.force_login(cast.leader)
    response = client.get(reverse("analysis_xlsx"), {"rows": "commune"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("analysis"))


# --- saved analyses -----------------------------------------------------------------------------


def test_saving_pinning_and_the_home_page(client, cast, rounds):
    _r25, r26 = rounds
    client.force_login(cast.district)
    query = f"indicators=poor_rate&rows=commune&columns=rounds&rounds={r26.pk}"
    response = client.post(reverse("analysis_save"), {"name": "", "query": query})
    assert response.status_code == 200 and "Đặt tên cho phân tích." in response.content.decode()
    assert not SavedAnalysis.objects.exists()  # nothing half-saved
    response = client.post(
        reverse("analysis_save"), {"name": "Xã nghèo Ba Tơ", "query": query, "pinned": "on"}
    )
    assert response.status_code == 302
    saved = SavedAnalysis.objects.get()
    assert saved.user == cast.district and saved.pinned
    assert response["Location"] == f"{reverse('analysis')}?{saved.query}"
    home = client.get(reverse("home")).content.decode()
    assert "Phân tích đã ghim" in home and "Xã nghèo Ba Tơ" in home
    client.post(reverse("analysis_saved_pin", args=[saved.pk]), {"pinned": "0"})
    saved.refresh_from_db()
    assert not saved.pinned
    assert "Phân tích đã ghim" not in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("analysis_saved_edit", args=[saved.pk]), {"name": "Ba Tơ", "pinned": "on"}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.pinned) == ("Ba Tơ", True)
    client.post(reverse("analysis_saved_delete", args=[saved.pk]))
    assert not SavedAnalysis.objects.exists()


def test_a_tampered_query_is_not_saved(client, cast, rounds):
    client.force_login(cast.leader)
    response = client.post(reverse("analysis_save"), {"name": "X", "query": "rows=street"})
    assert response.status_code == 200 and "Phân tích không hợp lệ" in response.content.decode()
    assert not SavedAnalysis.objects.exists()


def test_another_users_saved_analysis_is_a_404(client, cast, rounds):
    saved = services.saved_analysis_create(by=cast.district, name="Của tôi", query="rows=commune")
    client.force_login(cast.leader)
    for name in ("analysis_saved_edit", "analysis_saved_pin", "analysis_saved_delete"):
        assert client.post(reverse(name, args=[saved.pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("analysis_saved_edit", args=[saved.pk])).status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Của tôi"
    assert "Của tôi" not in client.get(reverse("analysis")).content.decode()


# --- across the 2025 reform ---------------------------------------------------------------------


def test_rounds_across_the_reform_compare_former_districts_not_communes(client, cast, review):  # noqa: F811
    """2024 (old tree) beside 2025 (new tree): former-district groups span both trees; the
    province's total row follows province 51; communes are refused with a message."""
    r24, r25 = review.r24, review.r25
    params = {"indicators": ["poor_households"], "columns": "rounds", "rounds": [r24.pk, r25.pk]}
    response = get(client, cast.leader, rows="group:former_district", **params)
    table = response.context["table"]
    by_label = cells(table)
    ba_to = group("huyen-cu-535")
    assert by_label[ba_to.name] == [
        expected_values(r25, communes_of(ba_to, r25))["poor_households"],
        IndicatorValue.objects.get(round=r24, group=ba_to, indicator__code="poor_households").value,
    ]
    old_province = unit("51", r24.reference_date)
    assert by_label["Tỉnh Quảng Ngãi"][1] == (
        IndicatorValue.objects.get(
            round=r24, unit=old_province, indicator__code="poor_households"
        ).value
    )
    response = get(client, cast.leader, rows="commune", **params)
    assert response.context["table"] is None
    assert "dùng địa giới khác nhau" in response.content.decode()


def test_district_rows_after_the_reform_say_why_there_are_none(client, cast, rounds):
    _r25, r26 = rounds
    response = get(client, cast.leader, indicators=["poor_rate"], rows="district",
                   rounds=[r26.pk])  # fmt: skip
    table = response.context["table"]
    assert len(table.lines) == 1 and table.lines[0].is_total
    assert "không còn cấp huyện" in response.content.decode()
