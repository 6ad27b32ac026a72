from django.contrib import admin

from areas.admin import ReadOnlyForAdministrators

from .models import Notice, NotificationSetting


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    list_display = ("user", "on_events", "daily_digest", "updated_at")
    list_filter = ("on_events", "daily_digest")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyForAdministrators):
    """Read-only: the outbox, to see what was sent and why a message was not."""

    list_display = ("created_at", "kind", "email", "subject", "sent_at", "attempts")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "subject")
    readonly_fields = [f.name for f in Notice._meta.fields]
