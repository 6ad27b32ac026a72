"""E-mail notifications: each user's choice (off by default) and the outbox of messages.

A message is written in the transaction of the event that causes it (a commune's results
returned, a project approved …), so it is sent exactly when the event commits and is not lost
when the broker or the mail server is down: ``services.send_pending`` sends what is unsent, after
the commit and every minute from beat, and records the error of a message it could not send.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSetting(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    on_events = models.BooleanField(
        _("nhận thư khi có việc mới"),
        default=False,
        help_text=_(
            "Khi kết quả của xã được gửi, trả lại, tiếp nhận, mở lại; khi dự án được gửi, trả "
            "lại, phê duyệt hoặc không phê duyệt."
        ),
    )
    daily_digest = models.BooleanField(
        _("nhận thư tóm tắt việc cần làm mỗi sáng"),
        default=False,
        help_text=_("Gửi lúc 6 giờ 30 nếu danh sách việc cần làm của bạn có việc."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self) -> str:
        return str(self.user)


class NoticeKind(models.TextChoices):
    EVENT = "event", _("Việc mới")
    DIGEST = "digest", _("Tóm tắt hằng ngày")


class Notice(models.Model):
    """One e-mail to one user (the outbox)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=NoticeKind.choices)
    email = models.EmailField(_("gửi đến"))
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    error = models.TextField(_("lỗi lần gửi cuối"), blank=True)

    class Meta:
        verbose_name = _("thư thông báo")
        verbose_name_plural = _("thư thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notice_unsent",
            )
        ]

    def __str__(self) -> str:
        return self.subject
