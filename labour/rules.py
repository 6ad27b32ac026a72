"""Who may be surveyed (docs/labour.md): plain values in, values out."""

from __future__ import annotations

import datetime as dt

from households.counting import NEAR_POOR, POOR
from households.facts import member_facts
from households.rules import is_working_age
from households.standards import STANDARDS, standard_for_year

SURVEYED_CLASSES = (POOR, NEAR_POOR)  # training needs are surveyed in these households


def is_surveyed_class(cls: str | None) -> bool:
    return cls in SURVEYED_CLASSES


def member_is_working_age(member, on: dt.date) -> bool:
    """The one working-age rule of the households app (Labour Code 2019 art. 169), on ``on``."""
    try:
        standard = standard_for_year(on.year)
    except LookupError:  # before the first or after the last standard: the nearest one
        early = on.year < STANDARDS[0].first_review_year
        standard = STANDARDS[0] if early else STANDARDS[-1]
    facts = member_facts(
        {
            "full_name": member.full_name,
            "birth_date": member.birth_date,
            "sex": member.sex,
            "schooling": member.schooling,
            "education_level": member.education_level,
            "has_health_insurance": member.has_health_insurance,
            "employment": member.employment,
            "is_disabled": member.is_disabled,
            "has_monthly_social_allowance": member.has_monthly_social_allowance,
        },
        on,
        standard,
    )
    return is_working_age(facts, standard)
