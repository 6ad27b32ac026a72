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

import copy
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
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
from .common import ConcurrentEdit, _require_unlocked, _results_changed
from .members import _check_member_rows, _citizen_id_taken, _members_diff, _sync_head
from .surveys import household_update

BULK_BATCH = 2000  # households written per step: memory stays bounded by one step
ROWS = 1000  # rows per UPDATE statement (and per INSERT of bulk_create)
COPY_ROWS = 20_000  # rows per COPY
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
        rows = Member.objects.filter(citizen_id__in=chunk, is_current=True)
        for citizen_id, household_id in rows.values_list("citizen_id", "household_id"):
            if household_id != own[citizen_id]:
                raise _citizen_id_taken(citizen_id)


def _lock(step: _Step, round_: ReviewRound) -> None:
    """Lock the entries' surveys and households (as ``survey_save`` does one by one), check the
    versions seen, and read the households' current members."""
    seen = [e for e in step.entries if not e.is_new]
    for chunk in _chunks(sorted(e.survey_id for e in seen)):
        rows = Survey.objects.select_for_update().filter(pk__in=chunk, round=round_)
        step.surveys.update((s.pk, s) for s in rows.defer("members_snapshot").order_by("pk"))
    for chunk in _chunks(sorted({s.household_id for s in step.surveys.values()})):
        rows = Household.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        step.households.update((h.pk, h) for h in rows)
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
    now = timezone.now()
    pairs = _write_households(step, by=by, now=now)
    _write_members(step, pairs, by=by)
    _write_surveys(step, pairs, by=by, round_=round_, rounds=rounds, now=now)


def _write_households(step: _Step, *, by, now) -> list[tuple[SurveyEntry, Household]]:
    """household_create's registration of the new ones, survey_save's update of all."""
    pairs, registered = [], []
    for entry in step.entries:
        if entry.is_new:
            household = Household(commune=entry.commune, code=entry.code, **entry.household_data)
            _sync_head(household, entry.members)
            registered.append(copy.copy(household))  # as household_create saves it first
            household_update(household, {}, entry.members)  # no household fields: as the import
        else:
            household = step.households[step.surveys[entry.survey_id].household_id]
            household_update(household, entry.household_data, entry.members)
            household.updated_at = now
        pairs.append((entry, household))
    fresh = [h for e, h in pairs if e.is_new]
    _insert(Household, fresh)
    for first, household in zip(registered, fresh, strict=True):
        first.pk, first.created_at, first.updated_at = household.pk, household.created_at, now
    fields = {name for e in step.entries for name in e.household_data} | _HOUSEHOLD_SAVED
    _update(Household, [h for e, h in pairs if not e.is_new], sorted(fields))
    _history(registered, by=by)
    _history([h for _e, h in pairs], by=by, update=True)
    return pairs


def _write_members(step: _Step, pairs: list[tuple[SurveyEntry, Household]], *, by) -> None:
    """_save_members for every household: the ones who left, the changed, the added."""
    changed, gone, added = [], [], []
    for entry, household in pairs:
        if entry.is_new:
            current, members = {}, [{**m, "id": None} for m in entry.members]
        else:
            current, members = step.current.get(household.pk, {}), entry.members
        diff_changed, diff_added, diff_gone = _members_diff(current, members)
        changed += diff_changed
        gone += diff_gone
        added += [Member(household=household, **values) for values in diff_added]
    _update(Member, gone, ["is_current"])  # first: a citizen ID may pass to a new row
    _update(Member, changed, _MEMBER_FIELDS)
    _history(gone + changed, by=by, update=True)
    _insert(Member, added)
    _history(added, by=by)


def _write_surveys(step, pairs, *, by, round_, rounds, now) -> None:
    """survey_save's classification, deprivations and transitions. Its history row comes from
    its save, before the transitions are refreshed: the row shows the transition held until
    then (as the per-row path writes it)."""
    on, standard = round_.reference_date, round_.get_standard()
    registered, saved, deprivations = [], [], []
    for entry, household in pairs:
        result = F_.surveyed(
            members=entry.members,
            survey=entry.survey_data,
            on=on,
            is_urban=entry.commune.is_urban,
            is_farm_household=household.is_farm_household,
            is_ethnic_minority=household.is_ethnic_minority,
            standard=standard,
        )
        if entry.is_new:
            survey = Survey(
                household=household,
                round=round_,
                commune=entry.commune,
                arrival="new",
                status=SurveyStatus.PENDING,
                is_ethnic_minority=household.is_ethnic_minority,
                is_urban=entry.commune.is_urban,
                member_count=len(entry.members),
                updated_at=now,
            )
            registered.append(copy.copy(survey))  # household_create's pending entry
        else:
            survey = step.surveys[entry.survey_id]
        for name, value in result.values.items():
            setattr(survey, name, value)
        survey.status = SurveyStatus.SURVEYED
        survey.surveyed_by = by
        survey.surveyed_at = survey.updated_at = now
        survey.version += 1
        saved.append(survey)
        deprivations.append(result.deprivations)
    history = [copy.copy(s) for s in saved]
    others = _transitions(saved, rounds)
    old = [s for s in saved if s.pk is not None]
    fresh = [s for s in saved if s.pk is None]
    _insert(Survey, fresh)
    for first, snapshot, survey in zip(
        registered, [h for h in history if h.pk is None], fresh, strict=True
    ):
        first.pk = snapshot.pk = survey.pk
        first.updated_at = snapshot.updated_at = survey.updated_at
    _update(Survey, old, _survey_saved(step.entries))
    _history(registered, by=by)
    _history(history, by=by, update=True)
    for chunk in _chunks([s.pk for s in old]):
        SurveyDeprivation.objects.filter(survey_id__in=chunk).delete()
    _insert_rows(
        SurveyDeprivation,
        [
            {"survey_id": survey.pk, "indicator": code, "reasons": reasons}
            for survey, found in zip(saved, deprivations, strict=True)
            for code, reasons in found
        ],
    )
    for model in (Survey, Exclusion):
        _update(model, [o for o in others if type(o) is model], ["previous_class", "transition"])


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


def _transitions(saved: list[Survey], rounds: Mapping[int, ReviewRound]) -> list[models.Model]:
    """household_transitions_refresh for every household at once: the previous class and
    transition of all their entries, every round. Set on the saved surveys (written with them);
    the other entries that change are returned to be written."""
    surveys: dict[int, list[Survey]] = {s.household_id: [s] for s in saved}
    exclusions: dict[int, list[Exclusion]] = defaultdict(list)
    saved_ids = {s.pk for s in saved if s.pk is not None}
    known = sorted(s.household_id for s in saved if s.pk is not None)
    for chunk in _chunks(known):
        rows = Survey.objects.filter(household_id__in=chunk).only(
            "household_id", "round_id", "poverty_class", "arrival", "previous_class", "transition"
        )
        for survey in rows:
            if survey.pk not in saved_ids:
                surveys[survey.household_id].append(survey)
        rows = Exclusion.objects.filter(household_id__in=chunk).only(
            "household_id", "round_id", "previous_class", "transition"
        )
        for exclusion in rows:
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


def _history(objs: list[models.Model], *, by, update: bool = False) -> None:
    """History rows of ``objs`` as the per-row saves record them (simple_history's
    ``bulk_history_create`` writes the same values: every tracked field, the user who saved, no
    change reason), built as plain rows: a history model instance per row cost more than the
    insert itself."""
    if not objs:
        return
    history = type(objs[0]).history.model
    tracked = [f.attname for f in history.tracked_fields]
    when, kind, user = timezone.now(), "~" if update else "+", getattr(by, "pk", None)
    rows = [
        {
            **{name: getattr(obj, name) for name in tracked},
            "history_date": when,
            "history_change_reason": None,
            "history_type": kind,
            "history_user_id": user,
        }
        for obj in objs
    ]
    _insert_rows(history, rows)


def _insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """INSERT new rows and set their keys: on PostgreSQL with ``COPY`` (keys taken from the
    table's sequence first), elsewhere ``bulk_create``."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=ROWS)
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    for f in fields:  # what pre_save sets on a new row
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    names = [model._meta.pk.attname, *(f.attname for f in fields)]
    _insert_rows(model, [{name: getattr(obj, name) for name in names} for obj in objs])


def _insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT rows given as {attname: value} (the same columns in every row; every column but
    an automatic key). On PostgreSQL one ``COPY`` per page: Django's per-value preparation in
    ``bulk_create`` and quoting every row for a multi-row INSERT were most of the write."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=ROWS)
        return
    opts, qn = model._meta, connection.ops.quote_name
    fields = [opts.get_field(name) for name in rows[0]]
    sql = f"COPY {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_ROWS):
            text = "".join(
                "\t".join(map(_copy_text, row.values())) + "\n"
                for row in rows[start : start + COPY_ROWS]
            )
            _copy(cursor, sql, text)


def _copy(cursor, sql: str, text: str) -> None:
    cursor.cursor.copy_expert(sql, io.StringIO(text))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format (NULL is ``\\N``; backslash, tab and line breaks escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        return json.dumps(value).translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)  # int, Decimal, date


def _execute_values(head: str, tail: str, template: str, values: list[list[Any]]) -> None:
    """``head`` + one page of rows (each through ``template``) + ``tail``, page by page, through
    Django's cursor (so that the statements are counted and logged like any other)."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's, to quote the values
        for start in range(0, len(values), ROWS):
            page = values[start : start + ROWS]
            body = b",".join(raw.mogrify(template, row) for row in page).decode()
            cursor.execute(head + body + tail)  # no parameters: nothing left to substitute


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """Keys for ``n`` new rows from the table's own sequence, as the INSERTs would take them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _update(model: type[models.Model], objs: list[models.Model], fields: list[str]) -> None:
    """Write ``fields`` of existing rows: on PostgreSQL one ``UPDATE … FROM (VALUES …)`` per
    page of rows (``bulk_update``'s CASE per field grows with the rows squared), elsewhere
    ``bulk_update``."""
    if not objs:
        return
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, [c.name for c in columns], batch_size=ROWS)
        return
    qn = connection.ops.quote_name
    pk = opts.pk
    table = qn(opts.db_table)
    names = [pk, *columns]
    template = "(" + ", ".join(f"%s::{c.cast_db_type(connection)}" for c in names) + ")"
    sets = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in columns)
    head = f"UPDATE {table} AS t SET {sets} FROM (VALUES "  # noqa: S608
    tail = (
        f") AS v({', '.join(qn(c.column) for c in names)}) "
        f"WHERE t.{qn(pk.column)} = v.{qn(pk.column)}"
    )
    rows = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in names] for obj in objs
    ]
    _execute_values(head, tail, template, rows)
