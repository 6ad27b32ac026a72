"""Where the demo households live: the communes, how many households each gets, how poor each
area is meant to be, the heads' ethnicity, and the household codes.

Households are numbered 0..N-1, commune by commune (old communes in code order), so a household's
number alone says where it started and what its code is: no process needs another's output.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from dataclasses import dataclass
from statistics import NormalDist

from areas.models import Kind, Unit, UnitSuccession
from households.choices import Ethnicity

from .common import NEW_DAY, NEW_TREE_YEAR, OLD_DAY, YEARS

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
CODE_SERIALS = 99_999  # household codes are "<commune code>-<5 digits>"


@dataclass(frozen=True)
class Commune:
    pk: int
    code: str
    kind: str
    is_urban: bool
    district: str  # old district code (for a new commune: the former district it is reached from)
    province: str  # old province code: 51 or 62
    area: str  # mountain (old Quảng Ngãi), kontum, lowland
    label: str  # "Xã Ba Vinh", as Unit.label


class Geography:
    """The old communes (where households start), their successors and neighbours."""

    def __init__(self) -> None:
        self.old: list[Commune] = []
        for u in (
            Unit.objects.valid_on(OLD_DAY)
            .communes()
            .select_related("parent__parent")
            .order_by("code")
        ):
            province = u.parent.parent.code
            area = "kontum" if province == "62" else "mountain" if u.is_mountainous else "lowland"
            self.old.append(
                Commune(u.pk, u.code, u.kind, u.is_urban, u.parent.code, province, area, u.label)
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
        self.successor: dict[int, Commune] = {}
        self.new_by_district: dict[str, list[Commune]] = defaultdict(list)
        for old_id, (_code, new_id) in sorted(successor.items()):
            o, u = by_pk[old_id], new[new_id]
            commune = Commune(
                u.pk, u.code, u.kind, u.is_urban, o.district, o.province, o.area, u.label
            )
            self.successor[old_id] = commune
            if all(c.pk != u.pk for c in self.new_by_district[o.district]):
                self.new_by_district[o.district].append(commune)
        self.old_by_district: dict[str, list[Commune]] = defaultdict(list)
        for c in self.old:
            self.old_by_district[c.district].append(c)
        self.new_pks = set(new)


def allocate(communes: list[Commune], n: int, demo_code: str) -> list[int]:
    """Households per commune: proportional to SIZE (largest remainder), Ba Tơ topped up."""
    weights = [SIZE.get((c.area, c.kind), SIZE.get((c.area, Kind.XA), 1.0)) for c in communes]
    demo = next((i for i, c in enumerate(communes) if c.code == demo_code), None)
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


def calibrate(geo: Geography) -> dict[tuple[str, bool, int], tuple[float, float]]:
    """Cut-offs of the latent score per (district, urban, year) giving TARGETS' expected rates,
    given the district's ethnic mix (minority households score lower)."""
    normal = NormalDist()
    cutoffs = {}
    for district, urban, area in sorted({(c.district, c.is_urban, c.area) for c in geo.old}):
        minority = sum(w for e, w in ethnic_mix(district, urban) if e != E.KINH) / 100

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
def ethnic_mix(district: str, urban: bool) -> tuple:
    mix = ETHNICITY_BY_DISTRICT.get(district, ETHNICITY_LOWLAND)
    if not urban:
        return mix
    kinh = dict(mix).get(E.KINH, 0)
    if kinh >= URBAN_KINH_MIN:
        return mix
    others = [(e, w) for e, w in mix if e != E.KINH]
    scale = (100 - URBAN_KINH_MIN) / sum(w for _, w in others)
    return ((E.KINH, URBAN_KINH_MIN), *((e, w * scale) for e, w in others))


class Layout:
    """Household number -> origin commune and code, for N households.

    A household registered before the reform gets "<old commune code>-<its rank in that
    commune>"; one registered on the new tree gets its new commune's code and a serial after
    every serial the old commune of the same code and the earlier origins of that new commune
    can use. Codes already in the database (``taken``) are skipped.
    """

    def __init__(self, geo: Geography, n: int, demo_code: str, taken: set[str]):
        self.geo, self.n = geo, n
        self.counts = allocate(geo.old, n, demo_code)
        self.starts = [0]
        for count in self.counts:
            self.starts.append(self.starts[-1] + count)
        size = dict.fromkeys((c.code for c in geo.old), 0)
        for c, count in zip(geo.old, self.counts, strict=True):
            size[c.code] = count
        self.new_base: list[int] = []  # first serial (minus one) of origin i's new-tree codes
        used: dict[str, int] = {}
        for c, count in zip(geo.old, self.counts, strict=True):
            code = geo.successor[c.pk].code
            base = used.get(code, size.get(code, 0))
            self.new_base.append(base)
            used[code] = base + count
        self.taken: dict[str, list[int]] = defaultdict(list)
        for code in taken:
            prefix, _, serial = code.partition("-")
            self.taken[prefix].append(int(serial))
        for serials in self.taken.values():
            serials.sort()

    def origin(self, number: int) -> int:
        """Index in ``geo.old`` of household ``number``'s first commune."""
        return bisect.bisect_right(self.starts, number) - 1

    def code(self, number: int, origin: int, start_year: int) -> str:
        commune = self.geo.old[origin]
        rank = number - self.starts[origin] + 1
        if start_year >= NEW_TREE_YEAR:
            commune, rank = self.geo.successor[commune.pk], self.new_base[origin] + rank
        serial = self._untaken(commune.code, rank)
        if serial > CODE_SERIALS:
            raise ValueError(f"too many households for commune {commune.code}: {serial}")
        return f"{commune.code}-{serial:05d}"

    def _untaken(self, prefix: str, k: int) -> int:
        """The k-th serial not taken under ``prefix``."""
        taken = self.taken.get(prefix)
        if not taken:
            return k
        serial = k
        while True:
            nxt = k + bisect.bisect_right(taken, serial)
            if nxt == serial:
                return serial
            serial = nxt
