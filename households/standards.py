"""Poverty standards as data ("the law is data").

A poverty standard (chuẩn nghèo đa chiều) is a frozen value: its review years, income lines, the
average-living band, its deprivation indicators in report order, the cut-off, and every numeric
parameter that the deprivation tests in ``households.rules`` read. Nothing here imports Django:
the ORM layer stores households and chooses a standard by review year, the rules stay pure.

Sources: Decree 07/2021/NĐ-CP (standard for 2022-2025, extended through the 2026 review by Decree
351/2025/NĐ-CP), Circular 07/2021/TT-BLĐTBXH (review method and forms), Decree 351/2025/NĐ-CP
(standard for 2027-2030). Facts marked *unconfirmed* are kept here as data so they can be fixed in
one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

# --- Facts recorded by the survey (values are short, stable strings usable as DB choices) -------


class Dimension(str, Enum):
    EMPLOYMENT = "employment"
    HEALTH = "health"
    EDUCATION = "education"
    HOUSING = "housing"
    WATER_SANITATION = "water_sanitation"
    INFORMATION = "information"


class WaterSource(str, Enum):
    PIPED = "piped"
    DRILLED_WELL = "drilled_well"
    PROTECTED_DUG_WELL = "protected_dug_well"
    PROTECTED_SPRING = "protected_spring"
    RAIN = "rain"
    BOTTLED = "bottled"
    UNPROTECTED_WELL = "unprotected_well"
    UNPROTECTED_SPRING = "unprotected_spring"
    SURFACE = "surface"
    OTHER = "other"


class Device(str, Enum):
    TV = "tv"
    RADIO = "radio"
    COMPUTER = "computer"
    PHONE = "phone"
    SMARTPHONE = "smartphone"
    TABLET = "tablet"


class Sex(str, Enum):
    MALE = "male"
    FEMALE = "female"


class Schooling(str, Enum):
    """The level a member attends now (not attending: ``NOT_IN_SCHOOL``).

    Until migration 0006 the field only said "in school" or not; indicator 6 needs the level
    (Circular 07/2021/TT-BLĐTBXH: a child "not attending the school level fitting their age").
    """

    NOT_IN_SCHOOL = "not_in_school"
    PRESCHOOL = "preschool"  # giáo dục mầm non
    PRIMARY = "primary"  # tiểu học
    LOWER_SECONDARY = "lower_secondary"  # trung học cơ sở
    UPPER_SECONDARY = "upper_secondary"  # trung học phổ thông (incl. continuing education)
    VOCATIONAL = "vocational"  # giáo dục nghề nghiệp: sơ cấp, trung cấp, cao đẳng
    HIGHER = "higher"  # đại học

    @property
    def attending(self) -> bool:
        return self is not Schooling.NOT_IN_SCHOOL

    @property
    def stage(self) -> int:
        """How far along general schooling the level is, to compare with the level that fits an
        age: vocational training, entered after lower secondary (Law on Education 2019 art. 6),
        is at the stage of upper secondary. 0 when not attending."""
        return _SCHOOLING_STAGE[self]


_SCHOOLING_STAGE = {
    Schooling.NOT_IN_SCHOOL: 0,
    Schooling.PRESCHOOL: 1,
    Schooling.PRIMARY: 2,
    Schooling.LOWER_SECONDARY: 3,
    Schooling.UPPER_SECONDARY: 4,
    Schooling.VOCATIONAL: 4,
    Schooling.HIGHER: 5,
}


class EducationLevel(str, Enum):
    """Highest level finished. Declaration order is the order of attainment."""

    NONE = "none"
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    HIGHER = "higher"

    @property
    def rank(self) -> int:
        # Enum members iterate in declaration order, so the index is the attainment rank.
        return list(EducationLevel).index(self)


class Employment(str, Enum):
    WAGE_WITH_CONTRACT = "wage_with_contract"
    WAGE_NO_CONTRACT = "wage_no_contract"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    NOT_IN_LABOUR_FORCE = "not_in_labour_force"


class Nutrition(str, Enum):
    NORMAL = "normal"
    STUNTED = "stunted"  # suy dinh dưỡng thấp còi (height for age)
    UNDERWEIGHT = "underweight"  # suy dinh dưỡng nhẹ cân (weight for age)
    UNKNOWN = "unknown"


# Vietnamese labels of the facts that deprivation reasons mention (fallback display text).
LABELS_VI: dict[Enum, str] = {
    WaterSource.PIPED: "nước máy",
    WaterSource.DRILLED_WELL: "giếng khoan",
    WaterSource.PROTECTED_DUG_WELL: "giếng đào được bảo vệ",
    WaterSource.PROTECTED_SPRING: "nước khe, mó được bảo vệ",
    WaterSource.RAIN: "nước mưa",
    WaterSource.BOTTLED: "nước đóng chai",
    WaterSource.UNPROTECTED_WELL: "giếng đào không được bảo vệ",
    WaterSource.UNPROTECTED_SPRING: "nước khe, mó không được bảo vệ",
    WaterSource.SURFACE: "nước sông, suối, ao, hồ",
    WaterSource.OTHER: "nguồn khác",
    Device.TV: "ti vi",
    Device.RADIO: "radio",
    Device.COMPUTER: "máy tính",
    Device.PHONE: "điện thoại",
    Device.SMARTPHONE: "điện thoại thông minh",
    Device.TABLET: "máy tính bảng",
    Schooling.NOT_IN_SCHOOL: "không đi học",
    Schooling.PRESCHOOL: "mầm non",
    Schooling.PRIMARY: "tiểu học",
    Schooling.LOWER_SECONDARY: "trung học cơ sở",
    Schooling.UPPER_SECONDARY: "trung học phổ thông",
    Schooling.VOCATIONAL: "giáo dục nghề nghiệp",
    Schooling.HIGHER: "đại học",
}


class PovertyClass(str, Enum):
    POOR = "poor"
    NEAR_POOR = "near_poor"
    AVERAGE = "average"  # mức sống trung bình: farm household above the line, within the band
    NONE = "none"


class Transition(str, Enum):
    """Change of a household's class between two review rounds (Circular 07/2021 report forms)."""

    STILL_POOR = "still_poor"
    STILL_NEAR_POOR = "still_near_poor"
    STILL_NONE = "still_none"
    POOR_TO_NEAR_POOR = "poor_to_near_poor"  # thoát nghèo, trở thành cận nghèo
    POOR_TO_NONE = "poor_to_none"  # thoát nghèo, vượt chuẩn cận nghèo
    NEAR_POOR_TO_POOR = "near_poor_to_poor"
    NEAR_POOR_TO_NONE = "near_poor_to_none"  # thoát cận nghèo
    RE_POOR = "re_poor"  # tái nghèo
    NEWLY_POOR = "newly_poor"  # nghèo phát sinh
    RE_NEAR_POOR = "re_near_poor"  # tái cận nghèo
    NEWLY_NEAR_POOR = "newly_near_poor"  # cận nghèo phát sinh
    OTHER_INCREASE_POOR = "other_increase_poor"  # moved in, split off, merged in
    OTHER_INCREASE_NEAR_POOR = "other_increase_near_poor"
    OTHER_DECREASE_POOR = "other_decrease_poor"  # moved out, merged, only member died
    OTHER_DECREASE_NEAR_POOR = "other_decrease_near_poor"
    ARRIVED_NONE = "arrived_none"
    DEPARTED_NONE = "departed_none"


# --- Indicators and standards -----------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str  # stable slug; ``households.rules`` registers one test per code
    number: int  # 1-based position in the standard's report order
    dimension: Dimension
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class RetirementSchedule:
    """The retirement age rising by steps (Labour Code 2019 art. 169, Decree 135/2020 art. 4).

    Ages are in months. In ``start_year`` the age is ``start_months``; it rises by ``step_months``
    a year until ``final_months``; before ``start_year`` it was one step lower (the old 60 / 55).
    A person reaches retirement age in the month when their age reaches the age required in
    that year, which is how the decree's appendix tables by birth month are built.
    """

    start_year: int
    start_months: int
    step_months: int
    final_months: int

    def months_in(self, year: int) -> int:
        steps = max(year - self.start_year, -1)
        return min(self.start_months + steps * self.step_months, self.final_months)

    def age_months_for(self, birth_year: int, birth_month: int) -> int:
        """Retirement age, in months, of a person born in that month (the appendix tables)."""
        born = birth_year * 12 + birth_month - 1
        months = self.months_in(-(10**6))
        while True:
            required = self.months_in((born + months) // 12)
            if months >= required:
                return months
            months = required


@dataclass(frozen=True)
class SchoolBand:
    """From ``from_age`` (school age, counted by year: see ``rules.school_age``) a child should
    attend ``level``, until the next band's age."""

    level: Schooling
    from_age: int


@dataclass(frozen=True)
class PovertyStandard:
    code: str
    name_vi: str
    legal_ref: str
    first_review_year: int
    last_review_year: int
    # Income lines, integer VND per person per month; income exactly on the line is "below" it.
    rural_line: int
    urban_line: int
    # Upper bound of the average-living band for farm/forest/fishery/salt households.
    # None means the standard's band is unknown, so no household is classed "average".
    average_band_rural_upper: int | None
    average_band_urban_upper: int | None
    indicators: tuple[Indicator, ...]
    deprivation_cutoff: int
    provisional: bool
    # Form B2 of Circular 07/2021: each deprived indicator scores 10 points (D >= 3 <=> B2 >= 30).
    b2_points_per_indicator: int
    # --- parameters of the deprivation tests -----------------------------------------------
    working_age_from: int
    # Labour Code 2019 art. 169 and Decree 135/2020 art. 4 (normal working conditions).
    retirement_male: RetirementSchedule
    retirement_female: RetirementSchedule
    # Law on the Elderly 2009, art. 2: "người cao tuổi" are citizens aged 60 or over (both sexes).
    elderly_age: int
    child_age_limit: int  # "children" are members strictly under this age
    insurance_min_age: int  # members aged this or over need health insurance
    lower_secondary_age_range: tuple[int, int]  # half-open: lo <= age < hi
    upper_secondary_age_range: tuple[int, int]  # closed: lo <= age <= hi ("18 to 30")
    school_age_range: tuple[int, int]  # half-open: lo <= age < hi ("3 to under 16")
    # Indicator 6: the level that fits a child's school age (Law on Education 2019 art. 28:
    # preschool from 3, grade 1 at 6, grade 6 at 11, grade 10 at 15), ascending by age.
    school_bands: tuple[SchoolBand, ...]
    school_year_start_month: int  # a school year runs from September (5 Sept opening)
    # Indicator 5: vocational training certified by an employer counts as training (DOMAIN §7).
    employer_training_counts: bool
    min_floor_area_per_person: int  # m²; deprived when strictly under
    dependents_share: float  # deprived when dependents / members is strictly more
    housing_nondurable_min: int  # of walls, columns, roof
    clean_water_sources: frozenset[WaterSource]
    info_devices: frozenset[Device]

    def __post_init__(self) -> None:
        # Reports print "indicator n": numbers must be 1..N in order and codes unique.
        numbers = [i.number for i in self.indicators]
        if numbers != list(range(1, len(self.indicators) + 1)):
            raise ValueError(f"{self.code}: indicators must be numbered 1..N, got {numbers}")
        if len({i.code for i in self.indicators}) != len(self.indicators):
            raise ValueError(f"{self.code}: duplicate indicator code")
        ages = [b.from_age for b in self.school_bands]
        if not ages or ages != sorted(set(ages)):
            raise ValueError(f"{self.code}: school bands must ascend by age")
        if self.first_review_year > self.last_review_year:
            raise ValueError(f"{self.code}: first review year after last review year")

    def line_for(self, is_urban: bool) -> int:
        return self.urban_line if is_urban else self.rural_line

    def band_upper_for(self, is_urban: bool) -> int | None:
        return self.average_band_urban_upper if is_urban else self.average_band_rural_upper

    def school_level_for(self, school_age: int) -> Schooling:
        """The level that fits a school age: the last band begun (the first below them all)."""
        fitting = self.school_bands[0].level
        for band in self.school_bands:
            if school_age >= band.from_age:
                fitting = band.level
        return fitting

    def retirement_for(self, sex: Sex) -> RetirementSchedule:
        return self.retirement_female if sex == Sex.FEMALE else self.retirement_male

    def indicator(self, code: str) -> Indicator:
        for item in self.indicators:
            if item.code == code:
                return item
        raise KeyError(f"{self.code} has no indicator {code!r}")

    def covers(self, year: int) -> bool:
        return self.first_review_year <= year <= self.last_review_year


# Clean water per Circular 07/2021 guidance (nguồn nước hợp vệ sinh).
CLEAN_WATER = frozenset(
    {
        WaterSource.PIPED,
        WaterSource.DRILLED_WELL,
        WaterSource.PROTECTED_DUG_WELL,
        WaterSource.PROTECTED_SPRING,
        WaterSource.RAIN,
        WaterSource.BOTTLED,
    }
)
# Information-access assets of Decree 07/2021 indicator 12 (exact list unconfirmed).
INFO_DEVICES = frozenset(Device)


def _ind(code: str, number: int, dimension: Dimension, name_vi: str, name_en: str) -> Indicator:
    return Indicator(code, number, dimension, name_vi, name_en)


_D = Dimension
# Indicators 1-10 are shared by both standards (same Indicator values).
_COMMON = (
    _ind("employment", 1, _D.EMPLOYMENT, "Việc làm", "Employment"),
    _ind("dependents", 2, _D.EMPLOYMENT, "Người phụ thuộc trong hộ gia đình", "Dependents"),
    _ind("nutrition", 3, _D.HEALTH, "Dinh dưỡng", "Nutrition"),
    _ind("health_insurance", 4, _D.HEALTH, "Bảo hiểm y tế", "Health insurance"),
    _ind("adult_education", 5, _D.EDUCATION, "Trình độ giáo dục của người lớn", "Adult education"),
    _ind("child_schooling", 6, _D.EDUCATION, "Tình trạng đi học của trẻ em", "Child schooling"),
    _ind("housing_quality", 7, _D.HOUSING, "Chất lượng nhà ở", "Housing quality"),
    _ind("floor_area", 8, _D.HOUSING, "Diện tích nhà ở bình quân đầu người", "Floor area"),
    _ind("water", 9, _D.WATER_SANITATION, "Nguồn nước sinh hoạt", "Domestic water"),
    _ind("latrine", 10, _D.WATER_SANITATION, "Nhà tiêu hợp vệ sinh", "Hygienic latrine"),
)
# Decree 07/2021 only.
_TELECOM = _ind("telecom", 11, _D.INFORMATION, "Sử dụng dịch vụ viễn thông", "Telecom use")
_INFO_ASSETS = _ind(
    "info_assets", 12, _D.INFORMATION, "Phương tiện phục vụ tiếp cận thông tin", "Info assets"
)
# Decree 351/2025 only; names and wording unconfirmed.
_DIGITAL_SERVICES = _ind(
    "digital_services", 11, _D.INFORMATION, "Tiếp cận và sử dụng dịch vụ số", "Digital services"
)
_WASTE = _ind(
    "waste", 12, _D.WATER_SANITATION, "Thu gom, xử lý rác thải sinh hoạt", "Household waste"
)

# Parameters the deprivation tests share in both standards (Decree 07/2021 appendix, Circular
# 07/2021). Decree 351/2025 is assumed to keep them until its text is confirmed.
_COMMON_PARAMS: dict[str, Any] = {
    "deprivation_cutoff": 3,
    "b2_points_per_indicator": 10,
    "working_age_from": 15,
    # Men 60y3m in 2021, +3 months a year to 62 (2028); women 55y4m in 2021, +4 months a year to
    # 60 (2035): Decree 135/2020 art. 4, normal working conditions.
    "retirement_male": RetirementSchedule(2021, 60 * 12 + 3, 3, 62 * 12),
    "retirement_female": RetirementSchedule(2021, 55 * 12 + 4, 4, 60 * 12),
    "elderly_age": 60,
    "child_age_limit": 16,
    "insurance_min_age": 6,
    "lower_secondary_age_range": (16, 18),
    "upper_secondary_age_range": (18, 30),
    "school_age_range": (3, 16),
    "school_bands": (
        SchoolBand(Schooling.PRESCHOOL, 3),
        SchoolBand(Schooling.PRIMARY, 6),
        SchoolBand(Schooling.LOWER_SECONDARY, 11),
        SchoolBand(Schooling.UPPER_SECONDARY, 15),
    ),
    "school_year_start_month": 9,
    "employer_training_counts": True,
    "min_floor_area_per_person": 8,
    "dependents_share": 0.5,
    "housing_nondurable_min": 2,
    "clean_water_sources": CLEAN_WATER,
    "info_devices": INFO_DEVICES,
}

ND07_2021 = PovertyStandard(
    code="ND07_2021",
    name_vi="Chuẩn nghèo đa chiều giai đoạn 2021-2025",  # the title of Decree 07/2021
    legal_ref="Nghị định 07/2021/NĐ-CP",
    first_review_year=2022,
    last_review_year=2026,  # extended through the 2026 review by Decree 351/2025/NĐ-CP
    rural_line=1_500_000,
    urban_line=2_000_000,
    average_band_rural_upper=2_250_000,
    average_band_urban_upper=3_000_000,
    indicators=(*_COMMON, _TELECOM, _INFO_ASSETS),
    provisional=False,
    **_COMMON_PARAMS,
)

# Decree 351/2025/NĐ-CP: the final indicator list and wording are unconfirmed (provisional=True).
# Understood so far: indicator 12 (information assets) is dropped, telecom use becomes digital
# service use, and household waste treatment is added. Whether an average-living band exists is
# unconfirmed, so the bands are None.
ND351_2025 = PovertyStandard(
    code="ND351_2025",
    name_vi="Chuẩn nghèo đa chiều theo Nghị định 351/2025/NĐ-CP",
    legal_ref="Nghị định 351/2025/NĐ-CP",
    first_review_year=2027,
    last_review_year=2030,
    rural_line=2_200_000,
    urban_line=2_800_000,
    average_band_rural_upper=None,
    average_band_urban_upper=None,
    indicators=(*_COMMON, _DIGITAL_SERVICES, _WASTE),
    provisional=True,
    **_COMMON_PARAMS,
)

STANDARDS: tuple[PovertyStandard, ...] = (ND07_2021, ND351_2025)


def standard_by_code(code: str) -> PovertyStandard:
    for standard in STANDARDS:
        if standard.code == code:
            return standard
    raise LookupError(f"No poverty standard with code {code!r}")


def standard_for_year(year: int) -> PovertyStandard:
    """The standard applied in the review of ``year`` (the review held in that calendar year)."""
    for standard in STANDARDS:
        if standard.covers(year):
            return standard
    covered = ", ".join(f"{s.code}: {s.first_review_year}-{s.last_review_year}" for s in STANDARDS)
    raise LookupError(f"No poverty standard covers the {year} review (known: {covered})")
