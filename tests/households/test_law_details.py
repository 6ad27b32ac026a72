"""The law's details the rules used to miss (issue 10, part 6), as table-driven boundary tests.

- Indicator 6: a child of 3 to under 16 must attend the school level that fits their age
  (preschool from 3, primary from 6, lower secondary from 11, upper secondary from 15; school
  age counted by year, Law on Education 2019 art. 28), not merely be in school.
- Indicator 5: vocational training certified by an employer counts as training.
- The average-living class is recognised on the household's request for a round, from its
  income over the 12 months before; the survey alone never assigns it.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from households.facts import member_facts
from households.models import Member
from households.rules import (
    AverageLivingRequest,
    adult_education,
    child_schooling,
    classify,
    school_age,
)
from households.standards import ND07_2021, ND351_2025, EducationLevel, PovertyClass, Schooling
from tests.conftest import unit
from tests.households.factories import member, open_round, register
from tests.households.test_rules import house, person

STANDARDS = pytest.mark.parametrize("standard", [ND07_2021, ND351_2025], ids=lambda s: s.code)
SEPT_2025 = dt.date(2025, 9, 1)  # a periodic round's reference date: school year 2025-2026
MARCH_2026 = dt.date(2026, 3, 1)  # a regular review in the same school year


def schooled(birth: dt.date, level: str, **over) -> dict:
    """A member as the survey page hands it to the services."""
    data = {
        "full_name": "Trẻ",
        "birth_date": birth,
        "sex": "female",
        "schooling": level,
        "education_level": "none",
        "has_health_insurance": True,
        "employment": "not_in_labour_force",
        "is_disabled": False,
        "has_monthly_social_allowance": False,
        "nutrition": "normal",
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # counted by the year the school year began: 2025 from September 2025 to August 2026
        (dt.date(2019, 1, 1), SEPT_2025, 6),
        (dt.date(2019, 12, 31), SEPT_2025, 6),  # full years 5: still enters grade 1 now
        (dt.date(2019, 12, 31), MARCH_2026, 6),
        (dt.date(2019, 1, 1), dt.date(2026, 8, 31), 6),  # full years 7: still the same year
        (dt.date(2019, 1, 1), dt.date(2026, 9, 1), 7),
        (dt.date(2026, 1, 5), MARCH_2026, 0),  # a baby born after the school year began
    ],
)
def test_school_age_is_counted_by_school_year(birth, on, expected):
    assert school_age(birth, on, ND07_2021) == expected


# birth date, level attended, deprived at the 2025 review (reference date 01/09/2025)
CHILDREN = [
    # the scope: full 3 years to under 16 at the reference date
    ("2-not-counted", dt.date(2022, 9, 2), "not_in_school", False),
    ("3-not-attending", dt.date(2022, 9, 1), "not_in_school", True),
    ("3-preschool", dt.date(2022, 9, 1), "preschool", False),
    ("15-not-attending", dt.date(2009, 9, 2), "not_in_school", True),
    ("16-not-counted", dt.date(2009, 9, 1), "not_in_school", False),
    # preschool band: school age 3-5 (born 2020-2022)
    ("sa5-preschool", dt.date(2020, 1, 1), "preschool", False),
    ("sa5-primary-ahead", dt.date(2020, 1, 1), "primary", False),
    # primary band from school age 6 (born 2019): 5 full years on the reference date, still due
    ("sa6-born-dec-preschool-behind", dt.date(2019, 12, 31), "preschool", True),
    ("sa6-born-dec-primary", dt.date(2019, 12, 31), "primary", False),
    ("sa6-preschool-behind", dt.date(2019, 1, 1), "preschool", True),
    ("sa10-primary", dt.date(2015, 1, 1), "primary", False),
    ("sa10-lower-ahead", dt.date(2015, 1, 1), "lower_secondary", False),
    # lower secondary band from school age 11 (born 2014)
    ("sa11-primary-behind", dt.date(2014, 12, 31), "primary", True),
    ("sa11-lower", dt.date(2014, 12, 31), "lower_secondary", False),
    ("sa14-lower", dt.date(2011, 1, 1), "lower_secondary", False),
    ("sa14-upper-ahead", dt.date(2011, 1, 1), "upper_secondary", False),
    # upper secondary band from school age 15 (born 2010)
    ("sa15-lower-behind", dt.date(2010, 12, 31), "lower_secondary", True),
    ("sa15-upper", dt.date(2010, 12, 31), "upper_secondary", False),
    ("sa15-vocational", dt.date(2010, 12, 31), "vocational", False),
    ("sa15-higher-ahead", dt.date(2010, 1, 1), "higher", False),
]


@pytest.mark.parametrize(
    ("birth", "level", "deprived"), [pytest.param(*row[1:], id=row[0]) for row in CHILDREN]
)
@STANDARDS
def test_child_must_attend_the_level_of_their_age(standard, birth, level, deprived):
    child = member_facts(schooled(birth, level), SEPT_2025, standard)
    result = child_schooling(house(person(), child), standard)
    assert result.deprived is deprived
    if deprived:
        (reason,) = result.reasons
        expected = "child_not_in_school" if level == "not_in_school" else "child_below_level"
        assert reason.code == expected


def test_a_child_on_track_is_not_behind_in_a_review_before_september():
    """Born January 2011, in grade 9 in the school year 2025-2026: 15 full years in March 2026,
    but school age 14 (lower secondary). By full years they would look one level behind."""
    child = member_facts(schooled(dt.date(2011, 1, 10), "lower_secondary"), MARCH_2026, ND07_2021)
    assert child.age == 15
    assert not child_schooling(house(person(), child), ND07_2021).deprived


def test_reason_names_the_level_attended_and_the_fitting_one():
    child = member_facts(schooled(dt.date(2013, 5, 1), "primary"), SEPT_2025, ND07_2021)
    (reason,) = child_schooling(house(person(), child), ND07_2021).reasons
    assert reason.describe_vi() == (
        "Trẻ, 12 tuổi, đang học tiểu học, chưa đúng cấp học theo độ tuổi (trung học cơ sở)"
    )


def test_the_bands_are_data_of_the_standard():
    for standard in (ND07_2021, ND351_2025):
        assert [(b.level, b.from_age) for b in standard.school_bands] == [
            (Schooling.PRESCHOOL, 3),
            (Schooling.PRIMARY, 6),
            (Schooling.LOWER_SECONDARY, 11),
            (Schooling.UPPER_SECONDARY, 15),
        ]


# --- Indicator 5: vocational training certified by an employer ---------------------------------

# age, highest level finished, attending, employer-certified training, deprived
ADULTS = [
    ("18-lower-no-training", 18, "lower_secondary", "not_in_school", False, True),
    ("18-lower-employer-certified", 18, "lower_secondary", "not_in_school", True, False),
    ("30-none-employer-certified", 30, "none", "not_in_school", True, False),
    ("30-none-no-training", 30, "none", "not_in_school", False, True),
    ("31-not-counted", 31, "none", "not_in_school", False, False),
    ("25-vocational-level", 25, "vocational", "not_in_school", False, False),
    ("25-attending-vocational", 25, "lower_secondary", "vocational", False, False),
    # 16 and 17 need the lower secondary diploma: an employer's certificate does not replace it
    ("17-primary-employer-certified", 17, "primary", "not_in_school", True, True),
    ("17-lower-no-training", 17, "lower_secondary", "not_in_school", False, False),
]


@pytest.mark.parametrize(
    ("age", "level", "schooling", "certified", "deprived"),
    [pytest.param(*row[1:], id=row[0]) for row in ADULTS],
)
@STANDARDS
def test_employer_certified_training_counts_as_training(
    standard, age, level, schooling, certified, deprived
):
    member = person(
        age=age,
        education_level=EducationLevel(level),
        schooling=Schooling(schooling),
        employer_certified_training=certified,
    )
    assert adult_education(house(member), standard).deprived is deprived


def test_member_facts_read_the_employer_certificate():
    data = schooled(dt.date(2000, 1, 1), "not_in_school", education_level="lower_secondary")
    on = dt.date(2025, 9, 1)
    assert adult_education(house(member_facts(data, on, ND07_2021)), ND07_2021).deprived
    data["employer_certified_training"] = True
    assert not adult_education(house(member_facts(data, on, ND07_2021)), ND07_2021).deprived


# --- Migration 0006: "in school" becomes the level that fits the age ----------------------------

MIGRATED = [
    # birth date, highest level finished, level after the migration (latest round 01/09/2025)
    ("baby", dt.date(2024, 1, 1), "none", "preschool"),
    ("sa5", dt.date(2020, 12, 31), "none", "preschool"),
    ("sa6-born-december", dt.date(2019, 12, 31), "none", "primary"),
    ("sa10", dt.date(2015, 6, 1), "primary", "primary"),
    ("sa11", dt.date(2014, 6, 1), "primary", "lower_secondary"),
    ("sa14", dt.date(2011, 6, 1), "primary", "lower_secondary"),
    ("sa15-full-14", dt.date(2010, 12, 31), "lower_secondary", "upper_secondary"),
    ("full-15", dt.date(2009, 9, 2), "lower_secondary", "upper_secondary"),
    ("full-16", dt.date(2009, 9, 1), "lower_secondary", "upper_secondary"),
    ("adult-finished-upper", dt.date(2004, 1, 1), "upper_secondary", "higher"),
    ("adult-not-finished", dt.date(2000, 1, 1), "lower_secondary", "upper_secondary"),
]


@pytest.mark.django_db
def test_migration_maps_in_school_to_the_fitting_level_so_no_class_changes(cast):
    migration = import_module("households.migrations.0006_member_school_level_employer_training")
    household = register(cast.admin, unit("21484"), members=[member()])
    open_round(cast.admin, 2025)  # the latest round: its reference date is 01/09/2025
    for key, birth, level, _expected in MIGRATED:
        Member.objects.create(
            household=household, full_name=key, sex="male", birth_date=birth, relation="child",
            schooling="in_school", education_level=level, employment="not_in_labour_force",
        )  # fmt: skip
    children = Member.objects.exclude(relation="head")
    migration.in_school_to_level(django_apps, None)
    got = dict(children.values_list("full_name", "schooling"))
    assert got == {key: expected for key, _b, _l, expected in MIGRATED}
    assert Member.objects.get(relation="head").schooling == "not_in_school"
    # every child mapped is at their fitting level: indicator 6 is deprived for none of them
    for m in children.values():
        facts = member_facts(m, SEPT_2025, ND07_2021)
        assert not child_schooling(house(person(), facts), ND07_2021).deprived, m["full_name"]
    migration.level_to_in_school(django_apps, None)
    assert children.filter(schooling="in_school").count() == len(MIGRATED)


# --- The average-living class: on the household's request, for the round ------------------------

AVG, NONE, NEAR, POOR = (PovertyClass.AVERAGE, PovertyClass.NONE, PovertyClass.NEAR_POOR,
                         PovertyClass.POOR)  # fmt: skip


def request(per_person: int, members: int = 4) -> AverageLivingRequest:
    """A request whose 12 months' income gives exactly ``per_person`` a month."""
    return AverageLivingRequest(income_12_months=per_person * 12 * members, members=members)


# label, urban, survey income per person, farm, request (per person a month) or None, class
CLASSES = [
    # the survey alone never says "average", however farm and in the band the household is
    ("rural-in-band-no-request", False, 2_000_000, True, None, NONE),
    ("rural-on-line-near-poor-request-ignored", False, 1_500_000, True, 2_000_000, NEAR),
    # the band of Decree 07/2021, rural: 1,500,000 < I <= 2,250,000 (the request's income)
    ("rural-request-on-line", False, 1_600_000, True, 1_500_000, NONE),
    ("rural-request-line+1", False, 1_600_000, True, 1_500_001, AVG),
    ("rural-request-band-upper", False, 1_600_000, True, 2_250_000, AVG),
    ("rural-request-band-upper+1", False, 1_600_000, True, 2_250_001, NONE),
    ("rural-request-not-farm", False, 1_600_000, False, 2_000_000, NONE),
    # urban: 2,000,000 < I <= 3,000,000
    ("urban-request-line+1", True, 2_100_000, True, 2_000_001, AVG),
    ("urban-request-band-upper", True, 2_100_000, True, 3_000_000, AVG),
    ("urban-request-band-upper+1", True, 2_100_000, True, 3_000_001, NONE),
]


@pytest.mark.parametrize(
    ("urban", "income", "farm", "requested", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in CLASSES],
)
def test_average_only_with_an_approved_request_in_the_band(
    urban, income, farm, requested, expected
):
    got = classify(
        income_per_person=income,
        deprived_count=0,
        is_urban=urban,
        is_farm_household=farm,
        standard=ND07_2021,
        average_request=None if requested is None else request(requested),
    )
    assert got == expected


def test_no_band_no_average_under_decree_351():
    got = classify(
        income_per_person=2_300_000, deprived_count=0, is_urban=False, is_farm_household=True,
        standard=ND351_2025, average_request=request(2_300_000),
    )  # fmt: skip
    assert got == NONE


@pytest.mark.parametrize(
    ("income", "members", "per_person"),
    [
        (108_000_000, 4, 2_250_000),
        (108_000_011, 4, 2_250_000),  # rounded down to a whole đồng
        (108_000_047, 4, 2_250_000),
        (108_000_048, 4, 2_250_001),
    ],
)
def test_request_income_per_person_per_month(income, members, per_person):
    assert AverageLivingRequest(income, members).income_per_person == per_person
