"""Demo contributions to the "Vì người nghèo" funds for ``seed_demo``, through the contributions
services (the same checks as the pages): about 30 a year in 2024, 2025 and 2026 at the communes
that hold demo households (the former commune before 1 July 2025, through the crosswalk) and at
the province's fund, from enterprises, organisations, people and donors abroad, some of them
anonymous; their uses pay for the demo support records of the commune's households (housing,
livelihood, tuition …) or a described spending. Called after ``demodata.support``. Idempotent:
nothing is added when a contribution exists.

The demo officer (canbo.xa) records for Ba Tơ (21484); the administrator for the others."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from areas.models import Level, Unit, UnitSuccession
from contributions import services
from contributions.models import Contribution
from households.models import Household
from support.models import SupportKind, SupportRecord

from .common import DEMO_COMMUNE

YEARS = (2024, 2025, 2026)
PER_YEAR = 30
REFORM = dt.date(2025, 7, 1)
# (donor, kind, cash or 0, in kind or "", in-kind value per unit, purpose kind)
DONORS = (
    ("Công ty Điện lực Quảng Ngãi", "enterprise", 200_000_000, "", 0, "housing"),
    ("Công ty TNHH Lọc hóa dầu Bình Sơn", "enterprise", 500_000_000, "", 0, "housing"),
    ("Ngân hàng TMCP Công Thương – Chi nhánh Quảng Ngãi", "enterprise", 100_000_000, "", 0,
     "tuition"),
    ("Công ty Cổ phần Đường Quảng Ngãi", "enterprise", 80_000_000, "", 0, "livelihood"),
    ("Viettel Quảng Ngãi", "enterprise", 50_000_000, "", 0, "tuition"),
    ("Hội Chữ thập đỏ tỉnh", "organisation", 0, "Bò giống", 15_000_000, "livelihood"),
    ("Liên đoàn Lao động tỉnh", "organisation", 60_000_000, "", 0, "housing"),
    ("Hội Doanh nhân trẻ tỉnh", "organisation", 40_000_000, "Sách vở, xe đạp", 5_000_000,
     "tuition"),
    ("Cán bộ, công chức, viên chức xã (một ngày lương)", "organisation", 12_000_000, "", 0, None),
    ("Ông Nguyễn Văn Thành", "individual", 20_000_000, "", 0, "housing"),
    ("Bà Trần Thị Mai", "individual", 5_000_000, "", 0, None),
    ("Nhà hảo tâm giấu tên", "individual", 10_000_000, "", 0, None),
    ("Hội đồng hương Quảng Ngãi tại TP. Hồ Chí Minh", "organisation", 150_000_000, "", 0,
     "housing"),
    ("Tổ chức World Vision Việt Nam", "overseas", 0, "Bể chứa nước", 6_000_000, "water"),
    ("Kiều bào Quảng Ngãi tại Hoa Kỳ", "overseas", 30_000_000, "", 0, "tuition"),
    ("Chùa Thiên Ấn", "other", 0, "Gạo (tạ)", 1_500_000, None),
)  # fmt: skip


@dataclass
class ContributionsDemoReport:
    contributions: int = 0
    uses: int = 0
    linked: int = 0
    note: str = ""

    def summary(self) -> str:
        if self.note:
            return f"Contributions: {self.note}"
        return (
            f"Contributions: {self.contributions} to the Vì người nghèo funds, {self.uses} uses "
            f"({self.linked} support records paid for)"
        )


def _fund(commune: Unit, day: dt.date) -> Unit | None:
    """The commune's fund on that day: the commune itself, or before the reform the former
    commune it was made from (the first by code)."""
    if commune.is_valid_on(day):
        return commune
    old = (
        UnitSuccession.objects.filter(new=commune, old__level=Level.COMMUNE)
        .select_related("old")
        .order_by("old__code")
    )
    return next((s.old for s in old if s.old.is_valid_on(day)), None)


def contributions_demo_seed(*, seed: int = 2024) -> ContributionsDemoReport:
    report = ContributionsDemoReport()
    if Contribution.objects.exists():
        report.note = "demo contributions already exist: nothing added."
        return report
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("canbo.xa", "quantri"))
    }
    if len(users) < 2:
        report.note = "no demo accounts: nothing added."
        return report
    communes = list(
        Unit.objects.filter(
            pk__in=Household.objects.values("commune"), level=Level.COMMUNE, valid_to__isnull=True
        ).order_by("code")
    )
    if not communes:
        report.note = "no demo households: nothing added."
        return report
    kinds = {k.code: k for k in SupportKind.objects.all()}
    rng = random.Random(seed)
    today = timezone.localdate()
    taken: set[int] = set()
    for year in YEARS:
        for _ in range(PER_YEAR):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
            if day > today:
                day = today - dt.timedelta(days=rng.randrange(1, 60))
            with transaction.atomic():
                _one(report, rng, users, communes, kinds, taken, day)
    return report


def _before_a_record(rng, commune: Unit, purpose: str, taken: set[int], day: dt.date, value: int):
    """A donor who gives for a purpose gives before the support it pays for: move the day to
    shortly before the commune's first unpaid record of that kind in the same year that the gift
    can pay for, when there is one before the day drawn. Without it, whether any use linked a
    record depended on the draw, and so on the date the demo was generated (none on 1/12/2026)."""
    record = (
        SupportRecord.objects.filter(
            household__commune=commune, kind__code=purpose, amount__isnull=False,
            received_on__year=day.year, received_on__lt=day, amount__lte=value,
        )
        .exclude(pk__in=taken)
        .order_by("received_on", "pk")
        .first()
    )  # fmt: skip
    if record is None:
        return day
    earlier = record.received_on - dt.timedelta(days=rng.randrange(0, 30))
    return max(earlier, dt.date(day.year, 1, 1))


def _one(report, rng, users, communes, kinds, taken, day) -> None:
    name, donor_kind, cash, goods, per_unit, purpose = rng.choice(DONORS)
    province = rng.random() < 0.15
    scale = rng.choice((1, 1, 2, 3)) if not province else rng.choice((3, 5))
    count = rng.randint(2, 10) if goods else 0
    value = cash * scale // 10 + per_unit * count
    if province:
        unit = Unit.objects.filter(level=Level.PROVINCE, code="51").valid_on(day).first()
        commune = None
    else:
        commune = rng.choice(communes)
        if purpose:
            day = _before_a_record(rng, commune, purpose, taken, day, value)
        unit = _fund(commune, day)
    if unit is None:
        return
    by = users["canbo.xa"] if unit.code == DEMO_COMMUNE else users["quantri"]
    contribution = services.contribution_create(
        by=by, unit=unit, received_on=day, donor_name=name, donor_kind=donor_kind,
        cash_amount=cash * scale // 10, in_kind=f"{count} {goods.lower()}" if goods else "",
        in_kind_value=per_unit * count, purpose_kind=kinds.get(purpose) if purpose else None,
        purpose="Chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
        reference=f"BN-{day.year}-{rng.randrange(100, 999)}", anonymous=name.endswith("giấu tên"),
    )  # fmt: skip
    report.contributions += 1
    left = contribution.value
    if purpose and commune is not None:
        records = (
            SupportRecord.objects.filter(
                household__commune=commune, kind__code=purpose, received_on__gte=day,
                amount__isnull=False,
            )
            .exclude(pk__in=taken)
            .order_by("received_on", "pk")[:5]
        )  # fmt: skip
        chosen, total = [], 0
        for record in records:
            if total + record.amount > left:
                break
            chosen.append(record)
            total += record.amount
        if chosen:
            services.use_create(
                by=by, contribution=contribution, used_on=max(r.received_on for r in chosen),
                amount=total, description=f"Chi trả: {chosen[0].kind.name.lower()}",
                support_records=chosen,
            )  # fmt: skip
            taken.update(r.pk for r in chosen)
            report.uses += 1
            report.linked += len(chosen)
            left -= total
    if left > 0 and rng.random() < 0.6:
        used_on = min(day + dt.timedelta(days=rng.randrange(5, 90)), timezone.localdate())
        services.use_create(
            by=by, contribution=contribution, used_on=used_on, amount=left // 2 or left,
            description=rng.choice(("Tặng quà Tết cho hộ nghèo", "Hỗ trợ học bổng cho học sinh",
                                    "Hỗ trợ sửa chữa nhà ở", "Mua giống cây trồng")),
            commune=commune if commune is not None and commune.is_valid_on(day) else None,
        )  # fmt: skip
        report.uses += 1
