"""Demo household support for ``seed_demo``: helpers for about 80% of the poor and near-poor
households of the latest periodic round, a few visits, plan items from their survey's needs and
support received for most of the plan, all through the support app's services (the same rules
as the pages). Idempotent: nothing is added when a helper assignment exists.

The demo officer (canbo.xa) records for Xã Ba Tơ (21484); the administrator for the others.
About 2,000 households give ~450 poor or near-poor ones and ~2,000 service calls (seconds)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from households.models import Household, ReviewRound, Survey
from support import services
from support.models import HelperAssignment, SupportKind
from support.rules import HELPED_CLASSES, needs_of

from .common import DEMO_COMMUNE
from .people import KINH_GIVEN, KINH_MIDDLE, KINH_SURNAMES

SHARE_WITH_HELPER = 0.8
ORGANISATIONS = (
    ("Đảng ủy xã", "đảng viên"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", "cán bộ"),
    ("Hội Nông dân xã", "hội viên"),
    ("Hội Liên hiệp Phụ nữ xã", "hội viên"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh xã", "đoàn viên"),
    ("Hội Cựu chiến binh xã", "hội viên"),
)
# need -> (kind, action, responsible, amount or None, quantity or None)
PLAN = {
    "health": ("health-insurance", "Cấp thẻ bảo hiểm y tế cho các thành viên", "Bảo hiểm xã hội",
               None, 3),
    "education": ("tuition", "Miễn học phí, hỗ trợ chi phí học tập cho con", "Trường học",
                  1_500_000, None),
    "production": ("livelihood", "Hỗ trợ giống, vật tư phát triển sản xuất",
                   "Hội Nông dân xã", 8_000_000, None),
    "credit": ("credit", "Vay vốn ưu đãi Ngân hàng Chính sách xã hội", "Tổ tiết kiệm và vay vốn",
               50_000_000, None),
    "housing": ("housing", "Hỗ trợ xây mới, sửa chữa nhà ở", "UBND xã", 40_000_000, 1),
    "other": ("other", "Hỗ trợ khác theo nhu cầu của hộ", "UBND xã", 1_000_000, None),
}  # fmt: skip
SOURCES = {"credit": "credit", "housing": "central", "health-insurance": "central"}


@dataclass
class SupportDemoReport:
    helpers: int = 0
    visits: int = 0
    plan_items: int = 0
    records: int = 0
    note: str = ""

    def summary(self) -> str:
        if self.note:
            return f"Support: {self.note}"
        return (
            f"Support: {self.helpers} helpers, {self.visits} visits, {self.plan_items} plan "
            f"items, {self.records} support records"
        )


def support_demo_seed(*, seed: int = 2024) -> SupportDemoReport:
    report = SupportDemoReport()
    if HelperAssignment.objects.exists():
        report.note = "demo support already exists: nothing added."
        return report
    round_ = ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("canbo.xa", "quantri"))
    }
    if round_ is None or len(users) < 2:
        report.note = "no round or no demo accounts: nothing added."
        return report
    entries = list(
        Survey.objects.filter(round=round_, effective_class__in=HELPED_CLASSES)
        .order_by("household_id")
        .values_list("household_id", "needs")
    )
    households = Household.objects.select_related("commune").in_bulk([h for h, _ in entries])
    kinds = {k.code: k for k in SupportKind.objects.filter(active=True)}
    rng = random.Random(seed)
    today = timezone.localdate()
    year_start = dt.date(round_.year, 1, 1)
    for household_id, needs in entries:
        if rng.random() > SHARE_WITH_HELPER:
            continue
        household = households[household_id]
        by = users["canbo.xa"] if household.commune.code == DEMO_COMMUNE else users["quantri"]
        with transaction.atomic():
            _household(report, rng, by, household, needs_of(needs), kinds, year_start, today)
    return report


def _household(report, rng, by, household, needs, kinds, year_start, today) -> None:
    organisation, position = rng.choice(ORGANISATIONS)
    starts_on = year_start + dt.timedelta(days=rng.randrange(0, 120))
    sex = rng.choice(("male", "female"))
    surname = rng.choice([s for s, _ in KINH_SURNAMES])
    name = f"{surname} {rng.choice(KINH_MIDDLE[sex])} {rng.choice(KINH_GIVEN[sex])}"
    helper = services.helper_assign(
        by=by, household=household, helper_name=name, organisation=organisation,
        position=position, starts_on=starts_on,
    )  # fmt: skip
    report.helpers += 1
    span = max((today - starts_on).days, 1)
    for _ in range(rng.choice((0, 1, 1, 2))):
        services.visit_record(
            by=by, assignment=helper,
            visited_on=starts_on + dt.timedelta(days=rng.randrange(0, span)),
            note=rng.choice(("Thăm hỏi, động viên gia đình", "Hướng dẫn làm hồ sơ vay vốn",
                             "Hướng dẫn kỹ thuật chăn nuôi", "Vận động con em đi học đều")),
        )  # fmt: skip
        report.visits += 1
    for need in needs or ["other"]:
        code, action, responsible, amount, quantity = PLAN.get(need, PLAN["other"])
        kind = kinds.get(code)
        if kind is None:
            continue
        item = services.plan_item_add(
            by=by, household=household, need=need if needs else "", kind=kind, action=action,
            due_on=dt.date(year_start.year, 12, 31), responsible=responsible,
        )  # fmt: skip
        report.plan_items += 1
        if rng.random() < 0.6:
            services.support_record(
                by=by, household=household, kind=kind, plan_item=item,
                source=SOURCES.get(code, rng.choice(("central", "local", "mobilised"))),
                amount=amount, quantity=quantity,
                received_on=starts_on + dt.timedelta(days=rng.randrange(0, span)),
            )  # fmt: skip
            report.records += 1
