"""Training needs, fairs and hires for the tests, made through the services."""

from __future__ import annotations

import datetime as dt

from labour import services
from labour.models import Trade


def trade(code: str = "garment") -> Trade:
    return Trade.objects.get(code=code)


def need(by, member, *, on=dt.date(2026, 5, 4), code="garment", level="elementary",
         where="province", wants_job=True):  # fmt: skip
    return services.need_record(
        by=by, member=member, surveyed_on=on, trade=trade(code), level=level, where=where,
        wants_job=wants_job,
    )  # fmt: skip


def fair(by, unit, *, held_on=dt.date(2026, 6, 12), attendees=120, hires=10, **extra):
    fields = {
        "kind": "session",
        "held_on": held_on,
        "place": "Nhà văn hóa xã",
        "employers_count": 5,
        "employers": "Công ty May Quảng Ngãi",
        "jobs_offered": 200,
        "attendees": attendees,
        "attendees_poor": min(40, attendees),
        "hires": hires,
    } | extra
    return services.fair_create(by=by, unit=unit, **fields)


def hire(by, fair_, member, *, abroad=False, sustainable=True, starts_on=None):
    return services.fair_hire_add(
        by=by, fair=fair_, member=member, employer="Công ty May Quảng Ngãi",
        contract="abroad" if abroad else "long", starts_on=starts_on or fair_.held_on,
        is_abroad=abroad, is_sustainable=sustainable,
    )  # fmt: skip


def labour_side(officer, commune, household) -> dict[str, int]:
    """A need of the poor household's head and a fair of the commune with one named hire."""
    head = household.members.order_by("pk").first()
    need(officer, head)
    made = fair(officer, commune)
    hire(officer, made, head)
    return {"job_fair": made.pk}
