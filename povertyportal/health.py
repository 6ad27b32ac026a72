"""``/healthz/`` for monitoring: is the portal able to do its work right now?

Open without login (a monitor has no account) and telling nothing but states and ages: the
database answers; the broker accepts a connection (services mode; "inline" in embedded mode); a
worker answers a ping; how old the last finished rollup is. 200 when the database and the broker
answer, else 503 (a missing worker or an old rollup is reported, not fatal: the web still
serves). Each check has a short timeout so the endpoint answers within about 3 seconds.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)
TIMEOUT = 1.0  # seconds, for each of the broker's and the worker's checks


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        log.exception("healthz: the database does not answer")
        connection.close()
        return "error"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "inline"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT)
        return "ok"
    except Exception:
        log.warning("healthz: the broker does not answer", exc_info=True)
        return "error"


def _workers() -> int | None:
    """Workers that answered a ping (None in embedded mode)."""
    if not settings.REDIS_URL:
        return None
    from povertyportal.celery import app

    try:
        return len(app.control.ping(timeout=TIMEOUT) or [])
    except Exception:
        return 0


def _last_rollup_age() -> int | None:
    from indicators.models import RollupRun, RunStatus

    try:
        last = (
            RollupRun.objects.filter(status=RunStatus.DONE, finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
    except Exception:
        return None
    return int((timezone.now() - last).total_seconds()) if last else None


@never_cache
@require_GET
def healthz(request):
    database = _database()
    broker = _broker()
    workers = _workers() if broker == "ok" else (None if broker == "inline" else 0)
    body = {
        "database": database,
        "broker": broker,
        "workers": workers,
        "last_rollup_age_seconds": _last_rollup_age() if database == "ok" else None,
    }
    healthy = database == "ok" and broker in ("ok", "inline")
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's icon link: send them to it."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"))
