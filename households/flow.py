"""The officer's loop through a round's list: open a survey from the filtered list, save, and come
back to the same filters, sort and page, or go straight to the next pending survey of that list.
The list also remembers each round's last filters in the session.

The list's query travels with the survey as one parameter (``list``): its filters, the round and
the page, never a URL, so that a crafted value can only ever lead back to the household list.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from areas.scope import Capability, Scope

from . import listing
from .filters import SurveyFilter
from .models import Survey, SurveyStatus
from .paging import KEY, PAGING_PARAMS

SESSION_KEY = "household_list_filters"  # {round pk: the filters' query}


def filter_names() -> tuple[str, ...]:
    return tuple(SurveyFilter.base_filters)


def clean_query(raw: str) -> str:
    """Only the list's own parameters (round, filters, paging) of a query string."""
    query = QueryDict(raw or "")
    allowed = {"round", *filter_names(), *PAGING_PARAMS}
    kept = QueryDict(mutable=True)
    for name in allowed:
        values = [v for v in query.getlist(name) if v and len(v) <= 200]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def filters_only(query: QueryDict) -> str:
    """The filters of a list query (no round, no page): what the session keeps per round."""
    kept = QueryDict(mutable=True)
    for name in filter_names():
        values = [v for v in query.getlist(name) if v]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def list_url(query: str, round_id: int | None = None) -> str:
    """The household list at that query (the round's list by default)."""
    query = clean_query(query)
    if not query and round_id is not None:
        query = f"round={round_id}"
    return f"{reverse('household_list')}?{query}" if query else reverse("household_list")


def next_pending(user, today: Scope, survey: Survey, query: str) -> Survey | None:
    """The next pending survey after ``survey`` in the list at ``query`` (same filters, the
    list's order), among those the user may enter; from the top when none follows."""
    data = QueryDict(clean_query(query), mutable=True)
    data["status"] = SurveyStatus.PENDING
    found = listing.round_list_for_user(user, today, survey.round, data)
    enter = today.communes(Capability.ENTER).values("pk")
    entries = found.entries.filter(commune_id__in=enter).exclude(pk=survey.pk)
    first, second = KEY
    after = Q(**{f"{first}__gt": getattr(survey, first)}) | Q(
        **{first: getattr(survey, first), f"{second}__gt": getattr(survey, second)}
    )
    return entries.filter(after).order_by(*KEY).first() or entries.order_by(*KEY).first()


def remember(session, round_id: int, query: QueryDict) -> None:
    saved = dict(session.get(SESSION_KEY, {}))
    filters = filters_only(query)
    if filters:
        saved[str(round_id)] = filters
    else:
        saved.pop(str(round_id), None)
    session[SESSION_KEY] = saved


def remembered(session, round_id: int) -> str:
    return session.get(SESSION_KEY, {}).get(str(round_id), "")


def forget(session, round_id: int) -> None:
    remember(session, round_id, QueryDict())
