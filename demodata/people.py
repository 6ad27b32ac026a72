"""The demo's people: families whose birth dates match their ages, Vietnamese and minority
names, citizen IDs, and each member's situation (school, work, insurance...) at a round."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from dataclasses import dataclass

from households.choices import Ethnicity
from households.rules import age_on, school_age
from households.standards import standard_for_year

from .common import weighted
from .geography import Commune

E = Ethnicity
LEVELS = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher")
MAX_MEMBERS = 12  # a family below has at most 10; ids leave room for 12 (demodata/rows.py)
CHILDREN = tuple(enumerate((12, 25, 38, 18, 5, 2)))  # how many children under 18 (weights)
CHILDREN_BIG = tuple(enumerate((8, 15, 30, 25, 14, 8)))  # minority families in the mountains
WORK_GOOD = (("self_employed", 75), ("wage_with_contract", 18), ("not_in_labour_force", 7))

KINH_SURNAMES = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 6), ("Võ", 6), ("Phan", 5),
    ("Trương", 4), ("Bùi", 3), ("Đặng", 3), ("Đỗ", 3), ("Ngô", 3), ("Hồ", 3), ("Dương", 2),
    ("Đinh", 2), ("Lương", 2), ("Đoàn", 2),
)  # fmt: skip
KINH_MIDDLE = {"male": ("Văn", "Văn", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Công"),
               "female": ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ")}  # fmt: skip
KINH_GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Hoàng", "Khánh", "Long", "Minh",
             "Nam", "Phong", "Quang", "Sơn", "Tài", "Thắng", "Tiến", "Trung", "Tuấn", "Việt",
             "Vinh", "Lộc", "Phúc", "Hưng"),
    "female": ("Anh", "Bích", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
               "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Hằng",
               "Liên"),
}  # fmt: skip
# Mountain groups of Quảng Ngãi take Vietnamese family names and middle names Văn / Thị.
QN_MINORITY_SURNAMES = {
    E.HRE: ("Đinh", "Phạm", "Huỳnh", "Đinh", "Phạm"),
    E.COR: ("Hồ", "Đinh", "Hồ", "Trần"),
    E.CA_DONG: ("Đinh", "Hồ", "Phạm", "Đinh"),
}
QN_MINORITY_GIVEN = ("Bia", "Brít", "Chiên", "Dên", "Điệp", "Giỏi", "Hiên", "Lía", "Mót", "Nhăn",
                     "Pho", "Rin", "Rôn", "Thao", "Trôi", "Vốt", "Xê", "Yên", "Kiêm", "Bông",
                     "Mênh", "Ngọt", "Quế", "Sang")  # fmt: skip
# Central Highlands groups: "A ..." for men, "Y ..." for women; Gia Rai use clan names.
HIGHLAND_GIVEN = ("Blong", "Thút", "Hơn", "Nhít", "Rai", "Brưu", "Pút", "Dơk", "Hyum", "Kơm",
                  "Nhung", "Jiêng", "Bla", "Hiếu", "Sương", "Mrư", "Khuyên", "Thoa", "Lâm",
                  "Đôn", "Nhô", "Pen", "Vêr", "Xíu")  # fmt: skip
GIA_RAI_CLANS = ("Ksor", "Rơ Châm", "Siu", "Rơ Mah", "Nay", "Kpă")
PROVINCE_ID_PREFIX = {"51": "051", "62": "062"}  # citizen ID: province of birth registration
OTHER_ID_PREFIXES = ("048", "049", "052", "064", "079")  # people who moved in


@dataclass
class Person:
    """What stays the same about a member across rounds."""

    full_name: str
    sex: str
    birth_date: dt.date
    relation: str
    ethnicity: str
    citizen_id: str
    attainment: str  # highest level this person reaches (capped by age each round)
    is_disabled: bool
    allowance_if_disabled: bool


class CitizenIds:
    """12-digit citizen IDs: province, sex and century, year of birth, then a serial.

    Unique: per ``head`` (the first six digits) the serial walks a permutation of 0..999999
    (7919 is prime to 10**6), and each block of households walks its own slice of it, so blocks
    made by different processes never meet. IDs already in the database are skipped.
    """

    def __init__(self, *, offset: int, block: int, blocks: int, taken: set[str]):
        self.offset, self.taken = offset, taken
        self.span = 1_000_000 // blocks
        self.first = block * self.span
        self.used: Counter[str] = Counter()

    def next(self, prefix: str, sex: str, birth: dt.date) -> str:
        century = 0 if birth.year < 2000 else 2
        head = f"{prefix}{century + (sex == 'female')}{birth.year % 100:02d}"
        while True:
            k = self.used[head]
            if k >= self.span:
                raise ValueError(f"citizen IDs {head}: more than {self.span} in one block")
            self.used[head] = k + 1
            serial = ((self.first + k) * 7919 + self.offset + int(head)) % 1_000_000
            value = f"{head}{serial:06d}"
            if value not in self.taken:
                return value


class Families:
    """Draws families, their names and citizen IDs, with one block's random stream."""

    def __init__(self, rng: random.Random, ids: CitizenIds):
        self.rng, self.ids = rng, ids

    def family(self, origin: Commune, ethnicity: str, day: dt.date, arrival: str) -> list[Person]:
        rng = self.rng
        big = origin.area != "lowland" and ethnicity != E.KINH
        surname = self.surname(ethnicity)
        prefix = PROVINCE_ID_PREFIX[origin.province]
        if arrival == "moved_in":
            prefix = rng.choice(OTHER_ID_PREFIXES)

        def person(relation, sex, age, eth=ethnicity, family=surname) -> Person:
            birth = day - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
            adult_mix = attainment_mix(eth != E.KINH, origin.area, origin.is_urban, age >= 55)
            disabled = rng.random() < (0.06 if age >= 60 else 0.02)
            return Person(
                full_name=self.name(eth, sex, family),
                sex=sex,
                birth_date=birth,
                relation=relation,
                ethnicity=eth,
                citizen_id=self.ids.next(prefix, sex, birth) if age >= 14 else "",
                attainment=weighted(rng, adult_mix),
                is_disabled=disabled,
                allowance_if_disabled=rng.random() < 0.6,
            )

        if rng.random() < 0.07 and arrival != "split":  # an elderly person living alone
            sex = "female" if rng.random() < 0.7 else "male"
            return [person("head", sex, rng.randint(62, 88))]
        head_age = rng.randint(22, 35) if arrival == "split" else int(rng.triangular(24, 75, 42))
        head_sex = "male" if rng.random() < 0.85 else "female"
        people = [person("head", head_sex, head_age)]
        mother_age = head_age if head_sex == "female" else None
        if rng.random() < (0.88 if head_age < 65 else 0.6):
            sex = "female" if head_sex == "male" else "male"
            gap = rng.randint(-1, 6)
            age = max(18, head_age - gap if sex == "female" else head_age + gap)
            eth = ethnicity if rng.random() < 0.95 else E.KINH
            people.append(person("spouse", sex, age, eth, self.surname(eth)))
            if sex == "female":
                mother_age = age
        if mother_age is not None or rng.random() < 0.5:
            mother_age = mother_age or head_age
            for _ in range(weighted(rng, CHILDREN_BIG if big else CHILDREN)):
                oldest = min(17, mother_age - 18)
                if oldest < 0:
                    break
                sex = rng.choice(("male", "female"))
                people.append(person("child", sex, rng.randint(0, oldest)))
            if head_age >= 45 and rng.random() < 0.35:
                age = rng.randint(18, min(30, max(18, mother_age - 18)))
                people.append(person("child", rng.choice(("male", "female")), age))
        if head_age < 55 and rng.random() < 0.12:
            sex = "female" if rng.random() < 0.65 else "male"
            age = min(95, max(60, head_age + rng.randint(22, 35)))
            people.append(person("parent", sex, age, family=surname if sex == "male" else None))
        elif head_age >= 55 and rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                people.append(
                    person("grandchild", rng.choice(("male", "female")), rng.randint(0, 10))
                )
        return people

    def surname(self, ethnicity: str) -> str | None:
        if ethnicity == E.KINH:
            return weighted(self.rng, KINH_SURNAMES)
        if ethnicity in QN_MINORITY_SURNAMES:
            return self.rng.choice(QN_MINORITY_SURNAMES[ethnicity])
        if ethnicity == E.GIA_RAI:
            return self.rng.choice(GIA_RAI_CLANS)
        return None  # Xơ Đăng, Ba Na, Giẻ Triêng, Rơ Măm: "A ..." / "Y ..."

    def name(self, ethnicity: str, sex: str, family: str | None) -> str:
        rng = self.rng
        if ethnicity == E.KINH:
            family = family or weighted(rng, KINH_SURNAMES)
            return f"{family} {rng.choice(KINH_MIDDLE[sex])} {rng.choice(KINH_GIVEN[sex])}"
        if ethnicity in QN_MINORITY_SURNAMES:
            family = family or rng.choice(QN_MINORITY_SURNAMES[ethnicity])
            middle = "Văn" if sex == "male" else "Thị"
            return f"{family} {middle} {rng.choice(QN_MINORITY_GIVEN)}"
        if ethnicity == E.GIA_RAI:
            family = family or rng.choice(GIA_RAI_CLANS)
            given = rng.choice(HIGHLAND_GIVEN)
            return f"{family} {given}" if sex == "male" else f"{family} H'{given}"
        return f"{'A' if sex == 'male' else 'Y'} {rng.choice(HIGHLAND_GIVEN)}"


def member_facts(
    rng: random.Random, people: list[Person], day: dt.date, bad: float, good: bool
) -> list[dict]:
    """The members at a round, as the survey page hands them to the services (Member field
    values): their situation then, ``good`` without avoidable deprivations (everyone insured,
    children in school and well fed, work that counts)."""
    rows = []
    for p in people:
        age = age_on(p.birth_date, day)
        level = level_at(p.attainment, age)
        if 3 <= age < 16:
            in_school = good or rng.random() > 0.15 * bad + 0.01
        elif 16 <= age < 18:
            in_school = LEVELS.index(p.attainment) >= 3 and rng.random() < 0.9
        elif 18 <= age <= 22:
            in_school = LEVELS.index(p.attainment) >= 4 and rng.random() < 0.8
        else:
            in_school = False
        retire = 55 if p.sex == "female" else 60
        if in_school or age < 15:
            employment = "not_in_labour_force"
        elif age >= retire:
            employment = "self_employed" if rng.random() < 0.3 else "not_in_labour_force"
        elif good:
            employment = weighted(rng, WORK_GOOD)
        else:
            employment = weighted(rng, _work(bad))
        insured = age < 6 or good or rng.random() > 0.02 + 0.2 * bad
        nutrition = "unknown"
        if age < 16:
            nutrition = "normal"
            r = rng.random()
            if not good and r < (0.25 if age < 5 else 0.1) * bad:
                nutrition = "stunted"
            elif not good and r < (0.33 if age < 5 else 0.18) * bad:
                nutrition = "underweight"
        rows.append(
            {
                "full_name": p.full_name,
                "sex": p.sex,
                "birth_date": p.birth_date,
                "has_health_insurance": insured,
                "schooling": schooling(p.birth_date, day, level) if in_school else "not_in_school",
                "education_level": level,
                "employment": employment,
                "is_disabled": p.is_disabled,
                "has_monthly_social_allowance": age >= 80
                or (p.is_disabled and p.allowance_if_disabled),
                "employer_certified_training": False,
                "nutrition": nutrition,
                "relation": p.relation,
                "ethnicity": p.ethnicity,
                "citizen_id": p.citizen_id,
            }
        )
    return rows


def schooling(birth: dt.date, day: dt.date, finished: str) -> str:
    """The level a member in school attends on ``day``: a child the level that fits their school
    age (indicator 6), an older one upper secondary until it is finished, then higher education."""
    standard = standard_for_year(day.year)
    age = age_on(birth, day)
    if age < standard.school_age_range[1]:
        return standard.school_level_for(school_age(birth, day, standard)).value
    if LEVELS.index(finished) < LEVELS.index("upper_secondary"):
        return "upper_secondary"
    return "higher"


@functools.cache
def _work(bad: float) -> tuple:
    """Working-age members' work; worse for households meant to be poorer."""
    return (
        ("self_employed", 70), ("wage_with_contract", 12), ("wage_no_contract", 5 + 35 * bad),
        ("unemployed", 1 + 8 * bad), ("not_in_labour_force", 6),
    )  # fmt: skip


@functools.cache
def attainment_mix(minority: bool, area: str, urban: bool, old: bool) -> tuple:
    if minority and area != "lowland":
        mix = (30, 35, 22, 9, 3, 1)
    elif urban:
        mix = (2, 10, 25, 33, 15, 15)
    else:
        mix = (5, 20, 35, 25, 10, 5)
    if old:  # older people went to school less
        mix = (mix[0] + 15, mix[1] + 10, *mix[2:])
    return tuple(zip(LEVELS, mix, strict=True))


def level_at(attainment: str, age: int) -> str:
    """The highest level finished at ``age``: the person's attainment, capped by age."""
    cap = 0 if age < 11 else 1 if age < 15 else 2 if age < 18 else 3 if age < 20 else 4
    if age >= 22:
        cap = 5
    return LEVELS[min(cap, LEVELS.index(attainment))]
