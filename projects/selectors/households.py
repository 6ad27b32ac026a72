"""Households and members the projects app picks from (read-only queries of households data)."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from areas.models import Unit
from areas.text import fold
from households.models import Household, HouseholdStatus, Member, Survey

from .. import rules
from ..models import Project

ESCAPED = ("poor_to_none", "near_poor_to_none")
SEARCH_LIMIT = 50


def _search(qs: QuerySet, search: str, prefix: str = "") -> QuerySet:
    term = search.strip()
    if not term:
        return qs
    return qs.filter(
        Q(**{f"{prefix}code__icontains": term})
        | Q(**{f"{prefix}head_name_folded__contains": fold(term)})
    )


def households_by_code_for_project(project: Project, codes: list[str]) -> dict[str, Household]:
    """The active households of the project's communes among ``codes``, by code (one query).

    A code missing from the answer may be unknown, of a household elsewhere (another district,
    outside the user's scope) or no longer resident: the caller answers all of these alike, so
    that typing codes never tells whether a household exists outside the project."""
    households = Household.objects.filter(
        code__in=codes, commune__in=project.communes.all(), status=HouseholdStatus.ACTIVE
    )
    return {h.code: h for h in households}


def household_candidates(project: Project, search: str = "") -> list[Household]:
    """Active households living in the project's communes and not in it yet, with their latest
    class and a suggested beneficiary category (the officer decides). One query."""
    latest = (
        Survey.objects.filter(household=OuterRef("pk"))
        .exclude(poverty_class="")
        .order_by("-round__starts_on")
    )
    rows = list(
        _search(
            Household.objects.filter(
                commune__in=project.communes.all(), status=HouseholdStatus.ACTIVE
            ).exclude(pk__in=project.participants.values("household_id")),
            search,
        )
        .select_related("commune")
        .annotate(
            latest_class=Subquery(latest.values("poverty_class")[:1]),
            latest_transition=Subquery(latest.values("transition")[:1]),
        )
        .order_by("village", "head_name_folded")[:SEARCH_LIMIT]
    )
    for h in rows:
        h.suggested = rules.suggested_category(
            poverty_class=h.latest_class,
            escaped_recently=h.latest_transition in ESCAPED,
            poor_area=h.commune.is_poor_district or h.commune.is_coastal_difficult,
        )
    return rows


def members_under(unit: Unit, search: str = "") -> QuerySet[Member]:
    """Current members of active households living under a unit (a course's host unit)."""
    members = Member.objects.filter(
        is_current=True,
        household__status=HouseholdStatus.ACTIVE,
        household__commune__path__startswith=unit.path,
    )
    term = search.strip()
    if term:
        members = members.filter(
            Q(household__code__icontains=term)
            | Q(full_name__icontains=term)
            | Q(household__head_name_folded__contains=fold(term))
        )
    return members.select_related("household").order_by("household__code", "id")


def households_chosen_for_project(project: Project, ids) -> QuerySet:
    """Of the households ticked on the participants step, those of the project's communes (any
    other id is ignored, like an unknown one)."""
    return Household.objects.filter(pk__in=list(ids), commune__in=project.communes.all())
