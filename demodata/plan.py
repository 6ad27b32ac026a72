"""Each demo household's life over the rounds 2023-2026, as the services would have recorded it.

How classes come about: each household carries a latent welfare score (an AR(1) series, lower
for ethnic-minority households) whose yearly cut-offs are calibrated per former district and
area type so that the expected poor and near-poor rates follow ``geography.TARGETS``. The score
only picks a *target* class. The generator then draws facts that should produce it
(``survey_facts``) and the rules decide: what is stored is what the rules say.

Every stored value comes from the function the services use for it (households.services): a
round's list entry from ``list_entry`` (round_list_generate), an arrival's from
``arrival_entry`` (household_create), a move from ``moved_entry`` and ``move_note``
(household_move), a survey's results from ``facts.survey_results`` and
``facts.survey_deprivations`` (survey_save), previous classes and transitions from
``rules.transitions_across_rounds``
(household_transitions_refresh), the head's fields from ``head_fields``. So the balance of
DOMAIN.md §4 holds for every unit and round by construction, and tests/demodata checks every
stored field against those functions.

The plan is pure apart from reading the unit tree once (``Population``): a block of households
is a function of the seed, N and the block's number.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from areas.models import Kind
from households.facts import survey_deprivations, survey_results
from households.models import HouseholdStatus, RequestDecision, SurveyStatus
from households.rules import RoundEntries, age_on, transitions_across_rounds
from households.services import (
    arrival_entry,
    head_fields,
    list_entry,
    move_note,
    moved_entry,
)
from households.standards import standard_for_year

from .common import (
    AVERAGE,
    BLOCK,
    DEMO_COMMUNE,
    NEAR,
    NEW_TREE_YEAR,
    NONE,
    ON_LIST,
    OPEN_YEAR,
    POOR,
    YEARS,
    at,
    round_day,
    weighted,
)
from .geography import MINORITY_SHIFT, Commune, Geography, Layout, calibrate, ethnic_mix
from .people import CitizenIds, Families, Person, member_facts
from .survey_facts import BADNESS, survey_draw

RHO = 0.75  # year-to-year persistence of the latent score
SHOCK = (0.02, 1.0)  # illness, accident, disaster: probability a year and size
# Households that left poverty are fragile ("thoát nghèo chưa bền vững"): a larger shock risk
FRAGILE_SHOCK = (0.08, 1.6)
# Per household and year (2024-2026): arriving, leaving and moving within the province
ARRIVAL_SHARE = 0.015  # of N, each year from 2024
ARRIVALS = (("new", 35), ("split", 40), ("moved_in", 25))
EXIT_MERGED, EXIT_MOVED_OUT, MOVE_WITHIN, DIED_ALONE = 0.003, 0.004, 0.005, 0.04
REQUEST_ANYWAY = 0.01  # households not on the list that ask to be reviewed and stay above it
# Share of the open round's pending entries already surveyed: Xã Ba Tơ keeps work for the demo
# officer, two communes of former Ba Tơ district are done (and accepted, households.py).
DONE_SHARE = {DEMO_COMMUNE: 0.4, "21490": 1.0, "21496": 1.0}
DONE_SHARE_ELSEWHERE = 0.6


@dataclass
class Entry:
    """A household's entry (Survey row) in one round, with the values the services store."""

    year: int
    commune: Commune
    fields: dict  # Survey field values (attnames), ids and the round aside
    created: dt.datetime  # when the service made it (its '+' history row)
    deprivations: list = field(default_factory=list)  # (indicator code, reasons as JSON)
    # AverageLivingRequest field values of its approved average-living request, if any
    average_request: dict | None = None


@dataclass
class Exit:
    """An Exclusion row: the household left ``commune``'s list in ``year``."""

    year: int
    commune: Commune
    fields: dict


@dataclass
class PlannedHousehold:
    number: int  # 0..N-1: where its ids and code come from
    commune: Commune  # where it is now (after the crosswalk)
    fields: dict  # Household field values
    members: list[dict]  # Member field values
    entries: list[Entry]
    exits: list[Exit]


class Population:
    """What every block shares: computed once per run, before any process starts."""

    def __init__(self, *, households: int, seed: int, taken_codes: set[str], taken_ids: set[str]):
        self.n, self.seed = households, seed
        self.geo = Geography()
        self.layout = Layout(self.geo, households, DEMO_COMMUNE, taken_codes)
        self.cutoffs = calibrate(self.geo)
        self.standards = {y: standard_for_year(y) for y in YEARS}
        self.taken_ids = taken_ids
        self.blocks = max(1, -(-households // BLOCK))
        self.id_offset = random.Random(seed).randrange(1_000_000)

    def block(self, number: int) -> Iterator[PlannedHousehold]:
        """The households of block ``number``, in order."""
        return _Block(self, number).households()


class _Block:
    def __init__(self, population: Population, number: int):
        self.p, self.number = population, number
        self.rng = random.Random(f"demo-households:{population.seed}:{number}")
        ids = CitizenIds(
            offset=population.id_offset,
            block=number,
            blocks=population.blocks,
            taken=population.taken_ids,
        )
        self.families = Families(self.rng, ids)
        self.batu_pending_kept = False

    def households(self) -> Iterator[PlannedHousehold]:
        first = self.number * BLOCK
        for number in range(first, min(first + BLOCK, self.p.n)):
            yield self.household(number)

    def household(self, number: int) -> PlannedHousehold:
        p, rng, geo = self.p, self.rng, self.p.geo
        origin_index = p.layout.origin(number)
        origin = geo.old[origin_index]
        r = rng.random()
        start = 2023
        for year in YEARS[1:]:
            if r < ARRIVAL_SHARE * (year - 2023):
                start = year
                break
        arrival = weighted(rng, ARRIVALS) if start > 2023 else ""
        commune = origin if start < NEW_TREE_YEAR else geo.successor[origin.pk]
        ethnicity = weighted(rng, ethnic_mix(origin.district, origin.is_urban))
        people = self.families.family(origin, ethnicity, round_day(start), arrival)
        identity = [
            {"full_name": x.full_name, "relation": x.relation, "ethnicity": x.ethnicity}
            for x in people
        ]
        head = head_fields(identity)  # the head stays the head: the same fields at the end
        minority = head["is_ethnic_minority"]
        farm_share = 0.2 if origin.is_urban else 0.9 if origin.area != "lowland" else 0.65
        farm = rng.random() < farm_share
        village = _village(rng, commune)
        # before the 2023 list was made; an arrival while its round was open
        registered = at(dt.date(start, 8 if start == 2023 else 9, 1)) + dt.timedelta(
            days=rng.randint(0, 30 if start == 2023 else 80)
        )
        latent = rng.gauss(0, 1)
        mean = -MINORITY_SHIFT if minority else MINORITY_SHIFT
        entries: list[Entry] = []
        exits: list[Exit] = []
        latest: str | None = None  # class of the latest entry with a class
        members: list[dict] | None = None  # as the latest survey saved them
        requested_open = gone = ever_poor = False
        surveys = moves = 0
        for year in YEARS:
            if year < start:
                continue
            day = round_day(year)
            if year == NEW_TREE_YEAR and commune.pk not in geo.new_pks:
                commune = geo.successor[commune.pk]  # households_apply_crosswalk
            listed_in = commune  # where the round's list puts it
            if year > start:
                latent = RHO * latent + (1 - RHO**2) ** 0.5 * rng.gauss(0, 1)
                chance, size = SHOCK
                if ever_poor and latest not in ON_LIST:
                    chance, size = FRAGILE_SHOCK
                if rng.random() < chance:
                    latent -= size
                leaving = self.leaving(people, day, year)
                if leaving == "move":
                    target = self.neighbour(commune, year)
                    if target is not None:
                        commune, moves = target, moves + 1
                        village = _village(rng, commune)
                elif leaving:  # household_exclude: its entry goes, an exclusion stays
                    note = "Chuyển khỏi tỉnh" if leaving == "moved_out" else ""
                    exits.append(self.exit(year, commune, leaving, note, people))
                    gone = True
                    break
            target_class = self.target(origin, year, latent + mean, farm)
            if year == start and arrival:  # household_create while the round is open
                values = arrival_entry(
                    arrival=arrival,
                    persons=len(people),
                    is_ethnic_minority=minority,
                    is_urban=commune.is_urban,
                )
                created = registered
            else:  # round_list_generate
                requested = (
                    latest is not None
                    and latest not in ON_LIST
                    and (target_class in ON_LIST or rng.random() < REQUEST_ANYWAY)
                )  # the household asked to be reviewed
                values = list_entry(
                    last=latest,
                    before=latest,
                    requested=requested,
                    persons=len(people),
                    is_ethnic_minority=minority,
                    is_urban=listed_in.is_urban,
                )
                created = at(day, 8)
                requested_open = requested and year == OPEN_YEAR
                if commune is not listed_in:  # household_move during the round
                    note = move_note(commune.label)  # early in the round, before any survey
                    exits.append(self.exit(year, listed_in, "moved_out", note, people, day))
                    values.update(moved_entry(is_urban=commune.is_urban))
            entry = Entry(year, commune, values, created)
            if values["status"] == SurveyStatus.PENDING and (
                year != OPEN_YEAR or self.done_in_open_round(commune)
            ):
                members = self.survey(entry, people, farm, origin.area, target_class, registered)
                surveys += 1
                requested_open = False  # survey_save answers the request
            entries.append(entry)
            if values.get("poverty_class"):
                latest = values["poverty_class"]
                ever_poor = ever_poor or latest == POOR
        _transitions(entries, exits)
        if members is None:  # never surveyed (a 2026 arrival still pending): what it registered
            members = member_facts(rng, people, round_day(start), BADNESS[NONE], good=True)
        if commune.pk not in geo.new_pks:
            commune = geo.successor[commune.pk]  # households_apply_crosswalk moves all
        open_day = round_day(OPEN_YEAR)
        adults = [
            m for m in members
            if 15 <= age_on(m["birth_date"], open_day) < 60 and not m["is_disabled"]
        ]  # fmt: skip
        old_head = people[0].birth_date.year < 1960
        household = {
            "code": p.layout.code(number, origin_index, start),
            "commune_id": commune.pk,
            "village": village,
            **head,
            "is_farm_household": farm,
            "no_working_capacity": not adults,
            "revolutionary_merit": rng.random() < (0.08 if old_head else 0.02),
            "social_protection": any(m["has_monthly_social_allowance"] for m in members),
            "requested_review": requested_open and not gone,
            "status": HouseholdStatus.REMOVED if gone else HouseholdStatus.ACTIVE,
            "version": 1 + surveys + moves,  # survey_save and household_move bump it
            "created_at": registered,
        }
        return PlannedHousehold(number, commune, household, members, entries, exits)

    def target(self, origin: Commune, year: int, score: float, farm: bool) -> str:
        low, high = self.p.cutoffs[(origin.district, origin.is_urban, year)]
        if score < low:
            return POOR
        if score < high:
            return NEAR
        if farm and score < high + 0.6:
            return AVERAGE
        return NONE

    def survey(self, entry, people, farm, area, target, registered) -> list[dict]:
        """survey_save: draw the facts, let the rules classify, store what it stores."""
        rng, day = self.rng, round_day(entry.year)
        is_urban = entry.commune.is_urban
        members, data, evaluated, request = survey_draw(
            rng,
            standard=self.p.standards[entry.year],
            people=people,
            day=day,
            is_urban=is_urban,
            farm=farm,
            area=area,
            target=target,
        )
        entry.fields.update(data)
        entry.fields["status"] = SurveyStatus.SURVEYED
        entry.fields.update(
            survey_results(
                evaluated,
                members=members,
                on=day,
                is_urban=is_urban,
                is_ethnic_minority=entry.fields["is_ethnic_minority"],
            )
        )
        entry.deprivations = survey_deprivations(evaluated.assessment)
        first = max(day + dt.timedelta(days=4), registered.date() + dt.timedelta(days=1))
        if request is not None:  # average_request_create, then average_request_decide
            asked = max(day, registered.date())
            entry.average_request = {
                "requested_on": asked,
                "income_12_months": request.income_12_months,
                "member_count": request.members,
                "decision": RequestDecision.APPROVED,
                "decided_on": first - dt.timedelta(days=1),
                "reason": "",
                "created_at": at(asked, 10),
            }
        end = dt.date(entry.year, 11, 25 if entry.year == OPEN_YEAR else 30)
        when = first + dt.timedelta(days=rng.randint(0, max(0, (end - first).days)))
        entry.fields["surveyed_at"] = at(when, rng.randint(7, 16), rng.randrange(60))
        entry.fields["version"] = 2  # survey_save bumps the version once
        return members

    def exit(self, year, commune, reason, note, people, on: dt.date | None = None) -> Exit:
        fields = {
            "reason": reason,
            "note": note,
            "member_count": len(people),  # its current members, as the services count them
            "created_at": at(on or dt.date(year, 10, 15)),
        }
        return Exit(year, commune, fields)

    def leaving(self, people: list[Person], day: dt.date, year: int) -> str:
        """'' (stays), 'move' (within the province) or an exclusion reason."""
        r = self.rng.random()
        if len(people) == 1 and age_on(people[0].birth_date, day) >= 70:
            return "died" if r < DIED_ALONE else ""
        if r < EXIT_MERGED:
            return "merged"
        if r < EXIT_MERGED + EXIT_MOVED_OUT:
            return "moved_out"
        if year < OPEN_YEAR and r < EXIT_MERGED + EXIT_MOVED_OUT + MOVE_WITHIN:
            return "move"
        return ""

    def neighbour(self, commune: Commune, year: int) -> Commune | None:
        geo = self.p.geo
        pool = (geo.new_by_district if year >= NEW_TREE_YEAR else geo.old_by_district)[
            commune.district
        ]
        choices = [c for c in pool if c.pk != commune.pk]
        return self.rng.choice(choices) if choices else None

    def done_in_open_round(self, commune: Commune) -> bool:
        if commune.code == DEMO_COMMUNE and not self.batu_pending_kept:
            self.batu_pending_kept = True  # the demo officer always has work left
            return False
        return self.rng.random() < DONE_SHARE.get(commune.code, DONE_SHARE_ELSEWHERE)


def _transitions(entries: list[Entry], exits: list[Exit]) -> None:
    """Previous class and transition of every entry with a class and every exclusion, as
    household_transitions_refresh leaves them (periodic rounds only)."""
    years = sorted({e.year for e in entries} | {x.year for x in exits})
    by_year = {e.year: e for e in entries}
    found = transitions_across_rounds(
        RoundEntries(
            periodic=True,
            exclusions=tuple(id(x) for x in exits if x.year == year),
            survey=year if year in by_year else None,
            poverty_class=by_year[year].fields.get("poverty_class", "") if year in by_year else "",
            arrived=bool(by_year[year].fields.get("arrival")) if year in by_year else False,
        )
        for year in years
    )
    for x in exits:
        if id(x) in found:
            x.fields.update(previous_class=found[id(x)][0], transition=found[id(x)][1])
    for year, entry in by_year.items():
        if year in found:
            entry.fields.update(previous_class=found[year][0], transition=found[year][1])


def _village(rng: random.Random, commune: Commune) -> str:
    if commune.kind in (Kind.PHUONG, Kind.THI_TRAN):
        return f"Tổ dân phố {rng.randint(1, 8)}"
    return f"Thôn {rng.randint(1, 10 if commune.area == 'lowland' else 7)}"
