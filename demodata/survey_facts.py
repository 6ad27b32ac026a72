"""A survey's facts: what an officer would enter on forms B1 and B2 for a household meant to
come out poor, near-poor, average or none. The rules decide what it does come out as."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from households import facts as F_
from households.choices import Cause, Need
from households.rules import AverageLivingRequest
from households.standards import PovertyStandard

from .common import AVERAGE, NEAR, NONE, ON_LIST, POOR, weighted
from .people import Person, member_facts

LATRINE, WATER, TELECOM, INFO, HOUSING, FLOOR = (
    "latrine", "water", "telecom", "info_assets", "housing_quality", "floor_area",
)  # fmt: skip
HOUSEHOLD_INDICATORS = {  # how often each living-condition deprivation is picked, by area
    "mountain": {LATRINE: 9, WATER: 6, TELECOM: 6, HOUSING: 5, FLOOR: 4, INFO: 3},
    "kontum": {LATRINE: 8, WATER: 6, TELECOM: 6, HOUSING: 5, FLOOR: 4, INFO: 3},
    "lowland": {LATRINE: 5, TELECOM: 5, FLOOR: 4, HOUSING: 3, WATER: 2, INFO: 2},
}
BADNESS = {POOR: 0.6, NEAR: 0.25, AVERAGE: 0.12, NONE: 0.05}  # member deprivation propensity
CAUSES = tuple(c for c in Cause.values if c != Cause.OTHER)  # of poverty, 1-3 for the listed
NEEDS = tuple(Need.values)


def survey_draw(
    rng: random.Random,
    *,
    standard: PovertyStandard,
    people: list[Person],
    day: dt.date,
    is_urban: bool,
    farm: bool,
    area: str,
    target: str,
) -> tuple[list[dict], dict, F_.Evaluated, AverageLivingRequest | None]:
    """Members and form facts that should give ``target``, and the rules' verdict on them
    (``households.facts.assess``, the call ``survey_save`` makes). Returns (members as the page
    hands them to the service, the survey's facts, the evaluation, the approved average-living
    request it was evaluated with). A household meant to be "average" asked to be recognised
    (Decree 07/2021: only an approved request makes it so), with 12 months' income that gives
    the income per person drawn for it; the rules decide whether that is within the band."""
    # Near-poor needs fewer than 3 deprivations: members without avoidable ones (at most
    # adult education and dependents remain) and at most 2 living-condition deprivations.
    good = target == NEAR or (target != POOR and rng.random() < 0.5)
    members = member_facts(rng, people, day, BADNESS[target], good=good)
    if target == POOR:  # 3 or more from living conditions alone: poor whatever the members
        k = weighted(rng, ((3, 50), (4, 35), (5, 15)))
    elif target == NEAR:
        k = weighted(rng, ((0, 45), (1, 40), (2, 15)))
    else:
        k = weighted(rng, ((0, 55), (1, 30), (2, 12), (3, 3)))
    pool = HOUSEHOLD_INDICATORS[area]
    chosen: list[str] = []
    while len(chosen) < k:
        options = [i for i in pool if i not in chosen]
        chosen.append(rng.choices(options, [pool[i] for i in options])[0])
    line = standard.line_for(is_urban)
    band = standard.band_upper_for(is_urban) or line
    if target == POOR:
        income = _thousands(rng.uniform(0.35, 1.0) * line)
    elif target == NEAR:
        income = _thousands(rng.uniform(0.6, 1.0) * line)
    elif target == AVERAGE:
        income = line + 1000 * rng.randint(1, max(1, (band - line) // 1000))
    else:
        floor = band if farm else line
        income = floor + 1000 + _thousands(rng.expovariate(1 / (0.6 * line)))
    n = len(people)
    request = None
    if target == AVERAGE and standard.band_upper_for(is_urban) is not None:
        request = AverageLivingRequest(income_12_months=income * 12 * n, members=n)
    data = living_conditions(rng, set(chosen), n, area, is_urban)
    data.update(income_per_person=income, household_income=income * n, b1_score=None)
    data.update(causes="", needs="")
    if target in ON_LIST:
        data["causes"] = F_.join_codes(rng.sample(CAUSES, rng.randint(1, 3)))
        data["needs"] = F_.join_codes(rng.sample(NEEDS, rng.randint(1, 3)))
    while True:
        evaluated = F_.assess(
            members=members,
            survey=data,
            on=day,
            is_urban=is_urban,
            is_farm_household=farm,
            standard=standard,
            average_request=request,
        )
        cls = evaluated.assessment.poverty_class.value
        if target != NEAR or cls != POOR or not chosen:
            return members, data, evaluated, request
        # members brought it to 3: drop a living-condition deprivation and ask again
        chosen.pop()
        data.update(living_conditions(rng, set(chosen), n, area, is_urban))


def living_conditions(rng, chosen: set[str], n: int, area: str, urban: bool) -> dict:
    """Form B2 facts with exactly the ``chosen`` living-condition deprivations."""
    remote = area != "lowland" and not urban
    if HOUSING in chosen:
        weak = rng.sample(("walls", "columns", "roof"), rng.randint(2, 3))
    else:
        weak = rng.sample(("walls", "columns", "roof"), 1) if rng.random() < 0.15 else []
    if FLOOR in chosen:
        area_m2 = round(n * rng.uniform(3.0, 7.5), 1)
    else:
        area_m2 = round(n * 8 + rng.uniform(4, 30 + 10 * n), 1)
    if WATER in chosen:
        water = rng.choice(("unprotected_well", "unprotected_spring", "surface", "other"))
    elif remote:
        water = rng.choice(("protected_spring", "piped", "drilled_well", "rain"))
    else:
        water = rng.choice(("piped", "piped", "drilled_well", "protected_dug_well", "bottled"))
    if INFO in chosen:
        devices = []
    elif remote:
        devices = rng.choice((["phone"], ["smartphone"], ["radio", "phone"], ["tv", "smartphone"]))
    else:
        devices = rng.choice((["smartphone", "tv"], ["smartphone"], ["tv", "phone"],
                              ["computer", "smartphone", "tv"]))  # fmt: skip
    return {
        "walls_durable": "walls" not in weak,
        "columns_durable": "columns" not in weak,
        "roof_durable": "roof" not in weak,
        "floor_area": Decimal(str(area_m2)),
        "water_source": water,
        "has_hygienic_latrine": LATRINE not in chosen,
        "uses_internet": TELECOM not in chosen,
        "devices": F_.join_codes(devices),
        "uses_digital_services": TELECOM not in chosen and rng.random() < 0.9,
        "waste_collected": not remote or rng.random() < 0.4,
    }


def _thousands(value: float) -> int:
    return int(value) // 1000 * 1000
