"""API tokens: created (the secret shown once, only its hash stored), used, revoked, expired;
integration accounts that cannot sign in to the web pages but whose token works within their
assignments; the account page, the admin's revoke action and the management command."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create, token_revoke
from areas.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_lifecycle_create_use_revoke(client, cast, world):
    created = token_create(by=cast.officer, user=cast.officer, name="Đồng bộ")
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert stored.key_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in {stored.prefix, stored.key_hash, stored.name}
    assert stored.prefix == created.secret[:8] and stored.last_used_at is None

    url = reverse("api_household_detail", args=[world["inside"]["household"].pk])
    assert client.get(url, **bearer(created.secret)).status_code == 200
    stored.refresh_from_db()
    used = stored.last_used_at
    assert used is not None
    client.get(url, **bearer(created.secret))
    stored.refresh_from_db()
    assert stored.last_used_at == used  # at most one write a minute

    token_revoke(by=cast.officer, token=stored)
    response = client.get(url, **bearer(created.secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập đã bị thu hồi."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_unknown_and_inactive_tokens_are_refused(client, cast, world):
    url = reverse("api_round_list")
    expired = token_create(
        by=cast.officer,
        user=cast.officer,
        name="Cũ",
        expires_at=timezone.now() + dt.timedelta(minutes=1),
    )
    assert client.get(url, **bearer(expired.secret)).status_code == 200
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(url, **bearer(expired.secret))
    assert response.status_code == 401 and response.json()["detail"] == "Mã truy cập đã hết hạn."
    unknown = client.get(url, **bearer("khong-phai-ma-that"))
    assert unknown.status_code == 401 and unknown.json()["detail"] == "Mã truy cập không đúng."
    malformed = client.get(url, HTTP_AUTHORIZATION="Bearer")
    assert malformed.status_code == 401
    locked = token_create(by=cast.outsider, user=cast.outsider, name="Khóa")
    get_user_model().objects.filter(pk=cast.outsider.pk).update(is_active=False)
    response = client.get(url, **bearer(locked.secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "Tài khoản của mã truy cập này đã bị khóa."


def test_integration_account_cannot_sign_in_but_its_token_works_in_scope(
    client, cast, world, capsys
):
    call_command(
        "api_account_create",
        "--username=tinh.bacto",
        "--name=Hệ thống của huyện",
        f"--role={Role.COMMUNE_OFFICER}",
        "--unit=21484",
        "--token-name=Đồng bộ",
    )
    out = capsys.readouterr().out
    secret = out.rsplit(":", 1)[1].strip()
    account = get_user_model().objects.get(username="tinh.bacto")
    assert not account.has_usable_password()
    token = ApiToken.objects.get(user=account)
    assert token.name == "Đồng bộ" and token.key_hash != secret

    login = client.post(reverse("login"), {"username": "tinh.bacto", "password": secret})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    login = client.post(reverse("login"), {"username": "tinh.bacto", "password": ""})
    assert "_auth_user_id" not in client.session

    api = Client(**bearer(secret))
    inside = world["inside"]["household"].pk
    outside = world["outside"]["household"].pk
    assert api.get(reverse("api_household_detail", args=[inside])).status_code == 200
    assert api.get(reverse("api_household_detail", args=[outside])).status_code == 404
    ids = {row["id"] for row in api.get(reverse("api_household_list")).json()["results"]}
    assert inside in ids and outside not in ids


def test_command_refuses_an_unknown_unit(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "api_account_create", "--username=x", "--name=x", "--role=commune_officer", "--unit=9"
        )
    assert not get_user_model().objects.filter(username="x").exists()


def test_account_page_creates_shows_once_and_revokes(client, cast):
    client.force_login(cast.officer)
    url = reverse("api_tokens")
    assert "Bạn chưa có mã truy cập nào" in client.get(url).content.decode()
    empty = client.post(url, {"name": ""})
    assert "Nhập tên gợi nhớ cho mã truy cập." in empty.content.decode()
    assert not ApiToken.objects.exists()
    response = client.post(url, {"name": "Máy tính bảng", "days": "30"})
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=cast.officer)
    assert token.expires_at is not None
    again = client.get(url).content.decode()
    assert secret not in again and token.prefix in again  # shown once
    assert Client(**bearer(secret)).get(reverse("api_round_list")).status_code == 200

    other = token_create(by=cast.outsider, user=cast.outsider, name="Của người khác").token
    foreign = client.post(reverse("api_token_revoke", args=[other.pk]))
    assert foreign.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    done = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(**bearer(secret)).get(reverse("api_round_list")).status_code == 401


def test_admin_lists_and_revokes_read_only_hash(client, cast):
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(superuser)
    created = token_create(by=superuser, user=cast.officer, name="Tích hợp")
    changelist = reverse("admin:api_apitoken_changelist")
    assert created.token.prefix in client.get(changelist).content.decode()
    page = client.get(reverse("admin:api_apitoken_change", args=[created.token.pk]))
    assert page.status_code == 200
    assert 'name="key_hash"' not in page.content.decode()  # read-only, not an input
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    client.post(
        changelist, {"action": "revoke", "_selected_action": [created.token.pk]}, follow=True
    )
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None
