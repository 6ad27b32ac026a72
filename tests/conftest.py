"""Shared fixtures: the real administrative units (loaded once per test session) and a fixed
cast of users: a commune officer, district staff, a provincial leader, an administrator, and an
officer of another district (the outsider every view is tried with)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid

import pytest
from django.contrib.auth import get_user_model

from areas.models import Assignment, Role, Unit, UnitGroup
from areas.services import NEW_TREE_FROM, OLD_TREE_FROM, OLD_TREE_TO, units_load

PASSWORD = "mat-khau-thu-nghiem-1"
TODAY = dt.date(2026, 11, 28)
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip outside CI when a service is missing; in CI a missing service is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        units_load()


@pytest.fixture
def units(db):
    """The shipped units and the other reference rows that migrations load (kinds of support and
    of communication activity, trades); reloaded after a transactional test flushed them."""
    if not Unit.objects.exists():
        units_load()
    from support.loading import kinds_load
    from support.models import SupportKind

    if not SupportKind.objects.exists():
        kinds_load()
    from communication.loading import kinds_load as communication_kinds_load
    from communication.models import ActivityKind

    if not ActivityKind.objects.exists():
        communication_kinds_load()  # after the support kinds: adds the information kinds
    from labour.loading import trades_load
    from labour.models import Trade

    if not Trade.objects.exists():
        trades_load()


def unit(code: str, day: dt.date = TODAY) -> Unit:
    return Unit.objects.valid_on(day).get(code=code)


def make_user(username: str, role: str, *targets, **extra):
    """targets: (Unit | UnitGroup, valid_from, valid_to)"""
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    for target, valid_from, valid_to in targets:
        key = "group" if isinstance(target, UnitGroup) else "unit"
        Assignment.objects.create(
            user=user, role=role, valid_from=valid_from, valid_to=valid_to, **{key: target}
        )
    return user


class Cast:
    def __init__(self):
        old, new = OLD_TREE_FROM, NEW_TREE_FROM
        self.officer = make_user(
            "officer",
            Role.COMMUNE_OFFICER,
            (unit("21484", OLD_TREE_TO), old, OLD_TREE_TO),
            (unit("21484"), new, None),
        )
        self.district = make_user(
            "district", Role.DISTRICT_STAFF, (UnitGroup.objects.get(code="huyen-cu-535"), old, None)
        )
        self.leader = make_user(
            "leader",
            Role.PROVINCIAL_LEADER,
            (unit("51", OLD_TREE_TO), old, OLD_TREE_TO),
            (unit("51"), new, None),
        )
        self.admin = make_user(
            "admin",
            Role.ADMINISTRATOR,
            (unit("51", OLD_TREE_TO), old, OLD_TREE_TO),
            (unit("51"), new, None),
            is_staff=True,
        )
        # Xã Sơn Tịnh (21220), in former Sơn Tịnh district (527): not Ba Tơ.
        self.outsider = make_user(
            "outsider",
            Role.COMMUNE_OFFICER,
            (unit("21220", OLD_TREE_TO), old, OLD_TREE_TO),
            (unit("21220"), new, None),
        )

    def all(self):
        return [self.officer, self.district, self.leader, self.admin, self.outsider]


@pytest.fixture
def cast(units):
    return Cast()


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(os.path.exists(path), "Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests create many users. Production keeps Argon2 (settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run inline in tests, even when REDIS_URL is set (CI); the Celery integration test
    turns this off and starts a real worker."""
    from povertyportal.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test reads and writes its own cache namespace: the dashboards cache pages per rollup,
    and another test may reuse the same database ids. A key prefix rather than a flush, because
    in CI the Redis database is shared with Celery's broker."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def broker_down():
    """The real Celery app, not eager, publishing to a port where nothing listens: its
    connection pools are set aside, and put back after the test."""
    from povertyportal.celery import app

    conf, amqp = app.conf, app.amqp
    saved = (conf.task_always_eager, conf.broker_url, app._pool, amqp._producer_pool)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = amqp._producer_pool = None
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    conf.task_always_eager, conf.broker_url, app._pool, amqp._producer_pool = saved
