"""The Celery app. Without REDIS_URL the settings make every task run inline (embedded mode)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")

app = Celery("povertyportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
