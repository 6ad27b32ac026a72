"""Demo communication activities (project 6) for ``seed_demo``, through the communication
services, and information support to some poor households through the support services.

- 2024 (the old tree): activities of the former Ba Tơ district (by its district staff) and of
  the former Thị trấn Ba Tơ (21484, by its officer), and the province's broadcasts;
- 2025 and 2026 (the new tree): three to five activities a year in each demo commune
  (``projects._communes``), by its officer (canbo.xa for Xã Ba Tơ, the administrator for the
  others; district staff for some of their group's communes), and the province's broadcasts;
- information support (a TV, a radio, a phone, internet) to about a quarter of the poor and
  near-poor households of the latest periodic round in the first demo communes.

Idempotent: nothing is added when an activity exists."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from areas.models import Unit
from communication import services
from communication.models import Activity, ActivityKind
from households.models import Household, ReviewRound, Survey
from support import services as support_services
from support.models import SupportKind
from support.rules import HELPED_CLASSES

from .projects import _actors, _communes, _who

# kind code -> (title, audience groups, reach range, materials range, materials note, cost)
PLAN = {
    "conference": ("Hội nghị đối thoại chính sách giảm nghèo với người dân", ("poor", "ethnic"),
                   (60, 150), (0, 100), "Tài liệu hội nghị", 8_000_000),
    "training": ("Tập huấn kỹ năng truyền thông giảm nghèo cho cán bộ thôn", ("officials",),
                 (25, 60), (25, 60), "Tài liệu tập huấn", 15_000_000),
    "media": ("Tin, bài về mô hình giảm nghèo của xã", ("public",), (500, 3000), (2, 6),
              "Tin, bài trên trang thông tin điện tử", 2_000_000),
    "broadcast": ("Chuyên mục phát thanh “Chung tay vì người nghèo”", ("public", "ethnic"),
                  (2000, 8000), (4, 12), "Số chương trình phát sóng", 20_000_000),
    "printed": ("Phát tờ rơi, dựng pa-nô tuyên truyền chính sách giảm nghèo", ("poor", "public"),
                (200, 800), (200, 1000), "Tờ rơi, pa-nô", 6_000_000),
    "event": ("Hội thi tìm hiểu chính sách giảm nghèo bền vững", ("public",), (100, 400),
              (0, 0), "", 12_000_000),
    "equipment": ("Lắp đặt cụm loa truyền thanh thôn", ("poor", "ethnic", "public"),
                  (300, 1200), (2, 6), "Cụm loa", 45_000_000),
}  # fmt: skip
COMMUNE_KINDS = ("conference", "training", "media", "printed", "event", "equipment")
INFO_KINDS = ("info-tv", "info-radio", "info-phone", "info-internet")
INFO_SHARE = 0.25


def _one(rng, by, unit, code: str, day: dt.date) -> Activity:
    title, groups, reach, materials, note, cost = PLAN[code]
    return services.activity_create(
        by=by, kind=ActivityKind.objects.get(code=code), held_on=day, unit=unit,
        title=title, audience_groups=groups, reach=rng.randint(*reach),
        materials=rng.randint(*materials), materials_note=note,
        cost=cost if rng.random() < 0.8 else None,
    )  # fmt: skip


def _days(rng, year: int, n: int, first_month: int, today: dt.date) -> list[dt.date]:
    days = []
    for _ in range(n):
        day = dt.date(year, rng.randint(first_month, 12), rng.randint(1, 28))
        days.append(min(day, today))
    return sorted(days)


def _information(rng, users: dict, communes: list[Unit], today: dt.date) -> int:
    round_ = ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()
    if round_ is None:
        return 0
    kinds = {k.code: k for k in SupportKind.objects.filter(code__in=INFO_KINDS, active=True)}
    if not kinds:
        return 0
    ids = list(
        Survey.objects.filter(
            round=round_, effective_class__in=HELPED_CLASSES, commune__in=communes[:4]
        )
        .order_by("household_id")
        .values_list("household_id", flat=True)
    )
    households = Household.objects.select_related("commune").in_bulk(ids)
    first = dt.date(round_.year, 1, 1)
    span = max((today - first).days, 1)
    made = 0
    for household_id in ids:
        if rng.random() > INFO_SHARE:
            continue
        household = households[household_id]
        who = _who(users, household.commune)
        code = rng.choice(sorted(kinds))
        with transaction.atomic():
            support_services.support_record(
                by=who["officer"], household=household, kind=kinds[code], source="central",
                received_on=first + dt.timedelta(days=rng.randrange(0, span)), quantity=1,
                note="Hỗ trợ giảm nghèo về thông tin (Dự án 6)",
            )  # fmt: skip
        made += 1
    return made


def communication_demo_seed(*, seed: int = 2024) -> str:
    if Activity.objects.exists():
        return "Demo communication activities already exist: nothing added."
    users = _actors()
    communes = _communes()
    if users is None or not communes:
        return "No demo accounts or communes: no demo communication activity."
    rng = random.Random(seed)
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        # 2024, the old tree: the former district, the former town of Ba Tơ, the province
        old = dt.date(2024, 12, 31)
        district = Unit.objects.valid_on(old).filter(code="535").first()
        town = Unit.objects.valid_on(old).filter(code="21484").first()
        province_2024 = Unit.objects.valid_on(old).filter(code="51").first()
        for unit, by, kinds in (
            (district, users["canbo.huyen"], ("conference", "training", "equipment")),
            (town, users["canbo.xa"], ("conference", "printed", "media")),
            (province_2024, users["quantri"], ("broadcast", "broadcast")),
        ):
            if unit is None:
                continue
            for code, day in zip(kinds, _days(rng, 2024, len(kinds), 2, today), strict=True):
                _one(rng, by, unit, code, day)
                made += 1
        # 2025 (after the reform) and 2026, the new tree
        province = Unit.objects.valid_on(today).filter(code="51").first()
        for year, first_month in ((2025, 7), (2026, 1)):
            if dt.date(year, first_month, 1) > today:
                continue
            for i, commune in enumerate(communes):
                who = _who(users, commune)
                by = who["reviewer"] if i % 3 == 1 else who["officer"]
                n = rng.randint(3, 5)
                codes = [rng.choice(COMMUNE_KINDS) for _ in range(n)]
                for code, day in zip(codes, _days(rng, year, n, first_month, today), strict=True):
                    _one(rng, by, commune, code, day)
                    made += 1
            if province is not None:
                for day in _days(rng, year, 3, first_month, today):
                    _one(rng, users["quantri"], province, "broadcast", day)
                    made += 1
    informed = _information(rng, users, communes, today)
    return (
        f"Demo communication: {made} activities, {informed} households given information support."
    )
