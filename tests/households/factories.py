"""Builders for household tests: plain dicts for the services, and ready-made households."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from households.models import Household, ReviewRound, Survey
from households.services import household_create, round_open, survey_save

_codes = itertools.count(1)


def member(name="Nguyễn Văn An", *, born=dt.date(1985, 3, 1), relation="head", **over):
    data = {
        "full_name": name,
        "sex": "male",
        "birth_date": born,
        "relation": relation,
        "ethnicity": "kinh",
        "citizen_id": "",
        "has_health_insurance": True,
        "schooling": "not_in_school",
        "education_level": "upper_secondary",
        "employment": "self_employed",
        "is_disabled": False,
        "has_monthly_social_allowance": False,
        "nutrition": "unknown",
    }
    data.update(over)
    return data


def survey_fields(**over):
    """A household with no deprivation and income well above the line, unless overridden."""
    data = {
        "income_per_person": 3_500_000,
        "household_income": None,
        "b1_score": None,
        "walls_durable": True,
        "columns_durable": True,
        "roof_durable": True,
        "floor_area": Decimal("60"),
        "water_source": "piped",
        "has_hygienic_latrine": True,
        "uses_internet": True,
        "devices": ",smartphone,tv,",
        "uses_digital_services": True,
        "waste_collected": True,
        "causes": "",
        "needs": "",
    }
    data.update(over)
    return data


POOR_FIELDS = {  # 3 deprivations (latrine, water, internet) and income under the rural line
    "income_per_person": 1_000_000,
    "has_hygienic_latrine": False,
    "water_source": "surface",
    "uses_internet": False,
}
NEAR_POOR_FIELDS = {"income_per_person": 1_200_000}


def open_round(admin, year: int, kind="periodic") -> ReviewRound:
    return round_open(
        by=admin,
        year=year,
        kind=kind,
        starts_on=dt.date(year, 9, 1),
        ends_on=dt.date(year, 12, 14),
    )


def register(officer, commune, *, members=None, village="Thôn 1", **flags) -> Household:
    return household_create(
        by=officer,
        commune=commune,
        code=f"HH{next(_codes):06d}",
        village=village,
        members=[member()] if members is None else members,
        **flags,
    )


def save(officer, survey: Survey, *, members=None, **fields) -> Survey:
    survey.refresh_from_db()
    current = members
    if current is None:
        current = [
            {**m, "id": m["id"]} for m in survey.household.members.filter(is_current=True).values()
        ]
    return survey_save(
        by=officer,
        survey=survey,
        expected_version=survey.version,
        household_data={},
        members=current,
        survey_data=survey_fields(**fields),
    )
