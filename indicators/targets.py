"""The targets the portal ships with: the province's 2024 plan (Kế hoạch 04/KH-UBND) and, for
2025–2026, the national program's yearly targets (Decision 90/QĐ-TTg). Administrators edit them
in the admin; ``targets_seed`` only creates the rows that are missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from areas.models import Unit, UnitGroup

from .models import Indicator, Target

PLAN_2024 = "Kế hoạch 04/KH-UBND ngày 18/01/2024 của UBND tỉnh Quảng Ngãi"
DECISION_90 = "Quyết định 90/QĐ-TTg (mục tiêu hằng năm của Chương trình, giai đoạn 2021–2025)"
PROGRAM_2026 = "Mục tiêu giảm nghèo hằng năm giai đoạn 2026–2030 (tạm áp dụng, chờ văn bản tỉnh)"


@dataclass(frozen=True)
class Seed:
    indicator: str
    year: int
    kind: str
    low: str | None
    high: str | None
    source: str
    unit: str = "51"  # province code, looked up at the year's review date
    group: str = ""


SEEDS = (
    # "Phấn đấu giảm tỷ lệ hộ nghèo toàn tỉnh 1,58 - 1,60%, riêng ... huyện miền núi giảm 6 - 7%"
    Seed("poor_rate_reduction", 2024, "range", "1.58", "1.60", PLAN_2024),
    Seed("poor_rate_reduction", 2024, "range", "6", "7", PLAN_2024, group="mien-nui"),
    # "Hỗ trợ xây dựng, nhân rộng trên 20 mô hình giảm nghèo, ... trên 200 dự án"
    Seed("models_built", 2024, "at_least", "21", None, PLAN_2024),
    Seed("projects_approved", 2024, "at_least", "201", None, PLAN_2024),
    # "80% người có khả năng lao động ... được hỗ trợ nâng cao năng lực sản xuất"
    Seed("workers_supported_share", 2024, "at_least", "80", None, PLAN_2024),
    # "100% cán bộ làm công tác giảm nghèo được bồi dưỡng, tập huấn"
    Seed("staff_trained_share", 2024, "at_least", "100", None, PLAN_2024),
    # National targets: poor rate down 1–1.5 points a year, ethnic-minority poor rate down more
    # than 3 points, poor districts down 4–5 points.
    Seed("poor_rate_reduction", 2025, "range", "1.0", "1.5", DECISION_90),
    Seed("poor_rate_reduction", 2025, "range", "4", "5", DECISION_90, group="mien-nui"),
    Seed("em_poor_rate_reduction", 2025, "at_least", "3", None, DECISION_90),
    Seed("poor_rate_reduction", 2026, "range", "1.0", "1.5", PROGRAM_2026),
    Seed("poor_rate_reduction", 2026, "range", "4", "5", PROGRAM_2026, group="mien-nui"),
    Seed("em_poor_rate_reduction", 2026, "at_least", "3", None, PROGRAM_2026),
)


def targets_seed() -> int:
    """Create the shipped targets that do not exist yet (never overwrites an edited target)."""
    created = 0
    indicators = {i.code: i for i in Indicator.objects.all()}
    for seed in SEEDS:
        if seed.indicator not in indicators:
            continue
        owner = (
            {"group": UnitGroup.objects.get(code=seed.group)}
            if seed.group
            else {"unit": Unit.objects.valid_on(dt.date(seed.year, 9, 1)).get(code=seed.unit)}
        )
        _, made = Target.objects.get_or_create(
            indicator=indicators[seed.indicator],
            year=seed.year,
            **owner,
            defaults={
                "kind": seed.kind,
                "low": Decimal(seed.low) if seed.low else None,
                "high": Decimal(seed.high) if seed.high else None,
                "source": seed.source,
            },
        )
        created += made
    return created
