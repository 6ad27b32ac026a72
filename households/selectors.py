"""User-scoped reads of households and surveys: the only way views fetch them.

An object outside the user's scope is a 404 (its existence is not revealed); a user who may see
but not change it gets a 403 from ``*_for_change`` getters.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from areas.scope import Capability, Scope

from .models import CommuneSubmission, Household, ReviewRound, RoundStatus, Survey


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
    """Surveys of households the user may see (wherever the survey was taken)."""
    return Survey.objects.filter(household__in=household_list_for_user(scope).values("pk"))


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


def round_current() -> ReviewRound | None:
    """The open periodic round, else the latest round."""
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
