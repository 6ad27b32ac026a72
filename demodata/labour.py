"""Demo data of project 4 (labour) for ``seed_demo``, through the labour services and the projects
employment service: training needs of a share of the working-age members of the demo communes'
poor and near-poor households, one job fair per demo commune in each of 2025 and 2026 with a few
named hires (one abroad under contract), and a provincial fair a year."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.exceptions import ValidationError
from django.db import transaction

from areas.models import Level, Unit
from labour import selectors, services
from labour.models import JobFair, Where
from labour.models import Level as TrainingLevel
from reports.exports.common import province_of

from .projects import _actors, _communes, _who

NEEDS_PER_COMMUNE = 30  # at most; every third eligible worker
SURVEYED = dt.date(2026, 3, 10)
FAIRS = (dt.date(2025, 8, 20), dt.date(2026, 7, 15))
EMPLOYERS = (
    "Công ty TNHH May Quảng Ngãi",
    "Công ty CP Đường Quảng Ngãi",
    "Khu kinh tế Dung Quất – Công ty Thép Hòa Phát",
    "Công ty CP Xuất khẩu lao động Sông Đà (Nhật Bản)",
)


def _needs(commune: Unit, officer) -> int:
    workers = list(selectors.eligible_workers(commune, SURVEYED)[: NEEDS_PER_COMMUNE * 3 : 3])
    trades = list(selectors.trades())
    levels = itertools.cycle([TrainingLevel.ELEMENTARY] * 3 + [TrainingLevel.INTERMEDIATE,
                                                              TrainingLevel.COLLEGE])  # fmt: skip
    wheres = itertools.cycle([Where.PROVINCE, Where.PROVINCE, Where.OUTSIDE, Where.ABROAD])
    made = 0
    for i, member in enumerate(workers):
        try:
            with transaction.atomic():
                services.need_record(
                    by=officer,
                    member=member,
                    surveyed_on=SURVEYED + dt.timedelta(days=i % 20),
                    trade=trades[i % len(trades)],
                    level=next(levels),
                    where=next(wheres),
                    wants_job=i % 4 != 3,
                )
                made += 1
        except ValidationError:  # not of working age on the day (the exact rule)
            continue
    return made


def _fair(by, unit: Unit, held_on: dt.date, n: int):
    return services.fair_create(
        by=by,
        unit=unit,
        kind="abroad" if n % 3 == 2 else "session",
        held_on=held_on,
        place=f"Nhà văn hóa {unit.name}" if unit.level == Level.COMMUNE else "Trung tâm DVVL tỉnh",
        employers_count=4 + n % 5,
        employers="\n".join(EMPLOYERS),
        jobs_offered=150 + 10 * (n % 7),
        attendees=90 + 5 * (n % 9),
        attendees_poor=30 + n % 11,
        hires=8 + n % 6,
    )


def _hires(fair, commune: Unit, officer) -> int:
    candidates = list(selectors.eligible_workers(commune, fair.held_on)[1:20:6])
    made = 0
    for i, member in enumerate(candidates):
        abroad = i == 2
        try:
            with transaction.atomic():
                services.fair_hire_add(
                    by=officer,
                    fair=fair,
                    member=member,
                    employer=EMPLOYERS[3] if abroad else EMPLOYERS[i % 3],
                    contract="abroad" if abroad else "long",
                    starts_on=fair.held_on + dt.timedelta(days=14),
                    is_abroad=abroad,
                    is_sustainable=True,
                )
                made += 1
        except ValidationError:
            continue
    return made


def labour_demo_seed() -> str:
    if JobFair.objects.exists():
        return "Demo labour data already exists: nothing added."
    users = _actors()
    communes = _communes()
    if users is None or not communes:
        return "No demo accounts or communes: no demo labour data."
    needs = fairs = hires = 0
    for n, commune in enumerate(communes):
        officer = _who(users, commune)["officer"]
        needs += _needs(commune, officer)
        for held_on in FAIRS:
            with transaction.atomic():
                fair = _fair(officer, commune, held_on, n)
            fairs += 1
            hires += _hires(fair, commune, officer)
    province = province_of(communes[0])
    for n, held_on in enumerate(FAIRS):
        _fair(users["quantri"], province, held_on + dt.timedelta(days=30), n)
        fairs += 1
    return f"Demo labour: {needs} training needs, {fairs} job fairs, {hires} named hires."
