"""Creating, checking and revoking API tokens.

The secret (``secrets.token_urlsafe(32)``, 43 characters) is returned once by ``token_create``;
the table keeps its SHA-256 hash, so a copy of the database gives nobody a usable token.
``token_check`` is the one place a presented token is judged (the DRF authentication class
calls it); it writes ``last_used_at`` at most once a minute per token, not on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Assignment, Role, Unit, UnitGroup

from .models import ApiToken

PREFIX_LENGTH = 8
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """A presented token may not be used; ``str()`` is the Vietnamese reason."""


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # shown once, never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, by, user, name: str, expires_at: dt.datetime | None = None) -> Created:
    """A new token for ``user``: by the user themself, or by an administrator (staff)."""
    if by.pk != user.pk and not by.is_staff:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Nhập tên gợi nhớ cho mã truy cập.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Ngày hết hạn phải sau thời điểm hiện tại.")})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:PREFIX_LENGTH],
        key_hash=token_hash(secret),
        created_by=by,
        expires_at=expires_at,
    )
    return Created(token=token, secret=secret)


def token_revoke(*, by, token: ApiToken) -> ApiToken:
    """Revoke a token (its owner or an administrator); revoking twice keeps the first time."""
    if by.pk != token.user_id and not by.is_staff:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_check(secret: str) -> ApiToken:
    """The token a request presents, with its user; ``TokenRefused`` when it may not be used."""
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=token_hash(secret.strip())).first()
    )
    if token is None:
        raise TokenRefused(_("Mã truy cập không đúng."))
    if token.revoked_at is not None:
        raise TokenRefused(_("Mã truy cập đã bị thu hồi."))
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused(_("Mã truy cập đã hết hạn."))
    if not token.user.is_active:
        raise TokenRefused(_("Tài khoản của mã truy cập này đã bị khóa."))
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        # One UPDATE a minute at most, and only if no other request did it meanwhile.
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_get_own(user, pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=pk).first()


@transaction.atomic
def integration_account_create(
    *,
    username: str,
    name: str,
    role: str,
    unit: Unit | None = None,
    group: UnitGroup | None = None,
    token_name: str = "",
    by=None,
) -> Created:
    """A user who cannot sign in to the web pages (unusable password), scoped by one ordinary
    assignment from today, with a first token."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if (unit is None) == (group is None):
        raise ValidationError(_("Chọn đúng một đơn vị hoặc một nhóm đơn vị."))
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập %(u)s đã có.") % {"u": username}})
    user = User(username=username, first_name=name[:150])
    user.set_unusable_password()
    user.save()
    Assignment.objects.create(
        user=user, role=role, unit=unit, group=group, valid_from=timezone.localdate()
    )
    return token_create(by=by or user, user=user, name=token_name or name)
