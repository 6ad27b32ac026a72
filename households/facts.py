"""Turn stored or submitted household data into the rules' facts, and assessments into rows.

Both the survey page's live preview (unsaved form data) and the save service go through
``assess``, so the browser never holds a second copy of the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .rules import (
    Assessment,
    AverageLivingRequest,
    HouseholdFacts,
    MemberFacts,
    age_on,
    evaluate,
    months_on,
    school_age,
)
from .standards import (
    Device,
    EducationLevel,
    Employment,
    Nutrition,
    PovertyStandard,
    Schooling,
    Sex,
    WaterSource,
)

MEMBER_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "has_health_insurance",
    "schooling",
    "education_level",
    "employment",
    "is_disabled",
    "has_monthly_social_allowance",
    "nutrition",
    "employer_certified_training",
)


# Member facts added after the first release: callers that predate them may leave them out.
_OPTIONAL = frozenset({"employer_certified_training"})


def age_at(birth: dt.date, on: dt.date) -> int:
    """Full years on the round's reference date; a baby born after that date counts as 0
    (the survey is taken during the round, and newborns belong on the household's list)."""
    return age_on(birth, on) if birth <= on else 0


def member_facts(member: Mapping[str, Any], on: dt.date, standard: PovertyStandard) -> MemberFacts:
    return MemberFacts(
        name=member["full_name"],
        age=age_at(member["birth_date"], on),
        sex=Sex(member["sex"]),
        schooling=Schooling(member["schooling"]),
        education_level=EducationLevel(member["education_level"]),
        has_health_insurance=bool(member["has_health_insurance"]),
        employment=Employment(member["employment"]),
        is_disabled=bool(member["is_disabled"]),
        has_monthly_social_allowance=bool(member["has_monthly_social_allowance"]),
        nutrition=Nutrition(member.get("nutrition") or Nutrition.UNKNOWN.value),
        birth_year=member["birth_date"].year,
        birth_month=member["birth_date"].month,
        age_months=months_on(member["birth_date"], on) if member["birth_date"] <= on else 0,
        school_age=school_age(member["birth_date"], on, standard),
        employer_certified_training=bool(member.get("employer_certified_training", False)),
    )


def split_codes(value: str | Iterable[str]) -> list[str]:
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return [v for v in value if v]


def join_codes(values: Iterable[str]) -> str:
    """Comma-wrapped so that ``field__contains=",code,"`` finds one code exactly."""
    values = sorted(set(values))
    return f",{','.join(values)}," if values else ""


def income_per_person(
    *, income_per_person: int | None, household_income: int | None, members: int
) -> int | None:
    """Entered directly, or household monthly income ÷ members (rounded down to a whole đồng)."""
    if income_per_person is not None:
        return income_per_person
    if household_income is not None and members:
        return household_income // members
    return None


@dataclass(frozen=True)
class Evaluated:
    facts: HouseholdFacts
    assessment: Assessment
    income_per_person: int


def assess(
    *,
    members: list[Mapping[str, Any]],
    survey: Mapping[str, Any],
    on: dt.date,
    is_urban: bool,
    is_farm_household: bool,
    standard: PovertyStandard,
    average_request: AverageLivingRequest | None = None,
) -> Evaluated:
    """Evaluate cleaned member and survey data (dicts of model field values).
    ``average_request``: the household's approved average-living request for the round."""
    member_rows = tuple(member_facts(m, on, standard) for m in members)
    facts = HouseholdFacts(
        members=member_rows,
        walls_durable=bool(survey["walls_durable"]),
        columns_durable=bool(survey["columns_durable"]),
        roof_durable=bool(survey["roof_durable"]),
        floor_area_m2=Decimal(survey["floor_area"]),
        water_source=WaterSource(survey["water_source"]),
        has_hygienic_latrine=bool(survey["has_hygienic_latrine"]),
        uses_internet=bool(survey["uses_internet"]),
        devices=frozenset(Device(d) for d in split_codes(survey.get("devices") or "")),
        uses_digital_services=bool(survey.get("uses_digital_services", True)),
        waste_collected=bool(survey.get("waste_collected", True)),
    )
    income = income_per_person(
        income_per_person=survey.get("income_per_person"),
        household_income=survey.get("household_income"),
        members=len(member_rows),
    )
    if income is None:
        raise ValueError("income_per_person or household_income is required")
    assessment = evaluate(
        facts,
        income_per_person=income,
        is_urban=is_urban,
        is_farm_household=is_farm_household,
        standard=standard,
        average_request=average_request,
    )
    return Evaluated(facts=facts, assessment=assessment, income_per_person=income)


def snapshot(members: list[Mapping[str, Any]], on: dt.date) -> list[dict[str, Any]]:
    """What the survey keeps of each member as surveyed (JSON-safe)."""
    rows = []
    for m in members:
        row = {k: m.get(k, False) if k in _OPTIONAL else m[k] for k in MEMBER_FIELDS}
        row["birth_date"] = m["birth_date"].isoformat()
        row["age"] = age_at(m["birth_date"], on)
        row["relation"] = m.get("relation", "")
        row["ethnicity"] = m.get("ethnicity", "")
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Surveyed:
    """What saving a survey stores from the rules: the survey's field values (besides its status
    and who saved it when) and its deprived indicators with their reasons (JSON-safe)."""

    values: dict[str, Any]
    deprivations: list[tuple[str, list[dict[str, Any]]]]

    @property
    def poverty_class(self) -> str:
        return self.values["poverty_class"]


def surveyed(
    *,
    members: list[Mapping[str, Any]],
    survey: Mapping[str, Any],
    on: dt.date,
    is_urban: bool,
    is_farm_household: bool,
    is_ethnic_minority: bool,
    standard: PovertyStandard,
    average_request: AverageLivingRequest | None = None,
) -> Surveyed:
    """The survey page's save and the set-based import store exactly this (one implementation):
    the facts as entered, the income per person used, the members as surveyed, the assessment."""
    evaluated = assess(
        members=members,
        survey=survey,
        on=on,
        is_urban=is_urban,
        is_farm_household=is_farm_household,
        standard=standard,
        average_request=average_request,
    )
    values = {
        **survey,
        **survey_results(
            evaluated,
            members=members,
            on=on,
            is_urban=is_urban,
            is_ethnic_minority=is_ethnic_minority,
        ),
    }
    deprivations = survey_deprivations(evaluated.assessment)
    return Surveyed(values=values, deprivations=deprivations)


def survey_results(
    evaluated: Evaluated,
    *,
    members: list[Mapping[str, Any]],
    on: dt.date,
    is_urban: bool,
    is_ethnic_minority: bool,
) -> dict[str, Any]:
    """The survey fields a save stores from an assessment already made (the demo generator
    calls it with the assessment it drew facts against). ``on``: the round's reference date."""
    result = evaluated.assessment
    return {
        "income_per_person": evaluated.income_per_person,
        "is_urban": is_urban,
        "is_ethnic_minority": is_ethnic_minority,
        "member_count": len(members),
        "members_snapshot": snapshot(members, on),
        "deprived_count": result.deprived_count,
        "b2_score": result.b2_score,
        "poverty_class": result.poverty_class.value,
    }


def survey_deprivations(assessment: Assessment) -> list[tuple[str, list[dict[str, Any]]]]:
    """(indicator code, reasons as JSON) of every deprived indicator: the SurveyDeprivation rows."""
    from .reasons import to_json  # display helpers (translation); the rules stay pure

    return [
        (r.indicator.code, [to_json(reason) for reason in r.reasons])
        for r in assessment.results
        if r.deprived
    ]
