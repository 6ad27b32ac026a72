"""Tokens in the admin: listed with their owner and state, revoked by an action; the hash and the
prefix are read-only and the secret is never shown (create integration accounts and their first
token with ``manage.py api_account_create``; users create their own on ``/tai-khoan/api/``)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "prefix", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = (
        "user",
        "prefix",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    fields = ("name", *readonly_fields, "expires_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made where its secret can be shown once

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(by=request.user, token=token)
            count += 1
        self.message_user(
            request,
            ngettext("Đã thu hồi %(n)d mã truy cập.", "Đã thu hồi %(n)d mã truy cập.", count)
            % {"n": count},
            messages.SUCCESS,
        )
