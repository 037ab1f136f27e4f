"""Django settings, derived from the one Deployment object read from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from keepwell.config.env import Deployment

DEPLOYMENT = Deployment.from_environ()
PACKAGE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = DEPLOYMENT.secret_key
DEBUG = DEPLOYMENT.debug
ALLOWED_HOSTS = list(DEPLOYMENT.allowed_hosts)
CSRF_TRUSTED_ORIGINS = [DEPLOYMENT.base_url]

INSTALLED_APPS = [
    "keepwell.core.apps.KeepwellAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' scripts from our own static files, not a CDN
    "keepwell.core",
    "keepwell.accounts",
    "keepwell.customers",
    "keepwell.tickets",
    "keepwell.portal",
    "keepwell.mail",
    "keepwell.commitments",
    "keepwell.coach",
    "keepwell.offers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "keepwell.core.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "keepwell.config.urls"
WSGI_APPLICATION = "keepwell.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(DEPLOYMENT.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades
        # that would otherwise fail under concurrent writers.
        # A larger page cache and memory-mapped reads keep a big desk's pages out of syscalls.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if DEPLOYMENT.cache_url.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEPLOYMENT.cache_url,
        }
    }
else:
    # A file cache is shared by every process on the machine (gunicorn workers, the worker),
    # which login throttling needs; per-process memory would not be.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DEPLOYMENT.data_dir / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["keepwell.accounts.backends.AgentBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:inbox"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DEPLOYMENT.data_dir / "static"
MEDIA_ROOT = DEPLOYMENT.data_dir / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = DEPLOYMENT.max_upload_bytes + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = DEPLOYMENT.email.backend
for _name, _value in DEPLOYMENT.email.options.items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = DEPLOYMENT.default_from_email
SERVER_EMAIL = DEPLOYMENT.default_from_email

# Security headers apply everywhere; cookie and transport hardening follow the base URL's scheme,
# so a desk served over plain HTTP on 127.0.0.1 still lets people log in.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Sessions are read from the shared cache (a file or Redis), so a page costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if DEPLOYMENT.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Celery: the embedded default needs no server (kombu's filesystem transport under var/broker).
CELERY_BROKER_URL = DEPLOYMENT.broker_url
if DEPLOYMENT.uses_filesystem_broker:
    _queue = DEPLOYMENT.broker_folder / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(DEPLOYMENT.broker_folder / "processed"),
        "control_folder": str(DEPLOYMENT.broker_folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = DEPLOYMENT.result_backend or None
CELERY_TASK_ALWAYS_EAGER = DEPLOYMENT.eager_tasks
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(DEPLOYMENT.data_dir / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "poll-mailboxes": {"task": "keepwell.mail.tasks.poll_mailboxes", "schedule": 20.0},
    "process-stalled-mail": {"task": "keepwell.mail.tasks.process_stalled_mail", "schedule": 120.0},
    "sweep-commitments": {"task": "keepwell.commitments.tasks.sweep_commitments", "schedule": 60.0},
}

KEEPWELL = DEPLOYMENT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
