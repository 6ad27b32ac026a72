"""Program outputs (projects, models, trainings, employment) as indicator values of a round.

Counted for the round's year on the units valid at the round's date (a project filed on a
pre-reform commune counts in rounds on the old tree only), added up the tree and into groups
(``rollups.owner_pairs``: the same owners as every other value).

- Projects and models are counted once per area even when they span several communes: the
  (project, commune) pairs of the year's approved projects, a few hundred rows.
- The shares (able workers of poor households supported, poor and near-poor households with a
  member in sustainable employment) are sums over communes: one grouped query counts them per
  commune, and a unit or group adds up its communes.
- Staff trained: one query per district and for the province (staff are not households).

Survey saves do not touch these values (their cost must not grow with the province). The
projects app's services call ``program_refresh`` (through ``program_refresh_task``) for the
communes a project, a course or an employment record concerns: it recounts those communes and
re-adds only their lines and groups, the other communes' counts read back from their stored
values. A full recompute (``services.rollup_merge``) recounts everything; the nightly one
brings the shares' denominators up to date with the day's survey saves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, Exists, OuterRef, Q

from areas.models import Unit
from households.models import Member, ReviewRound, Survey

from .models import Indicator, IndicatorValue
from .rollups import NEAR, POOR, owner_pairs
from .rules import rate

DISTINCT = ("projects_approved", "models_built", "models_replicated")  # counted once per owner
SHARES = ("workers_supported_share", "sustainable_employment_share")  # sums over communes
STAFF = "staff_trained_share"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _project_pairs(round_: ReviewRound) -> dict[str, list[tuple[int, int]]]:
    """{measure: [(project id, commune id)]} of the round's year."""
    from projects.choices import ProjectForm
    from projects.models import Project
    from projects.models.project import LOCKED

    links = Project.communes.through.objects.filter(project__status__in=LOCKED)
    year = round_.year
    approved = links.filter(project__decision_date__year=year)
    models = links.filter(project__form=ProjectForm.MODEL, project__starts_on__year=year)
    replicated = models.filter(project__replicated_from__isnull=False)
    return {
        code: list(qs.values_list("project_id", "unit_id"))
        for code, qs in (
            ("projects_approved", approved),
            ("models_built", models),
            ("models_replicated", replicated),
        )
    }


def shares_by_commune(
    round_: ReviewRound, communes: Collection[int] | None = None
) -> dict[str, dict[int, tuple[int, int]]]:
    """{share: {commune id: (numerator, denominator)}} of the round, for some communes or all:
    two grouped queries on the (round, commune, class) index."""
    from projects.choices import CourseKind
    from projects.models import CourseParticipant, EmploymentRecord

    day = round_.reference_date
    where = {} if communes is None else {"household__surveys__commune_id__in": list(communes)}
    # Able workers of poor households (working age on the round's date), and those of them who
    # completed a production-technique or vocational course during the year.
    trained = CourseParticipant.objects.filter(
        member=OuterRef("pk"),
        completed=True,
        course__kind__in=(CourseKind.TECHNIQUE, CourseKind.VOCATIONAL),
        course__ends_on__year=round_.year,
    )
    workers = (
        Member.objects.filter(
            household__surveys__round=round_,
            household__surveys__effective_class=POOR,
            is_current=True,
            birth_date__lte=_years_before(day, 15),
            birth_date__gt=_years_before(day, 60),
            household__no_working_capacity=False,
            **where,
        )
        .order_by()
        .values_list("household__surveys__commune_id")
        .annotate(n=Count("pk", filter=Q(Exists(trained))), d=Count("pk"))
    )
    employed = EmploymentRecord.objects.filter(
        member__household=OuterRef("household_id"), is_sustainable=True, starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    listed = Survey.objects.filter(round=round_, effective_class__in=(POOR, NEAR))
    if communes is not None:
        listed = listed.filter(commune_id__in=list(communes))
    households = (
        listed.order_by()
        .values_list("commune_id")
        .annotate(n=Count("pk", filter=Q(Exists(employed))), d=Count("pk"))
    )
    return {
        "workers_supported_share": {c: (n, d) for c, n, d in workers},
        "sustainable_employment_share": {c: (n, d) for c, n, d in households},
    }


def program_values_store(
    *, round_: ReviewRound, computed_at, communes: Collection[int] | None = None, staff=True
) -> int:
    """Replace the round's program values: of every unit and group (``communes`` None), or of
    the lines and groups of the given communes; ``staff``: the staff-trained share too. Called
    inside a transaction holding the round's row lock."""
    indicators = {i.code: i for i in Indicator.objects.filter(kind="program")}
    if not indicators:
        return 0
    pairs = owner_pairs(round_)
    if communes is not None:
        communes = set(communes)
        wanted = {(kind, owner) for kind, owner, commune in pairs if commune in communes}
        pairs = [p for p in pairs if (p[0], p[1]) in wanted]
    below: dict[tuple[str, int], set[int]] = defaultdict(set)  # owner -> its communes
    for kind, owner, commune in pairs:
        below[(kind, owner)].add(commune)

    values = []
    projects = _project_pairs(round_)
    for code in DISTINCT:
        if code not in indicators:
            continue
        by_commune: dict[int, set[int]] = defaultdict(set)
        for project, commune in projects[code]:
            by_commune[commune].add(project)
        for owner, owner_communes in below.items():
            items = set().union(*(by_commune.get(c, ()) for c in owner_communes))
            if items:
                values.append(_value(indicators[code], round_, owner, len(items), None,
                                     len(items), computed_at))  # fmt: skip

    shares = _shares_with_stored(round_, communes, indicators)
    for code, by_commune in shares.items():
        for owner, owner_communes in below.items():
            n = sum(by_commune.get(c, (0, 0))[0] for c in owner_communes)
            d = sum(by_commune.get(c, (0, 0))[1] for c in owner_communes)
            if d:
                values.append(_value(indicators[code], round_, owner, n, d, rate(n, d),
                                     computed_at))  # fmt: skip

    stale = IndicatorValue.objects.filter(round=round_, indicator__kind="program")
    if communes is not None:
        owners = {"unit": [o for k, o in below if k == "unit"],
                  "group": [o for k, o in below if k == "group"]}  # fmt: skip
        stale = stale.exclude(indicator__code=STAFF).filter(
            Q(unit_id__in=owners["unit"]) | Q(group_id__in=owners["group"])
        )
    if staff and STAFF in indicators:
        stale = stale | IndicatorValue.objects.filter(round=round_, indicator__code=STAFF)
        values += _staff_trained(indicators[STAFF], round_, computed_at)
    stale.delete()
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return len(values)


def _shares_with_stored(round_, communes, indicators) -> dict[str, dict[int, tuple[int, int]]]:
    """Per-commune (numerator, denominator) of the shares: counted afresh for the given communes
    (all when None), read from the stored commune values for the others."""
    fresh = shares_by_commune(round_, communes)
    result = {}
    for code in SHARES:
        if code not in indicators:
            continue
        by_commune = {}
        if communes is not None:
            stored = IndicatorValue.objects.filter(
                round=round_, indicator=indicators[code], unit__level="commune"
            ).exclude(unit_id__in=communes)
            by_commune = {
                unit_id: (int(n), int(d))
                for unit_id, n, d in stored.values_list("unit_id", "numerator", "denominator")
            }
        by_commune.update(fresh[code])
        result[code] = by_commune
    return result


def _value(indicator, round_, owner, numerator, denominator, value, computed_at):
    kind, pk = owner
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


def _staff_trained(indicator, round_, computed_at) -> list[IndicatorValue]:
    """Share of poverty-reduction staff trained this year, for the province and districts."""
    from projects.rollups import staff_trained

    values = []
    tops = Unit.objects.valid_on(round_.reference_date).exclude(level="commune")
    for unit in tops:
        counts = staff_trained(round_.year, [unit.path])
        if counts["staff"]:
            value = rate(counts["trained"], counts["staff"])
            values.append(
                _value(indicator, round_, ("unit", unit.pk), counts["trained"], counts["staff"],
                       value, computed_at)
            )  # fmt: skip
    return values
