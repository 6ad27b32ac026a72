"""User-scoped reads of training needs, job fairs and placements, and the counts of the pages,
the Excel summary and the indicators. A need belongs to its commune, a fair to its organising
unit (a commune or the province); a user sees them when they see that unit (today, or at the
record's date for units of the old tree, ``areas.scope.reach_q``); out of scope is a 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from areas.models import Level, Unit
from areas.scope import Capability, Reach, Scope, reach_q, reached
from households.models import Member, Survey
from projects.models import EmploymentRecord

from .models import FairHire, JobFair, Trade, TrainingNeed
from .rules import SURVEYED_CLASSES


def latest_class(household_field: str = "household") -> Subquery:
    """The effective class of the household's latest entry (``households.counting``)."""
    return Subquery(
        Survey.objects.filter(household=OuterRef(household_field))
        .order_by("-round__starts_on", "-pk")
        .values("effective_class")[:1]
    )


def household_current_class(household) -> str:
    value = (
        Survey.objects.filter(household=household)
        .order_by("-round__starts_on", "-pk")
        .values_list("effective_class", flat=True)
        .first()
    )
    return value or ""


def trades() -> QuerySet[Trade]:
    return Trade.objects.filter(is_active=True).order_by("order", "code")


# --- communes ---------------------------------------------------------------------------------


def labour_communes(scope: Scope) -> QuerySet[Unit]:
    return scope.communes(Capability.SEE).select_related("parent").order_by("path")


def labour_commune_get(scope: Scope, pk: int) -> Unit:
    found = labour_communes(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def eligible_workers(commune: Unit, day: dt.date) -> QuerySet[Member]:
    """Current members of the commune's households whose latest class is poor or near-poor,
    born within the widest working-age bounds (15 to 62 years); the service checks the exact
    rule (``rules.member_is_working_age``)."""
    youngest = dt.date(day.year - 15, day.month, min(day.day, 28))
    oldest = dt.date(day.year - 62, day.month, min(day.day, 28))
    return (
        Member.objects.filter(
            is_current=True,
            household__commune=commune,
            birth_date__lte=youngest,
            birth_date__gt=oldest,
        )
        .annotate(current_class=latest_class("household"))
        .filter(current_class__in=SURVEYED_CLASSES)
        .select_related("household")
        .order_by("household__code", "pk")
    )


# --- training needs ---------------------------------------------------------------------------


def need_list_for_user(reach: Reach) -> QuerySet[TrainingNeed]:
    return TrainingNeed.objects.filter(
        reach_q(reach, Capability.SEE, unit="commune", start="surveyed_on")
    )


def need_rows(
    commune: Unit, year: int, *, trade: Trade | None = None, where: str = "", wants_job=None
) -> QuerySet[TrainingNeed]:
    qs = TrainingNeed.objects.filter(commune=commune, year=year)
    if trade is not None:
        qs = qs.filter(trade=trade)
    if where:
        qs = qs.filter(where=where)
    if wants_job is not None:
        qs = qs.filter(wants_job=wants_job)
    return qs.select_related("member__household", "trade").order_by("member__household__code", "pk")


def need_counts(needs: QuerySet[TrainingNeed], *by: str) -> list[dict]:
    """Grouped counts of these needs (``by``: "trade__name", "level", "where", …)."""
    return list(needs.order_by().values(*by).annotate(n=Count("pk")).order_by(*by))


def need_years(commune: Unit) -> list[int]:
    return list(
        TrainingNeed.objects.filter(commune=commune)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def needs_summary(communes: list[int], year: int) -> list[dict]:
    """Per commune × trade × level × where: workers, of whom wanting a job (the Excel)."""
    return list(
        TrainingNeed.objects.filter(commune_id__in=communes, year=year)
        .order_by()
        .values("commune__path", "commune__name", "trade__order", "trade__name", "level", "where")
        .annotate(n=Count("pk"), jobs=Count("pk", filter=Q(wants_job=True)))
        .order_by("commune__path", "trade__order", "level", "where")
    )


# --- job fairs --------------------------------------------------------------------------------


def fair_list_for_user(reach: Reach) -> QuerySet[JobFair]:
    return JobFair.objects.filter(reach_q(reach, Capability.SEE, unit="unit", start="held_on"))


def fair_rows(fairs: QuerySet[JobFair], year: int | None = None) -> QuerySet[JobFair]:
    if year:
        fairs = fairs.filter(held_on__year=year)
    return (
        fairs.select_related("unit")
        .annotate(named_hires=Count("hire_links"))
        .order_by("-held_on", "-pk")
    )


def fair_get_for_user(reach: Reach, pk: int) -> JobFair:
    found = fair_list_for_user(reach).select_related("unit", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def fair_can_manage(reach: Reach, fair: JobFair) -> bool:
    """The commune officer of a commune's fair (ENTER), district staff over its unit (REVIEW),
    administrators."""
    return any(
        reached(reach, cap, [fair.unit], fair.held_on)
        for cap in (Capability.ENTER, Capability.REVIEW)
    )


def fair_units(scope: Scope) -> QuerySet[Unit]:
    """Units a fair may be organised by: communes under ENTER or REVIEW; the province for
    those who administer it."""
    q = Q(pk__in=scope.communes(Capability.ENTER).values("pk")) | Q(
        pk__in=scope.communes(Capability.REVIEW).values("pk")
    )
    q |= Q(pk__in=scope.units(Capability.ADMINISTER).filter(level=Level.PROVINCE).values("pk"))
    return Unit.objects.filter(q).select_related("parent").order_by("path")


def fair_hires(fair: JobFair) -> QuerySet[EmploymentRecord]:
    return (
        EmploymentRecord.objects.filter(fair_hire__job_fair=fair)
        .select_related("member__household__commune")
        .order_by("starts_on", "pk")
    )


def hire_candidates(scope: Scope, fair: JobFair) -> QuerySet[Member]:
    """Current members of poor and near-poor households of the communes the user records for
    (ENTER), under the fair's unit."""
    return (
        Member.objects.filter(
            is_current=True,
            household__commune__in=scope.communes(Capability.ENTER).values("pk"),
            household__commune__path__startswith=fair.unit.path,
        )
        .annotate(current_class=latest_class("household"))
        .filter(current_class__in=SURVEYED_CLASSES)
        .exclude(Exists(FairHire.objects.filter(
            job_fair=fair, employment_record__member=OuterRef("pk"))))
        .select_related("household")
        .order_by("household__code", "pk")
    )  # fmt: skip


# --- placements -------------------------------------------------------------------------------


def placement_units(scope: Scope) -> QuerySet[Unit]:
    return (
        scope.units(Capability.SEE)
        .filter(level__in=[Level.COMMUNE, Level.DISTRICT, Level.PROVINCE])
        .order_by("path")
    )


def placement_summary(scope: Scope, unit: Unit, year: int) -> list[dict]:
    """Per commune under ``unit`` the user sees: placements (employment records) starting in
    ``year`` of members of its households; abroad; sustainable; through a fair."""
    return list(
        EmploymentRecord.objects.filter(
            starts_on__year=year,
            member__household__commune__in=scope.communes(Capability.SEE).values("pk"),
            member__household__commune__path__startswith=unit.path,
        )
        .order_by()
        .values("member__household__commune__path", "member__household__commune__name")
        .annotate(
            total=Count("pk"),
            abroad=Count("pk", filter=Q(is_abroad=True)),
            sustainable=Count("pk", filter=Q(is_sustainable=True)),
            fairs=Count("pk", filter=Q(fair_hire__isnull=False)),
        )
        .order_by("member__household__commune__path")
    )
