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
