"""E-mail notifications (issue 12): off by default per user, sent for the events that change
someone's to-do list, through an outbox that survives a broker or mail server that is down, and a
daily digest of the to-do list."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from households.models import Survey
from households.services import commune_accept, commune_return, commune_submit
from notifications import services
from notifications.models import Notice, NoticeKind, NotificationSetting
from tests.conftest import Role, make_user, unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save
from tests.test_todo import items

pytestmark = pytest.mark.django_db


def opt_in(user, *, events=True, digest=False, email=None):
    services.setting_save(
        user=user,
        email=email or f"{user.username}@example.org",
        on_events=events,
        daily_digest=digest,
    )


@pytest.fixture
def round_(cast):
    return open_round(cast.admin, 2026)


@pytest.fixture
def surveyed(cast, round_):
    """Xã Ba Tơ with one household surveyed: ready to submit."""
    register(cast.officer, unit("21484"), members=[member("Hồ Văn An")])
    save(cast.officer, Survey.objects.get(round=round_), **POOR_FIELDS)
    return round_


# --- the user's choice ------------------------------------------------------------------------


def test_everything_is_off_until_the_user_turns_it_on(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse("notification_settings"))
    assert page.status_code == 200
    assert not page.context["form"].initial["on_events"]
    assert not page.context["form"].initial["daily_digest"]
    assert not NotificationSetting.objects.exists()


def test_turning_it_on_without_an_address_is_refused_and_saves_nothing(client, cast):
    client.force_login(cast.officer)
    page = client.post(reverse("notification_settings"), {"on_events": "on", "email": ""})
    assert page.status_code == 200
    assert "Nhập địa chỉ thư để nhận thông báo." in page.content.decode()
    page = client.post(reverse("notification_settings"), {"on_events": "on", "email": "x@"})
    assert "Địa chỉ thư không hợp lệ." in page.content.decode()
    assert not NotificationSetting.objects.exists()


def test_the_user_saves_their_own_choice_only(client, cast):
    client.force_login(cast.officer)
    response = client.post(
        reverse("notification_settings"),
        {"email": "canbo@example.org", "on_events": "on", "daily_digest": "on"},
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.email == "canbo@example.org"
    setting = NotificationSetting.objects.get()
    assert (setting.user, setting.on_events, setting.daily_digest) == (cast.officer, True, True)
    assert client.get(reverse("notification_settings")).context["form"].initial["on_events"]


# --- events -----------------------------------------------------------------------------------


def test_a_submission_tells_the_district_and_a_return_tells_the_commune(
    cast, surveyed, django_capture_on_commit_callbacks
):
    for user in cast.all():
        opt_in(user)
    quiet = make_user("quiet", Role.DISTRICT_STAFF, *[(a.group, a.valid_from, None) for a in
                      cast.district.assignments.all()])  # fmt: skip
    quiet.email = "quiet@example.org"
    quiet.save()  # has an address, never turned the e-mails on
    with django_capture_on_commit_callbacks(execute=True):
        submission = commune_submit(by=cast.officer, round_=surveyed, commune=unit("21484"))
    assert [m.to for m in mail.outbox] == [["district@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Xã Ba Tơ đã gửi kết quả rà soát định kỳ năm 2026"
    link = reverse("commune_round", args=[surveyed.pk, unit("21484").pk])
    assert f"http://127.0.0.1:8000{link}" in message.body
    assert "Hồ Văn An" not in message.body  # no household or person in an e-mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        commune_return(by=cast.district, submission=submission, comment="Thiếu biên bản họp thôn.")
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]  # not the outsider
    assert "bị trả lại" in mail.outbox[0].subject
    assert "Ý kiến: Thiếu biên bản họp thôn." in mail.outbox[0].body
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_accepting_tells_the_officer_but_not_the_one_who_acted(
    cast, surveyed, django_capture_on_commit_callbacks
):
    opt_in(cast.officer)
    opt_in(cast.district)
    submission = commune_submit(by=cast.officer, round_=surveyed, commune=unit("21484"))
    with django_capture_on_commit_callbacks(execute=True):
        commune_accept(by=cast.district, submission=submission)
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)  # the outbox sends both now
    assert [to for to, _subject in sent] == ["district@example.org", "officer@example.org"]
    assert sent[0][1].startswith("Xã Ba Tơ đã gửi kết quả")
    assert sent[1][1].endswith("đã được tiếp nhận")


def test_project_steps_tell_the_district_then_the_commune(
    cast, django_capture_on_commit_callbacks, settings, tmp_path
):
    from projects import services as project_services
    from projects.loading import program_load
    from tests.projects.factories import households, proposal

    settings.MEDIA_ROOT = tmp_path
    program_load()
    ba_to = unit("21484")
    project = proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 2))
    for user in cast.all():
        opt_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_submit(by=cast.officer, project=project)
    assert [m.to for m in mail.outbox] == [["district@example.org"]]
    assert mail.outbox[0].subject == f"Dự án {project.code} đã được gửi để thẩm định"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_appraise(by=cast.district, project=project)  # no e-mail
        project_services.project_approve(
            by=cast.district, project=project, decision_number="7/QĐ-UBND",
            decision_date=timezone.localdate(),
        )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    assert "Quyết định số 7/QĐ-UBND" in mail.outbox[0].body


# --- faults -----------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


def test_a_mail_server_that_is_down_loses_nothing_and_the_administrator_is_told(
    client, cast, surveyed, settings
):
    opt_in(cast.district)
    commune_submit(by=cast.officer, round_=surveyed, commune=unit("21484"))
    notice = Notice.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 1
    settings.EMAIL_USE_TLS = False
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        assert services.send_pending() == 0
        notice.refresh_from_db()
        assert (notice.attempts, notice.sent_at) == (attempt, None)
        assert notice.error
    assert services.send_pending() == 0  # given up on: not tried again
    notice.refresh_from_db()
    assert notice.attempts == services.MAX_ATTEMPTS
    assert ("1 thư thông báo không gửi được", 1) in [i[:2] for i in items(client, cast.admin)]
    client.force_login(cast.admin)
    assert client.get(reverse("admin:notifications_notice_changelist")).status_code == 200

    Notice.objects.update(attempts=0)  # the administrator fixed the server and resets them
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending() == 1
    assert [m.to for m in mail.outbox] == [["district@example.org"]]


def test_with_the_broker_down_the_event_still_commits_and_beat_sends_it(
    cast, surveyed, broker_down, django_capture_on_commit_callbacks
):
    opt_in(cast.district)
    with django_capture_on_commit_callbacks(execute=True):
        commune_submit(by=cast.officer, round_=surveyed, commune=unit("21484"))
    assert mail.outbox == []
    assert Notice.objects.filter(sent_at__isnull=True).count() == 1
    from notifications.tasks import notices_send_task

    assert notices_send_task.run() == 1  # what beat runs every minute
    assert [m.to for m in mail.outbox] == [["district@example.org"]]


# --- the daily digest -------------------------------------------------------------------------


def test_the_digest_sends_the_to_do_list_once_a_day_to_those_who_asked(cast, round_):
    register(cast.officer, unit("21484"), members=[member("Hồ Văn An")])
    opt_in(cast.officer, events=False, digest=True)
    opt_in(cast.outsider, events=False, digest=True)  # nothing to do: no e-mail
    opt_in(cast.district, events=True, digest=False)
    assert services.digest_all() == 1
    assert services.digest_all() == 0  # the same day again
    notice = Notice.objects.get(kind=NoticeKind.DIGEST)
    assert notice.user == cast.officer
    assert notice.subject.startswith("Việc cần làm ngày ")
    assert "• 1 phiếu chưa rà soát trong đợt 2026" in notice.body
    assert f"http://127.0.0.1:8000{reverse('household_list')}?round={round_.pk}" in notice.body
    assert services.send_pending() == 1
    assert mail.outbox[0].to == ["officer@example.org"]
