"""Many surveys saved at once, set-based (the survey import's confirm, reports.imports).

``surveys_save_bulk`` writes exactly what ``household_create`` (for a new household) and then
``survey_save`` write for each entry, one household after another: the same rows with the same
values, the same history rows (type, user, change reason), the same transitions of every round
of the household, but with a fixed number of statements per batch of households instead of
about 46 per household. The decisions come from the functions the survey page's save calls
(``_check_member_rows``, ``household_update``, ``_members_diff``, ``facts.surveyed``,
``rules.transitions_across_rounds``): one implementation of each rule.

What it checks, as those services do: the user may enter data in every commune (one scope check
per commune), the round is open and no commune's results are locked, the versions seen have not
moved (``ConcurrentEdit``; the rows are locked first), a new code is not taken, no citizen ID
belongs to a current member of another household, the members' own rules. Any refusal raises
before the first write; the caller's transaction makes the whole of it atomic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability, user_scope

from .. import facts as F_
from ..models import (
    Exclusion,
    Household,
    Member,
    ReviewRound,
    RoundKind,
    Survey,
    SurveyDeprivation,
    SurveyStatus,
)
from ..rules import RoundEntries, transitions_across_rounds
from . import rows
from .common import ConcurrentEdit, _require_unlocked, _results_changed, approved_requests
from .members import _check_member_rows, _citizen_id_taken, _members_diff, _sync_head
from .surveys import household_update

BULK_BATCH = 2000  # households written per step: memory stays bounded by one step
IDS = 900  # ids per IN (...): under SQLite's variable limit on any build


@dataclass
class SurveyEntry:
    """One household's survey as ``survey_save`` takes it. Without ``survey_id`` it is a new
    household (``code``), registered as ``household_create`` does (arrival "new")."""

    commune: Unit
    household_data: Mapping[str, Any]  # the page's household fields (village, flags...)
    members: list[Mapping[str, Any]]  # "id": a current member to update; none: one to add
    survey_data: Mapping[str, Any]  # the survey's facts (SurveyForm.facts())
    code: str = ""
    survey_id: int | None = None
    survey_version: int = 0  # the versions seen when the data was read
    household_version: int | None = None  # checked too when given

    @property
    def is_new(self) -> bool:
        return self.survey_id is None


@dataclass
class _Step:
    """One batch of entries on its way to the database."""

    entries: list[SurveyEntry]
    surveys: dict[int, Survey] = field(default_factory=dict)  # survey id -> locked row
    households: dict[int, Household] = field(default_factory=dict)  # household id -> row
    current: dict[int, dict[int, Member]] = field(default_factory=dict)  # household -> members


@transaction.atomic
def surveys_save_bulk(
    *,
    by,
    round_: ReviewRound,
    entries: Sequence[SurveyEntry],
    progress: Callable[[int], None] | None = None,
    batch: int | None = None,
) -> dict[str, int]:
    """Save every entry's survey (registering the new households first); returns the counts
    ``{"created": new households, "saved": surveys}``. All of it or, on any refusal, nothing."""
    entries = list(entries)
    communes = {e.commune.pk: e.commune for e in entries}
    scope = user_scope(by)
    for commune in sorted(communes.values(), key=lambda c: c.code):
        if not scope.covers(commune, Capability.ENTER):
            raise PermissionDenied
        _require_unlocked(round_, commune)
    new = [e for e in entries if e.is_new]
    if new and not (round_.kind == RoundKind.PERIODIC and round_.is_open):
        raise ValueError("new households join only the open periodic round")
    if any(not e.commune.is_valid_on(round_.reference_date) for e in new):
        raise ValueError("a new household's commune must exist at the round's date")
    for entry in entries:
        _check_member_rows(entry.members)
    _check_codes(new)
    _check_citizen_ids(entries)
    rounds = {r.pk: r for r in ReviewRound.objects.all()}
    batch = batch or BULK_BATCH
    done = 0
    for start in range(0, len(entries), batch):
        step = _Step(entries[start : start + batch])
        _lock(step, round_)
        _write(step, by=by, round_=round_, rounds=rounds)
        done += len(step.entries)
        if progress:
            progress(done)
    for commune in communes.values():
        _results_changed(round_, commune)
    return {"created": len(new), "saved": len(entries)}


# --- checks ------------------------------------------------------------------------------------


def _chunks(values: Sequence, size: int = IDS):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check_codes(new: list[SurveyEntry]) -> None:
    codes = [e.code for e in new]
    if len(set(codes)) != len(codes) or not all(codes):
        raise ValueError("new households need distinct codes")
    for chunk in _chunks(codes):
        taken = Household.objects.filter(code__in=chunk).values_list("code", flat=True).first()
        if taken:
            raise ValidationError({"code": _("Mã hộ %(code)s đã tồn tại.") % {"code": taken}})


def _check_citizen_ids(entries: list[SurveyEntry]) -> None:
    """No citizen ID of the entries may belong to a current member of another household."""
    households: dict[int, int] = {}  # survey id -> household id
    for chunk in _chunks([e.survey_id for e in entries if not e.is_new]):
        households.update(Survey.objects.filter(pk__in=chunk).values_list("pk", "household_id"))
    own: dict[str, int | None] = {}
    for entry in entries:
        for m in entry.members:
            if m.get("citizen_id"):
                own[m["citizen_id"]] = households.get(entry.survey_id)
    for chunk in _chunks(sorted(own)):
        holders = Member.objects.filter(citizen_id__in=chunk, is_current=True)
        for citizen_id, household_id in holders.values_list("citizen_id", "household_id"):
            if household_id != own[citizen_id]:
                raise _citizen_id_taken(citizen_id)


def _lock(step: _Step, round_: ReviewRound) -> None:
    """Lock the entries' surveys and households (as ``survey_save`` does one by one), check the
    versions seen, and read the households' current members."""
    seen = [e for e in step.entries if not e.is_new]
    for chunk in _chunks(sorted(e.survey_id for e in seen)):
        locked = Survey.objects.select_for_update().filter(pk__in=chunk, round=round_)
        step.surveys.update((s.pk, s) for s in locked.defer("members_snapshot").order_by("pk"))
    for chunk in _chunks(sorted({s.household_id for s in step.surveys.values()})):
        locked = Household.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        step.households.update((h.pk, h) for h in locked)
        for m in Member.objects.filter(household_id__in=chunk, is_current=True).order_by("pk"):
            step.current.setdefault(m.household_id, {})[m.pk] = m
    for entry in seen:
        survey = step.surveys.get(entry.survey_id)
        household = step.households.get(survey.household_id) if survey else None
        if (
            household is None
            or survey.version != entry.survey_version
            or survey.commune_id != entry.commune.pk
            or entry.household_version not in (None, household.version)
        ):
            raise ConcurrentEdit(
                _(
                    "Phiếu này vừa được người khác (hoặc ở thẻ khác) lưu. Tải lại trang để xem "
                    "bản mới nhất rồi nhập lại thay đổi của bạn."
                )
            )


# --- writes ------------------------------------------------------------------------------------


def _write(step: _Step, *, by, round_: ReviewRound, rounds: Mapping[int, ReviewRound]) -> None:
    """One batch, in the order the per-row path writes: households (registered, then saved),
    members, surveys (registered, then saved), deprivations, transitions."""
    now = timezone.now()
    new = [e for e in step.entries if e.is_new]
    household_ids = iter(rows.reserve_ids(Household, len(new)))
    survey_ids = iter(rows.reserve_ids(Survey, len(new)))
    pairs = []  # (entry, household, its survey's id)
    for entry in step.entries:
        if entry.is_new:
            household = Household(
                id=next(household_ids), commune_id=entry.commune.pk, code=entry.code,
                created_at=now, updated_at=now, **entry.household_data,
            )  # fmt: skip
            pairs.append((entry, household, next(survey_ids)))
        else:
            survey = step.surveys[entry.survey_id]
            pairs.append((entry, step.households[survey.household_id], survey.pk))
    _write_households(pairs, by=by, now=now)
    _write_members(step, pairs, by=by)
    _write_surveys(step, pairs, by=by, round_=round_, rounds=rounds, now=now)


def _write_households(pairs, *, by, now) -> None:
    """household_create's registration of the new ones, survey_save's update of all."""
    snapshot = rows.history_of(Household)
    registered, saved = [], []
    for entry, household, _survey_id in pairs:
        if entry.is_new:
            _sync_head(household, entry.members)
            registered.append(snapshot(household))  # as household_create saves it
            household_update(household, {}, entry.members)  # the import passes no fields again
        else:
            household_update(household, entry.household_data, entry.members)
            household.updated_at = now
        saved.append(snapshot(household))
    values = rows.values_of(Household)
    rows.insert(Household, [values(h) for e, h, _s in pairs if e.is_new])
    fields = {name for e, _h, _s in pairs for name in e.household_data} | _HOUSEHOLD_SAVED
    rows.update(Household, [h for e, h, _s in pairs if not e.is_new], sorted(fields))
    rows.history_insert(Household, registered, kind="+", by=by)
    rows.history_insert(Household, saved, kind="~", by=by)


def _write_members(step: _Step, pairs, *, by) -> None:
    """_save_members for every household: the ones who left, the changed, the added."""
    changed: list[Member] = []
    gone: list[Member] = []
    added: list[tuple] = []  # rows, in the order of rows.columns(Member)
    names = [f.attname for f in rows.columns(Member)]
    defaults = {f.attname: f.get_default() for f in rows.columns(Member) if not f.primary_key}
    for entry, household, _survey_id in pairs:
        if entry.is_new:
            current, members = {}, [{**m, "id": None} for m in entry.members]
        else:
            current, members = step.current.get(household.pk, {}), entry.members
        diff_changed, diff_added, diff_gone = _members_diff(current, members)
        changed += diff_changed
        gone += diff_gone
        for values in diff_added:  # as Member.objects.create(household=..., **values)
            row = {**defaults, **values, "household_id": household.pk}
            added.append(tuple(row.get(name) for name in names))
    ids = rows.reserve_ids(Member, len(added))
    added = [(pk, *row[1:]) for pk, row in zip(ids, added, strict=True)]
    rows.update(Member, gone, ["is_current"])  # first: a citizen ID may pass to a new row
    rows.update(Member, changed, _MEMBER_FIELDS)
    snapshot = rows.history_of(Member)
    rows.history_insert(Member, [snapshot(m) for m in gone + changed], kind="~", by=by)
    rows.insert(Member, added)
    if [f.attname for f in Member.history.model.tracked_fields] != names:
        raise RuntimeError("a member's history row is not its row")
    rows.history_insert(Member, added, kind="+", by=by)


def _write_surveys(step: _Step, pairs, *, by, round_, rounds, now) -> None:
    """survey_save's classification, deprivations and transitions. Its history row is taken
    at its save, before the transitions are refreshed: the row shows the transition held until
    then (as the per-row path writes it)."""
    on, standard = round_.reference_date, round_.get_standard()
    snapshot = rows.history_of(Survey)
    registered, history, saved, fresh, deprivations = [], [], [], [], []
    requests = approved_requests(round_, [h.pk for e, h, _s in pairs if not e.is_new])
    for entry, household, survey_id in pairs:
        result = F_.surveyed(
            members=entry.members,
            survey=entry.survey_data,
            on=on,
            is_urban=entry.commune.is_urban,
            is_farm_household=household.is_farm_household,
            is_ethnic_minority=household.is_ethnic_minority,
            standard=standard,
            average_request=requests.get(household.pk),
        )
        if entry.is_new:
            survey = Survey(
                id=survey_id,
                household_id=household.pk,
                round_id=round_.pk,
                commune_id=entry.commune.pk,
                arrival="new",
                status=SurveyStatus.PENDING,
                is_ethnic_minority=household.is_ethnic_minority,
                is_urban=entry.commune.is_urban,
                member_count=len(entry.members),
                updated_at=now,
            )
            registered.append(snapshot(survey))  # household_create's pending entry
            fresh.append(survey)
        else:
            survey = step.surveys[survey_id]
        for name, value in result.values.items():
            setattr(survey, name, value)
        survey.status = SurveyStatus.SURVEYED
        survey.surveyed_by = by
        survey.surveyed_at = survey.updated_at = now
        survey.version += 1
        history.append(snapshot(survey))
        saved.append(survey)
        deprivations += [(survey.pk, code, reasons) for code, reasons in result.deprivations]
    others = _transitions(saved, rounds, new={s.household_id for s in fresh})
    values = rows.values_of(Survey)
    rows.insert(Survey, [values(s) for s in fresh])
    rows.update(Survey, [s for s in saved if s.pk in step.surveys], _survey_saved(step.entries))
    rows.history_insert(Survey, registered, kind="+", by=by)
    rows.history_insert(Survey, history, kind="~", by=by)
    for chunk in _chunks(sorted(step.surveys)):
        SurveyDeprivation.objects.filter(survey_id__in=chunk).delete()
    rows.insert(
        SurveyDeprivation,
        deprivations,
        names=["survey_id", "indicator", "reasons"],
    )
    for model in (Survey, Exclusion):
        rows.update(
            model, [o for o in others if type(o) is model], ["previous_class", "transition"]
        )


_HOUSEHOLD_SAVED = {
    "head_name", "head_name_folded", "is_ethnic_minority", "requested_review", "version",
    "updated_at",
}  # fmt: skip
_MEMBER_FIELDS = [
    f.attname
    for f in Member._meta.concrete_fields
    if f.attname not in ("id", "household_id", "is_current")
]


def _survey_saved(entries: Iterable[SurveyEntry]) -> list[str]:
    """The columns survey_save's save changes: the facts entered, the results, who and when."""
    names = {name for e in entries for name in e.survey_data}
    names |= {
        "income_per_person", "is_urban", "is_ethnic_minority", "member_count",
        "members_snapshot", "deprived_count", "b2_score", "poverty_class", "status",
        "surveyed_by_id", "surveyed_at", "updated_at", "version", "previous_class", "transition",
    }  # fmt: skip
    return sorted(names)


def _transitions(
    saved: list[Survey], rounds: Mapping[int, ReviewRound], *, new: set[int]
) -> list[models.Model]:
    """household_transitions_refresh for every household at once: the previous class and
    transition of all their entries, every round. Set on the saved surveys (written with them);
    the other entries that change are returned to be written. ``new``: households registered
    in this batch (no other entries)."""
    surveys: dict[int, list[Survey]] = {s.household_id: [s] for s in saved}
    exclusions: dict[int, list[Exclusion]] = defaultdict(list)
    saved_ids = {s.pk for s in saved}
    for chunk in _chunks(sorted(set(surveys) - new)):
        found = Survey.objects.filter(household_id__in=chunk).only(
            "household_id", "round_id", "poverty_class", "arrival", "previous_class", "transition"
        )
        for survey in found:
            if survey.pk not in saved_ids:
                surveys[survey.household_id].append(survey)
        found = Exclusion.objects.filter(household_id__in=chunk).only(
            "household_id", "round_id", "previous_class", "transition"
        )
        for exclusion in found:
            exclusions[exclusion.household_id].append(exclusion)
    changed: list[models.Model] = []
    for household_id, entries in surveys.items():
        gone = exclusions.get(household_id, [])
        by_round = {s.round_id: i for i, s in enumerate(entries)}
        order = sorted(
            {s.round_id for s in entries} | {x.round_id for x in gone},
            key=lambda pk: (rounds[pk].starts_on, pk),
        )
        found = transitions_across_rounds(
            RoundEntries(
                periodic=rounds[pk].kind == RoundKind.PERIODIC,
                exclusions=tuple(("x", j) for j, x in enumerate(gone) if x.round_id == pk),
                survey=("s", by_round[pk]) if pk in by_round else None,
                poverty_class=entries[by_round[pk]].poverty_class if pk in by_round else "",
                arrived=pk in by_round and bool(entries[by_round[pk]].arrival),
            )
            for pk in order
        )
        for (kind, i), (previous, transition) in found.items():
            entry = entries[i] if kind == "s" else gone[i]
            if (entry.previous_class, entry.transition) == (previous, transition):
                continue
            entry.previous_class, entry.transition = previous, transition
            if entry is not entries[0]:
                changed.append(entry)
    return changed
