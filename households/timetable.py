"""A round's timetable: the due dates of its three steps, their defaults and their order.

- ``commune_due``: communes submit their results to the district (commune step);
- ``district_due``: district staff accept (or return) every commune's results (district step);
- ``province_due``: the province consolidates and reports (province step).

They must lie in order inside the round: starts_on ≤ commune_due ≤ district_due ≤ province_due
≤ ends_on (the model holds the same rule as a check constraint). Pure functions: dates in,
dates or messages out.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

STEPS = ("commune_due", "district_due", "province_due")

# Periodic review: DOMAIN.md gives 1 September – 14 December for the whole review. The dates of
# the commune and district steps are a province decision (not confirmed yet): these defaults
# leave the district two weeks to check the communes and the province two weeks to consolidate.
# Administrators edit them on the round's page.
PERIODIC_COMMUNE_DUE = (11, 15)  # (month, day) of the review year
PERIODIC_DISTRICT_DUE = (11, 30)
# Regular (monthly) review: the commune sends a few days before the end, the district accepts
# just before it; the province step ends with the round.
REGULAR_COMMUNE_DAYS_BEFORE_END = 5
REGULAR_DISTRICT_DAYS_BEFORE_END = 2


def _clamp(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    return min(max(day, first), last)


def default_dues(kind: str, starts_on: dt.date, ends_on: dt.date) -> dict[str, dt.date]:
    """The default due dates of a round, always in order inside [starts_on, ends_on] (clamping
    keeps the order, so a short or unusual round still gets a valid timetable)."""
    if kind == "periodic":
        commune = dt.date(starts_on.year, *PERIODIC_COMMUNE_DUE)
        district = dt.date(starts_on.year, *PERIODIC_DISTRICT_DUE)
    else:
        commune = ends_on - dt.timedelta(days=REGULAR_COMMUNE_DAYS_BEFORE_END)
        district = ends_on - dt.timedelta(days=REGULAR_DISTRICT_DAYS_BEFORE_END)
    return {
        "commune_due": _clamp(commune, starts_on, ends_on),
        "district_due": _clamp(district, starts_on, ends_on),
        "province_due": ends_on,
    }


def timetable_errors(
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    commune_due: dt.date,
    district_due: dt.date,
    province_due: dt.date,
) -> dict[str, str]:
    """{field: Vietnamese message} for every due date out of order; empty when all is well."""
    errors: dict[str, str] = {}
    fmt = "%d/%m/%Y"
    if not starts_on <= commune_due <= ends_on:
        errors["commune_due"] = _(
            "Hạn xã gửi kết quả phải trong thời gian của đợt (%(start)s – %(end)s)."
        ) % {"start": starts_on.strftime(fmt), "end": ends_on.strftime(fmt)}
    if district_due < commune_due:
        errors["district_due"] = _(
            "Hạn huyện tiếp nhận không được trước hạn xã gửi kết quả (%(day)s)."
        ) % {"day": commune_due.strftime(fmt)}
    elif district_due > ends_on:
        errors["district_due"] = _(
            "Hạn huyện tiếp nhận không được sau ngày kết thúc đợt (%(day)s)."
        ) % {"day": ends_on.strftime(fmt)}
    if province_due < district_due:
        errors["province_due"] = _(
            "Hạn tỉnh tổng hợp không được trước hạn huyện tiếp nhận (%(day)s)."
        ) % {"day": district_due.strftime(fmt)}
    elif province_due > ends_on:
        errors["province_due"] = _(
            "Hạn tỉnh tổng hợp không được sau ngày kết thúc đợt (%(day)s)."
        ) % {"day": ends_on.strftime(fmt)}
    return errors
