"""Program outputs (projects, models, trainings, employment) as indicator values of a round.

Counted for the round's year on the units valid at the round's date (a project filed on a
pre-reform commune counts in rounds on the old tree only), added up the tree and into groups.
Projects and models are counted once per area even when they span several communes. A handful
of queries per round: the pairs (project, commune), the people, and one per district or group
for the staff-training share.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q

from areas.models import Unit, UnitGroup
from households.models import Member, ReviewRound, Survey

from .aggregate import path_ids
from .models import Indicator, IndicatorValue
from .rules import rate


def _owners(round_: ReviewRound):
    """Units valid at the round's date with their paths, and groups with their member paths."""
    units = dict(Unit.objects.valid_on(round_.reference_date).values_list("pk", "path"))
    groups: dict[int, list[str]] = defaultdict(list)
    for group_id, path in UnitGroup.members.through.objects.filter(unit__in=units).values_list(
        "unitgroup_id", "unit__path"
    ):
        groups[group_id].append(path)
    return units, groups


def _spread(pairs, units, groups) -> tuple[dict[int, set], dict[int, set]]:
    """(item, commune) pairs → the set of items under each unit and in each group."""
    by_unit: dict[int, set] = defaultdict(set)
    by_group: dict[int, set] = defaultdict(set)
    for item, commune_id in pairs:
        path = units.get(commune_id)
        if path is None:
            continue
        for unit_id in path_ids(path):
            by_unit[unit_id].add(item)
        for group_id, member_paths in groups.items():
            if path.startswith(tuple(member_paths)):
                by_group[group_id].add(item)
    return by_unit, by_group


def program_values_store(*, round_: ReviewRound, computed_at) -> int:
    """Replace the round's program-output values. Called inside the rollup merge transaction."""
    from projects.choices import CourseKind, ProjectForm
    from projects.models import CourseParticipant, EmploymentRecord, Project
    from projects.models.project import LOCKED

    indicators = {i.code: i for i in Indicator.objects.filter(kind="program")}
    if not indicators:
        return 0
    year, day = round_.year, round_.reference_date
    units, groups = _owners(round_)
    links = Project.communes.through.objects.filter(project__status__in=LOCKED)
    measures: dict[str, tuple[dict, dict]] = {}

    approved = links.filter(project__decision_date__year=year).values_list("project_id", "unit_id")
    measures["projects_approved"] = _spread(approved, units, groups)
    models = links.filter(project__form=ProjectForm.MODEL, project__starts_on__year=year)
    measures["models_built"] = _spread(models.values_list("project_id", "unit_id"), units, groups)
    replicated = models.filter(project__replicated_from__isnull=False)
    measures["models_replicated"] = _spread(
        replicated.values_list("project_id", "unit_id"), units, groups
    )

    # Able workers of poor households (working age on the round's date), and those of them who
    # completed a production-technique or vocational course during the year.
    poor_surveys = Survey.objects.filter(round=round_, poverty_class="poor")
    workers = Member.objects.filter(
        is_current=True,
        household__surveys__in=poor_surveys,
        birth_date__lte=_years_before(day, 15),
        birth_date__gt=_years_before(day, 60),
        household__no_working_capacity=False,
    ).values_list("pk", "household__surveys__commune_id")
    trained = CourseParticipant.objects.filter(
        member=OuterRef("pk"),
        completed=True,
        course__kind__in=(CourseKind.TECHNIQUE, CourseKind.VOCATIONAL),
        course__ends_on__year=year,
    )
    supported = workers.filter(Exists(trained))
    measures["workers_supported_share"] = (
        _spread(supported, units, groups),
        _spread(workers, units, groups),
    )

    employed = EmploymentRecord.objects.filter(
        member__household=OuterRef("household_id"), is_sustainable=True, starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    listed = Survey.objects.filter(round=round_, poverty_class__in=["poor", "near_poor"])
    pairs = listed.values_list("household_id", "commune_id")
    measures["sustainable_employment_share"] = (
        _spread(pairs.filter(Exists(employed)), units, groups),
        _spread(pairs, units, groups),
    )

    values = []
    for code, measure in measures.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        if code.endswith("_share"):
            (num_u, num_g), (den_u, den_g) = measure
            pairs = [("unit", pk, len(num_u.get(pk, ())), len(s)) for pk, s in den_u.items()]
            pairs += [("group", pk, len(num_g.get(pk, ())), len(s)) for pk, s in den_g.items()]
            for kind, pk, n, d in pairs:
                values.append(_value(indicator, round_, kind, pk, n, d, rate(n, d), computed_at))
        else:
            by_unit, by_group = measure
            for kind, table in (("unit", by_unit), ("group", by_group)):
                for pk, items in table.items():
                    n = len(items)
                    values.append(_value(indicator, round_, kind, pk, n, None, n, computed_at))
    values += _staff_trained(indicators.get("staff_trained_share"), round_, units, computed_at)
    IndicatorValue.objects.filter(round=round_, indicator__kind="program").delete()
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return len(values)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _value(indicator, round_, kind, pk, numerator, denominator, value, computed_at):
    return IndicatorValue(
        indicator=indicator,
        round=round_,
        unit_id=pk if kind == "unit" else None,
        group_id=pk if kind == "group" else None,
        numerator=numerator,
        denominator=denominator,
        value=value,
        provisional=round_.is_open,
        computed_at=computed_at,
    )


def _staff_trained(indicator, round_, units, computed_at) -> list[IndicatorValue]:
    """Share of poverty-reduction staff trained this year, for the province and districts."""
    if indicator is None:
        return []
    from projects.rollups import staff_trained

    values = []
    tops = Unit.objects.filter(pk__in=units).exclude(level="commune")
    for unit in tops:
        counts = staff_trained(round_.year, [unit.path])
        if counts["staff"]:
            value = rate(counts["trained"], counts["staff"])
            values.append(
                _value(indicator, round_, "unit", unit.pk, counts["trained"], counts["staff"],
                       value, computed_at)
            )  # fmt: skip
    return values
