"""Login throttling (django-axes) and the secret keys the portal refuses to start with."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from povertyportal.secret import DEVELOPMENT_KEY, secret_key
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_right_password_logs_in(client, cast):
    response = attempt(client, cast.officer.username, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_an_account_is_locked_after_the_limit_even_with_the_right_password(client, cast):
    for _ in range(LIMIT - 1):
        response = attempt(client, cast.officer.username, "sai-mat-khau")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, cast.officer.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # from another address, with the right password: the account itself is locked
    again = attempt(client, cast.officer.username, PASSWORD, address="10.0.0.2")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # another account from yet another address is not
    assert attempt(client, cast.leader.username, PASSWORD, address="10.0.0.3").status_code == 302


def test_an_address_is_locked_after_the_limit_whatever_the_accounts(client, cast):
    for n in range(LIMIT):
        attempt(client, f"khong-co-{n}", "sai-mat-khau", address="10.9.9.9")
    assert attempt(client, cast.leader.username, PASSWORD, address="10.9.9.9").status_code == 429
    assert attempt(client, cast.leader.username, PASSWORD, address="10.9.9.8").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(client, cast):
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": f"khong-co-{n}", "password": "x"},
            REMOTE_ADDR="10.7.7.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": cast.leader.username, "password": PASSWORD},
        REMOTE_ADDR="10.7.7.7",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429


def test_success_clears_the_count(client, cast):
    for _ in range(LIMIT - 1):
        attempt(client, cast.officer.username, "sai-mat-khau")
    assert attempt(client, cast.officer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert attempt(client, cast.officer.username, "sai-mat-khau").status_code == 200


def test_an_administrator_unlocks_in_the_admin(client, cast):
    for _ in range(LIMIT):
        attempt(client, cast.officer.username, "sai-mat-khau")
    assert attempt(client, cast.officer.username, PASSWORD).status_code == 429
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    admin = client.__class__()
    admin.force_login(cast.admin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert cast.officer.username in listing.content.decode()
    rows = list(AccessAttempt.objects.filter(username=cast.officer.username))
    assert rows
    for row in rows:
        page = reverse("admin:axes_accessattempt_delete", args=[row.pk])
        assert admin.post(page, {"post": "yes"}).status_code == 302
    assert attempt(client, cast.officer.username, PASSWORD).status_code == 302


# --- secret keys --------------------------------------------------------------------------------

STRONG = "Zx9" + "abcdefghij" * 5


@pytest.mark.parametrize(
    ("given", "production", "services", "refused"),
    [
        ("", True, True, "must be set"),
        ("x", True, False, "at least 50"),
        ("a" * 60, True, False, "at least 50"),  # long, but one character
        (DEVELOPMENT_KEY, True, False, "development key"),
        ("django-insecure-" + "q1w2e3r4t5" * 6, True, False, "development key"),
        (DEVELOPMENT_KEY, False, True, "development key"),
        ("short", False, True, "at least 50"),
    ],
)
def test_weak_keys_stop_the_start(tmp_path, given, production, services, refused):
    with pytest.raises(ImproperlyConfigured, match=refused):
        secret_key(given, production=production, services=services, var_dir=tmp_path)


def test_accepted_keys(tmp_path):
    assert secret_key(STRONG, production=True, services=True, var_dir=tmp_path) == STRONG
    assert secret_key("", production=False, services=False, var_dir=tmp_path) == DEVELOPMENT_KEY
    local = secret_key("", production=False, services=True, var_dir=tmp_path)
    assert local != DEVELOPMENT_KEY and len(local) >= 50
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0  # its owner's only
    assert secret_key("", production=False, services=True, var_dir=tmp_path) == local
