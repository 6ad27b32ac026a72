"""The Celery app. Without REDIS_URL the settings make every task run inline (embedded mode)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")

app = Celery("povertyportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (OperationalError, OSError, RedisConnectionError, RedisTimeoutError)


# What sending a task raises when the broker does not answer: callers that can let the message
# go (the outbox, the jobs' and runs' reapers send it again) catch these, and only these, so a
# task's own error still propagates in embedded mode (tasks run inline there).
BROKER_ERRORS = _broker_errors()
