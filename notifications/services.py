"""Who is told what, by e-mail, and the sending of the outbox.

Events (called by the services that make them, inside their transaction):

| Event | Told | Why it changes their to-do list |
|---|---|---|
| a commune submits its results | district staff over the commune | a result to accept |
| results returned / accepted / reopened | the commune's officers | work to redo, or done |
| a project submitted | district staff over its communes | a project to appraise |
| a project returned / approved / rejected | the officers of its communes | work to redo, or done |

Only users who turned the e-mails on (``NotificationSetting.on_events``, off by default), are
active and have an address are told, and never the user who acted. The daily digest
(``digest_all``, beat at 06:30) sends each user who asked for it their to-do list, when it has
something. Messages name units, rounds and projects, never a household or a person.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.models import Assignment, Role, Unit
from povertyportal.celery import send_after_commit

from .models import Notice, NoticeKind, NotificationSetting

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # then the message stays unsent, with its error, for the administrator
BATCH = 100
KEEP_SENT = dt.timedelta(days=90)


# --- the user's choice ------------------------------------------------------------------------


def setting_for(user) -> NotificationSetting:
    """The user's setting, or the default (everything off) when they never saved one."""
    try:
        return user.notification_setting
    except NotificationSetting.DoesNotExist:
        return NotificationSetting(user=user)


@transaction.atomic
def setting_save(*, user, email: str, on_events: bool, daily_digest: bool) -> NotificationSetting:
    email = email.strip()
    if (on_events or daily_digest) and not email:
        raise ValidationError({"email": _("Nhập địa chỉ thư để nhận thông báo.")})
    user.email = email
    user.save(update_fields=["email"])
    setting, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"on_events": on_events, "daily_digest": daily_digest}
    )
    return setting


# --- recipients -------------------------------------------------------------------------------


def _ancestor_paths(units: Iterable[Unit]) -> set[str]:
    """Every unit's own path and its ancestors' ("/1/23/456/" → "/1/", "/1/23/", "/1/23/456/")."""
    paths = set()
    for unit in units:
        parts = [p for p in unit.path.split("/") if p]
        paths |= {"/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))}
    return paths


def recipients(units: Iterable[Unit], role: str, *, exclude=None):
    """Active users who asked for e-mails and hold ``role`` today over one of ``units`` (through
    the unit, an ancestor, or a group holding either)."""
    paths = _ancestor_paths(units)
    if not paths:
        return get_user_model().objects.none()
    assigned = (
        Assignment.objects.valid_on(timezone.localdate())
        .filter(role=role)
        .filter(Q(unit__path__in=paths) | Q(group__members__path__in=paths))
        .values("user_id")
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=assigned, is_active=True, notification_setting__on_events=True)
        .exclude(email="")
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("pk")


# --- events -----------------------------------------------------------------------------------


def _url(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def _actor(user) -> str:
    return user.get_full_name() or user.get_username()


def _queue(users, subject: str, lines: list[str], kind: str = NoticeKind.EVENT) -> int:
    footer = [
        "",
        "—",
        _("Bạn nhận thư này vì đã bật thông báo qua thư. Thay đổi tại: %(url)s")
        % {"url": _url(reverse("notification_settings"))},
    ]
    body = "\n".join([*lines, *footer])
    notices = [
        Notice(user=u, kind=kind, email=u.email, subject=subject[:200], body=body) for u in users
    ]
    Notice.objects.bulk_create(notices)
    if notices:
        request_send()
    return len(notices)


def submission_changed(*, submission, action: str, by, comment: str = "") -> int:
    """A commune's results were submitted, returned, accepted or reopened."""
    from households.models import SubmissionAction

    with translation.override(settings.LANGUAGE_CODE):
        round_name = str(submission.round)
        names = {
            "round": round_name[:1].lower() + round_name[1:],  # mid-sentence
            "commune": submission.commune.label,
        }
        subjects = {
            SubmissionAction.SUBMIT: _("%(commune)s đã gửi kết quả %(round)s"),
            SubmissionAction.RETURN: _("Kết quả %(round)s của %(commune)s bị trả lại"),
            SubmissionAction.ACCEPT: _("Kết quả %(round)s của %(commune)s đã được tiếp nhận"),
            SubmissionAction.REOPEN: _("Kết quả %(round)s của %(commune)s được mở lại để sửa"),
        }
        if action not in subjects:
            return 0
        role = Role.DISTRICT_STAFF if action == SubmissionAction.SUBMIT else Role.COMMUNE_OFFICER
        users = recipients([submission.commune], role, exclude=by)
        subject = subjects[action] % names
        path = reverse(
            "commune_round",
            kwargs={"round_pk": submission.round_id, "commune_pk": submission.commune_id},
        )
        lines = [subject, "", _("Người thực hiện: %(name)s") % {"name": _actor(by)}]
        if comment.strip():
            lines.append(_("Ý kiến: %(comment)s") % {"comment": comment.strip()})
        lines += ["", _("Mở trên cổng: %(url)s") % {"url": _url(path)}]
        return _queue(users, subject, lines)


def project_changed(*, project, action: str, by, comment: str = "") -> int:
    """A project was submitted, returned, approved or rejected."""
    from projects.choices import Action

    with translation.override(settings.LANGUAGE_CODE):
        names = {"code": project.code, "title": project.title}
        subjects = {
            Action.SUBMIT: _("Dự án %(code)s đã được gửi để thẩm định"),
            Action.RETURN: _("Dự án %(code)s bị trả lại"),
            Action.APPROVE: _("Dự án %(code)s đã được phê duyệt"),
            Action.REJECT: _("Dự án %(code)s không được phê duyệt"),
        }
        if action not in subjects:
            return 0
        role = Role.DISTRICT_STAFF if action == Action.SUBMIT else Role.COMMUNE_OFFICER
        users = recipients(list(project.communes.all()), role, exclude=by)
        subject = subjects[action] % names
        lines = [
            subject,
            project.title,
            "",
            _("Người thực hiện: %(name)s") % {"name": _actor(by)},
        ]
        if action == Action.APPROVE and project.decision_number:
            lines.append(
                _("Quyết định số %(number)s ngày %(date)s")
                % {
                    "number": project.decision_number,
                    "date": project.decision_date.strftime("%d/%m/%Y"),
                }
            )
        if comment.strip():
            lines.append(_("Ý kiến: %(comment)s") % {"comment": comment.strip()})
        path = reverse("project_detail", kwargs={"pk": project.pk})
        lines += ["", _("Mở trên cổng: %(url)s") % {"url": _url(path)}]
        return _queue(users, subject, lines)


# --- the daily digest -------------------------------------------------------------------------


def digest_all(today: dt.date | None = None) -> int:
    """Queue today's digest for every user who asked for it and has work waiting; once a day
    (a second run the same day queues nothing). Loops over staff accounts, not households: each
    to-do list is a handful of indexed counts."""
    from povertyportal import todo

    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    already = Notice.objects.filter(kind=NoticeKind.DIGEST, created_at__gte=start).values("user_id")
    users = (
        get_user_model()
        .objects.filter(is_active=True, notification_setting__daily_digest=True)
        .exclude(email="")
        .exclude(pk__in=already)
        .order_by("pk")
    )
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            items = todo.for_user(user)
            if not items:
                continue
            subject = _("Việc cần làm ngày %(date)s") % {"date": today.strftime("%d/%m/%Y")}
            lines = [subject, ""]
            for item in items:
                text = item.text + (f" — {item.detail}" if item.detail else "")
                if item.waited_days:
                    text += " " + _("(đã chờ %(n)s ngày)") % {"n": item.waited_days}
                lines += [f"• {text}", f"  {_url(item.url)}"]
            queued += _queue([user], subject, lines, kind=NoticeKind.DIGEST)
    Notice.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    return queued


# --- sending ----------------------------------------------------------------------------------


def request_send() -> None:
    """After the commit, ask a worker to send (inline in embedded mode); beat sends whatever a
    lost request left within the minute."""
    from .tasks import notices_send_task

    send_after_commit(notices_send_task, "the e-mails wait in the outbox")


def send_pending(limit: int = BATCH) -> int:
    """Send the oldest unsent messages; a message that fails keeps its error and is tried again
    up to ``MAX_ATTEMPTS`` times. Two senders at once never take the same message."""
    sent = 0
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .order_by("created_at", "pk")[:limit]
        )
        if not notices:
            return 0
        connection = get_connection(fail_silently=False)
        try:
            connection.open()  # one connection for the batch
        except (smtplib.SMTPException, OSError) as exc:
            for notice in notices:
                notice.attempts += 1
                notice.error = _error(exc)
            Notice.objects.bulk_update(notices, ["attempts", "error"])
            log.warning("mail server unreachable: %s e-mails wait: %s", len(notices), exc)
            return 0
        try:
            for notice in notices:
                notice.attempts += 1
                message = EmailMessage(
                    notice.subject, notice.body, to=[notice.email], connection=connection
                )
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as exc:
                    notice.error = _error(exc)
                    log.warning("e-mail %s to user %s not sent: %s", notice.pk, notice.user_id, exc)
                    continue
                notice.sent_at = timezone.now()
                notice.error = ""
                sent += 1
        finally:
            connection.close()
        Notice.objects.bulk_update(notices, ["attempts", "sent_at", "error"])
    return sent


def _error(exc: BaseException) -> str:
    return (str(exc) or exc.__class__.__name__)[:1000]


def failed_count() -> int:
    """Messages given up on (the administrator's to-do list)."""
    return Notice.objects.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS).count()
