"""Pure tests of the poverty rules: no database, no Django (run with ``-p no:django``).

Expected values are written out literally (lines, bands, ages) rather than read back from the
standards, so a wrong number in ``households.standards`` makes a test fail.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from households.rules import (
    BALANCE_NEAR_POOR,
    BALANCE_POOR,
    INDICATOR_TESTS,
    REASON_CODES,
    HouseholdFacts,
    MemberFacts,
    Reason,
    RoundEntries,
    age_on,
    assess,
    balance_holds,
    classify,
    evaluate,
    transition,
    transitions_across_rounds,
)
from households.standards import (
    ND07_2021,
    ND351_2025,
    STANDARDS,
    Device,
    EducationLevel,
    Employment,
    Indicator,
    Nutrition,
    PovertyClass,
    Schooling,
    Sex,
    Transition,
    WaterSource,
    standard_for_year,
)

POOR, NEAR, AVG, NONE = (
    PovertyClass.POOR,
    PovertyClass.NEAR_POOR,
    PovertyClass.AVERAGE,
    PovertyClass.NONE,
)
BOTH_STANDARDS = [pytest.param(s, id=s.code) for s in STANDARDS]


def person(name: str = "Chủ hộ", **overrides) -> MemberFacts:
    """An adult who triggers no indicator; override one fact to trigger one."""
    facts = {
        "age": 35,
        "sex": Sex.MALE,
        "schooling": Schooling.NOT_IN_SCHOOL,
        "education_level": EducationLevel.UPPER_SECONDARY,
        "has_health_insurance": True,
        "employment": Employment.WAGE_WITH_CONTRACT,
        "is_disabled": False,
        "has_monthly_social_allowance": False,
        "nutrition": Nutrition.NORMAL,
    }
    facts.update(overrides)
    return MemberFacts(name=name, **facts)


def child(age: int, **overrides) -> MemberFacts:
    facts = {
        "age": age,
        "schooling": ND07_2021.school_level_for(age),  # in school, at the level of their age
        "education_level": EducationLevel.NONE,
        "employment": Employment.NOT_IN_LABOUR_FORCE,
    }
    facts.update(overrides)
    return person(f"Trẻ {age} tuổi", **facts)


def house(*members: MemberFacts, **overrides) -> HouseholdFacts:
    """A household deprived in nothing under either standard, unless overridden."""
    members = members or (person(),)
    facts = {
        "walls_durable": True,
        "columns_durable": True,
        "roof_durable": True,
        "floor_area_m2": Decimal(20) * len(members),
        "water_source": WaterSource.PIPED,
        "has_hygienic_latrine": True,
        "uses_internet": True,
        "devices": frozenset({Device.TV}),
        "uses_digital_services": True,
        "waste_collected": True,
    }
    facts.update(overrides)
    return HouseholdFacts(members=tuple(members), **facts)


def result(h: HouseholdFacts, standard, code: str):
    return next(r for r in assess(h, standard) if r.indicator.code == code)


def deprived_codes(h: HouseholdFacts, standard) -> list[str]:
    return [r.indicator.code for r in assess(h, standard) if r.deprived]


# --- Standards by year -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "code"),
    [
        pytest.param(2022, "ND07_2021", id="2022-first-review-of-decree-07"),
        pytest.param(2026, "ND07_2021", id="2026-extended-by-decree-351"),
        pytest.param(2027, "ND351_2025", id="2027-first-review-of-decree-351"),
        pytest.param(2030, "ND351_2025", id="2030-last-review-of-decree-351"),
    ],
)
def test_standard_for_year(year, code):
    assert standard_for_year(year).code == code


@pytest.mark.parametrize("year", [pytest.param(2021, id="2021"), pytest.param(2031, id="2031")])
def test_standard_for_year_outside_any_standard_raises(year):
    with pytest.raises(LookupError, match=str(year)):
        standard_for_year(year)


# --- Classification ----------------------------------------------------------------------------

# (standard, urban, line, band upper) exactly as DOMAIN.md §3 states them.
LINES = [
    (ND07_2021, False, 1_500_000, 2_250_000),
    (ND07_2021, True, 2_000_000, 3_000_000),
    (ND351_2025, False, 2_200_000, None),
    (ND351_2025, True, 2_800_000, None),
]


def _classify_cases():
    for standard, urban, line, band in LINES:
        rows = [  # label, income per person, deprived count, farm household, expected class
            ("on-line-3-deprived-poor", line, 3, False, POOR),
            ("on-line-2-deprived-near-poor", line, 2, False, NEAR),
            ("on-line-farm-0-deprived-near-poor", line, 0, True, NEAR),
            ("zero-income-12-deprived-poor", 0, 12, False, POOR),
            ("line+1-12-deprived-none", line + 1, 12, False, NONE),
        ]
        if band is None:  # Decree 351/2025: no band known, so never "average"
            rows.append(("line+1-farm-no-band-none", line + 1, 0, True, NONE))
        else:
            # without an approved request the survey never gives "average" (Decree 07/2021:
            # on the household's request; tests/households/test_law_details.py has the requests)
            rows += [
                ("line+1-farm-no-request-none", line + 1, 5, True, NONE),
                ("band-upper-farm-no-request-none", band, 0, True, NONE),
                ("band-upper+1-farm-none", band + 1, 0, True, NONE),
                ("band-upper-non-farm-none", band, 0, False, NONE),
            ]
        area = "urban" if urban else "rural"
        for label, *values in rows:
            yield pytest.param(standard, urban, *values, id=f"{standard.code}-{area}-{label}")


@pytest.mark.parametrize(
    ("standard", "urban", "income", "deprived", "farm", "expected"), list(_classify_cases())
)
def test_classify(standard, urban, income, deprived, farm, expected):
    got = classify(
        income_per_person=income,
        deprived_count=deprived,
        is_urban=urban,
        is_farm_household=farm,
        standard=standard,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("income", "deprived"), [pytest.param(-1, 0, id="income"), pytest.param(0, -1, id="count")]
)
def test_classify_rejects_negative_numbers(income, deprived):
    with pytest.raises(ValueError):
        classify(
            income_per_person=income,
            deprived_count=deprived,
            is_urban=False,
            is_farm_household=False,
            standard=ND07_2021,
        )


TWO_DEPRIVED = {"has_hygienic_latrine": False, "water_source": WaterSource.SURFACE}
THREE_DEPRIVED = {**TWO_DEPRIVED, "walls_durable": False, "roof_durable": False}


@pytest.mark.parametrize(
    ("standard", "urban", "line"),
    [pytest.param(*row[:3], id=row[0].code + ("-urban" if row[1] else "-rural")) for row in LINES],
)
@pytest.mark.parametrize(
    ("facts", "count", "b2", "expected"),
    [
        pytest.param(TWO_DEPRIVED, 2, 20, NEAR, id="2-deprived"),
        pytest.param(THREE_DEPRIVED, 3, 30, POOR, id="3-deprived"),
    ],
)
def test_evaluate_on_the_line(standard, urban, line, facts, count, b2, expected):
    a = evaluate(
        house(**facts),
        income_per_person=line,
        is_urban=urban,
        is_farm_household=False,
        standard=standard,
    )
    assert (a.deprived_count, a.b2_score, a.poverty_class) == (count, b2, expected)
    assert [r.indicator.number for r in a.results] == list(range(1, 13))


# --- Member indicators: age boundaries, both standards -----------------------------------------

L, E = EducationLevel, Employment
OUT = {"schooling": Schooling.NOT_IN_SCHOOL}
HI, AD, WORK, NUT = "health_insurance", "adult_education", "employment", "nutrition"
MEMBER_CASES = [
    # health insurance: from 6 years old
    ("insurance-age-5-exempt", child(5, has_health_insurance=False), HI, False),
    ("insurance-age-6-deprived", child(6, has_health_insurance=False), HI, True),
    ("insurance-adult-deprived", person("B", has_health_insurance=False), HI, True),
    # child schooling: 3 <= age < 16
    ("school-age-2-not-counted", child(2, **OUT), "child_schooling", False),
    ("school-age-3-deprived", child(3, **OUT), "child_schooling", True),
    ("school-age-15-deprived", child(15, **OUT), "child_schooling", True),
    ("school-age-15-in-school", child(15), "child_schooling", False),
    ("school-age-16-not-counted", child(16, **OUT), "child_schooling", False),
    # adult education, lower secondary: 16 <= age < 18
    ("adult-15-outside", child(15, **OUT), AD, False),
    ("adult-16-no-schooling", child(16, **OUT), AD, True),
    ("adult-16-primary", child(16, **OUT, education_level=L.PRIMARY), AD, True),
    ("adult-16-lower-sec-done", child(16, **OUT, education_level=L.LOWER_SECONDARY), AD, False),
    ("adult-17-primary", child(17, **OUT, education_level=L.PRIMARY), AD, True),
    ("adult-17-in-school", child(17, education_level=L.PRIMARY), AD, False),
    # adult education, upper secondary or vocational: 18 <= age <= 30
    ("adult-18-lower-sec-only", person("C", age=18, education_level=L.LOWER_SECONDARY), AD, True),
    ("adult-18-vocational", person("C", age=18, education_level=L.VOCATIONAL), AD, False),
    ("adult-18-in-school", child(18, education_level=L.LOWER_SECONDARY), AD, False),
    ("adult-30-lower-sec-only", person("C", age=30, education_level=L.LOWER_SECONDARY), AD, True),
    ("adult-30-higher", person("C", age=30, education_level=L.HIGHER), AD, False),
    ("adult-31-outside", person("C", age=31, education_level=L.NONE), AD, False),
    # employment: working age 15 <= age < 60 (men) / 55 (women)
    ("work-14-unemployed-outside", child(14, employment=E.UNEMPLOYED), WORK, False),
    ("work-15-unemployed", child(15, employment=E.UNEMPLOYED), WORK, True),
    ("work-man-59-unemployed", person("D", age=59, employment=E.UNEMPLOYED), WORK, True),
    ("work-man-60-retired", person("D", age=60, employment=E.UNEMPLOYED), WORK, False),
    ("work-woman-54", person("E", age=54, sex=Sex.FEMALE, employment=E.UNEMPLOYED), WORK, True),
    ("work-woman-55", person("E", age=55, sex=Sex.FEMALE, employment=E.UNEMPLOYED), WORK, False),
    ("work-no-contract", person("D", employment=E.WAGE_NO_CONTRACT), WORK, True),
    ("work-self-employed", person("D", employment=E.SELF_EMPLOYED), WORK, False),
    ("work-not-in-labour-force", person("D", employment=E.NOT_IN_LABOUR_FORCE), WORK, False),
    # nutrition: children under 16
    ("nutrition-15-stunted", child(15, nutrition=Nutrition.STUNTED), NUT, True),
    ("nutrition-2-underweight", child(2, nutrition=Nutrition.UNDERWEIGHT), NUT, True),
    ("nutrition-16-stunted-not-child", child(16, nutrition=Nutrition.STUNTED), NUT, False),
    ("nutrition-unknown", child(4, nutrition=Nutrition.UNKNOWN), NUT, False),
]


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
@pytest.mark.parametrize(
    ("member", "code", "deprived"), [pytest.param(*c[1:], id=c[0]) for c in MEMBER_CASES]
)
def test_member_indicator(standard, member, code, deprived):
    r = result(house(person(), member), standard, code)
    assert r.deprived is deprived
    # A deprived result names exactly the member who triggers it; a clean one has no reasons.
    assert [reason.member for reason in r.reasons] == ([member.name] if deprived else [])


def test_every_triggering_member_is_listed():
    h = house(
        person("A", has_health_insurance=False),
        person("B"),
        person("C", age=70, has_health_insurance=False),
    )
    r = result(h, ND07_2021, "health_insurance")
    assert [(x.code, x.member, x.params) for x in r.reasons] == [
        ("no_insurance", "A", (("age", 35),)),
        ("no_insurance", "C", (("age", 70),)),
    ]


# --- Dependents: more than half ----------------------------------------------------------------


def allowance(**overrides) -> MemberFacts:
    return person("Người hưởng trợ cấp", has_monthly_social_allowance=True, **overrides)


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
@pytest.mark.parametrize(
    ("members", "deprived"),
    [
        pytest.param((person(), person("B"), child(3), child(5)), False, id="2-of-4-exactly-half"),
        pytest.param((person(), child(3), child(5), child(15)), True, id="3-of-4-more-than-half"),
        pytest.param((person(), child(16), child(5)), False, id="16-is-no-longer-a-child"),
        pytest.param((person(), child(5), allowance(age=60)), True, id="man-60-on-allowance"),
        pytest.param(
            (person(), child(5), allowance(age=60, sex=Sex.FEMALE)), True, id="woman-60-allowance"
        ),
        pytest.param((person(), child(5), person("F", age=80)), False, id="elderly-no-allowance"),
        pytest.param((person(), child(5), allowance(age=59)), False, id="man-59-on-allowance"),
        pytest.param(
            (person(), child(5), allowance(age=59, sex=Sex.FEMALE)), False, id="woman-59-allowance"
        ),
        pytest.param(
            (person(), child(5), allowance(age=30, is_disabled=True)), True, id="disabled-allowance"
        ),
        pytest.param(
            (person(), child(5), person("G", is_disabled=True)), False, id="disabled-no-allowance"
        ),
    ],
)
def test_dependents(standard, members, deprived):
    assert result(house(*members), standard, "dependents").deprived is deprived


def test_empty_household_is_not_deprived_by_shares():
    h = house(person())
    h = dataclasses.replace(h, members=())
    assert result(h, ND07_2021, "dependents").deprived is False
    assert result(h, ND07_2021, "floor_area").deprived is False


# --- Household indicators ----------------------------------------------------------------------


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
@pytest.mark.parametrize(
    ("area", "deprived"),
    [
        pytest.param(Decimal("16"), False, id="exactly-8-per-person"),
        pytest.param(Decimal("15.98"), True, id="7.99-per-person"),
        pytest.param(15.98, True, id="7.99-per-person-float"),
        pytest.param(16, False, id="8-per-person-int"),
    ],
)
def test_floor_area(standard, area, deprived):
    h = house(person(), person("B"), floor_area_m2=area)
    assert result(h, standard, "floor_area").deprived is deprived


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
@pytest.mark.parametrize(
    ("walls", "columns", "roof", "deprived"),
    [
        pytest.param(True, True, True, False, id="all-durable"),
        pytest.param(False, True, True, False, id="walls-only"),
        pytest.param(True, True, False, False, id="roof-only"),
        pytest.param(False, False, True, True, id="walls-columns"),
        pytest.param(True, False, False, True, id="columns-roof"),
        pytest.param(False, True, False, True, id="walls-roof"),
        pytest.param(False, False, False, True, id="none-durable"),
    ],
)
def test_housing_quality(standard, walls, columns, roof, deprived):
    h = house(walls_durable=walls, columns_durable=columns, roof_durable=roof)
    assert result(h, standard, "housing_quality").deprived is deprived


CLEAN = {"piped", "drilled_well", "protected_dug_well", "protected_spring", "rain", "bottled"}


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
@pytest.mark.parametrize("source", [pytest.param(w, id=w.value) for w in WaterSource])
def test_water_source(standard, source):
    r = result(house(water_source=source), standard, "water")
    assert r.deprived is (source.value not in CLEAN)


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
def test_latrine(standard):
    assert result(house(has_hygienic_latrine=False), standard, "latrine").deprived is True
    assert result(house(), standard, "latrine").deprived is False


@pytest.mark.parametrize(
    "devices",
    [pytest.param(frozenset({d}), id=d.value) for d in Device]
    + [pytest.param(frozenset(), id="no-device")],
)
def test_info_assets_under_decree_07(devices):
    assert result(house(devices=devices), ND07_2021, "info_assets").deprived is (not devices)


@pytest.mark.parametrize(
    ("facts", "expected_07", "expected_351"),
    [
        pytest.param({"uses_internet": False}, ["telecom"], [], id="no-internet"),
        pytest.param(
            {"uses_digital_services": False}, [], ["digital_services"], id="no-digital-services"
        ),
        pytest.param({"devices": frozenset()}, ["info_assets"], [], id="no-device"),
        pytest.param({"waste_collected": False}, [], ["waste"], id="no-waste-collection"),
    ],
)
def test_information_and_waste_indicators_differ_by_standard(facts, expected_07, expected_351):
    h = house(**facts)
    assert deprived_codes(h, ND07_2021) == expected_07
    assert deprived_codes(h, ND351_2025) == expected_351


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
def test_baseline_household_is_deprived_in_nothing(standard):
    results = assess(house(person(), child(4)), standard)
    assert [r.indicator for r in results] == list(standard.indicators)
    assert all(not r.deprived and r.reasons == () for r in results)


def test_assess_refuses_an_indicator_without_a_test():
    mystery = Indicator("mystery", 1, ND07_2021.indicators[0].dimension, "Bí ẩn", "Mystery")
    standard = dataclasses.replace(ND07_2021, indicators=(mystery,))
    with pytest.raises(ValueError, match="mystery"):
        assess(house(), standard)


def test_every_indicator_of_every_standard_has_a_test():
    assert {i.code for s in STANDARDS for i in s.indicators} <= set(INDICATOR_TESTS)


# --- Reasons and their Vietnamese fallback -----------------------------------------------------


def _reasons(h, standard, code):
    return result(h, standard, code).reasons


def test_describe_vi_example_sentences():
    a = person("Nguyễn Văn A", age=23, education_level=EducationLevel.LOWER_SECONDARY)
    b = person("Trần Thị B", age=40, sex=Sex.FEMALE, has_health_insurance=False)
    h = house(a, b, floor_area_m2=Decimal("13"))
    (edu,) = _reasons(h, ND07_2021, "adult_education")
    (ins,) = _reasons(h, ND07_2021, "health_insurance")
    (area,) = _reasons(h, ND07_2021, "floor_area")
    assert (
        edu.describe_vi()
        == "Nguyễn Văn A, 23 tuổi, chưa tốt nghiệp THPT hoặc học nghề, không đi học"
    )
    assert ins.describe_vi() == "Trần Thị B, 40 tuổi, không có bảo hiểm y tế"
    assert area.describe_vi() == "Diện tích nhà ở bình quân 6,5 m²/người (dưới 8 m²)"
    assert area.params == (("area_per_person", "6.5"), ("minimum", "8"))


def test_floor_area_is_rounded_down_for_display():
    # 23.99 m² / 3 = 7.9966...: deprived, so it must never read as "8".
    (r,) = _reasons(
        house(person(), person("B"), person("C"), floor_area_m2=23.99), ND07_2021, "floor_area"
    )
    assert r.param("area_per_person") == "7.99"


@pytest.mark.parametrize(
    ("facts", "code", "text"),
    [
        pytest.param(
            {"water_source": WaterSource.SURFACE},
            "water",
            "Không tiếp cận được nguồn nước sạch (đang dùng nước sông, suối, ao, hồ)",
            id="water",
        ),
        pytest.param(
            {"walls_durable": False, "roof_durable": False},
            "housing_quality",
            "Nhà ở thiếu kiên cố: tường, mái làm bằng vật liệu không bền chắc",
            id="house",
        ),
    ],
)
def test_describe_vi_household_reasons(facts, code, text):
    (r,) = _reasons(house(**facts), ND07_2021, code)
    assert r.describe_vi() == text


WORST_MEMBERS = (
    person("A", age=20, employment=E.UNEMPLOYED, has_health_insurance=False),
    child(4, **OUT, nutrition=Nutrition.STUNTED),
    child(8, nutrition=Nutrition.UNDERWEIGHT),
    child(10),  # three children under 16 of five members: more than half are dependents
    child(16, **OUT),
)
WORST = house(
    *WORST_MEMBERS,
    walls_durable=False,
    columns_durable=False,
    floor_area_m2=10,
    water_source=WaterSource.OTHER,
    has_hygienic_latrine=False,
    uses_internet=False,
    devices=frozenset(),
    uses_digital_services=False,
    waste_collected=False,
)


@pytest.mark.parametrize("standard", BOTH_STANDARDS)
def test_every_reason_has_a_vietnamese_sentence(standard):
    results = assess(WORST, standard)
    assert all(r.deprived for r in results)
    for reason in (x for r in results for x in r.reasons):
        assert reason.code in REASON_CODES
        text = reason.describe_vi()
        assert text != reason.code and "{" not in text
        if reason.member is not None:
            assert text.startswith(f"{reason.member}, {reason.param('age')} tuổi, ")


def test_unknown_reason_code_falls_back_to_the_code():
    assert Reason("something_new").describe_vi() == "something_new"


# --- Facts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        pytest.param(date(2000, 5, 10), date(2023, 5, 9), 22, id="day-before-birthday"),
        pytest.param(date(2000, 5, 10), date(2023, 5, 10), 23, id="on-birthday"),
        pytest.param(date(2004, 2, 29), date(2022, 2, 28), 17, id="leap-day-not-yet"),
        pytest.param(date(2004, 2, 29), date(2022, 3, 1), 18, id="leap-day-1-march"),
        pytest.param(date(2024, 9, 1), date(2024, 9, 1), 0, id="newborn"),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_facts_reject_impossible_values():
    with pytest.raises(ValueError):
        age_on(date(2024, 1, 2), date(2024, 1, 1))
    with pytest.raises(ValueError):
        person(age=-1)
    with pytest.raises(ValueError):
        house(floor_area_m2=-1)


# --- Transitions -------------------------------------------------------------------------------

T = Transition
TRANSITION_CASES = [
    # id, current, previous, ever_poor_before, ever_near_poor_before, arrived, expected
    ("poor-poor", POOR, POOR, False, False, False, T.STILL_POOR),
    ("poor-near", NEAR, POOR, False, False, False, T.POOR_TO_NEAR_POOR),
    ("poor-none", NONE, POOR, False, False, False, T.POOR_TO_NONE),
    ("poor-average", AVG, POOR, False, False, False, T.POOR_TO_NONE),
    ("near-poor", POOR, NEAR, False, False, False, T.NEAR_POOR_TO_POOR),
    ("near-near", NEAR, NEAR, False, False, False, T.STILL_NEAR_POOR),
    ("near-none", NONE, NEAR, False, False, False, T.NEAR_POOR_TO_NONE),
    ("near-average", AVG, NEAR, True, True, False, T.NEAR_POOR_TO_NONE),
    ("none-poor-was-poor", POOR, NONE, True, False, False, T.RE_POOR),
    ("none-poor-never", POOR, NONE, False, True, False, T.NEWLY_POOR),
    ("average-poor-was-poor", POOR, AVG, True, False, False, T.RE_POOR),
    ("none-near-was-near", NEAR, NONE, False, True, False, T.RE_NEAR_POOR),
    ("none-near-never", NEAR, NONE, True, False, False, T.NEWLY_NEAR_POOR),
    ("none-none", NONE, NONE, True, True, False, T.STILL_NONE),
    ("none-average", AVG, NONE, False, False, False, T.STILL_NONE),
    ("average-none", NONE, AVG, False, False, False, T.STILL_NONE),
    ("first-survey-poor", POOR, None, False, False, False, T.NEWLY_POOR),
    ("first-survey-poor-was-poor", POOR, None, True, False, False, T.RE_POOR),
    ("first-survey-near", NEAR, None, False, False, False, T.NEWLY_NEAR_POOR),
    ("first-survey-none", NONE, None, False, False, False, T.STILL_NONE),
    ("arrived-poor", POOR, None, True, False, True, T.OTHER_INCREASE_POOR),
    ("arrived-near", NEAR, None, False, True, True, T.OTHER_INCREASE_NEAR_POOR),
    ("arrived-none", NONE, None, False, False, True, T.ARRIVED_NONE),
    ("arrived-average", AVG, None, False, False, True, T.ARRIVED_NONE),
    ("left-poor", None, POOR, False, False, False, T.OTHER_DECREASE_POOR),
    ("left-near", None, NEAR, False, False, False, T.OTHER_DECREASE_NEAR_POOR),
    ("left-none", None, NONE, False, False, False, T.DEPARTED_NONE),
    ("left-average", None, AVG, True, True, False, T.DEPARTED_NONE),
]


@pytest.mark.parametrize(
    ("current", "previous", "ever_poor", "ever_near", "arrived", "expected"),
    [pytest.param(*c[1:], id=c[0]) for c in TRANSITION_CASES],
)
def test_transition(current, previous, ever_poor, ever_near, arrived, expected):
    got = transition(
        current=current,
        previous=previous,
        ever_poor_before=ever_poor,
        ever_near_poor_before=ever_near,
        arrived=arrived,
    )
    assert got == expected


def test_every_transition_is_covered_by_the_cases():
    assert {c[-1] for c in TRANSITION_CASES} == set(Transition)


@pytest.mark.parametrize(
    ("current", "previous", "arrived"),
    [
        pytest.param(None, None, False, id="in-neither-round"),
        pytest.param(POOR, NEAR, True, id="arrived-but-was-on-the-list"),
    ],
)
def test_transition_rejects_impossible_input(current, previous, arrived):
    with pytest.raises(ValueError):
        transition(
            current=current,
            previous=previous,
            ever_poor_before=False,
            ever_near_poor_before=False,
            arrived=arrived,
        )


def test_transitions_outside_both_balances():
    outside = set(Transition) - set(BALANCE_POOR) - set(BALANCE_NEAR_POOR)
    assert outside == {
        T.STILL_POOR,
        T.STILL_NEAR_POOR,
        T.STILL_NONE,
        T.ARRIVED_NONE,
        T.DEPARTED_NONE,
    }


def test_balance_holds_for_any_set_of_transitions():
    rng = random.Random(20241214)
    choices = [None, *PovertyClass]
    counts: Counter[Transition] = Counter()
    start: Counter[PovertyClass | None] = Counter()
    end: Counter[PovertyClass | None] = Counter()
    for _ in range(1000):
        previous, current = None, None
        while previous is None and current is None:
            previous, current = rng.choice(choices), rng.choice(choices)
        counts[
            transition(
                current=current,
                previous=previous,
                ever_poor_before=rng.random() < 0.5,
                ever_near_poor_before=rng.random() < 0.5,
                arrived=previous is None and rng.random() < 0.5,
            )
        ] += 1
        start[previous] += 1
        end[current] += 1
    assert set(counts) == set(Transition)  # every kind of change occurred
    assert balance_holds(start[POOR], end[POOR], counts, BALANCE_POOR)
    assert balance_holds(start[NEAR], end[NEAR], counts, BALANCE_NEAR_POOR)
    # ... and the check is not vacuous: one household off, or the wrong balance, fails it.
    assert not balance_holds(start[POOR], end[POOR] + 1, counts, BALANCE_POOR)
    assert not balance_holds(start[POOR], end[POOR], counts, BALANCE_NEAR_POOR)


def test_balance_holds_example_and_rejects_negative_counts():
    counts = {T.POOR_TO_NEAR_POOR: 3, T.NEWLY_POOR: 2, T.OTHER_DECREASE_POOR: 1}
    assert balance_holds(10, 8, counts, BALANCE_POOR)
    assert not balance_holds(10, 10, counts, BALANCE_POOR)
    with pytest.raises(ValueError):
        balance_holds(10, 8, {T.NEWLY_POOR: -1}, BALANCE_POOR)


def test_transitions_across_rounds():
    """A household's entries in order: 2023 poor, 2024 none, a monthly review near-poor, 2025
    it left one commune's list and arrived poor on another's, 2026 still pending."""
    rounds = [
        RoundEntries(periodic=True, survey="s23", poverty_class="poor"),
        RoundEntries(periodic=True, survey="s24", poverty_class="none"),
        RoundEntries(periodic=False, survey="m24", poverty_class="near_poor"),
        RoundEntries(periodic=True, exclusions=("x25",), survey="s25", poverty_class="poor",
                     arrived=True),
        RoundEntries(periodic=True, survey="s26"),
    ]  # fmt: skip
    assert transitions_across_rounds(rounds) == {
        "s23": ("", T.NEWLY_POOR.value),
        "s24": ("poor", T.POOR_TO_NONE.value),
        "m24": ("none", T.NEWLY_NEAR_POOR.value),  # a monthly review: the latest entry before
        # a periodic round compares with the previous periodic round, not the monthly review
        "x25": ("none", T.DEPARTED_NONE.value),
        "s25": ("", T.OTHER_INCREASE_POOR.value),
    }
