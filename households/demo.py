"""Synthetic households for the demo (``seed_demo --households N``): never for production.

Deterministic for a seed (``random.Random(seed)``). It builds, with multi-row INSERTs in batches
of ``BATCH`` households (memory stays bounded by one batch, so it scales to 1,000,000; see
``_Inserter`` and bench/results/seed-households.txt):

- N households (in total, arrivals included) in the old communes: most in old Quảng Ngãi
  (21xxx), some in old Kon Tum (23xxx); mountainous communes are smaller, and the demo officer's
  Ba Tơ (21484) is well stocked. Members form plausible families whose birth dates match their
  ages; ethnic-minority heads (Hrê, Cor, Ca Dong; Xơ Đăng, Ba Na, Giẻ Triêng, Gia Rai) live
  mostly in the mountainous districts.
- Periodic rounds 2023 and 2024 (closed, old tree), 2025 (closed, new tree: every household
  first moves to its successor commune exactly as ``services.households_apply_crosswalk``
  does) and 2026 (open: its list follows ``services.round_list_generate``, about 60% of the
  pending entries are done; Xã Ba Tơ keeps pending work, two communes of former Ba Tơ district
  are done and accepted by the demo district staff).
- Arrivals (new, split, moved in), exclusions (died, merged, moved out) and moves between
  communes in 2024-2026, so that every change of DOMAIN.md §4 appears.

How classes come about: each household carries a latent welfare score (an AR(1) series, lower
for ethnic-minority households) whose yearly cut-offs are calibrated per former district and
area type so that the expected poor and near-poor rates follow ``TARGETS``. The score only picks
a *target* class. The generator then draws facts that should produce it (income against the
standard's line, member situations, living conditions) and the rules decide
(``households.facts.assess``, the same call as ``services.survey_save``): what is stored is what
the rules say. Previous classes and transitions are set as
``services.household_transitions_refresh`` sets them, household by household, so the balance of
DOMAIN.md §4 holds for every unit and round by construction (tests/households/test_demo.py
checks it from the raw rows).

Everything is written in one transaction: a failed or interrupted run leaves nothing behind, so
"the demo rounds exist" stays a truthful sign that the demo is complete (a second run adds
nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import NormalDist
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from areas.models import Kind, Unit, UnitSuccession
from areas.text import fold

from . import facts as F_
from . import rules
from .choices import Cause, Ethnicity, Need
from .models import (
    CommuneSubmission,
    Exclusion,
    Household,
    HouseholdStatus,
    Member,
    ReviewRound,
    RoundKind,
    RoundStatus,
    SubmissionAction,
    SubmissionEvent,
    SubmissionStatus,
    Survey,
    SurveyDeprivation,
    SurveyStatus,
)
from .reasons import to_json
from .standards import PovertyClass, standard_for_year

try:  # one multi-row INSERT per page instead of a statement per row
    from psycopg2.extras import execute_values
except ImportError:  # pragma: no cover - SQLite-only installs
    execute_values = None

BATCH = 5000
YEARS = (2023, 2024, 2025, 2026)
OPEN_YEAR = 2026
NEW_TREE_YEAR = 2025  # the first round on the new tree
OLD_DAY, NEW_DAY = dt.date(2023, 9, 1), dt.date(2025, 9, 1)
DEMO_COMMUNE = "21484"  # the demo officer's Thị trấn Ba Tơ, then Xã Ba Tơ (areas/demo.py)
# New-tree communes of former Ba Tơ district that finished 2026 and were accepted by the district
ACCEPTED_COMMUNES = ("21490", "21496")
DONE_SHARE = {DEMO_COMMUNE: 0.4, **dict.fromkeys(ACCEPTED_COMMUNES, 1.0)}  # of pending, 2026
DONE_SHARE_ELSEWHERE = 0.6

POOR, NEAR, AVERAGE, NONE = (c.value for c in PovertyClass)
ON_LIST = (POOR, NEAR)

# Target poor and near-poor household rates (%) per area type and year before the urban factor
# and the shocks: mountainous districts of old Quảng Ngãi fall 6-7 points a year (the 2024 plan),
# the rest about 1 point; Kon Tum between. bench/README.md shows the rates that come out.
TARGETS = {
    "mountain": {2023: (28.0, 30.0), 2024: (20.5, 28.0), 2025: (13.0, 25.5), 2026: (6.0, 22.5)},
    "kontum": {2023: (17.0, 18.0), 2024: (14.0, 17.0), 2025: (11.0, 16.0), 2026: (8.0, 15.0)},
    "lowland": {2023: (4.2, 6.5), 2024: (2.6, 6.0), 2025: (1.2, 5.4), 2026: (0.4, 4.8)},
}
URBAN_FACTOR = 0.55  # phường and thị trấn are better off
MINORITY_SHIFT = 0.3  # latent score: ethnic minority -0.3, Kinh +0.3
RHO = 0.75  # year-to-year persistence of the latent score
SHOCK = (0.02, 1.0)  # illness, accident, disaster: probability a year and size
# Households that left poverty are fragile ("thoát nghèo chưa bền vững"): a larger shock risk
FRAGILE_SHOCK = (0.08, 1.6)

# Head's ethnicity by old district (shares); communes of kind phường / thị trấn have more Kinh.
E = Ethnicity
ETHNICITY_BY_DISTRICT = {
    "525": ((E.COR, 55), (E.KINH, 40), (E.HRE, 5)),  # Trà Bồng
    "529": ((E.HRE, 70), (E.KINH, 25), (E.CA_DONG, 5)),  # Sơn Hà
    "530": ((E.CA_DONG, 85), (E.KINH, 10), (E.HRE, 5)),  # Sơn Tây
    "531": ((E.HRE, 75), (E.KINH, 25)),  # Minh Long
    "535": ((E.HRE, 80), (E.KINH, 20)),  # Ba Tơ
    "608": ((E.KINH, 65), (E.BA_NA, 30), (E.GIA_RAI, 5)),  # TP Kon Tum
    "610": ((E.GIE_TRIENG, 55), (E.XO_DANG, 25), (E.KINH, 20)),  # Đắk Glei
    "611": ((E.KINH, 50), (E.GIE_TRIENG, 30), (E.XO_DANG, 20)),  # Ngọc Hồi
    "612": ((E.KINH, 50), (E.XO_DANG, 45), (E.GIE_TRIENG, 5)),  # Đắk Tô
    "613": ((E.XO_DANG, 80), (E.KINH, 20)),  # Kon Plông
    "614": ((E.XO_DANG, 50), (E.KINH, 30), (E.BA_NA, 20)),  # Kon Rẫy
    "615": ((E.KINH, 55), (E.XO_DANG, 35), (E.BA_NA, 10)),  # Đắk Hà
    "616": ((E.KINH, 50), (E.GIA_RAI, 28), (E.XO_DANG, 20), (E.RO_MAM, 2)),  # Sa Thầy
    "617": ((E.XO_DANG, 95), (E.KINH, 5)),  # Tu Mơ Rông
    "618": ((E.KINH, 80), (E.GIA_RAI, 10), (E.XO_DANG, 10)),  # Ia H' Drai
}
ETHNICITY_LOWLAND = ((E.KINH, 99), (E.HRE, 1))
URBAN_KINH_MIN = 60  # at least this share of Kinh heads in a phường / thị trấn

# Relative size (households) of a commune by area and kind
SIZE = {
    ("lowland", Kind.PHUONG): 2.4,
    ("lowland", Kind.THI_TRAN): 1.8,
    ("lowland", Kind.XA): 1.3,
    ("mountain", Kind.THI_TRAN): 1.4,
    ("mountain", Kind.XA): 0.7,
    ("kontum", Kind.PHUONG): 1.6,
    ("kontum", Kind.THI_TRAN): 1.2,
    ("kontum", Kind.XA): 0.55,
}
DEMO_COMMUNE_MIN = 60  # households in Ba Tơ (21484) at least, or N // 5 when N is small

# Per household and year (2024-2026): arriving, leaving and moving within the province
ARRIVAL_SHARE = 0.015  # of N, each year from 2024
ARRIVALS = (("new", 35), ("split", 40), ("moved_in", 25))
EXIT_MERGED, EXIT_MOVED_OUT, MOVE_WITHIN, DIED_ALONE = 0.003, 0.004, 0.005, 0.04
REQUEST_ANYWAY = 0.01  # households not on the list that ask to be reviewed and stay above it

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
LEVELS = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher")

# Names ------------------------------------------------------------------------------------------
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

TZ = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class DemoReport:
    households: int = 0
    members: int = 0
    surveys: int = 0
    deprivations: int = 0
    exclusions: int = 0
    rounds: int = 0
    submissions: int = 0
    skipped: str = ""  # why nothing was added

    def summary(self) -> str:
        if self.skipped:
            return f"Demo households: nothing added ({self.skipped})."
        return (
            f"Demo households: {self.households} households, {self.members} members, "
            f"{self.rounds} rounds, {self.surveys} surveys ({self.deprivations} deprivations), "
            f"{self.exclusions} exclusions, {self.submissions} accepted commune results."
        )


# --- geography ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Commune:
    pk: int
    code: str
    kind: str
    is_urban: bool
    district: str  # old district code (for a new commune: the former district it is reached from)
    province: str  # old province code: 51 or 62
    area: str  # mountain (old Quảng Ngãi), kontum, lowland
    label: str  # "Xã Ba Vinh", as Unit.label


class _Geography:
    """The old communes (where households start), their successors and neighbours."""

    def __init__(self) -> None:
        self.old: list[_Commune] = []
        for u in (
            Unit.objects.valid_on(OLD_DAY)
            .communes()
            .select_related("parent__parent")
            .order_by("code")
        ):
            province = u.parent.parent.code
            area = "kontum" if province == "62" else "mountain" if u.is_mountainous else "lowland"
            self.old.append(
                _Commune(u.pk, u.code, u.kind, u.is_urban, u.parent.code, province, area, u.label)
            )
        by_pk = {c.pk: c for c in self.old}
        new = {u.pk: u for u in Unit.objects.valid_on(NEW_DAY).communes()}
        # Same choice as households_apply_crosswalk: the successor with the lowest code.
        successor: dict[int, tuple[str, int]] = {}
        for old_id, new_id, new_code in UnitSuccession.objects.filter(
            old_id__in=by_pk, new__valid_from__lte=NEW_DAY
        ).values_list("old_id", "new_id", "new__code"):
            if old_id not in successor or new_code < successor[old_id][0]:
                successor[old_id] = (new_code, new_id)
        self.successor: dict[int, _Commune] = {}
        self.new_by_district: dict[str, list[_Commune]] = defaultdict(list)
        for old_id, (_code, new_id) in sorted(successor.items()):
            o, u = by_pk[old_id], new[new_id]
            commune = _Commune(
                u.pk, u.code, u.kind, u.is_urban, o.district, o.province, o.area, u.label
            )
            self.successor[old_id] = commune
            if all(c.pk != u.pk for c in self.new_by_district[o.district]):
                self.new_by_district[o.district].append(commune)
        self.old_by_district: dict[str, list[_Commune]] = defaultdict(list)
        for c in self.old:
            self.old_by_district[c.district].append(c)
        self.new_pks = set(new)


def _allocate(communes: list[_Commune], n: int) -> list[int]:
    """Households per commune: proportional to SIZE (largest remainder), Ba Tơ topped up."""
    weights = [SIZE.get((c.area, c.kind), SIZE.get((c.area, Kind.XA), 1.0)) for c in communes]
    demo = next((i for i, c in enumerate(communes) if c.code == DEMO_COMMUNE), None)
    floor = min(DEMO_COMMUNE_MIN, n // 5)
    fixed = {}
    if demo is not None and n * weights[demo] / sum(weights) < floor:
        fixed[demo] = floor
        weights[demo] = 0.0
    rest = n - sum(fixed.values())
    total = sum(weights)
    exact = [rest * w / total for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    for i, k in fixed.items():
        counts[i] = k
    return counts


def _calibrate(geo: _Geography) -> dict[tuple[str, bool, int], tuple[float, float]]:
    """Cut-offs of the latent score per (district, urban, year) giving TARGETS' expected rates,
    given the district's ethnic mix (minority households score lower)."""
    normal = NormalDist()
    cutoffs = {}
    for district, urban, area in sorted({(c.district, c.is_urban, c.area) for c in geo.old}):
        minority = sum(w for e, w in _ethnic_mix(district, urban) if e != E.KINH) / 100

        def share_below(q: float, m: float = minority) -> float:
            return m * normal.cdf(q + MINORITY_SHIFT) + (1 - m) * normal.cdf(q - MINORITY_SHIFT)

        for year in YEARS:
            poor, near = TARGETS[area][year]
            factor = URBAN_FACTOR if urban else 1.0
            low, high = (_solve(share_below, r * factor / 100) for r in (poor, poor + near))
            cutoffs[(district, urban, year)] = (low, high)
    return cutoffs


def _solve(f, target: float) -> float:
    lo, hi = -8.0, 8.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < target else (lo, mid)
    return (lo + hi) / 2


@functools.cache
def _ethnic_mix(district: str, urban: bool) -> tuple:
    mix = ETHNICITY_BY_DISTRICT.get(district, ETHNICITY_LOWLAND)
    if not urban:
        return mix
    kinh = dict(mix).get(E.KINH, 0)
    if kinh >= URBAN_KINH_MIN:
        return mix
    others = [(e, w) for e, w in mix if e != E.KINH]
    scale = (100 - URBAN_KINH_MIN) / sum(w for _, w in others)
    return ((E.KINH, URBAN_KINH_MIN), *((e, w * scale) for e, w in others))


# --- the simulated household ----------------------------------------------------------------


@dataclass
class _Entry:
    """One survey row to be: the household's entry in a round."""

    year: int
    commune: _Commune
    status: str
    arrival: str = ""
    poverty_class: str = ""
    previous_class: str = ""
    transition: str = ""
    facts: dict | None = None
    snapshot: list | None = None
    member_count: int = 0
    deprived_count: int = 0
    b2_score: int = 0
    deprivations: list = field(default_factory=list)  # (indicator code, reasons as JSON)
    surveyed_at: dt.datetime | None = None


@dataclass
class _Exit:
    year: int
    commune: _Commune
    reason: str
    note: str
    member_count: int
    previous_class: str = ""
    transition: str = ""


@dataclass
class _Household:
    code: str
    registered: dt.datetime  # created_at: before the first round it is on
    commune: _Commune  # where it is now (after the crosswalk)
    village: str
    head_name: str
    is_ethnic_minority: bool
    is_farm_household: bool
    no_working_capacity: bool
    revolutionary_merit: bool
    social_protection: bool
    requested_review: bool
    status: str
    version: int
    members: list[dict]
    entries: list[_Entry]
    exits: list[_Exit]


@dataclass
class _Person:
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


def transitions_refresh(entries: list[_Entry], exits: list[_Exit]) -> None:
    """``services.household_transitions_refresh`` for one simulated household (periodic rounds
    only): previous class and transition of every entry with a class, and of every exclusion."""
    history: list[str] = []
    for year in YEARS:
        previous = history[-1] if history else None
        before = history[:-1]
        ever_poor, ever_near = POOR in before, NEAR in before
        for ex in (x for x in exits if x.year == year):
            ex.previous_class = previous or ""
            ex.transition = rules.transition(
                current=None,
                previous=PovertyClass(previous) if previous else PovertyClass.NONE,
                ever_poor_before=ever_poor,
                ever_near_poor_before=ever_near,
            ).value
        entry = next((e for e in entries if e.year == year), None)
        if entry is None or not entry.poverty_class:
            continue
        arrived = bool(entry.arrival)
        entry.previous_class = "" if arrived else (previous or "")
        entry.transition = rules.transition(
            current=PovertyClass(entry.poverty_class),
            previous=None if arrived else (PovertyClass(previous) if previous else None),
            ever_poor_before=ever_poor,
            ever_near_poor_before=ever_near,
            arrived=arrived,
        ).value
        history.append(entry.poverty_class)


class _Generator:
    def __init__(self, geo: _Geography, rng: random.Random, taken: tuple[set[str], set[str]]):
        self.geo, self.rng = geo, rng
        self.taken_codes, self.taken_ids = taken  # already in the database
        self.cutoffs = _calibrate(geo)
        self.standards = {y: standard_for_year(y) for y in YEARS}
        self.serials: Counter[str] = Counter()
        self.id_counters: Counter[str] = Counter()
        self.id_offset = rng.randrange(1_000_000)
        self.batu_pending_kept = False

    # -- households ---------------------------------------------------------------------------

    def households(self, n: int) -> Iterator[_Household]:
        for commune, count in zip(self.geo.old, _allocate(self.geo.old, n), strict=True):
            for _ in range(count):
                yield self.household(commune)

    def household(self, origin: _Commune) -> _Household:
        rng = self.rng
        r = rng.random()
        start = 2023
        for year in YEARS[1:]:
            if r < ARRIVAL_SHARE * (year - 2023):
                start = year
                break
        arrival = _weighted(rng, ARRIVALS) if start > 2023 else ""
        commune = origin if start < NEW_TREE_YEAR else self.geo.successor[origin.pk]
        urban_origin = origin.is_urban
        mix = _ethnic_mix(origin.district, urban_origin)
        ethnicity = _weighted(rng, mix)
        minority = ethnicity != E.KINH
        people = self.family(origin, ethnicity, _round_day(start), arrival)
        farm_share = 0.2 if urban_origin else 0.9 if origin.area != "lowland" else 0.65
        farm = rng.random() < farm_share
        code = self.household_code(commune.code)
        village = _village(rng, commune)
        latent = rng.gauss(0, 1)
        mean = -MINORITY_SHIFT if minority else MINORITY_SHIFT
        entries: list[_Entry] = []
        exits: list[_Exit] = []
        latest: str | None = None  # class of the latest entry with a class
        attrs: list[dict] | None = None  # member facts of the latest survey
        requested_now = gone = ever_poor = False
        surveys = 0
        for year in YEARS:
            if year < start:
                continue
            day = _round_day(year)
            if year == NEW_TREE_YEAR and commune.pk not in self.geo.new_pks:
                commune = self.geo.successor[commune.pk]
            moved = ""
            if year > start:
                latent = RHO * latent + (1 - RHO**2) ** 0.5 * rng.gauss(0, 1)
                chance, size = SHOCK
                if ever_poor and latest not in ON_LIST:
                    chance, size = FRAGILE_SHOCK
                if rng.random() < chance:
                    latent -= size
                leaving = self.leaving(people, day, year)
                if leaving == "move":
                    target = self.neighbour(commune, year)
                    if target is not None:
                        exits.append(
                            _Exit(year, commune, "moved_out", f"Chuyển đến {target.label}",
                                  len(people))
                        )  # fmt: skip
                        commune, moved = target, "moved_in"
                        village = _village(rng, commune)
                elif leaving:
                    note = "Chuyển khỏi tỉnh" if leaving == "moved_out" else ""
                    exits.append(_Exit(year, commune, leaving, note, len(people)))
                    gone = True
                    break
            low, high = self.cutoffs[(origin.district, urban_origin, year)]
            score = latent + mean
            if score < low:
                target_class = POOR
            elif score < high:
                target_class = NEAR
            elif farm and score < high + 0.6:
                target_class = AVERAGE
            else:
                target_class = NONE
            arrived_now = arrival if year == start and start > 2023 else moved
            if year == 2023 or (year == start and arrival):
                listed = True  # first time on a list: everyone is reviewed
            elif latest in ON_LIST:
                listed = True
            elif target_class in ON_LIST or rng.random() < REQUEST_ANYWAY:
                listed = True  # the household asked to be reviewed
                requested_now = year == OPEN_YEAR
            else:
                listed = False
            entry = _Entry(year, commune, SurveyStatus.CARRIED_OVER, arrival=arrived_now)
            entry.member_count = len(people)  # as round_list_generate counts current members
            if not listed:
                entry.poverty_class = latest or ""
                entry.previous_class = latest or ""
                entry.transition = "still_none"
            elif year == OPEN_YEAR and not self.done_in_open_round(commune):
                entry.status = SurveyStatus.PENDING
                # round_list_generate: the latest class; household_create (arrivals): none
                entry.previous_class = "" if (arrival and year == start) else (latest or "")
            else:
                attrs = self.survey(entry, people, farm, origin.area, target_class, day)
                surveys += 1
            entries.append(entry)
            if entry.poverty_class:
                latest = entry.poverty_class
                ever_poor = ever_poor or latest == POOR
        if attrs is None:  # never surveyed (a 2026 arrival still pending): what it registered
            attrs = self.member_facts(people, _round_day(start), BADNESS[NONE], good=True)
        transitions_refresh(entries, exits)
        if commune.pk not in self.geo.new_pks:
            commune = self.geo.successor[commune.pk]  # households_apply_crosswalk moves all
        members = [
            {**attrs[i], "relation": p.relation, "ethnicity": p.ethnicity,
             "citizen_id": p.citizen_id}
            for i, p in enumerate(people)
        ]  # fmt: skip
        adults = [
            m for m in members
            if 15 <= rules.age_on(m["birth_date"], _round_day(OPEN_YEAR)) < 60
            and not m["is_disabled"]
        ]  # fmt: skip
        return _Household(
            code=code,
            # before the 2023 list was made; an arrival while its round was open
            registered=dt.datetime(start, 8 if start == 2023 else 9, 1, 9, tzinfo=TZ)
            + dt.timedelta(days=rng.randint(0, 30 if start == 2023 else 80)),
            commune=commune,
            village=village,
            head_name=people[0].full_name,
            is_ethnic_minority=minority,
            is_farm_household=farm,
            no_working_capacity=not adults,
            revolutionary_merit=rng.random() < (0.08 if people[0].birth_date.year < 1960 else 0.02),
            social_protection=any(m["has_monthly_social_allowance"] for m in members),
            requested_review=requested_now and not gone,
            status=HouseholdStatus.REMOVED if gone else HouseholdStatus.ACTIVE,
            version=1 + surveys,
            members=members,
            entries=entries,
            exits=exits,
        )

    def household_code(self, commune_code: str) -> str:
        while True:
            self.serials[commune_code] += 1
            code = f"{commune_code}-{self.serials[commune_code]:05d}"
            if code not in self.taken_codes:
                return code

    def leaving(self, people: list[_Person], day: dt.date, year: int) -> str:
        """'' (stays), 'move' (within the province) or an exclusion reason."""
        r = self.rng.random()
        if len(people) == 1 and rules.age_on(people[0].birth_date, day) >= 70:
            return "died" if r < DIED_ALONE else ""
        if r < EXIT_MERGED:
            return "merged"
        if r < EXIT_MERGED + EXIT_MOVED_OUT:
            return "moved_out"
        if year < OPEN_YEAR and r < EXIT_MERGED + EXIT_MOVED_OUT + MOVE_WITHIN:
            return "move"
        return ""

    def neighbour(self, commune: _Commune, year: int) -> _Commune | None:
        pool = (self.geo.new_by_district if year >= NEW_TREE_YEAR else self.geo.old_by_district)[
            commune.district
        ]
        choices = [c for c in pool if c.pk != commune.pk]
        return self.rng.choice(choices) if choices else None

    def done_in_open_round(self, commune: _Commune) -> bool:
        if commune.code == DEMO_COMMUNE and not self.batu_pending_kept:
            self.batu_pending_kept = True  # the demo officer always has work left
            return False
        return self.rng.random() < DONE_SHARE.get(commune.code, DONE_SHARE_ELSEWHERE)

    # -- people ---------------------------------------------------------------------------------

    def family(self, origin: _Commune, ethnicity: str, day: dt.date, arrival: str):
        rng = self.rng
        big = origin.area != "lowland" and ethnicity != E.KINH
        surname = self.surname(ethnicity)
        prefix = PROVINCE_ID_PREFIX[origin.province]
        if arrival == "moved_in":
            prefix = rng.choice(OTHER_ID_PREFIXES)

        def person(relation, sex, age, eth=ethnicity, family=surname) -> _Person:
            birth = day - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
            adult_mix = _attainment_mix(eth != E.KINH, origin.area, origin.is_urban, age >= 55)
            disabled = rng.random() < (0.06 if age >= 60 else 0.02)
            return _Person(
                full_name=self.name(eth, sex, family),
                sex=sex,
                birth_date=birth,
                relation=relation,
                ethnicity=eth,
                citizen_id=self.citizen_id(prefix, sex, birth) if age >= 14 else "",
                attainment=_weighted(rng, adult_mix),
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
            weights = (8, 15, 30, 25, 14, 8) if big else (12, 25, 38, 18, 5, 2)
            for _ in range(rng.choices(range(6), weights)[0]):
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
            return _weighted(self.rng, KINH_SURNAMES)
        if ethnicity in QN_MINORITY_SURNAMES:
            return self.rng.choice(QN_MINORITY_SURNAMES[ethnicity])
        if ethnicity == E.GIA_RAI:
            return self.rng.choice(GIA_RAI_CLANS)
        return None  # Xơ Đăng, Ba Na, Giẻ Triêng, Rơ Măm: "A ..." / "Y ..."

    def name(self, ethnicity: str, sex: str, family: str | None) -> str:
        rng = self.rng
        if ethnicity == E.KINH:
            family = family or _weighted(rng, KINH_SURNAMES)
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

    def citizen_id(self, prefix: str, sex: str, birth: dt.date) -> str:
        """12 digits: province, sex and century, year of birth, then a serial. Unique: the serial
        walks a permutation of 0..999999 per prefix (7919 is prime to 10**6)."""
        century = 0 if birth.year < 2000 else 2
        head = f"{prefix}{century + (sex == 'female')}{birth.year % 100:02d}"
        while True:
            self.id_counters[head] += 1
            serial = (self.id_counters[head] * 7919 + self.id_offset + int(head)) % 1_000_000
            value = f"{head}{serial:06d}"
            if value not in self.taken_ids:
                return value

    def member_facts(self, people: list[_Person], day: dt.date, bad: float, good: bool):
        """The members' situation at a round (model field values), ``good`` without avoidable
        deprivations (everyone insured, children in school and well fed, work that counts)."""
        rng = self.rng
        rows = []
        for p in people:
            age = rules.age_on(p.birth_date, day)
            level = _level_at(p.attainment, age)
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
                employment = rng.choices(
                    ("self_employed", "wage_with_contract", "not_in_labour_force"), (75, 18, 7)
                )[0]
            else:
                employment = rng.choices(
                    ("self_employed", "wage_with_contract", "wage_no_contract", "unemployed",
                     "not_in_labour_force"),
                    (70, 12, 5 + 35 * bad, 1 + 8 * bad, 6),
                )[0]  # fmt: skip
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
                    "schooling": "in_school" if in_school else "not_in_school",
                    "education_level": level,
                    "employment": employment,
                    "is_disabled": p.is_disabled,
                    "has_monthly_social_allowance": age >= 80
                    or (p.is_disabled and p.allowance_if_disabled),
                    "nutrition": nutrition,
                }
            )
        return rows

    # -- a survey -------------------------------------------------------------------------------

    def survey(self, entry, people, farm, area, target, day) -> list[dict]:
        """Draw facts that should give ``target``, let the rules classify, fill ``entry``."""
        rng = self.rng
        standard = self.standards[entry.year]
        urban = entry.commune.is_urban
        # Near-poor needs fewer than 3 deprivations: members without avoidable ones (at most
        # adult education and dependents remain) and at most 2 living-condition deprivations.
        good = target == NEAR or (target != POOR and rng.random() < 0.5)
        attrs = self.member_facts(people, day, BADNESS[target], good=good)
        if target == POOR:  # 3 or more from living conditions alone: poor whatever the members
            k = rng.choices((3, 4, 5), (50, 35, 15))[0]
        elif target == NEAR:
            k = rng.choices((0, 1, 2), (45, 40, 15))[0]
        else:
            k = rng.choices((0, 1, 2, 3), (55, 30, 12, 3))[0]
        pool = HOUSEHOLD_INDICATORS[area]
        chosen: list[str] = []
        while len(chosen) < k:
            options = [i for i in pool if i not in chosen]
            chosen.append(rng.choices(options, [pool[i] for i in options])[0])
        line = standard.line_for(urban)
        band = standard.band_upper_for(urban) or line
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
        data = _living_conditions(rng, set(chosen), n, area, urban)
        data.update(income_per_person=income, household_income=income * n, b1_score=None)
        data.update(causes="", needs="")
        if target in ON_LIST:
            data["causes"] = F_.join_codes(rng.sample(CAUSES, rng.randint(1, 3)))
            data["needs"] = F_.join_codes(rng.sample(NEEDS, rng.randint(1, 3)))
        while True:
            result = F_.assess(
                members=attrs,
                survey=data,
                on=day,
                is_urban=urban,
                is_farm_household=farm,
                standard=standard,
            ).assessment
            if target != NEAR or result.poverty_class.value != POOR or not chosen:
                break
            # members brought it to 3: drop a living-condition deprivation and ask again
            chosen.pop()
            data.update(_living_conditions(rng, set(chosen), n, area, urban))
        entry.status = SurveyStatus.SURVEYED
        entry.facts = data
        members = [
            {**a, "relation": p.relation, "ethnicity": p.ethnicity}
            for a, p in zip(attrs, people, strict=True)
        ]
        entry.snapshot = F_.snapshot(members, day)
        entry.member_count = n
        entry.deprived_count = result.deprived_count
        entry.b2_score = result.b2_score
        entry.poverty_class = result.poverty_class.value
        entry.deprivations = [
            (r.indicator.code, [to_json(reason) for reason in r.reasons])
            for r in result.results
            if r.deprived
        ]
        end = dt.date(entry.year, 11, 25 if entry.year == OPEN_YEAR else 30)
        when = day + dt.timedelta(days=rng.randint(4, (end - day).days))
        entry.surveyed_at = dt.datetime(
            when.year, when.month, when.day, rng.randint(7, 16), rng.randrange(60), tzinfo=TZ
        )
        return attrs


def _living_conditions(rng, chosen: set[str], n: int, area: str, urban: bool) -> dict:
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


@functools.cache
def _attainment_mix(minority: bool, area: str, urban: bool, old: bool) -> tuple:
    if minority and area != "lowland":
        mix = (30, 35, 22, 9, 3, 1)
    elif urban:
        mix = (2, 10, 25, 33, 15, 15)
    else:
        mix = (5, 20, 35, 25, 10, 5)
    if old:  # older people went to school less
        mix = (mix[0] + 15, mix[1] + 10, *mix[2:])
    return tuple(zip(LEVELS, mix, strict=True))


def _level_at(attainment: str, age: int) -> str:
    """The highest level finished at ``age``: the person's attainment, capped by age."""
    cap = 0 if age < 11 else 1 if age < 15 else 2 if age < 18 else 3 if age < 20 else 4
    if age >= 22:
        cap = 5
    return LEVELS[min(cap, LEVELS.index(attainment))]


def _weighted(rng: random.Random, pairs: tuple):
    values, cumulative = _cumulative(pairs)
    return rng.choices(values, cum_weights=cumulative)[0]


@functools.cache
def _cumulative(pairs: tuple) -> tuple[tuple, list[float]]:
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))


def _thousands(value: float) -> int:
    return int(value) // 1000 * 1000


def _round_day(year: int) -> dt.date:
    return dt.date(year, 9, 1)


def _village(rng: random.Random, commune: _Commune) -> str:
    if commune.kind in (Kind.PHUONG, Kind.THI_TRAN):
        return f"Tổ dân phố {rng.randint(1, 8)}"
    return f"Thôn {rng.randint(1, 10 if commune.area == 'lowland' else 7)}"


# --- writing ------------------------------------------------------------------------------------


def demo_households_plan(*, households: int, seed: int = 2024) -> Iterator[_Household]:
    """The households the seed would write, in order (pure apart from reading the unit tree)."""
    codes = Household.objects.filter(code__regex=r"^[0-9]{5}-[0-9]{5}$")
    ids = Member.objects.filter(is_current=True).exclude(citizen_id="")
    taken = (
        set(codes.values_list("code", flat=True)),
        set(ids.values_list("citizen_id", flat=True)),
    )
    return _Generator(_Geography(), random.Random(seed), taken).households(households)


def demo_households_seed(*, households: int, seed: int = 2024, stdout=None) -> DemoReport:
    """Create the demo rounds, households, members, surveys and exclusions. Idempotent: when any
    periodic round of the demo years exists nothing is added."""
    if households <= 0:
        return DemoReport(skipped="0 households asked for")
    existing = ReviewRound.objects.filter(kind=RoundKind.PERIODIC, year__in=YEARS)
    if existing.exists():
        years = ", ".join(str(y) for y in existing.order_by("year").values_list("year", flat=True))
        return DemoReport(skipped=f"periodic rounds {years} already exist")
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=("quantri", "canbo.xa", "canbo.huyen"))}  # fmt: skip
    admin = users.get("quantri")
    started = timezone.now()
    with transaction.atomic():
        rounds = _rounds_create()
        writer = _Writer(rounds, admin)
        counts = writer.counts
        batch: list[_Household] = []
        for household in demo_households_plan(households=households, seed=seed):
            batch.append(household)
            if len(batch) == BATCH:
                writer.write(batch)
                batch = []
                if stdout is not None and counts["households"] % (BATCH * 10) == 0:
                    seconds = (timezone.now() - started).total_seconds()
                    stdout.write(f"  {counts['households']:,} households ({seconds:.0f} s)\n")
        writer.write(batch)
        submissions = _submissions_create(rounds[OPEN_YEAR], users)
    return DemoReport(
        households=counts["households"],
        members=counts["members"],
        surveys=counts["surveys"],
        deprivations=counts["deprivations"],
        exclusions=counts["exclusions"],
        rounds=len(rounds),
        submissions=submissions,
    )


def _rounds_create() -> dict[int, ReviewRound]:
    rounds = {}
    for year in YEARS:
        closed = year != OPEN_YEAR
        rounds[year] = ReviewRound.objects.create(
            year=year,
            kind=RoundKind.PERIODIC,
            starts_on=_round_day(year),
            ends_on=dt.date(year, 12, 14),
            standard=standard_for_year(year).code,
            status=RoundStatus.CLOSED if closed else RoundStatus.OPEN,
            closed_at=dt.datetime(year, 12, 20, 17, 0, tzinfo=TZ) if closed else None,
        )
    return rounds


class _Inserter:
    """Multi-row INSERTs of plain values for one model, in the caller's transaction.

    Not ``bulk_create``: it spends most of its time preparing every value through the field
    machinery (about 0.4 ms for one 40-column survey on the development machine), which for a
    million households (~12 million rows) is over an hour. Rows here are dicts of attribute
    values; missing ones take the field's default (``auto_now`` fields: the seed's time), and the
    types the driver cannot take as they are (dates, decimals, JSON) go through the field's own
    ``get_db_prep_save``, so the stored values are those ``bulk_create`` would store.
    """

    def __init__(self, model, *, now: dt.datetime, with_pk: bool):
        self.connection = connections[DEFAULT_DB_ALIAS]
        fields = [
            f
            for f in model._meta.concrete_fields
            if (with_pk or not f.primary_key) and not f.generated  # the database computes those
        ]
        self.columns = []  # (attribute, prepared default, preparation or None)
        for f in fields:
            auto_now = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            default = now if auto_now else None if f.primary_key else f.get_default()
            prepare = (
                f.get_db_prep_save
                if isinstance(f, (models.DateField, models.DecimalField, models.JSONField))
                else None
            )
            if prepare is not None:
                default = prepare(default, self.connection)
            self.columns.append((f.attname, default, prepare))
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (model identifiers)

    def insert(self, rows: list[dict]) -> int:
        connection, missing = self.connection, object()
        values = []
        for row in rows:
            value = []
            for name, default, prepare in self.columns:
                v = row.get(name, missing)
                if v is missing:
                    value.append(default)
                elif prepare is None:
                    value.append(v)
                else:
                    value.append(prepare(v, connection))
            values.append(value)
        with connection.cursor() as cursor:
            if execute_values is not None and connection.vendor == "postgresql":
                execute_values(cursor.cursor, self.sql + "%s", values, page_size=1000)
            else:  # SQLite (or psycopg 3, whose executemany is pipelined)
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"{self.sql}({marks})", values)
        return len(values)


def _reserve_ids(model, n: int) -> list[int]:
    """Primary keys for ``n`` new rows (so children can point at them before they exist)."""
    if not n:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"demo data on {connection.vendor}")
        # SQLite: the transaction holds the database's write lock, nobody else inserts
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + n))


class _Writer:
    def __init__(self, rounds: dict[int, ReviewRound], admin):
        now = timezone.now()
        self.rounds, self.admin_id = rounds, admin.pk if admin else None
        self.households = _Inserter(Household, now=now, with_pk=True)
        self.members = _Inserter(Member, now=now, with_pk=False)
        self.surveys = _Inserter(Survey, now=now, with_pk=True)
        self.deprivations = _Inserter(SurveyDeprivation, now=now, with_pk=False)
        self.exclusions = _Inserter(Exclusion, now=now, with_pk=False)
        self.counts: Counter[str] = Counter()

    def write(self, batch: list[_Household]) -> None:
        if not batch:
            return
        household_ids = _reserve_ids(Household, len(batch))
        survey_ids = iter(_reserve_ids(Survey, sum(len(h.entries) for h in batch)))
        households, members, surveys, deprivations, exclusions = [], [], [], [], []
        for h, pk in zip(batch, household_ids, strict=True):
            households.append(
                {
                    "id": pk,
                    "code": h.code,
                    "commune_id": h.commune.pk,
                    "village": h.village,
                    "head_name": h.head_name,
                    "head_name_folded": fold(h.head_name),
                    "is_ethnic_minority": h.is_ethnic_minority,
                    "is_farm_household": h.is_farm_household,
                    "no_working_capacity": h.no_working_capacity,
                    "revolutionary_merit": h.revolutionary_merit,
                    "social_protection": h.social_protection,
                    "requested_review": h.requested_review,
                    "status": h.status,
                    "version": h.version,
                    "created_at": h.registered,
                }
            )
            members += [{"household_id": pk, **m} for m in h.members]
            for e in h.entries:
                survey = {
                    "id": next(survey_ids),
                    "household_id": pk,
                    "round_id": self.rounds[e.year].pk,
                    "commune_id": e.commune.pk,
                    "status": e.status,
                    "arrival": e.arrival,
                    "is_urban": e.commune.is_urban,
                    "is_ethnic_minority": h.is_ethnic_minority,
                    "poverty_class": e.poverty_class,
                    "previous_class": e.previous_class,
                    "transition": e.transition,
                }
                if e.facts is not None:
                    survey.update(e.facts)
                    survey.update(
                        member_count=e.member_count,
                        members_snapshot=e.snapshot,
                        deprived_count=e.deprived_count,
                        b2_score=e.b2_score,
                        surveyed_by_id=self.admin_id,
                        surveyed_at=e.surveyed_at,
                        version=2,  # survey_save bumps the version once
                    )
                    deprivations += [
                        {"survey_id": survey["id"], "indicator": code, "reasons": reasons}
                        for code, reasons in e.deprivations
                    ]
                surveys.append(survey)
            exclusions += [
                {
                    "household_id": pk,
                    "round_id": self.rounds[x.year].pk,
                    "commune_id": x.commune.pk,
                    "reason": x.reason,
                    "note": x.note,
                    "previous_class": x.previous_class,
                    "transition": x.transition,
                    "member_count": x.member_count,
                    "created_by_id": self.admin_id,
                    "created_at": dt.datetime(x.year, 10, 15, 9, tzinfo=TZ),
                }
                for x in h.exits
            ]
        self.counts.update(
            households=self.households.insert(households),
            members=self.members.insert(members),
            surveys=self.surveys.insert(surveys),
            deprivations=self.deprivations.insert(deprivations),
            exclusions=self.exclusions.insert(exclusions),
        )


def _submissions_create(round_: ReviewRound, users: dict) -> int:
    """The finished communes of former Ba Tơ: submitted, then accepted by the district staff."""
    reviewer = users.get("canbo.huyen") or users.get("quantri")
    if reviewer is None:
        return 0
    created = 0
    for code in ACCEPTED_COMMUNES:
        commune = Unit.objects.valid_on(round_.reference_date).get(code=code)
        if Survey.objects.filter(round=round_, commune=commune, status="pending").exists():
            continue
        submitter = users.get("canbo.xa") if code == DEMO_COMMUNE else users.get("quantri")
        submitter = submitter or reviewer
        sub = CommuneSubmission.objects.create(
            round=round_, commune=commune, status=SubmissionStatus.ACCEPTED
        )
        for action, by, day, comment in (
            (SubmissionAction.SUBMIT, submitter, 16 + 2 * created, ""),
            (SubmissionAction.ACCEPT, reviewer, 20 + 2 * created, "Đã kiểm tra, đạt yêu cầu."),
        ):
            event = SubmissionEvent.objects.create(
                submission=sub, action=action, by=by, comment=comment
            )
            at = dt.datetime(round_.year, 11, day, 9, 30, tzinfo=TZ)
            SubmissionEvent.objects.filter(pk=event.pk).update(at=at)  # not "now" (auto_now_add)
        created += 1
    return created
