"""The services CI provides are really used: PostgreSQL for the database, Redis for the cache."""

import os

import pytest
from django.core.cache import cache
from django.db import connection

from tests.conftest import require


@pytest.mark.services
@pytest.mark.django_db
def test_database_is_postgresql_when_configured():
    require(os.environ.get("DATABASE_URL", "").startswith("postgres"), "DATABASE_URL is not set")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000


@pytest.mark.services
def test_redis_cache_round_trip():
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
    cache.set("ci-probe", {"vi": "giảm nghèo"}, 30)
    assert cache.get("ci-probe") == {"vi": "giảm nghèo"}
    import redis

    stored = redis.Redis.from_url(os.environ["REDIS_URL"]).keys("*ci-probe*")
    assert len(stored) == 1  # the value went through Redis, not a local-memory cache
