"""Program outputs (projects, models, trainings, employment) as indicator values of a round.

Counted for the round's year on the units valid at the round's date, added up the tree and
into groups (``rollups.owner_pairs``: the same owners as every other value). A project filed on a
commune of the other tree is taken through the 2025 crosswalk (``_on_round_tree``): one filed on a
pre-reform commune counts in a new-tree round in the new commune it went into (and in its
former-district group and the province), and the other way round. Trainings count by the
round's entries of the trained members' households, which the crosswalk already moved.

- Projects and models are counted once per area even when they span several communes: the
  (project, commune) pairs of the year's approved projects, a few hundred rows.
- The shares (able workers of poor households supported by a production course, poor and
  near-poor households with a member in sustainable employment) are sums over communes of
  counts kept in the communes' stored totals (``CommuneTotals``: ``workers`` and
  ``workers_supported``, counted by the rollup's parts with the rest of a commune's totals, and
  ``poor_or_near``) and of the employment records (few). Adding them up reads no household, so
  a full recompute's merge costs the same at any province size.
- Staff trained: one query per district and for the province (staff are not households).

Survey saves recompute their commune's totals (workers included) but not these values: their
cost must not grow with the province. The projects app's services call ``program_refresh``
(through ``program_refresh_task``) for the communes a project, a course or an employment record
concerns: it recounts those communes' workers and rewrites the program values of their lines and
groups only. A full recompute (``services.rollup_merge``) rewrites them all; the nightly one
brings the shares up to date with the day's survey saves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, Q
from django.utils.module_loading import import_string

from areas.models import Unit
from households.models import ReviewRound, Survey

from .models import CommuneTotals, Indicator, IndicatorValue
from .rollups import NEAR, POOR, owner_pairs, workers_by_commune
from .rules import rate

DISTINCT = ("projects_approved", "models_built", "models_replicated")  # counted once per owner
STAFF = "staff_trained_share"
# Other apps' measures per commune, as dotted paths of functions
#   f(round_, communes: set[int], totals: {commune id: CommuneTotals.data})
#       -> {indicator code: {commune id: (numerator, denominator or None)}}
# added up over each owner's communes like the shares below: a None denominator makes a count
# (the value is the summed numerator), otherwise a rate (summed numerator ÷ summed denominator).
# Each function reads its own few rows (assignments, funds, visits …), never a pass over the
# round's households; its app calls ``indicators.services.program_changed`` after a change.
COMMUNE_MEASURES: tuple[str, ...] = (
    "support.measures.support_measures",
    "finance.measures.commune_funds",
    "monitoring.indicators.commune_measures",
    "contributions.measures.commune_contributions",
    "communication.measures.commune_measures",
    "labour.measures.labour_measures",
)


def _project_pairs(round_: ReviewRound) -> dict[str, list[tuple[int, int]]]:
    """{measure: [(project id, commune id)]} of the round's year, the communes being those of
    the round's tree (``_on_round_tree``)."""
    from projects.choices import ProjectForm
    from projects.models import Project
    from projects.models.project import LOCKED

    links = Project.communes.through.objects.filter(project__status__in=LOCKED)
    year = round_.year
    approved = links.filter(project__decision_date__year=year)
    models = links.filter(project__form=ProjectForm.MODEL, project__starts_on__year=year)
    replicated = models.filter(project__replicated_from__isnull=False)
    return {
        code: _on_round_tree(qs, round_.reference_date)
        for code, qs in (
            ("projects_approved", approved),
            ("models_built", models),
            ("models_replicated", replicated),
        )
    }


def _on_round_tree(links, day) -> list[tuple[int, int]]:
    """(project id, commune id) of project-commune links, with each commune taken onto the tree
    valid at ``day`` through the 2025 crosswalk (``UnitSuccession``): a project filed on a
    pre-reform commune counts in the new commune(s) it went into, a project filed on a new
    commune in the old communes it was made from. One SQL statement (a UNION of three joins)."""
    valid = Q(unit__valid_from__lte=day) & (
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day)
    )
    same = links.filter(valid).values_list("project_id", "unit_id")
    forward = (
        links.filter(unit__valid_to__lt=day)
        .filter(unit__successions__new__valid_from__lte=day)
        .filter(
            Q(unit__successions__new__valid_to__isnull=True)
            | Q(unit__successions__new__valid_to__gte=day)
        )
        .values_list("project_id", "unit__successions__new_id")
    )
    backward = (
        links.filter(unit__valid_from__gt=day)
        .filter(unit__predecessions__old__valid_from__lte=day)
        .filter(
            Q(unit__predecessions__old__valid_to__isnull=True)
            | Q(unit__predecessions__old__valid_to__gte=day)
        )
        .values_list("project_id", "unit__predecessions__old_id")
    )
    return list(same.order_by().union(forward.order_by(), backward.order_by()))


def employed_by_commune(round_: ReviewRound, communes: Collection[int]) -> dict[int, int]:
    """{commune id: poor and near-poor households with a member in sustainable employment on
    the round's date}, from the employment records (few): no pass over the round's households."""
    from projects.models import EmploymentRecord

    day = round_.reference_date
    employed = (
        EmploymentRecord.objects.filter(is_sustainable=True, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values("member__household_id")
    )
    return dict(
        Survey.objects.filter(
            round=round_,
            commune_id__in=list(communes),
            effective_class__in=(POOR, NEAR),
            household_id__in=employed,
        )
        .order_by()
        .values_list("commune_id")
        .annotate(n=Count("pk"))
    )


def commune_workers_store(round_: ReviewRound, communes: Collection[int]) -> None:
    """Recount the workers of these communes' stored totals (after a course's completions
    changed: the other totals only change with the entries). Inside the round's lock."""
    fresh = workers_by_commune(round_, communes)
    rows = list(CommuneTotals.objects.filter(round=round_, commune_id__in=list(communes)))
    for row in rows:
        supported, workers = fresh.get(row.commune_id, (0, 0))
        row.data = row.data | {"workers": workers, "workers_supported": supported}
    CommuneTotals.objects.bulk_update(rows, ["data"])


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
    every_commune = {commune for kind, _owner, commune in pairs if kind == "unit"}
    totals = dict(
        CommuneTotals.objects.filter(round=round_, commune_id__in=list(every_commune)).values_list(
            "commune_id", "data"
        )
    )
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

    employed = employed_by_commune(round_, every_commune)
    shares = {  # {code: {commune: (numerator, denominator)}}
        "workers_supported_share": {
            c: (data.get("workers_supported", 0), data.get("workers", 0))
            for c, data in totals.items()
        },
        "sustainable_employment_share": {
            c: (employed.get(c, 0), data.get("poor_or_near", 0)) for c, data in totals.items()
        },
    }
    for path in COMMUNE_MEASURES:
        shares |= import_string(path)(round_, every_commune, totals)
    shares = {code: by_commune for code, by_commune in shares.items() if code in indicators}
    for code, by_commune in shares.items():
        counts = any(d is None for _n, d in by_commune.values())
        for owner, owner_communes in below.items():
            n = sum(by_commune.get(c, (0, 0))[0] for c in owner_communes)
            if counts:
                if n:
                    values.append(_value(indicators[code], round_, owner, n, None, n,
                                         computed_at))  # fmt: skip
                continue
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
