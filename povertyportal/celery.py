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


def send_after_commit(task, waiting: str) -> None:
    """After the caller's transaction commits, send ``task`` (inline in embedded mode). A broker
    that does not answer costs at most its connection timeout (settings: CELERY_BROKER_*) and
    only logs that ``waiting`` (e.g. "the rollup waits in the outbox"): the callers keep their
    work in a table that beat drains every minute anyway."""
    import logging

    from django.db import transaction

    def send():
        try:
            task.delay()
        except BROKER_ERRORS:
            logging.getLogger(__name__).warning("broker unreachable: %s", waiting, exc_info=True)

    transaction.on_commit(send, robust=True)
