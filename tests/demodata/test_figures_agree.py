"""Every figure agrees: on the demo data, for every periodic round and a sample of units and
groups, each page and export that shows a count of households or persons shows the same number,
and it equals an independent count from the raw rows (``tests/indicators/independent.py``, plain
Python over Survey and Exclusion rows; it shares nothing with ``households.counting``).

Places compared: the dashboard's headline cards, the household list's totals (stored and
counted), the round progress page, the analysis page's total row (stored values, and the
urban/rural and ethnic splits of the stored commune totals), and the results, changes
(households and persons), deprivation, beneficiaries, ethnicity, causes and targets exports.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from areas.models import Unit, UnitGroup
from households.models import CommuneSubmission, Exclusion, Survey
from indicators.models import IndicatorValue
from indicators.selectors import Owner
from indicators.services import (
    indicators_load,
    partition,
    rollup_merge,
    rollup_part,
    rollup_start,
)
from indicators.targets import targets_seed
from reports.exports.common import area_communes
from tests.demodata.conftest import rounds
from tests.indicators.independent import expected_values
from tests.reports.conftest import data_rows, open_xlsx

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024, 2025, 2026)
DEMO_COMMUNE = "21484"  # Ba Tơ, the demo officer's commune, on both trees
BREAKDOWNS = ("beneficiaries", "ethnicity", "causes")


@pytest.fixture(scope="module")
def rolled(demo, django_db_blocker):
    """The demo with its catalog, targets and a full rollup of every round, its parts and merge
    called in turn (inside the module's transaction nothing is committed, so the queued tasks
    would never start)."""
    with django_db_blocker.unblock():
        indicators_load()
        targets_seed()
        for round_ in rounds().values():
            run = rollup_start(round_=round_)
            for commune_ids in partition(round_):
                rollup_part(run=run, commune_ids=commune_ids)
            rollup_merge(run=run)
    return demo


def owners(round_) -> list[tuple[str, Owner]]:
    """The province, the demo commune, the district or former-district group holding it, and
    the mountainous group, as they are on the round's date."""
    day = round_.reference_date
    units = Unit.objects.valid_on(day)
    commune = units.get(code=DEMO_COMMUNE)
    out = [
        ("province", Owner(unit=units.get(level="province", code="51"))),
        ("commune", Owner(unit=commune)),
        ("mountainous", Owner(group=UnitGroup.objects.get(kind="mountainous"))),
    ]
    if commune.parent.level == "district":
        out.append(("district", Owner(unit=commune.parent)))
    else:
        group = UnitGroup.objects.filter(kind="former_district", members=commune).first()
        out.append(("former district", Owner(group=group)))
    return out


def number(text: str) -> Decimal:
    """A figure as a Vietnamese page prints it (1.234 or 12,34)."""
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def kpis(html: str) -> dict[str, Decimal]:
    found = re.findall(r'data-testid="kpi-([a-z_]+)">([0-9.,]+)', html)
    return {code: number(value) for code, value in found}


def persons_balance(round_, communes, cls: str) -> tuple[int, int]:
    """(persons on the list in ``cls`` at the start, at the end), counted from the raw rows."""
    start = end = 0
    for s in Survey.objects.filter(round=round_, commune_id__in=communes):
        if s.arrival == "" and s.previous_class == cls:
            start += s.member_count
        if (s.previous_class if s.status == "pending" else s.poverty_class) == cls:
            end += s.member_count
    for e in Exclusion.objects.filter(round=round_, commune_id__in=communes):
        if e.previous_class == cls:
            start += e.member_count
    return start, end


def export(client, report, round_, owner: Owner):
    area = f"unit:{owner.unit.pk}" if owner.unit else f"group:{owner.group.pk}"
    response = client.post(
        reverse("export_create"), {"report": report, "round": round_.pk, "area": area}
    )
    assert response.status_code == 200, (report, response.status_code)
    _first, rows = data_rows(open_xlsx(response.content).active)
    return rows


def as_int(cell) -> int:
    return int(Decimal(str(cell or 0)))


@pytest.mark.parametrize("year", YEARS)
def test_every_page_and_export_shows_the_independent_count(client, rolled, year):
    round_ = rounds()[year]
    leader = get_user_model().objects.get(username="lanhdao.tinh")
    client.force_login(leader)
    progress = client.get(reverse("round_detail", args=[round_.pk]))
    assert progress.status_code == 200
    progress_rows = {row["commune"].pk: row for row in progress.context["rows"]}
    checked = 0
    for label, owner in owners(round_):
        communes = set(area_communes(round_, owner).values_list("pk", flat=True))
        want = expected_values(round_, communes)
        where = f"{year} {label}"
        assert want["households"] > 0, where

        # the dashboard's headline cards
        query = f"round={round_.pk}&{owner.query}"
        page = client.get(f"{reverse('dashboard')}?{query}")
        assert page.status_code == 200, where
        cards = kpis(page.content.decode())
        assert cards
        for code in ("households", "poor_households", "near_poor_households", "persons",
                     "poor_persons"):  # fmt: skip
            assert cards[code] == want[code], (where, code)

        # the round progress page, its communes in the area added up
        rows = [progress_rows[c] for c in communes if c in progress_rows]
        assert sum(r["total"] for r in rows) == want["households"], where
        assert sum(r["poor"] for r in rows) == want["poor_households"], where
        assert sum(r["near_poor"] for r in rows) == want["near_poor_households"], where
        assert sum(r["persons"] for r in rows) == want["persons"], where

        # the household list: one commune, or the whole province (the leader's scope)
        if label in ("commune", "province"):
            params = {"round": round_.pk}
            if label == "commune":
                params["commune"] = owner.unit.pk
            stored = client.get(reverse("household_list"), params).context["totals"]
            counted = client.get(reverse("household_list_totals"), params).context["totals"]
            for totals in (stored, counted):
                assert totals is not None, where
                assert totals.entries == want["households"], where
                assert totals.poor == want["poor_households"], where
                assert totals.near_poor == want["near_poor_households"], where
                assert totals.persons == want["persons"], where

        # the exports: the first row is the area's total
        total = export(client, "results", round_, owner)[0]
        assert [as_int(total[i]) for i in (2, 3, 4, 6, 8)] == [
            want["households"], want["persons"], want["poor_households"],
            want["poor_persons"], want["near_poor_households"],
        ], where  # fmt: skip
        for cls, key in (("poor", "poor"), ("near_poor", "near_poor")):
            households_row, persons_row = export(client, f"changes_{cls}", round_, owner)[:2]
            assert as_int(households_row[3]) == want[f"{key}_start"], (where, cls)
            assert as_int(households_row[-1]) == want[f"{key}_households"], (where, cls)
            start, end = persons_balance(round_, communes, cls)
            assert (as_int(persons_row[3]), as_int(persons_row[-1])) == (start, end), (where, cls)
            deprivation = export(client, f"deprivation_{cls}", round_, owner)[0]
            assert as_int(deprivation[2]) == want[f"{key}_households"], (where, cls)
        for report in BREAKDOWNS:
            row = export(client, report, round_, owner)[0]
            near_column = 2 + (len(row) - 2) // 2
            assert as_int(row[2]) == want["poor_households"], (where, report)
            assert as_int(row[near_column]) == want["near_poor_households"], (where, report)
        # the analysis page: its total row (stored values; the urban / rural split adds up the
        # stored commune totals)
        area = f"unit:{owner.unit.pk}" if owner.unit else f"group:{owner.group.pk}"
        codes = ["households", "persons", "poor_households", "near_poor_households",
                 "poor_persons"]  # fmt: skip
        for columns in ("rounds", "urban", "ethnic"):
            shown = codes if columns != "ethnic" else codes[2:4]
            params = {"indicators": shown, "rounds": [round_.pk], "area": area,
                      "rows": "commune", "columns": columns}  # fmt: skip
            table = client.get(reverse("analysis"), params).context["table"]
            assert table is not None and table.lines[0].is_total, (where, columns)
            total = {
                column.indicator.code: cell.value
                for column, cell in zip(table.columns, table.lines[0].cells, strict=True)
                if column.key in (round_.pk, "all")
            }
            assert total == {code: want[code] for code in shown}, (where, columns)
        checked += 1
    assert checked == 4


@pytest.mark.parametrize("year", YEARS)
def test_targets_export_lists_what_the_dashboard_shows(client, rolled, year):
    round_ = rounds()[year]
    for username in ("lanhdao.tinh", "canbo.huyen", "canbo.xa"):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get(reverse("dashboard"), {"round": round_.pk})
        assert page.status_code == 200
        owner = page.context["owner"]
        html = page.content.decode()
        shown = re.findall(r'data-testid="target-relation">([^<]+)<', html)
        rows = export(client, "targets", round_, owner) if shown else []
        exported = [r for r in rows if isinstance(r[0], int)]
        assert len(exported) == len(shown), (username, year)
        for row in exported:
            # each row names its area, and its actual is the stored value of that area
            target_area = row[2]
            assert target_area and target_area in html, (username, year, target_area)
            if row[7] is not None:
                value = IndicatorValue.objects.filter(round=round_, value=row[7]).exists()
                assert value, (username, year, row)


def test_closed_rounds_have_every_commune_accepted(rolled):
    for year in (2023, 2024, 2025):
        round_ = rounds()[year]
        with_entries = set(Survey.objects.filter(round=round_).values_list("commune_id", flat=True))
        accepted = set(
            CommuneSubmission.objects.filter(round=round_, status="accepted").values_list(
                "commune_id", flat=True
            )
        )
        assert with_entries and with_entries == accepted, year
        assert not IndicatorValue.objects.filter(round=round_, provisional=True).exists()


@pytest.mark.parametrize(
    ("language", "low", "high"), [("vi", "1,58", "1,60"), ("en", "1.58", "1.60")]
)
def test_chart_legends_use_the_language_number_format(client, rolled, language, low, high):
    """The 2024 province target band (1.58–1.60 points) as the legend prints it."""
    from django.utils import translation

    round_ = rounds()[2024]
    client.force_login(get_user_model().objects.get(username="lanhdao.tinh"))
    with translation.override(language):
        client.cookies["django_language"] = language
        response = client.get(reverse("dashboard_charts"), {"round": round_.pk})
    assert response.status_code == 200
    bands = response.json()["breakdown"]["bands"]
    assert [low, high] in [[b["low_text"], b["high_text"]] for b in bands], bands
