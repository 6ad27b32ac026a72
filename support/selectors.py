"""User-scoped reads of household support: the only way views fetch its records.

A record of a household outside the user's scope is a 404; the household page's section and the
commune list read a few queries whatever the number of households (no query per household).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from areas.models import Unit
from areas.scope import Capability, Scope
from households import choices
from households.models import Household, Member, ReviewRound, Survey
from households.selectors import household_list_for_user
from projects.models import ProgramComponent

from .models import HelperAssignment, PlanStatus, SupportKind, SupportPlanItem, SupportRecord
from .rules import HELPED_CLASSES, needs_of, year_bounds

# --- one household --------------------------------------------------------------------------


def household_latest_survey(household: Household) -> Survey | None:
    """The household's latest entry (periodic or regular round), by the round's first day."""
    return (
        Survey.objects.filter(household=household)
        .select_related("round")
        .order_by("-round__starts_on", "-pk")
        .first()
    )


def household_current_class(household: Household) -> str:
    """The household's current class: its latest entry's effective class ("" without one)."""
    value = (
        Survey.objects.filter(household=household)
        .order_by("-round__starts_on", "-pk")
        .values_list("effective_class", flat=True)
        .first()
    )
    return value or ""


def household_is_followed(household: Household) -> bool:
    """A household with a helper or a plan item (support can still be recorded for it)."""
    return (
        HelperAssignment.objects.filter(household=household).exists()
        or SupportPlanItem.objects.filter(household=household).exists()
    )


def assignment_get_for_user(scope: Scope, pk: int) -> HelperAssignment:
    found = (
        HelperAssignment.objects.filter(
            pk=pk, household__in=household_list_for_user(scope).values("pk")
        )
        .select_related("household__commune")
        .first()
    )
    if found is None:
        raise Http404
    return found


def plan_item_get_for_user(scope: Scope, pk: int) -> SupportPlanItem:
    found = (
        SupportPlanItem.objects.filter(
            pk=pk, household__in=household_list_for_user(scope).values("pk")
        )
        .select_related("household__commune", "kind")
        .first()
    )
    if found is None:
        raise Http404
    return found


def kinds_active() -> QuerySet[SupportKind]:
    return SupportKind.objects.filter(active=True)


def components_for_support() -> QuerySet[ProgramComponent]:
    return ProgramComponent.objects.select_related("program").order_by(
        "-program__code", "position", "number"
    )


def members_current(household: Household) -> QuerySet[Member]:
    return household.members.filter(is_current=True).order_by("pk")


def plan_items_open(household: Household) -> QuerySet[SupportPlanItem]:
    return SupportPlanItem.objects.filter(household=household).exclude(status=PlanStatus.DROPPED)


@dataclass
class HouseholdSupport:
    """What the household page shows: needs and causes → plan → support received, helpers."""

    survey: Survey | None
    current_class: str
    class_label: str
    needs: list[tuple[str, str]]
    causes: list[str]
    helpers: list[HelperAssignment]
    plan: list[SupportPlanItem]
    records: list[SupportRecord]
    total_amount: int
    can_enter: bool
    eligible: bool
    unplanned_needs: list[str] = field(default_factory=list)
    statuses: list = field(default_factory=lambda: list(PlanStatus.choices))


def household_support(scope: Scope, household: Household) -> HouseholdSupport:
    """The household's support section (five small queries)."""
    survey = household_latest_survey(household)
    cls = survey.effective_class if survey else ""
    need_labels = dict(choices.Need.choices)
    cause_labels = dict(choices.Cause.choices)
    needs = [(c, str(need_labels.get(c, c))) for c in needs_of(survey.needs if survey else "")]
    causes = [str(cause_labels.get(c, c)) for c in needs_of(survey.causes if survey else "")]
    helpers = list(
        HelperAssignment.objects.filter(household=household)
        .prefetch_related("visits")
        .order_by("-starts_on", "-pk")
    )
    plan = list(
        SupportPlanItem.objects.filter(household=household)
        .select_related("kind")
        .annotate(records_count=Count("records"))
        .order_by("due_on", "pk")
    )
    records = list(
        SupportRecord.objects.filter(household=household)
        .select_related("kind", "member", "component", "plan_item")
        .order_by("-received_on", "-pk")
    )
    for item in plan:
        item.need_label = str(need_labels.get(item.need, item.need)) if item.need else ""
    planned = {p.need for p in plan if p.status != PlanStatus.DROPPED}
    labels = dict(choices.POVERTY_CLASS)
    eligible = cls in HELPED_CLASSES
    return HouseholdSupport(
        survey=survey,
        current_class=cls,
        class_label=str(labels.get(cls, "")) if cls else "",
        needs=needs,
        causes=causes,
        helpers=helpers,
        plan=plan,
        records=records,
        total_amount=sum(r.amount or 0 for r in records),
        can_enter=scope.covers(household.commune, Capability.ENTER),
        eligible=eligible,
        unplanned_needs=[label for code, label in needs if code not in planned],
    )


# --- a commune's poor and near-poor households ----------------------------------------------


def support_round() -> ReviewRound | None:
    """The latest periodic round (the open one while it runs): the list the page shows."""
    return ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()


def support_communes(scope: Scope) -> QuerySet[Unit]:
    return scope.communes(Capability.SEE).order_by("name")


def support_commune_get(scope: Scope, pk: int) -> Unit:
    commune = support_communes(scope).filter(pk=pk).first()
    if commune is None:
        raise Http404
    return commune


def helper_in_year(year: int):
    """Assignments whose period overlaps the year (the indicators' "with a helper")."""
    first, last = year_bounds(year)
    return Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))


def plan_in_year(year: int) -> Q:
    """Plan items of the year (the indicators' "with a plan"): not dropped, made by the end of
    the year and due in the year or later (so a past year's figure does not change with plans
    made afterwards)."""
    first, last = year_bounds(year)
    return ~Q(status=PlanStatus.DROPPED) & Q(created_at__date__lte=last, due_on__gte=first)


def flags(year: int) -> dict:
    """Exists() annotations over Survey rows: helper in the year, plan, support in the year."""
    first, last = year_bounds(year)
    household = OuterRef("household_id")
    return {
        "has_helper": Exists(
            HelperAssignment.objects.filter(helper_in_year(year), household_id=household)
        ),
        "has_plan": Exists(
            SupportPlanItem.objects.filter(plan_in_year(year), household_id=household)
        ),
        "supported": Exists(
            SupportRecord.objects.filter(
                household_id=household, received_on__gte=first, received_on__lte=last
            )
        ),
    }


def helped_entries(round_: ReviewRound, communes) -> QuerySet[Survey]:
    """The round's poor and near-poor entries of these communes (by effective class)."""
    return Survey.objects.filter(
        round=round_, commune_id__in=list(communes), effective_class__in=HELPED_CLASSES
    )


def support_counts(round_: ReviewRound, communes) -> dict[int, dict[str, int]]:
    """{commune id: {poor_or_near, with_helper, with_plan, supported}}: one grouped query."""
    rows = (
        helped_entries(round_, communes)
        .annotate(**flags(round_.year))
        .order_by()
        .values("commune_id")
        .annotate(
            poor_or_near=Count("pk"),
            with_helper=Count("pk", filter=Q(has_helper=True)),
            with_plan=Count("pk", filter=Q(has_plan=True)),
            supported=Count("pk", filter=Q(supported=True)),
        )
    )
    return {r.pop("commune_id"): r for r in rows}


def support_rows(round_: ReviewRound, commune: Unit, *, without: str = "") -> QuerySet[Survey]:
    """The list page's rows: one per poor or near-poor entry, with its flags and counts
    (subqueries, no query per household); ``without``: "helper" or "plan"."""
    first, last = year_bounds(round_.year)
    household = OuterRef("household_id")
    qs = (
        helped_entries(round_, [commune.pk])
        .annotate(**flags(round_.year))
        .annotate(
            helpers=Subquery(
                HelperAssignment.objects.filter(helper_in_year(round_.year), household_id=household)
                .order_by()
                .values("household_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            plan_count=Subquery(
                SupportPlanItem.objects.filter(plan_in_year(round_.year), household_id=household)
                .order_by()
                .values("household_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            support_amount=Subquery(
                SupportRecord.objects.filter(
                    household_id=household, received_on__gte=first, received_on__lte=last
                )
                .order_by()
                .values("household_id")
                .annotate(n=Sum("amount"))
                .values("n")[:1]
            ),
        )
        .select_related("household")
        .order_by("household__village", "household__code")
    )
    if without == "helper":
        qs = qs.filter(has_helper=False)
    elif without == "plan":
        qs = qs.filter(has_plan=False)
    return qs


def support_by_kind(round_: ReviewRound, communes) -> list[dict]:
    """Per kind, over the round's poor and near-poor entries of these communes: households
    supported in the round's year, records and total amount (one grouped query)."""
    first, last = year_bounds(round_.year)
    rows = (
        SupportRecord.objects.filter(
            received_on__gte=first,
            received_on__lte=last,
            household_id__in=helped_entries(round_, communes).values("household_id"),
        )
        .order_by()
        .values("kind__position", "kind__name", "kind__unit")
        .annotate(
            households=Count("household_id", distinct=True),
            records=Count("pk"),
            amount=Sum("amount"),
            quantity=Sum("quantity"),
        )
        .order_by("kind__position", "kind__name")
    )
    return list(rows)
