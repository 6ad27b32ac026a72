"""Working age (indicator 1): from 15 full years to the retirement age of the Labour Code 2019
art. 169 and Decree 135/2020 art. 4, by sex and birth month, in months at the reference date."""

from __future__ import annotations

import datetime as dt

import pytest

from households.facts import member_facts
from households.rules import employment, months_on
from households.standards import ND07_2021, ND351_2025, Employment
from tests.households.test_rules import house

# Rows of the decree's appendix tables (normal working conditions): birth month → retirement age.
APPENDIX = [
    # sex, born (year, month), age (years, months)
    ("male", (1960, 12), (60, 0)),  # reached 60 in 12/2020: the old age
    ("male", (1961, 1), (60, 3)),
    ("male", (1961, 9), (60, 3)),  # reaches 60y3m in 12/2021
    ("male", (1961, 10), (60, 6)),  # would reach 60y3m in 2022, when 60y6m applies
    ("male", (1962, 1), (60, 6)),
    ("male", (1962, 7), (60, 9)),
    ("male", (1963, 4), (61, 0)),
    ("male", (1966, 1), (61, 9)),
    ("male", (1966, 4), (62, 0)),  # 2028: the final 62
    ("male", (1975, 6), (62, 0)),
    ("female", (1965, 12), (55, 0)),
    ("female", (1966, 1), (55, 4)),
    ("female", (1966, 8), (55, 4)),  # reaches 55y4m in 12/2021
    ("female", (1966, 9), (55, 8)),
    ("female", (1967, 5), (56, 0)),
    ("female", (1975, 1), (59, 8)),
    ("female", (1975, 5), (60, 0)),  # 2035: the final 60
    ("female", (1990, 1), (60, 0)),
]


@pytest.mark.parametrize(("sex", "born", "age"), APPENDIX)
@pytest.mark.parametrize("standard", [ND07_2021, ND351_2025], ids=lambda s: s.code)
def test_retirement_age_by_birth_month(standard, sex, born, age):
    schedule = standard.retirement_male if sex == "male" else standard.retirement_female
    assert divmod(schedule.age_months_for(*born), 12) == age


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (dt.date(2000, 5, 15), dt.date(2015, 5, 14), 179),
        (dt.date(2000, 5, 15), dt.date(2015, 5, 15), 180),
        (dt.date(2000, 1, 31), dt.date(2000, 2, 28), 0),  # not the last day of a leap February
        (dt.date(2000, 1, 31), dt.date(2000, 2, 29), 1),  # the month's last day completes it
        (dt.date(2001, 1, 31), dt.date(2001, 2, 28), 1),
        (dt.date(2000, 3, 1), dt.date(2000, 3, 1), 0),
    ],
)
def test_months_of_age(birth, on, months):
    assert months_on(birth, on) == months


def unemployed(sex: str, birth: dt.date):
    return {
        "full_name": "Thành viên",
        "birth_date": birth,
        "sex": sex,
        "schooling": "not_in_school",
        "education_level": "upper_secondary",
        "has_health_insurance": True,
        "employment": Employment.UNEMPLOYED.value,
        "is_disabled": False,
        "has_monthly_social_allowance": False,
    }


@pytest.mark.parametrize(
    ("sex", "birth", "on", "working_age"),
    [
        # a man born 15/01/1961 reaches 60y3m on 15/04/2021
        ("male", dt.date(1961, 1, 15), dt.date(2021, 4, 14), True),
        ("male", dt.date(1961, 1, 15), dt.date(2021, 4, 15), False),
        # at 60 years and 2 months a man is still of working age (whole years said 60 = retired)
        ("male", dt.date(1962, 7, 1), dt.date(2022, 9, 1), True),
        # born 07/1962: 60y6m would fall in 01/2023, when 60y9m applies: retires at 60y9m
        ("male", dt.date(1962, 7, 1), dt.date(2023, 3, 31), True),
        ("male", dt.date(1962, 7, 1), dt.date(2023, 4, 1), False),
        # a woman born 01/01/1966 reaches 55y4m on 01/05/2021
        ("female", dt.date(1966, 1, 1), dt.date(2021, 4, 30), True),
        ("female", dt.date(1966, 1, 1), dt.date(2021, 5, 1), False),
        ("female", dt.date(1970, 3, 10), dt.date(2026, 9, 1), True),  # 56y5m < 57y4m (2027)
        # the lower bound: 15 full years
        ("male", dt.date(2011, 9, 2), dt.date(2026, 9, 1), False),
        ("male", dt.date(2011, 9, 1), dt.date(2026, 9, 1), True),
    ],
)
def test_unemployed_member_is_deprived_only_in_working_age(sex, birth, on, working_age):
    facts = member_facts(unemployed(sex, birth), on, ND07_2021)
    result = employment(house(facts), ND07_2021)
    assert result.deprived is working_age
