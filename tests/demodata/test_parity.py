"""The demo data is what the services would have written for the same facts: every stored
field of every survey, deprivation, exclusion and household, recomputed through the services'
own functions (households.services), and the persons of every unit and round, as the rollup
stores them, recounted from the households' Member rows.

The inputs are what an officer enters (survey facts, members, reasons for leaving); everything
the services derive from them is recomputed here and compared field by field.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from areas.models import Unit, UnitGroup
from households import facts as F_
from households.facts import survey_deprivations, survey_results
from households.models import AverageLivingRequest, Exclusion, Household, Member, Survey
from households.rules import RoundEntries, transitions_across_rounds
from households.services import (
    MEMBER_MODEL_FIELDS,
    approved_request,
    arrival_entry,
    head_fields,
    list_entry,
    move_note,
    moved_entry,
)
from indicators.selectors import Owner, values_for
from indicators.services import rollup_start
from tests.demodata.conftest import N, rounds

pytestmark = pytest.mark.django_db

# What the officer enters on the survey page: inputs, taken as stored.
SURVEY_FACTS = (
    "income_per_person", "household_income", "b1_score", "walls_durable", "columns_durable",
    "roof_durable", "floor_area", "water_source", "has_hygienic_latrine", "uses_internet",
    "devices", "uses_digital_services", "waste_collected", "causes", "needs",
)  # fmt: skip
# Every stored field of an entry but its keys and the save time.
SURVEY_FIELDS = tuple(
    f.attname
    for f in Survey._meta.concrete_fields
    if not f.generated
    and f.attname not in ("id", "household_id", "round_id", "commune_id", "updated_at")
)
SNAPSHOT_FIELDS = (*F_.MEMBER_FIELDS, "relation", "ethnicity")
PERSONS = ("persons", "poor_persons", "near_poor_persons")


def defaults(model) -> dict:
    return {f.attname: f.get_default() for f in model._meta.concrete_fields}


@pytest.fixture
def rows(demo):
    """The demo's rows, per household."""
    year_of = {r.pk: y for y, r in rounds().items()}
    members = defaultdict(list)
    fields = [f for f in MEMBER_MODEL_FIELDS if f != "id"]
    for m in Member.objects.filter(is_current=True).order_by("id").values("household_id", *fields):
        members[m.pop("household_id")].append(m)
    surveys = defaultdict(dict)
    for s in Survey.objects.select_related("round", "commune").prefetch_related("deprivations"):
        surveys[s.household_id][year_of[s.round_id]] = s
    exclusions = defaultdict(list)
    for x in Exclusion.objects.select_related("commune").order_by("id"):
        exclusions[x.household_id].append((year_of[x.round_id], x))
    households = list(Household.objects.select_related("commune").order_by("id"))
    return households, members, surveys, exclusions


def test_every_stored_field_is_what_the_services_compute(rows):
    households, members, surveys, exclusions = rows
    admin = get_user_model().objects.get(username="quantri")
    checked: Counter[str] = Counter()
    for household in households:
        pk = household.pk
        entries, exits = surveys[pk], exclusions[pk]
        # the services count a household's current members (round_list_generate, exclusions)
        persons = household.members.filter(is_current=True).count()
        years = sorted(set(entries) | {y for y, _ in exits})
        transitions = transitions_across_rounds(
            RoundEntries(
                periodic=True,
                exclusions=tuple(id(x) for year, x in exits if year == y),
                survey=entries[y].pk if y in entries else None,
                poverty_class=entries[y].poverty_class if y in entries else "",
                arrived=bool(entries[y].arrival) if y in entries else False,
            )
            for y in years
        )
        surveyed = [y for y, s in entries.items() if s.status == "surveyed"]
        moves = {
            y: x for y, x in exits if y in entries and x.note == move_note(entries[y].commune.label)
        }
        for year, s in entries.items():
            before = entries.get(year - 1)
            last = (before.poverty_class or None) if before else None
            moved = moves.get(year)
            if s.arrival and moved is None:  # household_create while the round was open
                made = arrival_entry(
                    arrival=s.arrival,
                    persons=persons,
                    is_ethnic_minority=household.is_ethnic_minority,
                    is_urban=s.commune.is_urban,
                )
            else:  # round_list_generate, where it lived when the list was made
                where = moved.commune if moved else s.commune
                as_listed = {
                    "last": last,
                    "before": last,
                    "persons": persons,
                    "is_ethnic_minority": household.is_ethnic_minority,
                    "is_urban": where.is_urban,
                }
                made = list_entry(requested=s.status != "carried_over", **as_listed)
                asked = list_entry(requested=False, **as_listed)["status"] != "pending"
                if s.status == "pending" and asked:
                    assert household.requested_review, household.code  # it asked: still open
                if moved:  # household_move during the round
                    made.update(moved_entry(is_urban=s.commune.is_urban))
            expected = {f: v for f, v in defaults(Survey).items() if f in SURVEY_FIELDS}
            expected.update(made)
            deprivations = []
            if s.status == "surveyed":  # survey_save
                on = s.round.reference_date
                saved = [
                    {**m, "birth_date": dt.date.fromisoformat(m["birth_date"])}
                    for m in s.members_snapshot
                ]
                facts = {f: getattr(s, f) for f in SURVEY_FACTS}
                evaluated = F_.assess(
                    members=saved,
                    survey=facts,
                    on=on,
                    is_urban=s.commune.is_urban,
                    is_farm_household=household.is_farm_household,
                    standard=s.round.get_standard(),
                    average_request=approved_request(pk, s.round_id),  # as survey_save finds it
                )
                expected.update(facts)
                expected.update(status="surveyed")
                expected.update(
                    survey_results(
                        evaluated,
                        members=saved,
                        on=on,
                        is_urban=s.commune.is_urban,
                        is_ethnic_minority=household.is_ethnic_minority,
                    )
                )
                expected.update(surveyed_by_id=admin.pk, version=2, surveyed_at=s.surveyed_at)
                assert s.round.starts_on <= s.surveyed_at.date() <= s.round.ends_on
                deprivations = survey_deprivations(evaluated.assessment)
                if year == max(surveyed):  # the members it saved are the household's members
                    assert [{k: m[k] for k in SNAPSHOT_FIELDS} for m in saved] == [
                        {k: m[k] for k in SNAPSHOT_FIELDS} for m in members[pk]
                    ], household.code
            counted = transitions.get(s.pk)
            if counted is not None:  # household_transitions_refresh
                expected.update(previous_class=counted[0], transition=counted[1])
            actual = {f: getattr(s, f) for f in SURVEY_FIELDS}
            for f in SURVEY_FIELDS:  # field by field, so a failure names the field
                assert actual[f] == expected[f], (household.code, year, f)
            stored = [(d.indicator, d.reasons) for d in sorted(s.deprivations.all(), key=_pk)]
            assert stored == deprivations, (household.code, year)
            checked[s.status] += 1
            checked["average"] += s.poverty_class == "average"
            checked["deprivations"] += len(stored)
        for year, x in exits:  # household_exclude / household_move
            left = transitions[id(x)]
            assert (x.member_count, x.previous_class, x.transition, x.created_by_id) == (
                persons,
                left[0],
                left[1],
                admin.pk,
            ), (household.code, year)
            checked["exclusions"] += 1
        # the household as the services leave it
        assert {k: getattr(household, k) for k in ("head_name", "head_name_folded",
                "is_ethnic_minority")} == head_fields(members[pk])  # fmt: skip
        gone = [x for y, x in exits if moves.get(y) is not x]
        assert household.status == ("removed" if gone else "active"), household.code
        assert household.version == 1 + len(surveyed) + len(moves), household.code
        open_entry = entries.get(2026)
        if household.requested_review:
            assert open_entry is not None and open_entry.status == "pending"
        if household.status == "active":
            assert household.commune_id == open_entry.commune_id
        checked["households"] += 1
    assert checked["households"] == N
    assert checked["average"] > 0  # farm households recognised on their request
    assert checked["surveyed"] > N and checked["carried_over"] > N / 2
    assert checked["pending"] > 0 and checked["exclusions"] > 0 and checked["deprivations"] > N


def _pk(row):
    return row.pk


def test_each_row_has_its_creation_history_row(demo):
    """The services keep history: one '+' row per household, member, survey and exclusion,
    with the values stored."""
    for model in (Household, Member, Survey, Exclusion):
        history = model.history.model
        names = {f.attname for f in model._meta.concrete_fields}
        fields = [f.attname for f in history._meta.concrete_fields if f.attname in names]
        current = {row["id"]: row for row in model.objects.values(*fields)}
        saved = list(history.objects.values("history_type", *fields))
        assert len(saved) == len(current) > 0, model
        for row in saved:
            assert row.pop("history_type") == "+"
            assert row == current[row["id"]], (model, row["id"])


def test_persons_of_every_unit_and_round_are_the_households_members(
    demo, django_capture_on_commit_callbacks
):
    """After a rollup, the persons (and poor and near-poor persons) of every commune, district,
    the province and every group are the members of the households on the round's list,
    counted from the Member rows; each entry counts with its effective class."""
    members = Counter(Member.objects.filter(is_current=True).values_list("household_id", flat=True))
    checked = 0
    for year, round_ in rounds().items():
        with django_capture_on_commit_callbacks(execute=True):
            rollup_start(round_=round_)
        per_commune: dict[int, Counter] = defaultdict(Counter)
        for household_id, commune_id, cls in Survey.objects.filter(round=round_).values_list(
            "household_id", "commune_id", "effective_class"
        ):
            n = members[household_id]
            per_commune[commune_id]["persons"] += n
            if cls in ("poor", "near_poor"):
                per_commune[commune_id][f"{cls}_persons"] += n
        units = Unit.objects.valid_on(round_.reference_date)
        paths = dict(units.values_list("pk", "path"))
        expected: dict[tuple[str, int], Counter] = defaultdict(Counter)
        for commune_id, counts in per_commune.items():
            for ancestor in paths[commune_id].strip("/").split("/"):
                expected[("unit", int(ancestor))].update(counts)
        for group in UnitGroup.objects.all():
            covers = tuple(group.members.filter(pk__in=paths).values_list("path", flat=True))
            for commune_id, counts in per_commune.items():
                if covers and paths[commune_id].startswith(covers):
                    expected[("group", group.pk)].update(counts)
        assert len(expected) > 20
        for (kind, pk), counts in expected.items():
            owner = Owner(unit=Unit(pk=pk)) if kind == "unit" else Owner(group=UnitGroup(pk=pk))
            stored = values_for(round_, owner)
            for code in PERSONS:
                assert stored[code].value == Decimal(counts[code]), (year, kind, pk, code)
            checked += 1
    assert checked > 100


def test_every_average_entry_has_the_approved_request_the_services_would_need(demo):
    """average_request_create and average_request_decide, as the generator stands in for them:
    an approved request of the entry's round, filed and decided before the survey was saved,
    from its members, by the officer; and no "average" entry without one."""
    admin = get_user_model().objects.get(username="quantri")
    requests = {
        (r.household_id, r.round_id): r
        for r in AverageLivingRequest.objects.select_related("round", "household")
    }
    assert requests
    for s in Survey.objects.filter(poverty_class="average").select_related("round", "commune"):
        r = requests.pop((s.household_id, s.round_id))
        assert r.decision == "approved" and r.decided_by_id == r.created_by_id == admin.pk
        assert r.member_count == s.member_count == len(s.members_snapshot)
        assert s.round.starts_on <= r.requested_on <= r.decided_on < s.surveyed_at.date()
        assert r.requested_on <= r.created_at.date() <= r.decided_on
        assert r.income_per_person == s.income_per_person
    assert not requests  # every request the generator made gave its entry "average"
