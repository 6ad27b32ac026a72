"""Pure poverty rules: deprivation tests, classification, round-to-round transitions.

Values in, values out: no Django, no database, no clock. Callers turn model rows into the frozen
facts below (ages computed at the review's reference date with ``age_on``), pick the standard for
the review year with ``standards.standard_for_year`` and store what comes back.

Definitions follow Decree 07/2021/NĐ-CP (appendix: the 12 deprivation indicators, the income lines)
and Circular 07/2021/TT-BLĐTBXH (review method: form B2 scoring, the change categories of the
review reports). The numbers the tests compare against live on the ``PovertyStandard``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from types import MappingProxyType

from households.standards import (
    LABELS_VI,
    Device,
    EducationLevel,
    Employment,
    Indicator,
    Nutrition,
    PovertyClass,
    PovertyStandard,
    Schooling,
    Sex,
    Transition,
    WaterSource,
)


def age_on(birth: date, on: date) -> int:
    """Full years of age on ``on``. Someone born on 29 February turns a year older on 1 March."""
    if on < birth:
        raise ValueError(f"date {on} is before birth date {birth}")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- Facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFacts:
    name: str
    age: int  # full years at the review's reference date (see age_on)
    sex: Sex
    schooling: Schooling
    education_level: EducationLevel
    has_health_insurance: bool
    employment: Employment
    is_disabled: bool
    has_monthly_social_allowance: bool  # trợ cấp xã hội hằng tháng
    nutrition: Nutrition
    # Working age is decided in months against the retirement age of the member's birth month.
    # Facts built without them (tests of other rules) fall back to whole years and the ages in
    # force before the 2021 schedule.
    birth_year: int | None = None
    birth_month: int | None = None
    age_months: int | None = None  # full months at the review's reference date
    # Indicator 6 compares the level attended with the level of the school age (counted by
    # year, see school_age); facts built without it fall back to the full years of ``age``.
    school_age: int | None = None
    # Indicator 5: vocational training certified by an employer (DOMAIN §7).
    employer_certified_training: bool = False

    def __post_init__(self) -> None:
        if self.age < 0:
            raise ValueError(f"{self.name}: age must not be negative")


@dataclass(frozen=True)
class HouseholdFacts:
    members: tuple[MemberFacts, ...]
    walls_durable: bool
    columns_durable: bool
    roof_durable: bool
    floor_area_m2: Decimal | float | int
    water_source: WaterSource
    has_hygienic_latrine: bool
    uses_internet: bool  # some member uses internet services (Decree 07/2021, indicator 11)
    devices: frozenset[Device]
    uses_digital_services: bool  # Decree 351/2025 (wording unconfirmed)
    waste_collected: bool  # Decree 351/2025 (wording unconfirmed)

    def __post_init__(self) -> None:
        if Decimal(str(self.floor_area_m2)) < 0:
            raise ValueError("floor area must not be negative")


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why an indicator is deprived. ``code`` is a stable key the UI translates; ``params`` holds
    the values the sentence needs, as (key, value) pairs so the reason stays hashable."""

    code: str
    member: str | None = None
    params: tuple[tuple[str, str | int], ...] = ()

    def param(self, key: str) -> str | int:
        return dict(self.params)[key]

    def describe_vi(self) -> str:
        """Plain Vietnamese sentence: a fallback for pages, not the translated text."""
        template = _TEXT_VI.get(self.code)
        if template is None:
            return self.code
        values = {key: _vi_value(key, value) for key, value in self.params}
        return template.format(member=self.member, **values)


# One template per reason code; member reasons start with the member's name and age.
_TEXT_VI = {
    "unemployed": "{member}, {age} tuổi, trong độ tuổi lao động, đang thất nghiệp",
    "wage_no_contract": "{member}, {age} tuổi, làm công ăn lương không có hợp đồng lao động",
    "dependents_share": "Người phụ thuộc chiếm {dependents}/{members} nhân khẩu (hơn một nửa)",
    "stunted": "{member}, {age} tuổi, suy dinh dưỡng thể thấp còi",
    "underweight": "{member}, {age} tuổi, suy dinh dưỡng thể nhẹ cân",
    "no_insurance": "{member}, {age} tuổi, không có bảo hiểm y tế",
    "no_lower_secondary": "{member}, {age} tuổi, chưa tốt nghiệp THCS, không đi học",
    "no_upper_secondary": "{member}, {age} tuổi, chưa tốt nghiệp THPT hoặc học nghề, không đi học",
    "child_not_in_school": "{member}, {age} tuổi, không đi học",
    "child_below_level": "{member}, {age} tuổi, đang học {level}, chưa đúng cấp học theo độ tuổi "
    "({fitting})",
    "nondurable_house": "Nhà ở thiếu kiên cố: {parts} làm bằng vật liệu không bền chắc",
    "small_floor_area": "Diện tích nhà ở bình quân {area_per_person} m²/người (dưới {minimum} m²)",
    "unclean_water": "Không tiếp cận được nguồn nước sạch (đang dùng {source})",
    "no_latrine": "Không có nhà tiêu hợp vệ sinh",
    "no_internet": "Không có thành viên nào sử dụng dịch vụ internet",
    "no_info_device": "Không có phương tiện tiếp cận thông tin nào ({expected})",
    "no_digital_services": "Không có thành viên nào sử dụng dịch vụ số",
    "no_waste_collection": "Rác thải sinh hoạt không được thu gom, xử lý",
}
_HOUSE_PARTS_VI = {"walls": "tường", "columns": "cột", "roof": "mái"}


def _vi_value(key: str, value: str | int) -> str:
    if key in ("area_per_person", "minimum"):
        return str(value).replace(".", ",")  # Vietnamese decimal comma: 6.5 -> 6,5
    if key == "parts":
        return ", ".join(_HOUSE_PARTS_VI[part] for part in str(value).split(","))
    if key == "source":
        return LABELS_VI[WaterSource(value)]
    if key in ("level", "fitting"):
        return LABELS_VI[Schooling(value)]
    if key == "expected":
        return ", ".join(LABELS_VI[Device(code)] for code in str(value).split(","))
    return str(value)


# Every code the rules can produce: the UI's translation table must cover these.
REASON_CODES: frozenset[str] = frozenset(_TEXT_VI)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    deprived: bool
    reasons: tuple[Reason, ...]  # every member that triggers it; empty when not deprived

    def __post_init__(self) -> None:
        if self.deprived != bool(self.reasons):
            raise ValueError("a deprived result needs reasons and only a deprived one has them")


def _result(s: PovertyStandard, code: str, reasons: list[Reason]) -> IndicatorResult:
    return IndicatorResult(s.indicator(code), bool(reasons), tuple(reasons))


def _about(m: MemberFacts, code: str) -> Reason:
    return Reason(code, m.name, (("age", m.age),))


# --- The deprivation tests (Decree 07/2021 appendix; Decree 351/2025 for the last two) --------


def is_working_age(m: MemberFacts, s: PovertyStandard) -> bool:
    """From 15 full years until the retirement age of the member's sex and birth month."""
    schedule = s.retirement_for(m.sex)
    if m.age_months is None or m.birth_year is None or m.birth_month is None:
        return s.working_age_from <= m.age < schedule.months_in(-(10**6)) // 12
    retirement = schedule.age_months_for(m.birth_year, m.birth_month)
    return s.working_age_from * 12 <= m.age_months < retirement


def school_age(birth: date, on: date, s: PovertyStandard) -> int:
    """A child's school age on ``on``: counted by year (Law on Education 2019 art. 28: "tuổi
    ... được tính theo năm"), as the school year in progress on that date counts it: the year the
    school year began minus the birth year. A child born in 2019 enters grade 1 in the school
    year 2025-2026 at school age 6, whatever their birth month. Never negative."""
    began = on.year if on.month >= s.school_year_start_month else on.year - 1
    return max(began - birth.year, 0)


def months_on(birth: date, on: date) -> int:
    """Full months of age on ``on`` (a month is complete on the day of the month of birth; a
    birth on the 31st completes it on the month's last day)."""
    if on < birth:
        raise ValueError(f"date {on} is before birth date {birth}")
    months = (on.year - birth.year) * 12 + on.month - birth.month
    last_day = on.day == _month_days(on.year, on.month)
    if on.day < birth.day and not last_day:
        months -= 1
    return months


def _month_days(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def employment(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """1. A working-age member is unemployed or works for wages without a labour contract."""
    reasons = []
    for m in h.members:
        if not is_working_age(m, s):
            continue
        if m.employment == Employment.UNEMPLOYED:
            reasons.append(_about(m, "unemployed"))
        elif m.employment == Employment.WAGE_NO_CONTRACT:
            reasons.append(_about(m, "wage_no_contract"))
    return _result(s, "employment", reasons)


def _is_dependent(m: MemberFacts, s: PovertyStandard) -> bool:
    # Children under 16 always count; elderly and disabled people only when they receive the
    # monthly social allowance (Decree 07/2021: "hưởng trợ cấp xã hội hằng tháng").
    if m.age < s.child_age_limit:
        return True
    elderly = m.age >= s.elderly_age
    return m.has_monthly_social_allowance and (elderly or m.is_disabled)


def dependents(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """2. Dependents are more than half of the members (exactly half is not deprived)."""
    total = len(h.members)
    count = sum(1 for m in h.members if _is_dependent(m, s))
    reasons = []
    # Fractions keep "more than half" exact; an empty household (callers forbid it) is not deprived.
    if total and Fraction(count, total) > Fraction(str(s.dependents_share)):
        reasons.append(
            Reason("dependents_share", None, (("dependents", count), ("members", total)))
        )
    return _result(s, "dependents", reasons)


def nutrition(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """3. A child under 16 is stunted (height for age) or underweight (weight for age)."""
    codes = {Nutrition.STUNTED: "stunted", Nutrition.UNDERWEIGHT: "underweight"}
    reasons = [
        _about(m, codes[m.nutrition])
        for m in h.members
        if m.age < s.child_age_limit and m.nutrition in codes
    ]
    return _result(s, "nutrition", reasons)


def health_insurance(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """4. A member aged 6 or over has no health insurance (under-6s are insured by law)."""
    reasons = [
        _about(m, "no_insurance")
        for m in h.members
        if m.age >= s.insurance_min_age and not m.has_health_insurance
    ]
    return _result(s, "health_insurance", reasons)


def adult_education(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """5. Aged 16 to under 18 without lower secondary, or 18 to 30 without upper secondary or
    vocational training, and not in school (at any level).

    Vocational training includes training certified by an employer (DOMAIN §7): a member of 18 to
    30 holding such a certificate is trained, whatever their school level. It does not stand in
    for the lower secondary diploma asked of 16- and 17-year-olds."""
    lower_lo, lower_hi = s.lower_secondary_age_range
    upper_lo, upper_hi = s.upper_secondary_age_range
    finished_upper = {
        EducationLevel.UPPER_SECONDARY,
        EducationLevel.VOCATIONAL,
        EducationLevel.HIGHER,
    }
    reasons = []
    for m in h.members:
        if m.schooling.attending:
            continue
        if lower_lo <= m.age < lower_hi:
            if m.education_level.rank < EducationLevel.LOWER_SECONDARY.rank:
                reasons.append(_about(m, "no_lower_secondary"))
        elif upper_lo <= m.age <= upper_hi and m.education_level not in finished_upper:
            trained = s.employer_training_counts and m.employer_certified_training
            if not trained:
                reasons.append(_about(m, "no_upper_secondary"))
    return _result(s, "adult_education", reasons)


def child_schooling(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """6. A child aged 3 to under 16 does not attend the school level that fits their age.

    Decree 07/2021 (appendix) and Circular 07/2021/TT-BLĐTBXH: a child "in school age (from full
    3 to under 16) not attending the appropriate level for their age". Being in school is not
    enough:

    - Who is a child here: full years at the reference date, 3 <= age < 16 (``age``).
    - Which level fits: the school age, counted by year as the Law on Education 2019 art. 28 does
      (``school_age``), looked up in the standard's bands (``school_bands``: preschool from 3,
      primary from 6, lower secondary from 11, upper secondary from 15; DOMAIN §7). Counting by
      year keeps a child who is exactly on track from looking "behind" in the months before their
      birthday, or in a regular review held before September.
    - Attending a level below the fitting one is deprived (a 12-year-old still in primary).
      Attending the fitting level or a higher one (a child ahead, or a 15-year-old in vocational
      training after lower secondary) is not.
    """
    lo, hi = s.school_age_range
    reasons = []
    for m in h.members:
        if not lo <= m.age < hi:
            continue
        if not m.schooling.attending:
            reasons.append(_about(m, "child_not_in_school"))
            continue
        fitting = s.school_level_for(m.age if m.school_age is None else m.school_age)
        if m.schooling.stage < fitting.stage:
            params = (("age", m.age), ("level", m.schooling.value), ("fitting", fitting.value))
            reasons.append(Reason("child_below_level", m.name, params))
    return _result(s, "child_schooling", reasons)


def housing_quality(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """7. At least 2 of walls, columns, roof are non-durable (Circular 07/2021 guidance)."""
    parts = [
        name
        for name, durable in (
            ("walls", h.walls_durable),
            ("columns", h.columns_durable),
            ("roof", h.roof_durable),
        )
        if not durable
    ]
    reasons = []
    if len(parts) >= s.housing_nondurable_min:
        reasons.append(Reason("nondurable_house", None, (("parts", ",".join(parts)),)))
    return _result(s, "housing_quality", reasons)


def _m2(value: Decimal) -> str:
    # Rounded down so that a deprived 7.999 m² never prints as "8".
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_DOWN):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def floor_area(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """8. Floor area per person under 8 m² (exactly 8 is not deprived)."""
    reasons = []
    if h.members:  # an empty household (callers forbid it) is not deprived
        per_person = Decimal(str(h.floor_area_m2)) / len(h.members)
        if per_person < s.min_floor_area_per_person:
            params = (
                ("area_per_person", _m2(per_person)),
                ("minimum", str(s.min_floor_area_per_person)),
            )
            reasons.append(Reason("small_floor_area", None, params))
    return _result(s, "floor_area", reasons)


def water(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """9. The household has no clean water source."""
    reasons = []
    if h.water_source not in s.clean_water_sources:
        reasons.append(Reason("unclean_water", None, (("source", h.water_source.value),)))
    return _result(s, "water", reasons)


def latrine(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """10. The household has no hygienic latrine."""
    return _result(s, "latrine", [] if h.has_hygienic_latrine else [Reason("no_latrine")])


def telecom(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """11 (Decree 07/2021). No member uses internet services."""
    return _result(s, "telecom", [] if h.uses_internet else [Reason("no_internet")])


def info_assets(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """12 (Decree 07/2021). The household owns none of the information-access devices."""
    reasons = []
    if not h.devices & s.info_devices:
        expected = ",".join(d.value for d in Device if d in s.info_devices)
        reasons.append(Reason("no_info_device", None, (("expected", expected),)))
    return _result(s, "info_assets", reasons)


def digital_services(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """11 (Decree 351/2025, unconfirmed). No member uses digital services."""
    reasons = [] if h.uses_digital_services else [Reason("no_digital_services")]
    return _result(s, "digital_services", reasons)


def waste(h: HouseholdFacts, s: PovertyStandard) -> IndicatorResult:
    """12 (Decree 351/2025, unconfirmed). Household waste is not collected or treated."""
    return _result(s, "waste", [] if h.waste_collected else [Reason("no_waste_collection")])


IndicatorTest = Callable[[HouseholdFacts, PovertyStandard], IndicatorResult]

INDICATOR_TESTS: Mapping[str, IndicatorTest] = MappingProxyType(
    {
        test.__name__: test
        for test in (
            employment,
            dependents,
            nutrition,
            health_insurance,
            adult_education,
            child_schooling,
            housing_quality,
            floor_area,
            water,
            latrine,
            telecom,
            info_assets,
            digital_services,
            waste,
        )
    }
)


def assess(h: HouseholdFacts, s: PovertyStandard) -> tuple[IndicatorResult, ...]:
    """Run the standard's indicators, in its report order."""
    results = []
    for indicator in s.indicators:
        test = INDICATOR_TESTS.get(indicator.code)
        if test is None:
            raise ValueError(f"{s.code}: no test for indicator {indicator.code!r}")
        results.append(test(h, s))
    return tuple(results)


# --- Classification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AverageLivingRequest:
    """A household's request to be recognised as of average living standard, as approved.

    Decree 07/2021 (art. 3): the average-living class of farm, forestry, fishery and salt
    households is identified on the household's request, from its actual income over the 12
    months before the request, excluding state social allowances (DOMAIN §7). The annual survey
    does not assign it by itself.
    """

    income_12_months: int  # VND over the 12 months before, state social allowances excluded
    members: int

    def __post_init__(self) -> None:
        if self.income_12_months < 0:
            raise ValueError("income must not be negative")
        if self.members < 1:
            raise ValueError("a household has at least one member")

    @property
    def income_per_person(self) -> int:
        """Average monthly income per person, rounded down to a whole đồng."""
        return self.income_12_months // (12 * self.members)


def average_living(
    request: AverageLivingRequest | None,
    *,
    is_urban: bool,
    is_farm_household: bool,
    standard: PovertyStandard,
) -> bool:
    """True when an approved request shows a farm household's income within the average-living
    band: above the line and at most the band's upper bound (both per person per month; "≤" on
    the upper bound, as on the line). No request, a household that does not farm, or a standard
    whose band is unknown (Decree 351/2025 so far): False."""
    band_upper = standard.band_upper_for(is_urban)
    if request is None or not is_farm_household or band_upper is None:
        return False
    return standard.line_for(is_urban) < request.income_per_person <= band_upper


def classify(
    *,
    income_per_person: int,
    deprived_count: int,
    is_urban: bool,
    is_farm_household: bool,
    standard: PovertyStandard,
    average_request: AverageLivingRequest | None = None,
) -> PovertyClass:
    """Decree 07/2021 art. 3: poor = income <= line and >= 3 deprivations; near-poor = income <=
    line and fewer. Above the line the household is neither; it is of average living standard
    only with an approved request for the round (``average_request``) whose income falls within
    the band (``average_living``): a farm household's survey income in the band is not enough."""
    if income_per_person < 0:
        raise ValueError("income per person must not be negative")
    if deprived_count < 0:
        raise ValueError("deprived count must not be negative")
    if income_per_person <= standard.line_for(is_urban):  # "≤": on the line counts as below
        if deprived_count >= standard.deprivation_cutoff:
            return PovertyClass.POOR
        return PovertyClass.NEAR_POOR
    return above_line_class(
        average_request,
        is_urban=is_urban,
        is_farm_household=is_farm_household,
        standard=standard,
    )


def above_line_class(
    average_request: AverageLivingRequest | None,
    *,
    is_urban: bool,
    is_farm_household: bool,
    standard: PovertyStandard,
) -> PovertyClass:
    """The class of a household above the near-poor line: average or none. A request decided
    after the survey changes the class of its entry through this (``services``)."""
    found = average_living(
        average_request,
        is_urban=is_urban,
        is_farm_household=is_farm_household,
        standard=standard,
    )
    return PovertyClass.AVERAGE if found else PovertyClass.NONE


@dataclass(frozen=True)
class Assessment:
    results: tuple[IndicatorResult, ...]
    deprived_count: int
    b2_score: int  # form B2 of Circular 07/2021: points per deprived indicator
    poverty_class: PovertyClass


def evaluate(
    h: HouseholdFacts,
    *,
    income_per_person: int,
    is_urban: bool,
    is_farm_household: bool,
    standard: PovertyStandard,
    average_request: AverageLivingRequest | None = None,
) -> Assessment:
    results = assess(h, standard)
    deprived_count = sum(1 for r in results if r.deprived)
    return Assessment(
        results=results,
        deprived_count=deprived_count,
        b2_score=deprived_count * standard.b2_points_per_indicator,
        poverty_class=classify(
            income_per_person=income_per_person,
            deprived_count=deprived_count,
            is_urban=is_urban,
            is_farm_household=is_farm_household,
            standard=standard,
            average_request=average_request,
        ),
    )


# --- Transitions between rounds (Circular 07/2021 report forms) -------------------------------


def transition(
    *,
    current: PovertyClass | None,
    previous: PovertyClass | None,
    ever_poor_before: bool,
    ever_near_poor_before: bool,
    arrived: bool = False,
) -> Transition:
    """Classify a household's change since the previous round.

    ``current`` None: it left this unit's list this round (moved out, merged, died).
    ``previous`` None: it was not on this unit's list last round; ``arrived`` says it came for a
    recorded reason (moved in, split off, merged in) rather than being surveyed for the first time.
    ``ever_*_before`` look at rounds before the previous one. "Average" counts as neither.
    """
    T, P = Transition, PovertyClass  # short local names keep the table below readable
    if current is None and previous is None:
        raise ValueError("a household must be on the list in at least one of the two rounds")
    if arrived and previous is not None:
        raise ValueError("a household on last round's list cannot have arrived this round")
    if current is None:
        by_previous = {P.POOR: T.OTHER_DECREASE_POOR, P.NEAR_POOR: T.OTHER_DECREASE_NEAR_POOR}
        return by_previous.get(previous, T.DEPARTED_NONE)
    if arrived:
        by_current = {P.POOR: T.OTHER_INCREASE_POOR, P.NEAR_POOR: T.OTHER_INCREASE_NEAR_POOR}
        return by_current.get(current, T.ARRIVED_NONE)
    if previous == P.POOR:
        by_current = {P.POOR: T.STILL_POOR, P.NEAR_POOR: T.POOR_TO_NEAR_POOR}
        return by_current.get(current, T.POOR_TO_NONE)
    if previous == P.NEAR_POOR:
        by_current = {P.POOR: T.NEAR_POOR_TO_POOR, P.NEAR_POOR: T.STILL_NEAR_POOR}
        return by_current.get(current, T.NEAR_POOR_TO_NONE)
    # previous is none, average, or None (not on the list, surveyed for the first time)
    if current == P.POOR:
        return T.RE_POOR if ever_poor_before else T.NEWLY_POOR
    if current == P.NEAR_POOR:
        return T.RE_NEAR_POOR if ever_near_poor_before else T.NEWLY_NEAR_POOR
    return T.STILL_NONE


@dataclass(frozen=True)
class RoundEntries:
    """One household's entries in one round, for ``transitions_across_rounds``: its exclusions
    (it left a commune's list) and its survey, by keys the caller chooses."""

    periodic: bool  # a periodic (annual) round; False: a regular (monthly) review
    exclusions: tuple[Hashable, ...] = ()
    survey: Hashable | None = None
    poverty_class: str = ""  # the survey's class; "" while it is pending (it does not count yet)
    arrived: bool = False  # the survey's household arrived on the list this round


def transitions_across_rounds(rounds: Iterable[RoundEntries]) -> dict[Hashable, tuple[str, str]]:
    """(previous class, transition) of every exclusion and every classified survey of one
    household, its rounds given in order (earliest first; in a round, exclusions come first).

    A periodic round compares with the previous periodic round; a regular (monthly) review with
    the latest entry before it. A pending survey gets nothing and is not a previous class.
    """
    P = PovertyClass
    found: dict[Hashable, tuple[str, str]] = {}
    history: list[tuple[bool, str]] = []  # (periodic, class) of the classified surveys so far
    for entries in rounds:
        earlier = [c for periodic, c in history if periodic or not entries.periodic]
        previous = earlier[-1] if earlier else None
        before = earlier[:-1]
        ever_poor, ever_near = P.POOR.value in before, P.NEAR_POOR.value in before
        for key in entries.exclusions:
            found[key] = (
                previous or "",
                transition(
                    current=None,
                    previous=P(previous) if previous else P.NONE,
                    ever_poor_before=ever_poor,
                    ever_near_poor_before=ever_near,
                ).value,
            )
        if entries.survey is None or not entries.poverty_class:
            continue
        arrived = entries.arrived
        found[entries.survey] = (
            "" if arrived else (previous or ""),
            transition(
                current=P(entries.poverty_class),
                previous=None if arrived else (P(previous) if previous else None),
                ever_poor_before=ever_poor,
                ever_near_poor_before=ever_near,
                arrived=arrived,
            ).value,
        )
        history.append((entries.periodic, entries.poverty_class))
    return found


# Poor at end = poor at start - escaped to near-poor - escaped above the line - other decreases
# + near-poor to poor + re-poor + newly poor + other increases (DOMAIN §4). Same for near-poor.
BALANCE_POOR: Mapping[Transition, int] = MappingProxyType(
    {
        Transition.POOR_TO_NEAR_POOR: -1,
        Transition.POOR_TO_NONE: -1,
        Transition.OTHER_DECREASE_POOR: -1,
        Transition.NEAR_POOR_TO_POOR: +1,
        Transition.RE_POOR: +1,
        Transition.NEWLY_POOR: +1,
        Transition.OTHER_INCREASE_POOR: +1,
    }
)
BALANCE_NEAR_POOR: Mapping[Transition, int] = MappingProxyType(
    {
        Transition.NEAR_POOR_TO_NONE: -1,
        Transition.NEAR_POOR_TO_POOR: -1,
        Transition.OTHER_DECREASE_NEAR_POOR: -1,
        Transition.POOR_TO_NEAR_POOR: +1,
        Transition.RE_NEAR_POOR: +1,
        Transition.NEWLY_NEAR_POOR: +1,
        Transition.OTHER_INCREASE_NEAR_POOR: +1,
    }
)


def balance_holds(
    start: int, end: int, counts: Mapping[Transition, int], balance: Mapping[Transition, int]
) -> bool:
    """True when ``end`` equals ``start`` plus the signed counts of the balance's transitions."""
    if any(n < 0 for n in counts.values()):
        raise ValueError("transition counts must not be negative")
    return start + sum(sign * counts.get(t, 0) for t, sign in balance.items()) == end
