"""A round's household list as a user sees it: scope, filters, a page of rows, totals.

Shared by the list page (/ho/), its deferred totals (/ho/tong-so/) and the "download as shown"
export, so that all three select the same rows in the same order.

Province scale (1,000,000 households, four rounds): rows are scoped by explicit commune ids on
the survey row (``selectors.RoundCommunes``), paged by key (``paging``), and only the columns
shown are read (never the members snapshot). Totals come from the stored per-commune totals of
the last rollup (``indicators.CommuneTotals``) when the filters match a stored breakdown (no
filter, a commune, a class): one small query, shown with the time they were computed. Other
filters are counted exactly by a separate request that the page loads after it is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, Min, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict

from areas.models import Kind
from areas.scope import Capability, Scope
from indicators.models import CommuneTotals

from . import choices, counting, selectors
from .filters import SurveyFilter
from .models import ReviewRound, SurveyStatus
from .paging import PAGING_PARAMS, KeysetPage, keyset_page
from .standards import PovertyClass

# The columns of a row (households/templates/households/household_list.html).
ROW_FIELDS = (
    "id",
    "household",
    "commune_id",
    "status",
    "effective_class",
    "transition",
    "deprived_count",
    "is_ethnic_minority",
    "household__code",
    "household__head_name",
    "household__village",
    "household__commune_id",
)

# Filters whose totals the rollup stores per commune: the class keys of CommuneTotals.data.
STORED_FILTERS = frozenset({"commune", "poverty_class"})
CLASS_KEYS = {
    PovertyClass.POOR.value: ("poor", "poor_persons"),
    PovertyClass.NEAR_POOR.value: ("near", "near_persons"),
    PovertyClass.AVERAGE.value: ("average", "average_persons"),
}
CLASSES = tuple(CLASS_KEYS)  # poor, near_poor, average: the totals shown


@dataclass(frozen=True)
class RoundList:
    round: ReviewRound
    communes: selectors.RoundCommunes
    filter: SurveyFilter

    @property
    def entries(self):
        """The filtered entries (unordered)."""
        return self.filter.qs


def round_list_for_user(user, today: Scope, round_: ReviewRound, data) -> RoundList:
    """The entries of ``round_`` in the communes the user sees in it, filtered by ``data``."""
    scope = selectors.round_scope(user, round_, today)
    communes = selectors.round_communes_for_user(scope)
    entries = selectors.survey_list_for_round(round_, communes)
    survey_filter = SurveyFilter(
        data, queryset=entries, communes=communes, standard=round_.get_standard()
    )
    return RoundList(round=round_, communes=communes, filter=survey_filter)


def list_page(found: RoundList, query: QueryDict, today: Scope) -> KeysetPage:
    """One page of rows (one query), each with its commune and what the user may do with it:
    enter the survey (today's scope) and open the household (it is in today's scope)."""
    rows = found.entries.select_related("household").only(*ROW_FIELDS)
    page = keyset_page(rows, query)
    communes = found.communes.by_id
    visible = set(today.communes(Capability.SEE).values_list("pk", flat=True)) if page.rows else ()
    # Labels translated once per page: get_FOO_display() translates every choice on each call.
    classes = {k: str(v) for k, v in choices.POVERTY_CLASS}
    transitions = {k: str(v) for k, v in choices.TRANSITION}
    statuses = {k: str(v) for k, v in SurveyStatus.choices}
    kinds = {k: str(v) for k, v in Kind.choices}
    for survey in page.rows:
        survey.commune = communes[survey.commune_id]
        survey.commune_label = f"{kinds.get(survey.commune.kind, '')} {survey.commune.name}"
        survey.can_enter = today.covers(survey.commune, Capability.ENTER)
        survey.can_open = survey.household.commune_id in visible
        # A pending entry shows (and counts with) its previous class, marked as such.
        survey.class_label = classes.get(survey.effective_class, "")
        survey.transition_label = transitions.get(survey.transition, "")
        survey.status_label = statuses.get(survey.status, survey.status)
    return page


def other_params(query: QueryDict) -> str:
    """The query without its paging parameters: the filters and the round."""
    kept = query.copy()
    for name in PAGING_PARAMS:
        kept.pop(name, None)
    return kept.urlencode()


@dataclass(frozen=True)
class Totals:
    entries: int
    poor: int
    near_poor: int
    average: int
    persons: int
    as_of: dt.datetime | None  # stored totals: when the oldest of them was computed
    stored: bool


def stored_totals(found: RoundList) -> Totals | None:
    """The list's totals from the stored per-commune totals (one query), when the filters match
    a stored breakdown and the round was rolled up; otherwise None (count them: ``counted``)."""
    active = found.filter.active()
    if set(active) - STORED_FILTERS:
        return None
    cls = active.get("poverty_class")
    if cls is not None and cls not in CLASS_KEYS:
        return None  # "not poor": the stored keys do not tell it from "not classified yet"
    ids = [int(active["commune"])] if "commune" in active else found.communes.ids
    if not ids:
        return Totals(0, 0, 0, 0, 0, None, stored=False)

    def total(key: str):
        return Coalesce(Sum(Cast(KT(f"data__{key}"), BigIntegerField())), 0)

    keys = {"entries": "households", "persons": "persons"}
    if cls is not None:
        keys = dict(zip(("entries", "persons"), CLASS_KEYS[cls], strict=True))
    else:
        keys.update({c: CLASS_KEYS[c][0] for c in CLASSES})
    row = CommuneTotals.objects.filter(round=found.round, commune_id__in=ids).aggregate(
        rows=Count("pk"), as_of=Min("computed_at"), **{k: total(v) for k, v in keys.items()}
    )
    if not row["rows"]:
        return None  # never rolled up (or no entries when it was): count the rows
    by_class = {c: row.get(c, 0) for c in CLASSES}
    if cls is not None:
        by_class[cls] = row["entries"]
    return Totals(
        entries=row["entries"],
        persons=row["persons"],
        as_of=row["as_of"],
        stored=True,
        **by_class,
    )


def counted_totals(found: RoundList) -> Totals:
    """The list's totals counted from its rows: one aggregate query, by the counting rules
    every figure uses (``households.counting``)."""
    row = found.entries.order_by().aggregate(**counting.class_counts(CLASSES))
    return Totals(as_of=None, stored=False, **row)
