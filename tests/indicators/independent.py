"""An independent computation of every indicator from raw rows, in plain Python.

It shares nothing with indicators.rollups / indicators.aggregate: it reads Survey, Exclusion and
SurveyDeprivation rows one by one and applies the definitions of DOMAIN.md §5 directly, so a test
comparing the two catches an error in either.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from households.models import CommuneSubmission, Exclusion, Survey, SurveyDeprivation


def pct(n, d):
    if not d:
        return None
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def expected_values(round_, commune_ids: set[int]) -> dict[str, Decimal | None]:
    """{indicator code: value} for the union of these communes in this round."""
    surveys = list(Survey.objects.filter(round=round_, commune_id__in=commune_ids))
    exclusions = list(
        Exclusion.objects.filter(round=round_, commune_id__in=commune_ids).select_related(
            "household"
        )
    )

    def cls(s):
        return s.previous_class if s.status == "pending" else s.poverty_class

    c = Counter()
    for s in surveys:
        k = cls(s)
        c["households"] += 1
        c["persons"] += s.member_count
        c[k] += 1
        c[f"{k}_persons"] += s.member_count
        if s.is_ethnic_minority:
            c["em"] += 1
            c[f"em_{k}"] += 1
        if s.arrival == "" and s.previous_class:
            c["prev"] += 1
            c[f"prev_{s.previous_class}"] += 1
            if s.is_ethnic_minority:
                c["prev_em"] += 1
                c[f"prev_em_{s.previous_class}"] += 1
        if s.transition:
            c[f"t_{s.transition}"] += 1
    for e in exclusions:
        if e.previous_class:
            c["prev"] += 1
            c[f"prev_{e.previous_class}"] += 1
            if e.household.is_ethnic_minority:
                c["prev_em"] += 1
                c[f"prev_em_{e.previous_class}"] += 1
        if e.transition:
            c[f"t_{e.transition}"] += 1
    dep = Counter()
    for d in SurveyDeprivation.objects.filter(
        survey__round=round_, survey__commune_id__in=commune_ids, survey__status="surveyed"
    ).select_related("survey"):
        dep[(d.survey.poverty_class, d.indicator)] += 1

    poor, near, hh = c["poor"], c["near_poor"], c["households"]
    prev_poor, prev_near, prev = c["prev_poor"], c["prev_near_poor"], c["prev"]
    values = {
        "households": Decimal(hh),
        "persons": Decimal(c["persons"]),
        "poor_households": Decimal(poor),
        "poor_rate": pct(poor, hh),
        "poor_persons": Decimal(c["poor_persons"]),
        "poor_persons_rate": pct(c["poor_persons"], c["persons"]),
        "near_poor_households": Decimal(near),
        "near_poor_rate": pct(near, hh),
        "near_poor_persons": Decimal(c["near_poor_persons"]),
        "average_households": Decimal(c["average"]),
        "average_rate": pct(c["average"], hh),
        "multidim_rate": pct(poor + near, hh),
        "em_households": Decimal(c["em"]),
        "em_poor_rate": pct(c["em_poor"], c["em"]),
        "poor_start": Decimal(prev_poor),
        "near_poor_start": Decimal(prev_near),
    }

    def drop(before, after):
        return None if before is None or after is None else before - after

    values["poor_rate_reduction"] = drop(pct(prev_poor, prev), pct(poor, hh))
    values["near_poor_rate_reduction"] = drop(pct(prev_near, prev), pct(near, hh))
    values["multidim_rate_reduction"] = drop(pct(prev_poor + prev_near, prev), pct(poor + near, hh))
    values["em_poor_rate_reduction"] = drop(
        pct(c["prev_em_poor"], c["prev_em"]), pct(c["em_poor"], c["em"])
    )
    from indicators.catalog import TRANSITIONS, indicator_codes

    for code, _, _ in TRANSITIONS:
        values[f"t_{code}"] = Decimal(c[f"t_{code}"])
    for key, cls_name in (("poor", "poor"), ("near", "near_poor")):
        for code, _, _ in indicator_codes():
            n = dep[(cls_name, code)]
            # share of the class's households *surveyed* is not what DOMAIN asks: it is of all
            # poor (near-poor) households of the round, as the rollup's denominator
            values[f"dep_{key}_{code}"] = Decimal(n)
            values[f"dep_{key}_{code}_share"] = pct(n, poor if key == "poor" else near)
    return values


def accepted_all(round_, commune_ids) -> bool:
    with_entries = set(
        Survey.objects.filter(round=round_, commune_id__in=commune_ids).values_list(
            "commune_id", flat=True
        )
    )
    accepted = set(
        CommuneSubmission.objects.filter(
            round=round_, commune_id__in=commune_ids, status="accepted"
        ).values_list("commune_id", flat=True)
    )
    return with_entries <= accepted


def sample_owners(round_, commune, other) -> dict[str, tuple[dict, list[str]]]:
    """{name: (owner lookup of a stored value, the unit paths an independent count covers)}:
    the two communes of a test, the former Ba Tơ district's group and the province. The
    program measures' tests count their own rows under the paths and compare."""
    from areas.models import Unit, UnitGroup

    group = UnitGroup.objects.get(code="huyen-cu-535")
    province = Unit.objects.valid_on(round_.reference_date).get(code="51")
    return {
        "commune": ({"unit": commune}, [commune.path]),
        "other commune": ({"unit": other}, [other.path]),
        "province": ({"unit": province}, [province.path]),
        "group": (
            {"group": group},
            list(group.members.valid_on(round_.reference_date).values_list("path", flat=True)),
        ),
    }
