"""Every write to households, surveys, rounds and commune submissions.

Services check the caller's scope themselves (views, imports and commands all come through
here), run in one transaction, and raise ``ValidationError`` with Vietnamese messages for the
user, ``PermissionDenied`` for someone acting outside their scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from areas.models import Unit
from areas.scope import Capability, user_scope
from areas.text import fold

from . import facts as F_
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
from .rules import transition
from .standards import PovertyClass, standard_for_year

POOR, NEAR = PovertyClass.POOR.value, PovertyClass.NEAR_POOR.value
ON_LIST = (POOR, NEAR)  # classes that put a household on next round's review list
BATCH = 5000


class ConcurrentEdit(ValidationError):
    """The record changed since the form was loaded (another tab or another officer)."""


def _require(user, commune: Unit, capability: str, day: dt.date | None = None) -> None:
    if not user_scope(user, day).covers(commune, capability):
        raise PermissionDenied


def _results_changed(round_: ReviewRound, commune: Unit) -> None:
    """After commit, recompute the indicators of this commune's line (indicators app)."""
    from indicators.tasks import rollup_commune_task

    transaction.on_commit(lambda: rollup_commune_task.delay(round_.pk, commune.pk))


def _require_unlocked(round_: ReviewRound, commune: Unit) -> None:
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát %(round)s đã đóng.") % {"round": round_})
    sub = CommuneSubmission.objects.filter(round=round_, commune=commune).first()
    if sub and sub.is_locked:
        raise ValidationError(
            _(
                "Kết quả rà soát của %(commune)s đã được gửi hoặc tiếp nhận: không thể sửa cho "
                "đến khi cán bộ huyện trả lại hoặc mở lại."
            )
            % {"commune": commune.label}
        )


# --- households and members -----------------------------------------------------------------


def _sync_head(household: Household, members: Iterable[Mapping[str, Any]]) -> None:
    head = next((m for m in members if m.get("relation") == "head"), None)
    if head is None:
        raise ValidationError(_("Hộ phải có một thành viên là chủ hộ."))
    household.head_name = head["full_name"]
    household.head_name_folded = fold(head["full_name"])
    household.is_ethnic_minority = head.get("ethnicity", "kinh") != "kinh"


def _check_members(members: list[Mapping[str, Any]], on: dt.date, exclude_household=None):
    if not members:
        raise ValidationError(_("Hộ phải có ít nhất một thành viên."))
    if sum(1 for m in members if m.get("relation") == "head") != 1:
        raise ValidationError(_("Hộ phải có đúng một chủ hộ."))
    ids = [m["citizen_id"] for m in members if m.get("citizen_id")]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("Hai thành viên trong hộ không thể có cùng số định danh."))
    if ids:
        clash = Member.objects.filter(citizen_id__in=ids, is_current=True)
        if exclude_household is not None:
            clash = clash.exclude(household=exclude_household)
        taken = clash.values_list("citizen_id", flat=True).first()
        if taken:
            raise ValidationError(
                _("Số định danh %(id)s đã thuộc về một người ở hộ khác.") % {"id": taken}
            )


def _save_members(household: Household, members: list[Mapping[str, Any]]) -> None:
    """Create, update, and retire members: rows missing from ``members`` stop counting."""
    keep = []
    fields = [f for f in MEMBER_MODEL_FIELDS if f != "id"]
    current = {m.pk: m for m in household.members.filter(is_current=True)}
    for data in members:
        values = {f: data[f] for f in fields if f in data}
        member_id = data.get("id")
        if member_id:
            member = current.get(member_id)
            if member is None:
                raise ValidationError(_("Thành viên không thuộc hộ này."))
            if any(getattr(member, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(member, f, v)
                member.save()  # a history row only when something changed
        else:
            member = Member.objects.create(household=household, **values)
        keep.append(member.pk)
    for gone in household.members.filter(is_current=True).exclude(pk__in=keep):
        gone.is_current = False
        gone.save()


MEMBER_MODEL_FIELDS = (
    "id",
    "full_name",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "citizen_id",
    "has_health_insurance",
    "schooling",
    "education_level",
    "employment",
    "is_disabled",
    "has_monthly_social_allowance",
    "nutrition",
)


@transaction.atomic
def household_create(
    *,
    by,
    commune: Unit,
    code: str,
    village: str,
    members: list[Mapping[str, Any]],
    arrival: str = "new",
    **flags: Any,
) -> Household:
    """Register a household; when a round is open it joins that round's list as an arrival."""
    _require(by, commune, Capability.ENTER)
    today = timezone.localdate()
    _check_members(members, today)
    if Household.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã hộ %(code)s đã tồn tại.") % {"code": code}})
    household = Household(commune=commune, code=code, village=village, **flags)
    _sync_head(household, members)
    household.save()
    _save_members(household, members)
    round_ = ReviewRound.objects.filter(status=RoundStatus.OPEN, kind=RoundKind.PERIODIC).first()
    if round_ and commune.is_valid_on(round_.reference_date):
        _require_unlocked(round_, commune)
        Survey.objects.create(
            household=household,
            round=round_,
            commune=commune,
            arrival=arrival,
            status=SurveyStatus.PENDING,
            is_ethnic_minority=household.is_ethnic_minority,
            is_urban=commune.is_urban,
            member_count=len(members),
        )
        _results_changed(round_, commune)
    return household


# --- surveys ----------------------------------------------------------------------------------


@transaction.atomic
def survey_save(
    *,
    by,
    survey: Survey,
    expected_version: int,
    household_data: Mapping[str, Any],
    members: list[Mapping[str, Any]],
    survey_data: Mapping[str, Any],
) -> Survey:
    """Save a survey with its household's members, classify it, and refresh transitions.

    ``expected_version`` is the version the form was loaded with: if anyone saved in between,
    the save is refused (``ConcurrentEdit``) instead of overwriting their work.
    """
    round_ = survey.round
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    bumped = Survey.objects.filter(pk=survey.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise ConcurrentEdit(
            _(
                "Phiếu này vừa được người khác (hoặc ở thẻ khác) lưu. Tải lại trang để xem bản "
                "mới nhất rồi nhập lại thay đổi của bạn."
            )
        )
    survey.refresh_from_db()
    household = Household.objects.select_for_update().get(pk=survey.household_id)
    on = round_.reference_date
    _check_members(members, on, exclude_household=household)
    for field, value in household_data.items():
        setattr(household, field, value)
    _sync_head(household, members)
    household.version += 1
    household.save()
    _save_members(household, members)

    evaluated = F_.assess(
        members=members,
        survey=survey_data,
        on=on,
        is_urban=survey.commune.is_urban,
        is_farm_household=household.is_farm_household,
        standard=round_.get_standard(),
    )
    for field, value in survey_data.items():
        setattr(survey, field, value)
    result = evaluated.assessment
    survey.income_per_person = evaluated.income_per_person
    survey.status = SurveyStatus.SURVEYED
    survey.is_urban = survey.commune.is_urban
    survey.is_ethnic_minority = household.is_ethnic_minority
    survey.member_count = len(members)
    survey.members_snapshot = F_.snapshot(members, on)
    survey.deprived_count = result.deprived_count
    survey.b2_score = result.b2_score
    survey.poverty_class = result.poverty_class.value
    survey.surveyed_by = by
    survey.surveyed_at = timezone.now()
    survey.save()
    survey.deprivations.all().delete()
    SurveyDeprivation.objects.bulk_create(
        SurveyDeprivation(
            survey=survey,
            indicator=r.indicator.code,
            reasons=[to_json(reason) for reason in r.reasons],
        )
        for r in result.results
        if r.deprived
    )
    household_transitions_refresh(household)
    survey.refresh_from_db()
    _results_changed(round_, survey.commune)
    return survey


@transaction.atomic
def household_exclude(
    *, by, survey: Survey, reason: str, note: str = "", leaves_registry: bool = True
) -> Exclusion:
    """Take a household off its commune's list this round ("giảm khác" when poor/near-poor)."""
    round_ = survey.round
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    if not reason:
        raise ValidationError({"reason": _("Chọn lý do đưa hộ ra khỏi danh sách.")})
    household = survey.household
    exclusion = Exclusion.objects.create(
        household=household,
        round=round_,
        commune=survey.commune,
        reason=reason,
        note=note,
        member_count=household.members.filter(is_current=True).count(),
        created_by=by,
    )
    survey.delete()
    if leaves_registry:
        household.status = HouseholdStatus.REMOVED
        household.requested_review = False
        household.save()
    household_transitions_refresh(household)
    exclusion.refresh_from_db()
    _results_changed(round_, exclusion.commune)
    return exclusion


@transaction.atomic
def household_move(*, by, household: Household, to_commune: Unit, village: str) -> Household:
    """Move a household to another commune of the province, keeping its history.

    In an open round it leaves the old commune's list (an exclusion, "giảm khác") and joins the
    new one's as an arrival ("tăng khác"), so both communes' balances hold.
    """
    old = household.commune
    _require(by, old, Capability.ENTER)
    _require(by, to_commune, Capability.SEE)
    if to_commune.level != "commune" or not to_commune.is_valid_on(timezone.localdate()):
        raise ValidationError({"to_commune": _("Chọn một xã đang có hiệu lực.")})
    if to_commune.pk == old.pk:
        raise ValidationError({"to_commune": _("Hộ đã ở xã này.")})
    survey = Survey.objects.filter(household=household, round__status=RoundStatus.OPEN).first()
    if survey:
        _require_unlocked(survey.round, old)
        _require_unlocked(survey.round, to_commune)
        Exclusion.objects.create(
            household=household,
            round=survey.round,
            commune=old,
            reason="moved_out",
            note=_("Chuyển đến %(commune)s") % {"commune": to_commune.label},
            member_count=household.members.filter(is_current=True).count(),
            created_by=by,
        )
        survey.commune = to_commune
        survey.arrival = "moved_in"
        survey.is_urban = to_commune.is_urban
        survey.save()
    household.commune = to_commune
    household.village = village
    household.version += 1
    household.save()
    household_transitions_refresh(household)
    if survey:
        _results_changed(survey.round, old)
        _results_changed(survey.round, to_commune)
    return household


def household_transitions_refresh(household: Household) -> None:
    """Recompute previous class and transition of every entry of one household.

    Entries are its surveys and exclusions in round order. A periodic round compares with the
    previous periodic round; a regular (monthly) review with the latest entry before it.
    Cheap: a household has one entry a round.
    """
    surveys = list(
        Survey.objects.filter(household=household)
        .select_related("round")
        .order_by("round__starts_on")
    )
    exclusions = list(Exclusion.objects.filter(household=household).select_related("round"))
    by_round: dict[int, Survey] = {s.round_id: s for s in surveys}
    rounds = sorted(
        {s.round for s in surveys} | {e.round for e in exclusions}, key=lambda r: r.starts_on
    )
    history: list[tuple[ReviewRound, str]] = []  # (round, class) of counted surveys so far
    for round_ in rounds:
        if round_.kind == RoundKind.PERIODIC:
            earlier = [(r, c) for r, c in history if r.kind == RoundKind.PERIODIC]
        else:
            earlier = history
        previous = earlier[-1][1] if earlier else None
        before = [c for _, c in earlier[:-1]]
        ever_poor, ever_near = POOR in before, NEAR in before
        for exclusion in (e for e in exclusions if e.round_id == round_.pk):
            _set(
                exclusion,
                previous_class=previous or "",
                transition=transition(
                    current=None,
                    previous=PovertyClass(previous) if previous else PovertyClass.NONE,
                    ever_poor_before=ever_poor,
                    ever_near_poor_before=ever_near,
                ).value,
            )
        survey = by_round.get(round_.pk)
        if survey is None or not survey.poverty_class:
            continue
        arrived = bool(survey.arrival)
        _set(
            survey,
            previous_class="" if arrived else (previous or ""),
            transition=transition(
                current=PovertyClass(survey.poverty_class),
                previous=None if arrived else (PovertyClass(previous) if previous else None),
                ever_poor_before=ever_poor,
                ever_near_poor_before=ever_near,
                arrived=arrived,
            ).value,
        )
        history.append((round_, survey.poverty_class))


def _set(obj, **values) -> None:
    if any(getattr(obj, k) != v for k, v in values.items()):
        type(obj).objects.filter(pk=obj.pk).update(**values)
        for k, v in values.items():
            setattr(obj, k, v)


# --- rounds -------------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, by, year: int, kind: str, starts_on: dt.date, ends_on: dt.date, standard: str = ""
) -> ReviewRound:
    """Open a review round. A periodic round puts every active household on its list."""
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
        standard = standard or standard_for_year(year).code
    except LookupError as exc:
        raise ValidationError(
            {"year": _("Không có chuẩn nghèo áp dụng cho năm %(year)s.") % {"year": year}}
        ) from exc
    round_ = ReviewRound.objects.create(
        year=year, kind=kind, starts_on=starts_on, ends_on=ends_on, standard=standard
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
        last, before = latest.get(pk), previous.get(pk)
        review = requested or last in ON_LIST or last is None
        batch.append(
            Survey(
                household_id=pk,
                round=round_,
                commune_id=commune_id,
                status=SurveyStatus.PENDING if review else SurveyStatus.CARRIED_OVER,
                poverty_class="" if review else last,
                previous_class=before or "",
                transition="" if review else _carried(last, before),
                is_ethnic_minority=minority,
                is_urban=urban,
                member_count=persons,
            )
        )
        if len(batch) >= BATCH:
            bulk_create_with_history(batch, Survey, batch_size=BATCH)
            created += len(batch)
            batch = []
    bulk_create_with_history(batch, Survey, batch_size=BATCH)
    return created + len(batch)


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
def round_close(*, by, round_: ReviewRound) -> ReviewRound:
    if not user_scope(by).can(Capability.ADMINISTER):
        raise PermissionDenied
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát đã đóng."))
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save()
    return round_


# --- commune submission ---------------------------------------------------------------------------


def _submission(round_: ReviewRound, commune: Unit) -> CommuneSubmission:
    sub, _created = CommuneSubmission.objects.select_for_update().get_or_create(
        round=round_, commune=commune
    )
    return sub


def _event(sub: CommuneSubmission, action: str, by, comment: str, status: str):
    sub.status = status
    sub.save()
    SubmissionEvent.objects.create(submission=sub, action=action, by=by, comment=comment)
    _results_changed(sub.round, sub.commune)  # provisional vs official figures
    return sub


@transaction.atomic
def commune_submit(*, by, round_: ReviewRound, commune: Unit, comment: str = ""):
    _require(by, commune, Capability.ENTER)
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát đã đóng."))
    sub = _submission(round_, commune)
    if sub.status not in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED):
        raise ValidationError(_("Kết quả của xã đã được gửi."))
    pending = Survey.objects.filter(
        round=round_, commune=commune, status=SurveyStatus.PENDING
    ).count()
    if pending:
        raise ValidationError(
            _(
                "Còn %(n)s hộ trong danh sách chưa có phiếu rà soát hoặc lý do đưa ra khỏi danh "
                "sách."
            )
            % {"n": pending}
        )
    return _event(sub, SubmissionAction.SUBMIT, by, comment, SubmissionStatus.SUBMITTED)


def _review(by, sub: CommuneSubmission, expected: str, action: str, status: str, comment: str):
    _require(by, sub.commune, Capability.REVIEW)
    sub = CommuneSubmission.objects.select_for_update().get(pk=sub.pk)
    if sub.status != expected:
        raise ValidationError(
            _("Không thể thực hiện: kết quả đang ở trạng thái “%(status)s”.")
            % {"status": sub.get_status_display()}
        )
    return _event(sub, action, by, comment, status)


@transaction.atomic
def commune_accept(*, by, submission: CommuneSubmission, comment: str = ""):
    return _review(
        by, submission, SubmissionStatus.SUBMITTED, SubmissionAction.ACCEPT,
        SubmissionStatus.ACCEPTED, comment,
    )  # fmt: skip


@transaction.atomic
def commune_return(*, by, submission: CommuneSubmission, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": _("Ghi rõ lý do trả lại để xã biết cần sửa gì.")})
    return _review(
        by, submission, SubmissionStatus.SUBMITTED, SubmissionAction.RETURN,
        SubmissionStatus.RETURNED, comment,
    )  # fmt: skip


@transaction.atomic
def commune_reopen(*, by, submission: CommuneSubmission, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": _("Ghi rõ lý do mở lại kết quả đã tiếp nhận.")})
    return _review(
        by, submission, SubmissionStatus.ACCEPTED, SubmissionAction.REOPEN,
        SubmissionStatus.OPEN, comment,
    )  # fmt: skip


def submission_for(round_: ReviewRound, commune: Unit) -> CommuneSubmission | None:
    return CommuneSubmission.objects.filter(round=round_, commune=commune).first()


__all__ = [
    "ConcurrentEdit",
    "commune_accept",
    "commune_reopen",
    "commune_return",
    "commune_submit",
    "household_create",
    "household_exclude",
    "household_move",
    "household_transitions_refresh",
    "households_apply_crosswalk",
    "round_close",
    "round_list_generate",
    "round_open",
    "survey_save",
]
