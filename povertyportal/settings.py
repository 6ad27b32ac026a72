"""Settings for the poverty-program portal, read from the environment (django-environ).

One file for every mode. With no environment at all the portal runs embedded: SQLite under
``var/``, Celery tasks run inline. Set ``DATABASE_URL`` and ``REDIS_URL`` for services mode. Every
variable is listed in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .secret import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # optional, git-ignored

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# DJANGO_PRODUCTION=true turns on the HTTPS/cookie hardening below and requires a real secret key.
PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
# The fixed development key in embedded mode only; a key generated into var/ in services mode;
# a strong key from the environment in production (povertyportal/secret.py says why).
SECRET_KEY = secret_key(
    env.str("DJANGO_SECRET_KEY", default=""),
    production=PRODUCTION,
    services=bool(env.str("DATABASE_URL", default="") or env.str("REDIS_URL", default="")),
    var_dir=VAR_DIR,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "areas",
    "households",
    "projects",
    "indicators",
    "reports",
    "monitoring",
    "communication",
    "notifications",
    "support",
    "finance",
    "contributions",
    "labour",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "areas.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "povertyportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "areas.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "povertyportal.wsgi.application"

# --- Database -------------------------------------------------------------------------------
# Embedded default: a SQLite file under var/. Services mode: DATABASE_URL (PostgreSQL).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait instead of failing when the inline Celery task and a request write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or
# from one address, that account or address waits AXES_COOLOFF_MINUTES; a successful login
# clears the account's count. Administrators unlock in the admin ("Access attempts": delete the
# row) or with `manage.py axes_reset_username <name>`. Behind a reverse proxy set
# AXES_IPWARE_PROXY_COUNT so that the client's address, not the proxy's, is counted.
# Tests: Django's ``client.login()`` authenticates without a request, which axes refuses: use
# ``client.force_login(user)``, or post to the login page to test the login itself.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one, counted apart
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start; lockouts are still logged as warnings
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
# X-Forwarded-For is read only behind a known number of proxies: a client could forge it.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language, time -------------------------------------------------------------------------
# Source strings are written in Vietnamese (the users' language); locale/en holds the English
# translation. See docs/i18n.md.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["povertyportal.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production WhiteNoise serves straight from the app and static folders (no collectstatic
# needed for `make run`); in production it serves the collected, hashed files of STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------------------
# Without REDIS_URL tasks run inline (embedded mode); with it, on a worker (`make worker`).
REDIS_URL = env.str("REDIS_URL", default="")
# Embedded mode: tasks run inline, but Celery still builds a connection to the in-memory broker;
# naming its host keeps kombu from warning "No hostname was supplied" on every task sent.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No task result is ever read: results off. (With a Redis result backend every send also
# subscribes to the result channel, and with Redis down that retries 20 times: a 19 s save.)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A broker that does not answer must not hold a request: connect within 1 s, one retry when
# publishing (a save's rollup waits in the outbox, indicators/outbox.py; an export fails with a
# message). The visibility timeout is above the longest task (a full export of a province,
# ~30 min at 1,000,000 households), so a slow task is not delivered twice while it runs.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 10,
    "visibility_timeout": 2 * 60 * 60,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed worker's task goes back to the queue
CELERY_BEAT_SCHEDULE = {
    # Rollups owed by changes whose request to the broker was lost (indicators/outbox.py).
    "indicators-outbox": {"task": "indicators.tasks.outbox_drain_task", "schedule": 60.0},
    # Jobs and rollup runs whose worker died or whose message was lost (reports/jobs.py,
    # indicators/reaper.py).
    "reports-jobs-reaper": {"task": "reports.tasks.jobs_reap_task", "schedule": 60.0},
    "indicators-runs-reaper": {"task": "indicators.tasks.runs_reap_task", "schedule": 60.0},
    # Full recompute of the indicators every night (DESIGN.md: beat for nightly jobs).
    "indicators-nightly": {
        "task": "indicators.tasks.rollup_nightly_task",
        "schedule": crontab(hour=1, minute=30),
    },
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- REST API (api/, docs/api.md) ----------------------------------------------------------
# Bearer tokens (api.authentication) for other systems, the session for a signed-in browser
# (the docs page). Throttles count in the Django cache (Redis in services mode). Keyset (cursor)
# pages: no COUNT over the households table.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER", default="2000/hour"),
        "anon": env.str("API_THROTTLE_ANON", default="60/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng giảm nghèo — API",
    "DESCRIPTION": "REST API of the poverty-program portal (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Uploads: import limits, file retention (reports, projects) -------------------------------
# A survey workbook is checked by streaming its XML before openpyxl reads it
# (reports/imports/limits.py): no upload may take a worker far past its resting memory.
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=1_000)
IMPORT_MAX_TEXT_CHARS = env.int("IMPORT_MAX_TEXT_CHARS", default=40_000_000)  # all cells
IMPORT_MAX_SHARED_STRINGS_BYTES = env.int("IMPORT_MAX_SHARED_STRINGS_BYTES", default=50 << 20)
IMPORT_MAX_SHARED_STRINGS = env.int("IMPORT_MAX_SHARED_STRINGS", default=500_000)  # distinct texts
IMPORT_MAX_SHEET_BYTES = env.int("IMPORT_MAX_SHEET_BYTES", default=150 << 20)
IMPORT_MAX_SHEET_ROWS = env.int("IMPORT_MAX_SHEET_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=200 << 20)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
# Export results and import uploads are deleted after this many days, and files under
# MEDIA_ROOT that no row names once a day old (reports/retention.py), every night.
REPORTS_RETENTION_DAYS = env.int("REPORTS_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["reports-retention"] = {
    "task": "reports.tasks.files_expire_task",
    "schedule": crontab(hour=2, minute=15),
}

# --- E-mail notifications (notifications/) ----------------------------------------------------
# Off by default per user (their "Thông báo qua thư" page). Without EMAIL_HOST the messages go to
# the console (the embedded default: the log shows what would be sent); with EMAIL_HOST they go
# through that SMTP server. PORTAL_URL is the address the links in the messages start with.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # a mail server that hangs holds no worker
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng giảm nghèo <noreply@localhost>")
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
CELERY_BEAT_SCHEDULE["notifications-send"] = {
    "task": "notifications.tasks.notices_send_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["notifications-digest"] = {
    "task": "notifications.tasks.notices_digest_task",
    "schedule": crontab(hour=6, minute=30),
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def _log_level(name: str, default: str) -> str | int:
    """A level name ("INFO") or number: a Celery worker exports CELERY_LOG_LEVEL as a number
    ("40") to the processes it starts, which logging's configuration refuses as a string."""
    value = env.str(name, default=default)
    return int(value) if value.isdigit() else value.upper()


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _log_level("DJANGO_LOG_LEVEL", "INFO")},
    # inline (eager) tasks would log every success of every rollup part
    "loggers": {"celery.app.trace": {"level": _log_level("CELERY_LOG_LEVEL", "WARNING")}},
}

# Demo accounts' passwords (seed_demo). Unset: generated and printed once.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
