"""The 500 page without a database, and /healthz/ for monitoring."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from areas.views import error_500


def _no_database():
    raise OperationalError("could not connect to server")


def test_the_500_page_needs_no_database():
    """The old handler rendered with the request: the navigation's context processor read the
    user, which needs the session and the database, and the 500 page itself failed."""
    request = RequestFactory().get("/ho/")
    request.user = SimpleLazyObject(_no_database)
    response = error_500(request)
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "inline")
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_broker_that_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["workers"] == 0


@pytest.mark.django_db
def test_healthz_says_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_the_favicon_is_found(client):
    """Before: /favicon.ico was a 404 on every first visit."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200


def test_embedded_mode_sends_tasks_without_the_hostname_warning():
    """Before: kombu logged "No hostname was supplied. Reverting to default 'localhost'" after
    seeding and on every survey save (the in-memory broker's URL named no host)."""
    import os
    import subprocess
    import sys

    code = (
        "import django, logging; django.setup(); logging.basicConfig(level=logging.WARNING)\n"
        "from django.conf import settings\n"
        "from kombu import Connection\n"
        "print(settings.CELERY_BROKER_URL); Connection(settings.CELERY_BROKER_URL).info()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "povertyportal.settings"
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("memory://")
    assert "No hostname" not in out.stderr


def test_a_numeric_log_level_from_a_celery_worker_is_accepted():
    """A Celery worker exports CELERY_LOG_LEVEL=40 to the processes it starts; the settings
    refused it ("Unknown level: '40'") and every such process failed to start."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "CELERY_LOG_LEVEL": "40", "DJANGO_LOG_LEVEL": "20"}
    manage = str(Path(__file__).resolve().parent.parent / "manage.py")
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed command)
        [sys.executable, manage, "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
