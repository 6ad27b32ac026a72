"""User-scoped reads of households and surveys: the only way views fetch them.

An object outside the user's scope is a 404 (its existence is not revealed); a user who may see
but not change it gets a 403 from ``*_for_change`` getters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from areas.models import Unit
from areas.scope import Capability, Scope, user_scope

from .choices import POVERTY_CLASS
from .models import (
    AverageLivingRequest,
    CommuneSubmission,
    Household,
    HouseholdStatus,
    ReviewRound,
    RoundStatus,
    Survey,
    SurveyStatus,
)
from .search import household_match


def household_list_for_user(scope: Scope) -> QuerySet[Household]:
    """Households whose current commune is in the user's scope today."""
    return Household.objects.filter(commune__in=scope.communes(Capability.SEE).values("pk"))


def household_get_for_user(scope: Scope, pk: int) -> Household:
    household = (
        household_list_for_user(scope).select_related("commune", "commune__parent").filter(pk=pk)
    ).first()
    if household is None:
        raise Http404
    return household


def household_get_for_change(scope: Scope, pk: int) -> Household:
    """A household the user may change: in scope (else 404) and in a commune they enter data for."""
    household = household_get_for_user(scope, pk)
    if not scope.covers(household.commune, Capability.ENTER):
        raise PermissionDenied
    return household


def survey_list_for_user(scope: Scope) -> QuerySet[Survey]:
    """Surveys of households the user may see today, wherever the survey was taken: the rule of
    a single survey's page (``survey_get_for_user``). A round's list is ``RoundCommunes``."""
    return Survey.objects.filter(household__in=household_list_for_user(scope).values("pk"))


def round_scope(user, round_: ReviewRound, today: Scope) -> Scope:
    """What a user may see of a round: the units valid at the round's reference date under their
    assignments of that date or of today (two queries).

    The round's date picks the unit tree (2023/2024 rounds are on the communes before the 2025
    reform, later rounds on the new ones) and keeps the assignments the user held then (an
    officer of a former commune still sees its old lists); today's assignments add what the
    user is responsible for now (an officer assigned in the middle of a round sees the round's
    entries of their commune; on a round of the old tree today's units of the new tree cover
    nothing, except through a former-district group that names the old district).
    """
    day = round_.reference_date
    then = user_scope(user, day) if day != today.day else today
    paths: dict[str, tuple[str, ...]] = {}
    for capability in set(then.paths) | set(today.paths):
        paths[capability] = tuple(
            sorted(set(then.paths.get(capability, ())) | set(today.paths.get(capability, ())))
        )
    return Scope(day=day, roles=then.roles | today.roles, paths=paths)


@dataclass(frozen=True)
class RoundCommunes:
    """The communes a user sees in a round, by primary key, and how entries are scoped to them.

    Entries are scoped by explicit commune ids on the survey row (``Survey.commune_id``), never
    through households or unit paths, so the planner never has to guess the scope's size. When
    the ids are the only units with primary keys from the first to the last (a commune, a
    former district, a province: units are loaded in code order), the condition is the range
    ``commune_id BETWEEN first AND last``: an index on (round, commune, household) then returns
    the entries already in the list's order, and a page reads only its rows. A scattered set
    of communes is an ``IN`` list (the planner then sorts the matching rows).
    """

    communes: tuple[Unit, ...]  # by primary key
    contiguous: bool

    @property
    def ids(self) -> list[int]:
        return [c.pk for c in self.communes]

    @property
    def by_id(self) -> dict[int, Unit]:
        return {c.pk: c for c in self.communes}

    def condition(self, prefix: str = "") -> Q:
        ids = self.ids
        if not ids:
            return Q(pk__in=[])
        if len(ids) == 1:
            return Q(**{f"{prefix}commune_id": ids[0]})
        if self.contiguous:
            return Q(**{f"{prefix}commune_id__gte": ids[0], f"{prefix}commune_id__lte": ids[-1]})
        return Q(**{f"{prefix}commune_id__in": ids})


def round_communes_for_user(scope: Scope, *, within: list[int] | None = None) -> RoundCommunes:
    """The communes valid at the scope's day that the scope covers (optionally only those among
    ``within``), and whether they are a contiguous run of unit keys: two small queries."""
    units = scope.communes(Capability.SEE)
    if within is not None:
        units = units.filter(pk__in=within)
    communes = tuple(
        units.only(
            "pk", "code", "name", "kind", "level", "path", "valid_from", "valid_to", "name_folded"
        ).order_by("pk")
    )
    contiguous = bool(communes) and (
        Unit.objects.filter(pk__range=(communes[0].pk, communes[-1].pk)).count() == len(communes)
    )
    return RoundCommunes(communes=communes, contiguous=contiguous)


def survey_list_for_round(round_: ReviewRound, communes: RoundCommunes) -> QuerySet[Survey]:
    """The round's entries (surveys) in the given communes: the household list's rows."""
    return Survey.objects.filter(communes.condition(), round=round_)


def survey_get_for_user(scope: Scope, pk: int) -> Survey:
    survey = (
        survey_list_for_user(scope)
        .select_related("household", "round", "commune", "household__commune")
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def survey_get_for_change(scope: Scope, pk: int) -> Survey:
    """A survey the user may edit: in scope (else 404) and in a commune they enter data for."""
    survey = survey_get_for_user(scope, pk)
    if not scope.covers(survey.commune, Capability.ENTER):
        raise PermissionDenied
    return survey


def round_list() -> QuerySet[ReviewRound]:
    """Rounds are not personal data: every signed-in user may list them."""
    return ReviewRound.objects.order_by("-starts_on")


def round_get(pk: int) -> ReviewRound:
    round_ = ReviewRound.objects.filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def round_current(rounds: list[ReviewRound] | None = None) -> ReviewRound | None:
    """The open periodic round, else the latest round (from ``rounds``, all the rounds ordered
    by ``round_list()``, when the caller has them already: no query)."""
    if rounds is not None:
        return next(
            (r for r in rounds if r.status == RoundStatus.OPEN and r.kind == "periodic"),
            rounds[0] if rounds else None,
        )
    return (
        ReviewRound.objects.filter(status=RoundStatus.OPEN, kind="periodic").first()
        or ReviewRound.objects.order_by("-starts_on").first()
    )


def submission_list_for_user(scope: Scope, round_: ReviewRound) -> QuerySet[CommuneSubmission]:
    return CommuneSubmission.objects.filter(
        round=round_, commune__in=scope.communes(Capability.SEE).values("pk")
    ).select_related("commune")


def submission_get_for_user(scope: Scope, pk: int) -> CommuneSubmission:
    sub = (
        CommuneSubmission.objects.select_related("round", "commune")
        .filter(pk=pk, commune__in=scope.communes(Capability.SEE).values("pk"))
        .first()
    )
    if sub is None:
        raise Http404
    return sub


def average_requests_for_entry(survey: Survey) -> QuerySet[AverageLivingRequest]:
    """The average-living requests of a survey's household in its round (the survey page's
    access rule applies: pass a survey from ``survey_get_for_user``)."""
    return AverageLivingRequest.objects.filter(
        household_id=survey.household_id, round_id=survey.round_id
    ).select_related("decided_by", "created_by")


def average_request_get_for_change(scope: Scope, pk: int) -> tuple[AverageLivingRequest, Survey]:
    """A request and its household's entry in the request's round, for a user who enters data
    for that entry's commune: outside their scope 404, read-only 403 (``survey_get_for_change``)."""
    request = AverageLivingRequest.objects.filter(pk=pk).first()
    if request is None:
        raise Http404
    entry = Survey.objects.filter(household_id=request.household_id, round_id=request.round_id)
    survey = survey_get_for_change(scope, entry.values_list("pk", flat=True).first() or 0)
    return request, survey


def survey_open_for(household) -> Survey | None:
    """The household's entry in the newest open round (the household is already in scope)."""
    return (
        Survey.objects.filter(household=household, round__status=RoundStatus.OPEN)
        .order_by("-round__starts_on")
        .first()
    )


def survey_last_surveyed_before(survey: Survey) -> Survey | None:
    """The household's last surveyed entry of an earlier round (to prefill a new survey)."""
    return (
        Survey.objects.filter(
            household=survey.household_id,
            status=SurveyStatus.SURVEYED,
            round__starts_on__lt=survey.round.starts_on,
        )
        .select_related("round")
        .order_by("-round__starts_on")
        .first()
    )


ENTRY_CANDIDATES = 20  # households shown by the picker of a regular round's list


def round_entry_candidates(round_: ReviewRound, commune: Unit, search: str = "") -> list[Household]:
    """Active households of ``commune`` (in the caller's scope) not on the round's list yet:
    those matching ``search`` (code or head's name, as the list searches), else those that asked
    to be reviewed. With the class of their latest entry. One query, at most ENTRY_CANDIDATES."""
    latest = (
        Survey.objects.filter(household=OuterRef("pk"))
        .exclude(poverty_class="")
        .order_by("-round__starts_on")
        .values("poverty_class")[:1]
    )
    households = Household.objects.filter(commune=commune, status=HouseholdStatus.ACTIVE).exclude(
        Exists(Survey.objects.filter(round=round_, household=OuterRef("pk")))
    )
    term = search.strip()
    households = (
        households.filter(household_match(term, ""))
        if term
        else households.filter(requested_review=True)
    )
    rows = list(
        households.annotate(latest_class=Subquery(latest)).order_by("village", "code")[
            :ENTRY_CANDIDATES
        ]
    )
    labels = dict(POVERTY_CLASS)
    for h in rows:
        h.latest_label = labels.get(h.latest_class or "", "")
    return rows


def round_entry_household(commune: Unit, pk: int) -> Household:
    """A household the officer picked for the list: active and of this commune, else 404."""
    household = (
        Household.objects.filter(pk=pk, commune=commune, status=HouseholdStatus.ACTIVE)
        .select_related("commune")
        .first()
    )
    if household is None:
        raise Http404
    return household
