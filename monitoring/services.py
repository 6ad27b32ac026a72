"""Writes of the monitoring app: visits, recommendations, follow-ups, files. Every rule of the
app is here, once; the pages and the demo data call these functions.

Who (docs/monitoring.md):
- a visit is recorded and changed by users with REVIEW over every commune of the visit (its
  communes and those of its projects): district staff of the group, administrators; they add
  the recommendations and the files;
- the responsible commune's officer (ENTER) adds follow-up notes and reports a recommendation
  done (with a note); district staff (REVIEW over that commune) add notes, confirm it done
  (from any state: they may have checked it themselves) or reopen it with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit
from areas.scope import Capability, reached, user_reach
from indicators.services import program_changed
from projects.models import Project

from .models import (
    NOT_DONE,
    FollowUp,
    Recommendation,
    RecommendationStatus,
    Visit,
    VisitFile,
    VisitKind,
    VisitStatus,
)
from .selectors import recommendation_can, visit_can_manage, visit_units

Status = RecommendationStatus


def _units_of(communes: Iterable[Unit], projects: Iterable[Project]) -> list[Unit]:
    units = {u.pk: u for u in communes}
    for project in projects:
        for unit in project.communes.all():
            units[unit.pk] = unit
    return list(units.values())


def _require_review(by, communes, projects, held_on: dt.date) -> None:
    for commune in communes:
        if commune.level != Level.COMMUNE:
            raise PermissionDenied
    units = _units_of(communes, projects)
    if not units or not reached(user_reach(by), Capability.REVIEW, units, held_on, every=True):
        raise PermissionDenied


def _check_visit(kind: str, held_on, communes, projects, organiser: str, team: str) -> None:
    errors = {}
    if kind not in VisitKind.values:
        errors["kind"] = _("Chọn hình thức: thanh tra, kiểm tra, giám sát hoặc giám sát cộng đồng.")
    if not communes and not projects:
        errors["communes"] = _("Chọn ít nhất một xã hoặc một dự án được kiểm tra, giám sát.")
    if not (organiser or "").strip():
        errors["organiser"] = _("Nhập cơ quan tổ chức.")
    if not (team or "").strip():
        errors["team"] = _("Nhập thành phần đoàn.")
    if held_on is None:
        errors["held_on"] = _("Nhập ngày kiểm tra, giám sát.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_create(
    *,
    by,
    kind: str,
    held_on: dt.date,
    organiser: str,
    team: str,
    lead: str = "",
    communes: Iterable[Unit] = (),
    projects: Iterable[Project] = (),
    findings: str = "",
    status: str = VisitStatus.DRAFT,
) -> Visit:
    communes, projects = list(communes), list(projects)
    _check_visit(kind, held_on, communes, projects, organiser, team)
    _require_review(by, communes, projects, held_on)
    visit = Visit.objects.create(
        kind=kind,
        held_on=held_on,
        organiser=organiser.strip(),
        team=team.strip(),
        lead=lead.strip(),
        findings=findings,
        status=status if status in VisitStatus.values else VisitStatus.DRAFT,
        created_by=by,
    )
    visit.communes.set(communes)
    visit.projects.set(projects)
    program_changed(communes=[u.pk for u in _units_of(communes, projects)])
    return visit


@transaction.atomic
def visit_update(
    *,
    by,
    visit: Visit,
    kind: str,
    held_on: dt.date,
    organiser: str,
    team: str,
    lead: str = "",
    communes: Iterable[Unit] = (),
    projects: Iterable[Project] = (),
    findings: str = "",
    status: str = VisitStatus.DRAFT,
) -> Visit:
    if not visit_can_manage(user_reach(by), visit):
        raise PermissionDenied
    communes, projects = list(communes), list(projects)
    _check_visit(kind, held_on, communes, projects, organiser, team)
    _require_review(by, communes, projects, held_on)
    before = {u.pk for u in visit_units(visit)}
    after = {u.pk for u in _units_of(communes, projects)}
    responsible = set(visit.recommendations.values_list("commune_id", flat=True))
    if responsible - after:
        raise ValidationError(
            {
                "communes": _(
                    "Còn kiến nghị giao cho xã không còn trong đợt: giữ xã (hoặc dự án của xã) đó."
                )
            }
        )
    late = visit.recommendations.filter(due_on__lt=held_on).exists()
    if late:
        raise ValidationError(
            {"held_on": _("Có kiến nghị có hạn trước ngày này: sửa hạn của kiến nghị trước.")}
        )
    visit.kind, visit.held_on = kind, held_on
    visit.organiser, visit.team, visit.lead = organiser.strip(), team.strip(), lead.strip()
    visit.findings = findings
    visit.status = status if status in VisitStatus.values else visit.status
    visit.save()
    visit.communes.set(communes)
    visit.projects.set(projects)
    program_changed(communes=before | after)
    return visit


@transaction.atomic
def recommendation_add(
    *,
    by,
    visit: Visit,
    text: str,
    commune: Unit,
    due_on: dt.date,
    project: Project | None = None,
) -> Recommendation:
    if not visit_can_manage(user_reach(by), visit):
        raise PermissionDenied
    errors = {}
    units = {u.pk for u in visit_units(visit)}
    if not (text or "").strip():
        errors["text"] = _("Nhập nội dung kiến nghị.")
    if commune is None or commune.pk not in units:
        errors["commune"] = _(
            "Xã chịu trách nhiệm phải là một xã của đợt kiểm tra, giám sát (hoặc của dự án "
            "được kiểm tra)."
        )
    if project is not None:
        if not visit.projects.filter(pk=project.pk).exists():
            errors["project"] = _("Dự án phải là một dự án được kiểm tra trong đợt này.")
        elif commune is not None and not project.communes.filter(pk=commune.pk).exists():
            errors["project"] = _("Dự án không thực hiện ở xã chịu trách nhiệm đã chọn.")
    if due_on is None:
        errors["due_on"] = _("Nhập hạn thực hiện.")
    elif due_on < visit.held_on:
        errors["due_on"] = _(
            "Hạn thực hiện (%(due)s) không được trước ngày kiểm tra, giám sát (%(held)s)."
        ) % {"due": f"{due_on:%d/%m/%Y}", "held": f"{visit.held_on:%d/%m/%Y}"}
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.create(
        visit=visit, text=text.strip(), commune=commune, project=project, due_on=due_on
    )
    program_changed(communes=[commune.pk])
    return recommendation


def _require_not_done(recommendation: Recommendation) -> None:
    if recommendation.status == Status.DONE:
        raise ValidationError(
            _("Kiến nghị đã được xác nhận thực hiện xong: mở lại trước khi ghi tiếp.")
        )


def _note(by, recommendation, on, note: str) -> FollowUp:
    if not (note or "").strip():
        raise ValidationError({"note": _("Nhập nội dung theo dõi, kết quả thực hiện.")})
    on = on or timezone.localdate()
    if on < recommendation.visit.held_on:
        raise ValidationError({"on": _("Ngày ghi không được trước ngày kiểm tra, giám sát.")})
    return FollowUp.objects.create(recommendation=recommendation, on=on, note=note.strip(), by=by)


def _may_follow(by, recommendation) -> bool:
    reach = user_reach(by)
    return recommendation_can(reach, recommendation, Capability.ENTER) or recommendation_can(
        reach, recommendation, Capability.REVIEW
    )


@transaction.atomic
def follow_up_add(*, by, recommendation: Recommendation, note: str, on: dt.date | None = None):
    """A note on what was done; an open recommendation becomes "in progress"."""
    if not _may_follow(by, recommendation):
        raise PermissionDenied
    _require_not_done(recommendation)
    follow = _note(by, recommendation, on, note)
    if recommendation.status == Status.OPEN:
        recommendation.status = Status.IN_PROGRESS
        recommendation.save(update_fields=["status", "updated_at"])
    return follow


@transaction.atomic
def recommendation_report(
    *, by, recommendation: Recommendation, note: str, on: dt.date | None = None
):
    """The responsible commune says it is done (with what was done); district staff confirm."""
    if not recommendation_can(user_reach(by), recommendation, Capability.ENTER):
        raise PermissionDenied
    if recommendation.status not in (Status.OPEN, Status.IN_PROGRESS):
        raise ValidationError(_("Chỉ báo cáo hoàn thành được kiến nghị chưa thực hiện."))
    _note(by, recommendation, on, note)
    recommendation.status = Status.REPORTED
    recommendation.reported_at = timezone.now()
    recommendation.save(update_fields=["status", "reported_at", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_confirm(
    *, by, recommendation: Recommendation, note: str = "", on: dt.date | None = None
):
    """District staff close it: done (after the commune's report, or on their own check)."""
    if not recommendation_can(user_reach(by), recommendation, Capability.REVIEW):
        raise PermissionDenied
    if recommendation.status not in NOT_DONE:
        raise ValidationError(_("Kiến nghị đã được xác nhận thực hiện xong."))
    if (note or "").strip():
        _note(by, recommendation, on, note)
    recommendation.status = Status.DONE
    recommendation.closed_at = timezone.now()
    recommendation.closed_by = by
    recommendation.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    program_changed(communes=[recommendation.commune_id])
    return recommendation


@transaction.atomic
def recommendation_reopen(
    *, by, recommendation: Recommendation, note: str, on: dt.date | None = None
):
    """District staff send a reported (or confirmed) recommendation back, with the reason."""
    if not recommendation_can(user_reach(by), recommendation, Capability.REVIEW):
        raise PermissionDenied
    if recommendation.status not in (Status.REPORTED, Status.DONE):
        raise ValidationError(_("Chỉ mở lại được kiến nghị đã báo cáo hoặc đã xác nhận xong."))
    _note(by, recommendation, on, note)
    recommendation.status = Status.IN_PROGRESS
    recommendation.closed_at = None
    recommendation.closed_by = None
    recommendation.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    program_changed(communes=[recommendation.commune_id])
    return recommendation


@transaction.atomic
def visit_file_add(*, by, visit: Visit, file) -> VisitFile:
    if not visit_can_manage(user_reach(by), visit):
        raise PermissionDenied
    if file is None:
        raise ValidationError({"file": _("Chọn tệp.")})
    row = VisitFile(visit=visit, file=file, name=str(file.name)[:200], uploaded_by=by)
    row.full_clean(exclude=["visit", "uploaded_by"])
    row.save()
    return row
