"""Browser journey (issue 12 item 8): a provincial leader builds an analysis (indicators, rows,
columns), sees the table and the chart, downloads the same table as xlsx, saves it pinned and
finds it on the home page; district staff build an ethnic-minority breakdown of their group.

With ANALYSIS_SCREENS=<folder> the page is saved there as analysis-desktop.png (1366 wide, full
page) and analysis-phone.png (390 × 844, viewport):
``ANALYSIS_SCREENS=docs/screens pytest tests/e2e/test_analysis.py``."""

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from openpyxl import load_workbook

from demodata.households import demo_households_seed
from households.models import ReviewRound
from indicators.services import indicators_load, rollup_start

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(cast):
    demo_households_seed(households=300)
    indicators_load()
    for round_ in ReviewRound.objects.filter(kind="periodic"):
        rollup_start(round_=round_)  # outside a transaction: runs at once (eager tasks)
    return {r.year: r for r in ReviewRound.objects.filter(kind="periodic")}


def page_rows(page) -> list[tuple[str, list]]:
    """(row label, [cell data-value]) of the page's analysis table."""
    rows = []
    for tr in page.get_by_test_id("analysis-table").locator("tbody tr").all():
        label = tr.locator("th").inner_text().strip()
        values = [
            Decimal(v) if v else None
            for v in tr.locator("td").evaluate_all("tds => tds.map(td => td.dataset.value)")
        ]
        rows.append((label, values))
    return rows


def xlsx_rows(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content)).active
    numbering = next(r[0].row for r in ws.iter_rows() if r[0].value == "A")
    rows = []
    for row in ws.iter_rows(min_row=numbering + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def test_leader_builds_an_analysis_downloads_and_pins_it(cast, page, login, live_server, demo):
    from playwright.sync_api import expect

    screens = os.environ.get("ANALYSIS_SCREENS")
    try:
        login("leader")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("link", name="Phân tích", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Phân tích số liệu")
        form = page.get_by_test_id("analysis-form")
        form.locator("#id_indicators").select_option(["poor_rate", "near_poor_rate"])
        form.locator("#id_rounds").select_option(
            [str(demo[2025].pk), str(demo[2026].pk)]
        )  # the new tree's rounds
        form.locator("#id_rows").select_option("group:former_district")
        form.locator("#id_columns").select_option("rounds")
        form.get_by_test_id("analysis-submit").click()
        page.wait_for_url(re.compile(r"rows=group%3Aformer_district"))

        table = page.get_by_test_id("analysis-table")
        expect(table).to_contain_text("Tỷ lệ hộ nghèo")
        expect(table).to_contain_text("Huyện Ba Tơ (cũ)")
        shown = page_rows(page)
        assert shown[0][0] == "Tỉnh Quảng Ngãi" and len(shown) > 5
        assert all(len(values) == 4 for _label, values in shown)  # 2 indicators × 2 rounds
        assert any(v is not None for _label, values in shown for v in values)
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-analysis')")
        assert (
            page.evaluate("Chart.getChart('chart-analysis').data.labels.length") == len(shown) - 1
        )
        expect(page.get_by_test_id("analysis-chart")).to_be_visible()
        if screens:
            page.screenshot(path=str(Path(screens) / "analysis-desktop.png"), full_page=True)

        with page.expect_download() as info:
            page.get_by_test_id("analysis-xlsx").click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        rows = xlsx_rows(Path(download.path()).read_bytes())
        assert len(rows) == len(shown)
        for (label, values), row in zip(shown, rows, strict=True):
            assert row[1] == label
            assert [None if v is None else Decimal(str(v)) for v in row[2:]] == values

        save = page.get_by_test_id("analysis-save")
        save.locator("input[name=name]").fill("Hộ nghèo theo huyện cũ")
        save.locator("input[name=pinned]").check()
        save.get_by_role("button", name="Lưu").click()
        expect(page.get_by_test_id("saved-analyses")).to_contain_text("Hộ nghèo theo huyện cũ")
        page.goto(live_server.url + "/")
        pinned = page.get_by_test_id("pinned-analyses")
        pinned.get_by_role("link", name="Hộ nghèo theo huyện cũ").click()
        expect(page.get_by_test_id("analysis-table")).to_contain_text("Huyện Ba Tơ (cũ)")
        assert page_rows(page) == shown

        if screens:
            page.set_viewport_size({"width": 390, "height": 844})
            page.reload()
            page.wait_for_load_state("networkidle")
            page.get_by_test_id("freshness").evaluate(
                "el => el.scrollIntoView({behavior: 'instant', block: 'start'})"
            )
            page.screenshot(path=str(Path(screens) / "analysis-phone.png"))
    finally:
        connections.close_all()  # the body reads the database while the browser runs


def test_district_staff_split_their_group_by_ethnicity(cast, page, login, live_server, demo):
    from playwright.sync_api import expect

    try:
        login("district")
        page.goto(f"{live_server.url}/phan-tich/")
        form = page.get_by_test_id("analysis-form")
        form.locator("#id_indicators").select_option(["poor_rate"])
        form.locator("#id_rounds").select_option([str(demo[2026].pk)])
        form.locator("#id_columns").select_option("ethnic")
        form.get_by_test_id("analysis-submit").click()
        table = page.get_by_test_id("analysis-table")
        expect(table).to_contain_text("Dân tộc thiểu số")
        expect(table.locator("tbody tr").first).to_contain_text("Huyện Ba Tơ (cũ)")
        expect(table).not_to_contain_text("Sơn Tịnh")
        # two rounds with a breakdown: the form says why, nothing else is shown
        form = page.get_by_test_id("analysis-form")
        form.locator("#id_rounds").select_option([str(demo[2025].pk), str(demo[2026].pk)])
        form.get_by_test_id("analysis-submit").click()
        expect(page.get_by_test_id("error-rounds")).to_contain_text("chọn đúng một đợt")
        expect(page.get_by_test_id("analysis-table")).to_have_count(0)
    finally:
        connections.close_all()
