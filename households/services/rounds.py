"""Opening and closing review rounds, and building a periodic round's list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from areas.models import Unit
from areas.scope import Capability, user_scope

from ..choices import Arrival, EntryBasis
from ..models import (
    Household,
    HouseholdStatus,
    ReviewRound,
    RoundKind,
    RoundStatus,
    Survey,
    SurveyStatus,
)
from ..rules import transition
from ..standards import PovertyClass, standard_for_year
from ..timetable import STEPS, default_dues, timetable_errors
from .common import (
    BATCH,
    ON_LIST,
    _require,
    _require_unlocked,
    _results_changed,
)
from .households import arrival_entry


@transaction.atomic
def round_open(
    *,
    by,
    year: int,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    standard: str = "",
    standard_reason: str = "",
    commune_due: dt.date | None = None,
    district_due: dt.date | None = None,
    province_due: dt.date | None = None,
) -> ReviewRound:
    """Open a review round. A periodic round puts every active household on its list.

    The standard follows the review year (standards.standard_for_year); an administrator may
    apply another one only with a reason, which stays on the round. A due date left out takes
    its default (households.timetable.default_dues).
    """
    if not user_scope(by).can(Capability.ADMINISTER):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if kind == RoundKind.PERIODIC and ReviewRound.objects.filter(kind=kind, year=year).exists():
        raise ValidationError(
            {"year": _("Năm %(year)s đã có đợt rà soát định kỳ.") % {"year": year}}
        )
    if ReviewRound.objects.filter(status=RoundStatus.OPEN, kind=kind).exists():
        raise ValidationError(_("Đang có một đợt rà soát cùng loại chưa đóng."))
    try:
        in_force = standard_for_year(year).code
    except LookupError:
        in_force = ""
    if not standard and not in_force:
        raise ValidationError(
            {"year": _("Không có chuẩn nghèo áp dụng cho năm %(year)s.") % {"year": year}}
        )
    standard = standard or in_force
    standard_reason = standard_reason.strip() if standard != in_force else ""
    if standard != in_force and not standard_reason:
        raise ValidationError(
            {
                "standard_reason": _(
                    "Chuẩn nghèo áp dụng cho rà soát năm %(year)s là %(standard)s: ghi lý do "
                    "nếu áp dụng chuẩn khác."
                )
                % {"year": year, "standard": in_force or "—"}
            }
        )
    given = {"commune_due": commune_due, "district_due": district_due, "province_due": province_due}
    dues = {
        step: given[step] or default
        for step, default in default_dues(kind, starts_on, ends_on).items()
    }
    errors = timetable_errors(starts_on=starts_on, ends_on=ends_on, **dues)
    if errors:
        raise ValidationError(errors)
    round_ = ReviewRound.objects.create(
        year=year,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        standard=standard,
        standard_reason=standard_reason,
        **dues,
    )
    if kind == RoundKind.PERIODIC:
        round_list_generate(round_)
        from indicators.services import rollup_start

        rollup_start(round_=round_, by=by)
    return round_


def round_list_generate(round_: ReviewRound) -> int:
    """Give every active household an entry in a periodic round, set-based and in batches.

    Households that were poor or near-poor in their latest entry, or asked to be reviewed, are
    ``pending``; the others keep their class (``carried_over``). Households whose commune no
    longer exists at the round's date move to its successor first (the 2025 reform).
    """
    households_apply_crosswalk(round_.reference_date)
    previous_round = (
        ReviewRound.objects.filter(kind=RoundKind.PERIODIC, starts_on__lt=round_.starts_on)
        .order_by("-starts_on")
        .first()
    )
    # The previous class (for transitions) comes from the previous periodic round; a monthly
    # (regular) review since then can still put a household on the list.
    since = previous_round.starts_on if previous_round else None
    previous = _classes(Survey.objects.filter(round=previous_round)) if previous_round else {}
    latest = dict(previous)
    regular = Survey.objects.filter(
        round__kind=RoundKind.REGULAR, round__starts_on__lt=round_.starts_on
    )
    if since:
        regular = regular.filter(round__starts_on__gt=since)
    latest.update(_classes(regular))
    created = 0
    batch: list[Survey] = []
    rows = (
        Household.objects.filter(status=HouseholdStatus.ACTIVE)
        .annotate(persons=Count("members", filter=Q(members__is_current=True)))
        .values_list(
            "pk", "commune_id", "requested_review", "is_ethnic_minority", "commune__is_urban",
            "persons",
        )
        .iterator(chunk_size=BATCH)
    )  # fmt: skip
    for pk, commune_id, requested, minority, urban, persons in rows:
        entry = list_entry(
            last=latest.get(pk),
            before=previous.get(pk),
            requested=requested,
            persons=persons,
            is_ethnic_minority=minority,
            is_urban=urban,
        )
        batch.append(Survey(household_id=pk, round=round_, commune_id=commune_id, **entry))
        if len(batch) >= BATCH:
            bulk_create_with_history(batch, Survey, batch_size=BATCH)
            created += len(batch)
            batch = []
    bulk_create_with_history(batch, Survey, batch_size=BATCH)
    return created + len(batch)


def list_entry(
    *,
    last: str | None,
    before: str | None,
    requested: bool,
    persons: int,
    is_ethnic_minority: bool,
    is_urban: bool,
) -> dict[str, Any]:
    """The fields of a household's entry on a periodic round's list (pure: values in, values out).

    ``last``: the class of its latest entry (a regular review since the previous periodic round
    included); ``before``: its class in the previous periodic round; ``persons``: its current
    members. The demo generator (demodata) builds its entries with this same function.
    """
    review = requested or last in ON_LIST or last is None
    # The average-living class is recognised for a round, on the household's request
    # (services.average): it is not carried over; an approved request of this round restores it.
    carried = PovertyClass.NONE.value if last == PovertyClass.AVERAGE.value else last
    return {
        "status": SurveyStatus.PENDING if review else SurveyStatus.CARRIED_OVER,
        "poverty_class": "" if review else carried,
        "previous_class": before or "",
        "transition": "" if review else _carried(carried, before),
        "is_ethnic_minority": is_ethnic_minority,
        "is_urban": is_urban,
        "member_count": persons,
    }


ENTRY_BASES = (*EntryBasis.values, *Arrival.values)


@transaction.atomic
def round_household_add(
    *, by, round_: ReviewRound, household: Household, basis: str, note: str = ""
) -> Survey:
    """Put one active household of the officer's commune on an open regular round's list.

    ``basis``: the household's request or the officer's choice (``EntryBasis``), or an arrival
    (``Arrival``: new, moved in, split, merged). The entry is the one the other services write:
    an arrival's is ``arrival_entry`` (as ``household_create``), the others ``list_entry`` with
    the request set (the household is on the list to be reviewed) and its latest class before
    the round (a regular review compares with the latest entry, ``rules.transitions_across_
    rounds``). The basis and the note go on the entry's history row (its change reason) with
    the officer, since an entry has no note of its own; an arrival is also in ``arrival``.
    """
    commune = household.commune
    _require(by, commune, Capability.ENTER)
    if basis not in ENTRY_BASES:
        raise ValidationError({"basis": _("Chọn căn cứ đưa hộ vào danh sách.")})
    refusal = round_entry_refusal(round_)
    if refusal:
        raise ValidationError(refusal)
    _require_unlocked(round_, commune)  # the commune's results sent or accepted
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(_("Hộ %(code)s không còn cư trú.") % {"code": household.code})
    if not commune.is_valid_on(round_.reference_date):
        raise ValidationError(
            _("Xã của hộ %(code)s không còn hiệu lực ở ngày bắt đầu đợt.")
            % {"code": household.code}
        )
    entries = Survey.objects.filter(household=household)
    if entries.filter(round=round_).exists():
        raise ValidationError(
            _("Hộ %(code)s đã có trong danh sách đợt này.") % {"code": household.code}
        )
    other = entries.filter(round__status=RoundStatus.OPEN).select_related("round").first()
    if other is not None:
        # One open entry per household: a move or a survey acts on that entry.
        raise ValidationError(
            _(
                "Hộ %(code)s đang có trong danh sách %(round)s (đợt đang mở): rà soát hộ trong "
                "đợt đó."
            )
            % {"code": household.code, "round": other.round}
        )
    persons = household.members.filter(is_current=True).count()
    if basis in Arrival.values:
        fields = arrival_entry(
            arrival=basis,
            persons=persons,
            is_ethnic_minority=household.is_ethnic_minority,
            is_urban=commune.is_urban,
        )
    else:
        latest = (
            entries.filter(round__starts_on__lt=round_.starts_on)
            .exclude(poverty_class="")
            .order_by("-round__starts_on")
            .values_list("poverty_class", flat=True)
            .first()
        )
        fields = list_entry(
            last=latest,
            before=latest,
            requested=True,
            persons=persons,
            is_ethnic_minority=household.is_ethnic_minority,
            is_urban=commune.is_urban,
        )
    survey = Survey(household=household, round=round_, commune=commune, **fields)
    label = dict(EntryBasis.choices) | dict(Arrival.choices)
    survey._change_reason = entry_reason(str(label[basis]), note)
    survey._history_user = by
    survey.save()
    _results_changed(round_, commune)
    return survey


def round_entry_refusal(round_: ReviewRound) -> str:
    """Why no household can be put on this round's list by hand ("" when they can)."""
    if round_.kind != RoundKind.REGULAR:
        return _(
            "Danh sách của đợt rà soát định kỳ do hệ thống lập khi mở đợt (hộ mới đăng ký được "
            "thêm tự động): không thêm hộ bằng tay."
        )
    if not round_.is_open:
        return _("Đợt rà soát %(round)s đã đóng.") % {"round": round_}
    return ""


NOTE_MAX = 60


def entry_reason(basis_label: str, note: str) -> str:
    """The change reason of the entry's history row (100 characters): basis, then the note."""
    note = " ".join(note.split())[:NOTE_MAX]
    return f"{basis_label}: {note}"[:100] if note else basis_label[:100]


def _carried(current: str, previous: str | None) -> str:
    # Neither poor nor near-poor now, so the ever-poor history does not matter.
    return transition(
        current=PovertyClass(current),
        previous=PovertyClass(previous) if previous else None,
        ever_poor_before=False,
        ever_near_poor_before=False,
    ).value


def _classes(surveys) -> dict[int, str]:
    """{household_id: class} of surveyed or carried-over entries, the latest round last."""
    rows = (
        surveys.exclude(poverty_class="")
        .order_by("round__starts_on")
        .values_list("household_id", "poverty_class")
        .iterator(chunk_size=BATCH)
    )
    return dict(rows)


def households_apply_crosswalk(day: dt.date) -> int:
    """Move households whose commune expired before ``day`` to its successor (crosswalk).

    An old commune split between several new ones (only Xã Trà Bùi in 2025) sends its households
    to the successor with the lowest code; officers correct individual households with a move.
    """
    from areas.models import UnitSuccession

    expired = Unit.objects.filter(valid_to__lt=day, households__isnull=False).distinct()
    moved = 0
    for old in expired:
        successor = (
            UnitSuccession.objects.filter(old=old, new__valid_from__lte=day)
            .order_by("new__code")
            .values_list("new_id", flat=True)
            .first()
        )
        if successor:
            moved += Household.objects.filter(commune=old).update(commune_id=successor)
    return moved


@transaction.atomic
def round_timetable_set(
    *,
    by,
    round_: ReviewRound,
    commune_due: dt.date,
    district_due: dt.date,
    province_due: dt.date,
) -> ReviewRound:
    """Change the due dates of an open round (administrators); they stay in order inside it."""
    if not user_scope(by).can(Capability.ADMINISTER):
        raise PermissionDenied
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát đã đóng: không thể đổi thời hạn."))
    dues = {"commune_due": commune_due, "district_due": district_due, "province_due": province_due}
    errors = timetable_errors(starts_on=round_.starts_on, ends_on=round_.ends_on, **dues)
    if errors:
        raise ValidationError(errors)
    for step in STEPS:
        setattr(round_, step, dues[step])
    round_.save(update_fields=list(STEPS))
    return round_


@transaction.atomic
def round_close(*, by, round_: ReviewRound) -> ReviewRound:
    if not user_scope(by).can(Capability.ADMINISTER):
        raise PermissionDenied
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát đã đóng."))
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save()
    return round_
