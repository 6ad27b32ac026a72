"""The home page's to-do list: each line a count and a link to the page where the work is, by role.

Each app says what is waiting for the user in its own selectors; this module only puts the lines
together in the order a working day needs them (what others wait for first). Every count is one
indexed query over the user's scope, so the home page stays fast at province scale.

- Commune officer (ENTER): pending surveys per open round; the round's due date for sending the
  commune's results, with the days left (or late); commune results returned by the district,
  with its comment; projects returned; imports waiting for confirmation.
- District staff (REVIEW): commune results to accept (with the district due date) and communes
  late to send theirs (past the commune due date), projects to appraise or approve, oldest
  first, with how long they have waited.
- Provincial leader (SEE): targets missed or at risk; communes whose results are not accepted yet
  (urgent once the district due date has passed).

Due dates are compared with ``today`` (the local date; an argument so tests fix it).
- Administrator (ADMINISTER): failed or stuck jobs, failed rollup runs, the age of the last rollup
  and the communes waiting for one, e-mails that could not be sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from areas.scope import Capability, request_reach, request_scope
from monitoring import todo as monitoring_todo


@dataclass(frozen=True)
class Item:
    count: int
    text: str
    url: str
    detail: str = ""
    since: dt.datetime | None = None  # the oldest of them: how long it has waited
    urgent: bool = False

    @property
    def waited_days(self) -> int | None:
        """Whole days since ``since`` (0 today), for "Đã chờ N ngày"."""
        if self.since is None:
            return None
        return max((timezone.now() - self.since).days, 0)


def local_today() -> dt.date:
    """Today's date where the portal is (the day due dates are compared with)."""
    return timezone.localdate()


def for_request(request, today: dt.date | None = None) -> list[Item]:
    scope = request_scope(request)
    today = today or local_today()
    items: list[Item] = []
    if scope.can(Capability.ENTER):
        items += _officer(request, scope, today)
    if scope.can(Capability.REVIEW):
        items += _reviewer(request, scope, today)
    if (
        scope.can(Capability.SEE)
        and not scope.can(Capability.ENTER)
        and not scope.can(Capability.REVIEW)
    ):
        items += _leader(request, scope, today)
    if scope.can(Capability.ADMINISTER):
        items += _administrator()
    return [i for i in items if i.count]


def for_user(user) -> list[Item]:
    """The same list outside a request (the daily e-mail digest): the request only lends its
    user and caches the scope."""
    from types import SimpleNamespace

    return for_request(SimpleNamespace(user=user))


def _q(url: str, **params) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}" if params else url


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _round_label(round_) -> str:
    """ "đợt 2026" for the periodic round, "đợt thường xuyên 10/2026" for a monthly one."""
    if round_.kind == "periodic":
        return _("đợt %(year)s") % {"year": round_.year}
    return _("đợt thường xuyên %(month)s") % {"month": round_.starts_on.strftime("%m/%Y")}


def _open_rounds():
    from households.models import ReviewRound, RoundStatus

    return list(ReviewRound.objects.filter(status=RoundStatus.OPEN).order_by("starts_on"))


def _commune_deadlines(scope, today: dt.date) -> list[Item]:
    """The officer's commune step: per open round, the communes whose results are not sent yet
    (open or returned), the due date and the days left, or late."""
    from households.progress import DONE_STATUSES, communes_behind

    communes = scope.communes(Capability.ENTER)
    items = []
    for round_ in _open_rounds():
        behind = [r["commune_id"] for r in communes_behind(round_, communes, not_in=DONE_STATUSES)]
        if not behind:
            continue
        n, due = len(behind), round_.commune_due
        days = (due - today).days
        url = (
            reverse("commune_round", args=[round_.pk, behind[0]])
            if n == 1
            else reverse("round_detail", args=[round_.pk])  # late communes come first
        )
        if days >= 0:
            text = _("Hạn gửi kết quả %(round)s lên huyện: %(due)s") % {
                "round": _round_label(round_), "due": _day(due)
            }  # fmt: skip
            detail = (
                ngettext("Còn %(days)s ngày.", "Còn %(days)s ngày.", days) % {"days": days}
                if days
                else _("Hôm nay là hạn cuối.")
            )
        else:
            text = _("Quá hạn gửi kết quả %(round)s lên huyện (hạn %(due)s)") % {
                "round": _round_label(round_), "due": _day(due)
            }  # fmt: skip
            detail = ngettext("Trễ %(days)s ngày.", "Trễ %(days)s ngày.", -days) % {"days": -days}
        items.append(Item(n, text, url, detail=detail, urgent=days <= 0))
    return items


def _officer(request, scope, today: dt.date) -> list[Item]:
    from households.models import (
        CommuneSubmission,
        RoundStatus,
        SubmissionAction,
        SubmissionEvent,
        SubmissionStatus,
        Survey,
        SurveyStatus,
    )
    from projects.choices import Status
    from projects.selectors.projects import project_list_for_user
    from reports.jobs import job_list_for_user
    from reports.models import JobKind, JobStatus

    communes = scope.communes(Capability.ENTER).values("pk")
    items = []
    pending = (
        Survey.objects.filter(
            round__status=RoundStatus.OPEN, commune_id__in=communes, status=SurveyStatus.PENDING
        )
        .values("round_id", "round__year", "round__kind")
        .annotate(n=Count("pk"))
        .order_by("round__year")
    )
    for row in pending:
        items.append(
            Item(
                row["n"],
                ngettext(
                    "%(n)s phiếu chưa rà soát trong đợt %(year)s",
                    "%(n)s phiếu chưa rà soát trong đợt %(year)s",
                    row["n"],
                )
                % {"n": row["n"], "year": row["round__year"]},
                _q(reverse("household_list"), round=row["round_id"], status="pending"),
            )
        )
    items += _commune_deadlines(scope, today)
    last_return = SubmissionEvent.objects.filter(
        submission=OuterRef("pk"), action=SubmissionAction.RETURN
    ).order_by("-at")
    returned = (
        CommuneSubmission.objects.filter(
            commune_id__in=communes,
            status=SubmissionStatus.RETURNED,
            round__status=RoundStatus.OPEN,
        )
        .select_related("round", "commune")
        .annotate(
            returned_at=Subquery(last_return.values("at")[:1]),
            comment=Subquery(last_return.values("comment")[:1]),
        )
    )  # one query, whatever the number of returned communes
    for sub in returned:
        items.append(
            Item(
                1,
                _("Huyện trả lại kết quả của %(commune)s (%(round)s)")
                % {"commune": sub.commune.label, "round": sub.round},
                reverse("commune_round", args=[sub.round_id, sub.commune_id]),
                detail=sub.comment or "",
                since=sub.returned_at,
                urgent=True,
            )
        )
    projects = project_list_for_user(request_reach(request)).filter(status=Status.RETURNED)
    n = projects.count()
    if n:
        items.append(
            Item(
                n,
                ngettext("%(n)s dự án bị trả lại", "%(n)s dự án bị trả lại", n) % {"n": n},
                _q(reverse("project_list"), status=Status.RETURNED),
                urgent=True,
            )
        )
    waiting = job_list_for_user(request.user).filter(
        kind=JobKind.IMPORT, status=JobStatus.VALIDATED
    )
    for job in waiting[:5]:
        items.append(
            Item(
                1,
                _("Tệp nhập chờ bạn xác nhận: %(title)s") % {"title": job.title},
                reverse("import_detail", args=[job.pk]),
                since=job.finished_at,
            )
        )
    items += monitoring_todo.officer_items(scope, today, Item)
    return items


def _reviewer(request, scope, today: dt.date) -> list[Item]:
    from households.models import (
        CommuneSubmission,
        SubmissionAction,
        SubmissionEvent,
        SubmissionStatus,
    )
    from households.progress import DONE_STATUSES, communes_behind
    from projects.selectors.projects import project_queue_for_user

    communes = scope.communes(Capability.REVIEW).values("pk")
    items = []
    sent = SubmissionEvent.objects.filter(
        submission=OuterRef("pk"), action=SubmissionAction.SUBMIT
    ).order_by("-at")
    submitted = (
        CommuneSubmission.objects.filter(commune_id__in=communes, status=SubmissionStatus.SUBMITTED)
        .annotate(sent=Subquery(sent.values("at")[:1]))
        .values_list("round_id", "round__year", "round__district_due", "sent")
    )  # a few hundred rows at most: one per commune waiting
    by_round: dict[tuple[int, int, dt.date], list] = {}
    for round_id, year, due, at in submitted:
        by_round.setdefault((round_id, year, due), []).append(at)
    for (round_id, year, due), times in sorted(by_round.items(), key=lambda kv: min(kv[1])):
        n = len(times)
        late = today > due
        items.append(
            Item(
                n,
                ngettext(
                    "%(n)s xã gửi kết quả đợt %(year)s, chờ tiếp nhận",
                    "%(n)s xã gửi kết quả đợt %(year)s, chờ tiếp nhận",
                    n,
                )
                % {"n": n, "year": year},
                _q(reverse("round_detail", args=[round_id]), status="submitted"),
                detail=(
                    _("Hạn huyện tiếp nhận: %(due)s, đã quá hạn.")
                    if late
                    else _("Hạn huyện tiếp nhận: %(due)s.")
                )
                % {"due": _day(due)},
                since=min(times),
                urgent=late,
            )
        )
    for round_ in _open_rounds():
        if today <= round_.commune_due:
            continue
        n = communes_behind(round_, scope.communes(Capability.REVIEW), not_in=DONE_STATUSES).count()
        if n:
            items.append(
                Item(
                    n,
                    ngettext(
                        "%(n)s xã quá hạn gửi kết quả %(round)s",
                        "%(n)s xã quá hạn gửi kết quả %(round)s",
                        n,
                    )
                    % {"n": n, "round": _round_label(round_)},
                    reverse("round_detail", args=[round_.pk]),  # late communes come first
                    detail=_("Hạn xã gửi kết quả: %(due)s.") % {"due": _day(round_.commune_due)},
                    urgent=True,
                )
            )
    queue = project_queue_for_user(request_reach(request))
    row = queue.order_by().aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    if row["n"]:
        items.append(
            Item(
                row["n"],
                ngettext(
                    "%(n)s dự án chờ thẩm định hoặc phê duyệt",
                    "%(n)s dự án chờ thẩm định hoặc phê duyệt",
                    row["n"],
                )
                % {"n": row["n"]},
                reverse("project_queue"),
                since=row["oldest"],
            )
        )
    items += monitoring_todo.reviewer_items(scope, today, Item)
    return items


def _leader(request, scope, today: dt.date) -> list[Item]:
    from households.models import RoundStatus, SubmissionStatus
    from households.progress import communes_behind
    from indicators.freshness import dashboard_rounds_with_freshness
    from indicators.rules import Status
    from indicators.selectors import dashboard_round, target_rows

    items = []
    rounds = dashboard_rounds_with_freshness()
    round_ = dashboard_round(None, rounds)
    if round_ is not None:
        rows = target_rows(round_, scope)
        bad = [r for r in rows if r.status in (Status.MISSED, Status.AT_RISK)]
        if bad:
            items.append(
                Item(
                    len(bad),
                    ngettext(
                        "%(n)s mục tiêu năm %(year)s không đạt hoặc có nguy cơ không đạt",
                        "%(n)s mục tiêu năm %(year)s không đạt hoặc có nguy cơ không đạt",
                        len(bad),
                    )
                    % {"n": len(bad), "year": round_.year},
                    _q(reverse("dashboard"), round=round_.pk),
                    urgent=any(r.status == Status.MISSED for r in bad),
                )
            )
    for open_round in [r for r in rounds if r.status == RoundStatus.OPEN]:
        n = communes_behind(
            open_round, scope.communes(), not_in=(SubmissionStatus.ACCEPTED,)
        ).count()
        if n:
            due = open_round.district_due
            late = today > due
            text = (
                ngettext(
                    "%(n)s xã chưa được tiếp nhận kết quả đợt %(year)s, đã quá hạn huyện tiếp nhận",
                    "%(n)s xã chưa được tiếp nhận kết quả đợt %(year)s, đã quá hạn huyện tiếp nhận",
                    n,
                )
                if late
                else ngettext(
                    "%(n)s xã chưa được tiếp nhận kết quả đợt %(year)s",
                    "%(n)s xã chưa được tiếp nhận kết quả đợt %(year)s",
                    n,
                )
            )
            items.append(
                Item(
                    n,
                    text % {"n": n, "year": open_round.year},
                    reverse("round_detail", args=[open_round.pk]),
                    detail=_("Hạn huyện tiếp nhận: %(due)s.") % {"due": _day(due)},
                    urgent=late,
                )
            )
    items += monitoring_todo.leader_items(scope, today, Item)
    return items


def _administrator() -> list[Item]:
    from indicators.models import RollupRun, RunStatus, StaleCommune
    from reports.jobs import stuck
    from reports.models import Job, JobStatus

    items = []
    week = timezone.now() - dt.timedelta(days=7)
    failed = Job.objects.filter(status=JobStatus.FAILED, finished_at__gte=week).count()
    if failed:
        items.append(
            Item(
                failed,
                ngettext(
                    "%(n)s công việc xuất, nhập bị lỗi trong 7 ngày qua",
                    "%(n)s công việc xuất, nhập bị lỗi trong 7 ngày qua",
                    failed,
                )
                % {"n": failed},
                reverse("admin:reports_job_changelist") + "?status__exact=failed",
                urgent=True,
            )
        )
    n = stuck().count()
    if n:
        items.append(
            Item(
                n,
                ngettext("%(n)s công việc đang treo", "%(n)s công việc đang treo", n) % {"n": n},
                reverse("admin:reports_job_changelist"),
                urgent=True,
            )
        )
    runs = RollupRun.objects.filter(status=RunStatus.FAILED, finished_at__gte=week).count()
    if runs:
        items.append(
            Item(
                runs,
                ngettext(
                    "%(n)s lần tính số liệu bị lỗi trong 7 ngày qua",
                    "%(n)s lần tính số liệu bị lỗi trong 7 ngày qua",
                    runs,
                )
                % {"n": runs},
                reverse("dashboard"),
                urgent=True,
            )
        )
    waiting = StaleCommune.objects.count()
    last = RollupRun.objects.filter(status=RunStatus.DONE).aggregate(at=Max("finished_at"))["at"]
    stale = last is None or last < timezone.now() - dt.timedelta(days=1)
    if waiting or stale:
        items.append(
            Item(
                max(waiting, 1),
                ngettext(
                    "%(n)s xã chờ cập nhật số liệu",
                    "%(n)s xã chờ cập nhật số liệu",
                    waiting,
                )
                % {"n": waiting},
                reverse("dashboard"),
                detail=(
                    _("Lần tính gần nhất: %(at)s")
                    % {"at": timezone.localtime(last).strftime("%d/%m/%Y %H:%M")}
                    if last
                    else _("Chưa có lần tính số liệu nào.")
                ),
                since=last,
                urgent=stale,
            )
        )
    from notifications.services import failed_count

    mails = failed_count()
    if mails:
        items.append(
            Item(
                mails,
                ngettext(
                    "%(n)s thư thông báo không gửi được",
                    "%(n)s thư thông báo không gửi được",
                    mails,
                )
                % {"n": mails},
                reverse("admin:notifications_notice_changelist") + "?sent_at__isempty=1",
                urgent=True,
            )
        )
    return items
