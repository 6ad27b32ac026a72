"""The API tests' world: an open 2026 round, a household (with its survey) and a project in Xã Ba
Tơ (inside the officer's scope) and in Xã Sơn Tịnh (outside it), and a client per role, either
signed in (session) or carrying an API token of the user."""

from __future__ import annotations

import pytest
from django.test import Client

from api.services import token_create
from households.models import Survey
from projects.loading import program_load
from tests.conftest import unit
from tests.households.factories import member, open_round, register
from tests.projects.factories import proposal

ROLES = ("anonymous", "officer", "district", "leader", "admin", "outsider")


def token_client(user) -> Client:
    secret = token_create(by=user, user=user, name="kiểm thử").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def round_(cast):
    return open_round(cast.admin, 2026)


def _side(officer, commune, round_, head: str) -> dict:
    household = register(officer, commune, members=[member(head)])
    other = register(officer, commune, members=[member("Lê Thị Hai")])
    project = proposal(officer, [commune], [other])
    return {
        "commune": commune,
        "household": household,
        "survey": Survey.objects.get(household=household, round=round_),
        "project": project,
    }


@pytest.fixture
def world(cast, round_):
    program_load()
    return {
        "inside": _side(cast.officer, unit("21484"), round_, "Nguyễn Văn Trong"),
        "outside": _side(cast.outsider, unit("21220"), round_, "Trần Văn Ngoài"),
    }


@pytest.fixture
def clients(cast):
    """The officer, the outsider and district staff call with tokens; the leader and the
    administrator with a browser session (both are accepted everywhere)."""
    return {
        "anonymous": Client(),
        "officer": token_client(cast.officer),
        "district": token_client(cast.district),
        "leader": session_client(cast.leader),
        "admin": session_client(cast.admin),
        "outsider": token_client(cast.outsider),
    }
