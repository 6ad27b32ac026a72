"""Which secret key the portal may start with (read by settings.py, tested in tests/test_secret.py).

- Embedded mode (no DATABASE_URL, no REDIS_URL, not production) on a developer's machine: the
  fixed development key below when none is given.
- Services mode (DATABASE_URL or REDIS_URL set): never the fixed development key. Without
  DJANGO_SECRET_KEY a random key is generated once into ``var/secret-key`` (git-ignored, readable
  by its owner only), so sessions survive a restart and no two machines share a known key.
- Production (DJANGO_PRODUCTION=true): DJANGO_SECRET_KEY is required, at least 50 characters with
  at least 5 different ones, and neither the development key nor Django's "django-insecure-"
  keys. Anything else stops the start with a message saying why.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY = "embedded-development-only-" + "k" * 40
MIN_LENGTH = 50
MIN_UNIQUE = 5


def _refuse_weak(key: str) -> None:
    if key == DEVELOPMENT_KEY or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is a development key: set a random key of your own."
        )
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY must be at least {MIN_LENGTH} characters with at least "
            f"{MIN_UNIQUE} different ones (got {len(key)}); generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )


def secret_key(given: str, *, production: bool, services: bool, var_dir: Path) -> str:
    """The key to start with, or ImproperlyConfigured."""
    if production:
        if not given:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
        _refuse_weak(given)
        return given
    if services:
        if given:
            _refuse_weak(given)
            return given
        return _local_key(var_dir / "secret-key")
    return given or DEVELOPMENT_KEY


def _local_key(path: Path) -> str:
    """A key generated once for this machine's services mode, kept in var/."""
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    key = secrets.token_urlsafe(64)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key
