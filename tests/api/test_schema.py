"""The OpenAPI schema is served (JSON, with every path), valid without a warning, and the docs
page is served from the sidecar's static files; both need a login or a token. Throttling answers
429 past the configured rate."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_served_with_the_paths(clients):
    url = reverse("api_schema")
    assert clients["anonymous"].get(url).status_code == 401
    response = clients["officer"].get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/units/",
        "/api/v1/rounds/",
        "/api/v1/households/",
        "/api/v1/households/{id}/",
        "/api/v1/surveys/",
        "/api/v1/surveys/{id}/",
        "/api/v1/indicator-values/",
        "/api/v1/targets/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
    } <= paths
    assert "put" in schema["paths"]["/api/v1/surveys/{id}/"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/surveys/{id}/" in out.read_text()


def test_docs_page_from_local_static_files(clients):
    url = reverse("api_docs")
    assert clients["anonymous"].get(url).status_code == 401
    page = clients["leader"].get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower() and "https://" not in body


def test_throttled_past_the_rate(clients, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    rates = {"user": "3/hour", "anon": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    saved = UserRateThrottle.THROTTLE_RATES, AnonRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = AnonRateThrottle.THROTTLE_RATES = rates
    try:
        url = reverse("api_round_list")
        codes = [clients["officer"].get(url).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert clients["officer"].get(url)["Retry-After"]
        assert clients["outsider"].get(url).status_code == 200  # counted per user
        anonymous = [clients["anonymous"].get(url).status_code for _ in range(3)]
        assert anonymous == [401, 401, 429]
    finally:
        UserRateThrottle.THROTTLE_RATES, AnonRateThrottle.THROTTLE_RATES = saved
        api_settings.reload()
