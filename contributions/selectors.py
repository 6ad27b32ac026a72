"""User-scoped reads of the fund, and the sums the list, the summary page and its Excel file
share (one definition of "received" and "used").

Who sees what: a contribution is seen by those who see its fund's unit (``reach_q`` on the day it
was received, so a 2024 contribution of a former district stays with the people who worked on it
then). An outsider gets 404. The households a use paid for are personal data: their codes and
names are shown only to users who see the household (``household_list_for_user``); the summary
never names them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from areas.models import Level, Unit
from areas.scope import Capability, Reach, reach_q
from households.selectors import household_list_for_user
from support.models import SupportKind, SupportRecord

from .models import Contribution, ContributionUse, DonorKind

SEE = Capability.SEE


def _used_sum():
    rows = ContributionUse.objects.filter(contribution=OuterRef("pk")).order_by()
    rows = rows.values("contribution").annotate(s=Sum("amount")).values("s")[:1]
    return Coalesce(Subquery(rows), Value(0))


def contribution_list_for_user(reach: Reach) -> QuerySet[Contribution]:
    return Contribution.objects.filter(reach_q(reach, SEE, unit="unit", start="received_on"))


def contribution_rows(rows: QuerySet[Contribution]) -> QuerySet[Contribution]:
    return rows.select_related("unit", "purpose_kind").annotate(used=_used_sum())


def contribution_get_for_user(reach: Reach, pk: int) -> Contribution:
    found = contribution_rows(contribution_list_for_user(reach)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def use_get_for_user(reach: Reach, pk: int) -> ContributionUse:
    found = (
        ContributionUse.objects.filter(
            pk=pk, contribution__in=contribution_list_for_user(reach).values("pk")
        )
        .select_related("contribution", "contribution__unit")
        .first()
    )
    if found is None:
        raise Http404
    return found


def years(rows: QuerySet[Contribution]) -> list[int]:
    return sorted(
        {d.year for d in rows.dates("received_on", "year")},
        reverse=True,
    )


def in_year(rows: QuerySet[Contribution], year: int) -> QuerySet[Contribution]:
    return rows.filter(received_on__year=year)


def fund_units(rows: QuerySet[Contribution]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=rows.values("unit")).order_by("level", "name")


def under(rows: QuerySet[Contribution], unit: Unit) -> QuerySet[Contribution]:
    """Contributions of the fund of ``unit`` and of the funds below it (a province: the units of
    its code on both trees, as the funds' panels count it)."""
    from finance.selectors import area_paths

    q = Q(pk__in=[])
    for path in area_paths(unit):
        q |= Q(unit__path__startswith=path)
    return rows.filter(q)


def unit_choices(reach: Reach, day: dt.date) -> QuerySet[Unit]:
    """Units whose fund the user may record a contribution of: communes they enter, and districts
    and the province they review, valid on ``day`` (today) or in the user's past windows."""
    enter = reach_q(reach, Capability.ENTER, unit="", start=day) & Q(level=Level.COMMUNE)
    review = reach_q(reach, Capability.REVIEW, unit="", start=day) & ~Q(level=Level.COMMUNE)
    return Unit.objects.filter(enter | review).order_by("-valid_from", "level", "name")


def kinds() -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(active=True)


def uses_of(contribution: Contribution) -> list[ContributionUse]:
    return list(
        contribution.uses.select_related("commune", "created_by")
        .prefetch_related("support_records__kind", "support_records__household")
        .order_by("used_on", "pk")
    )


def visible_households(reach: Reach, uses: list[ContributionUse]) -> set[int]:
    """Ids of the households of these uses' support records the user may see."""
    ids = {r.household_id for u in uses for r in u.support_records.all()}
    if not ids:
        return set()
    return set(household_list_for_user(reach.today).filter(pk__in=ids).values_list("pk", flat=True))


def support_record_choices(reach: Reach, contribution: Contribution) -> QuerySet[SupportRecord]:
    """Support records a use may name: of households the user sees, in communes under the
    fund's unit today (or made from it), received from the contribution's date on."""
    from areas.models import UnitSuccession

    unit = contribution.unit
    made_from = UnitSuccession.objects.filter(old__path__startswith=unit.path).values("new")
    return (
        SupportRecord.objects.filter(
            household__in=household_list_for_user(reach.today).values("pk"),
            received_on__gte=contribution.received_on,
        )
        .filter(
            Q(household__commune__path__startswith=unit.path) | Q(household__commune__in=made_from)
        )
        .select_related("kind", "household")
        .order_by("-received_on", "pk")
    )


def commune_choices(contribution: Contribution) -> QuerySet[Unit]:
    unit = contribution.unit
    if unit.level == Level.COMMUNE:
        return Unit.objects.filter(pk=unit.pk)
    return Unit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=contribution.received_on),
        level=Level.COMMUNE,
        path__startswith=unit.path,
    ).order_by("name")


# --- sums --------------------------------------------------------------------------------------


@dataclass
class Totals:
    count: int = 0
    cash: int = 0
    in_kind: int = 0

    @property
    def value(self) -> int:
        return self.cash + self.in_kind


def totals(rows: QuerySet[Contribution]) -> Totals:
    found = rows.order_by().aggregate(
        count=Count("pk"), cash=Sum("cash_amount"), in_kind=Sum("in_kind_value")
    )
    return Totals(found["count"] or 0, found["cash"] or 0, found["in_kind"] or 0)


def used(rows: QuerySet[Contribution]) -> int:
    found = ContributionUse.objects.filter(contribution__in=rows.values("pk")).aggregate(
        s=Sum("amount")
    )
    return found["s"] or 0


def by_donor_kind(rows: QuerySet[Contribution]) -> list[tuple[str, Totals]]:
    found = {
        r["donor_kind"]: Totals(r["count"], r["cash"], r["in_kind"])
        for r in rows.order_by()
        .values("donor_kind")
        .annotate(count=Count("pk"), cash=Sum("cash_amount"), in_kind=Sum("in_kind_value"))
    }
    return [(str(kind.label), found[kind.value]) for kind in DonorKind if kind.value in found]


def by_purpose(rows: QuerySet[Contribution]) -> list[tuple[str, Totals]]:
    """Per intended kind of support (the row without one last)."""
    found = (
        rows.order_by()
        .values("purpose_kind", "purpose_kind__name", "purpose_kind__position")
        .annotate(count=Count("pk"), cash=Sum("cash_amount"), in_kind=Sum("in_kind_value"))
        .order_by(F("purpose_kind__position").asc(nulls_last=True), "purpose_kind__name")
    )
    from django.utils.translation import gettext as _

    return [
        (
            r["purpose_kind__name"] or _("Chưa ghi loại hỗ trợ"),
            Totals(r["count"], r["cash"], r["in_kind"]),
        )
        for r in found
    ]


def paid_for(rows: QuerySet[Contribution]) -> list[dict]:
    """What the contributions paid for: per kind of support, the support records their uses
    name (each counted once) and their unit ("houses: 12 căn"). Never names a household."""
    links = ContributionUse.support_records.through.objects.filter(
        contributionuse__contribution__in=rows.values("pk")
    )
    return list(
        SupportRecord.objects.filter(pk__in=links.values("supportrecord"))
        .values("kind__name", "kind__unit", "kind__position")
        .annotate(records=Count("pk"), households=Count("household", distinct=True))
        .order_by("kind__position", "kind__name")
    )


def top_donors(rows: QuerySet[Contribution], limit: int = 10) -> list[dict]:
    """The largest donors by value, never an anonymous one."""
    return list(
        rows.filter(anonymous=False)
        .order_by()
        .values("donor_name", "donor_kind")
        .annotate(value=Sum(F("cash_amount") + F("in_kind_value")), count=Count("pk"))
        .order_by("-value", "donor_name")[:limit]
    )


def anonymous_total(rows: QuerySet[Contribution]) -> Totals:
    return totals(rows.filter(anonymous=True))


def summary_units(reach: Reach) -> QuerySet[Unit]:
    """Areas the summary may be drawn for: the province and districts the user sees (today's
    and former ones), and the communes whose funds hold contributions the user sees."""
    wide = reach_q(reach, SEE, unit="", start=dt.date(2021, 1, 1)) | Q(
        pk__in=reach.today.units(SEE).values("pk")
    )
    funds = contribution_list_for_user(reach).values("unit")
    return Unit.objects.filter(
        (wide & Q(level__in=[Level.PROVINCE, Level.DISTRICT])) | Q(pk__in=funds)
    ).order_by("level", "-valid_from", "name")


@dataclass
class Summary:
    """“Quỹ Vì người nghèo năm YYYY” of an area: what the page and the Excel file show. Names
    no household and no anonymous donor."""

    year: int
    area: Unit | None
    total: Totals
    used: int
    by_donor_kind: list
    by_purpose: list
    paid_for: list
    top_donors: list
    anonymous: Totals


def summary(rows: QuerySet[Contribution], *, year: int, area: Unit | None) -> Summary:
    return Summary(
        year=year,
        area=area,
        total=totals(rows),
        used=used(rows),
        by_donor_kind=by_donor_kind(rows),
        by_purpose=by_purpose(rows),
        paid_for=paid_for(rows),
        top_donors=[{**d, "kind": str(DonorKind(d["donor_kind"]).label)} for d in top_donors(rows)],
        anonymous=anonymous_total(rows),
    )
