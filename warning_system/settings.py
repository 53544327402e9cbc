"""Settings, read from the environment (.env.example lists every variable).

Without DATABASE_URL the project talks to the embedded PostgreSQL that `make run`
starts under var/pgdata (a Unix socket there); without REDIS_URL Celery tasks run
in-process.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from warning_system.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The fallback only serves local development; docker-compose and production set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "warning_system.registry",
    "warning_system.classification",
    "warning_system.accounts",
    "warning_system.audit",
    "warning_system.inspections",
    "warning_system.sanctions",
    "warning_system.documentation",
    "collectors",
    "disclosure",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "warning_system.audit.context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "disclosure.ratelimit.PublicRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "supervision.access.DenialAuditMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "warning_system.urls"
WSGI_APPLICATION = "warning_system.wsgi.application"

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
                "supervision.navigation.workspace_nav",
            ],
        },
    },
]

EMBEDDED_PGDATA = VAR_DIR / "pgdata"
DATABASE_URL = env("DATABASE_URL", f"postgres://postgres@/warning_system?host={EMBEDDED_PGDATA}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
# Staging tables of the collectors are temporary: let a batch stay in memory (allocated only when used).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c temp_buffers=256MB"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Without collectstatic (tests, make run) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "supervision:login"
LOGIN_REDIRECT_URL = "supervision:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user + address before the password check
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures, keyed on user + address (one person cannot lock out a whole office).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
AXES_LOCKOUT_TEMPLATE = "supervision/locked_out.html"
AXES_CLIENT_IP_CALLABLE = (
    "warning_system.audit.context.client_address"  # one definition, shared with the trail
)
# Workspace sessions end after 30 idle minutes (each request renews) and with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "企业监管警示系统")
# 联动监管: licences and penalties decided longer ago than this are not routed (history loads).
LINKED_SUPERVISION_MAX_AGE_DAYS = env_int("LINKED_SUPERVISION_MAX_AGE_DAYS", 30)
# 双告知 (docs/rules.md §5): registrations older than this when first seen predate the system; working days a
# department has to answer a written notice.
DUAL_NOTIFICATION_WINDOW_DAYS = env_int("DUAL_NOTIFICATION_WINDOW_DAYS", 30)
DUAL_FEEDBACK_WORKDAYS = env_int("DUAL_FEEDBACK_WORKDAYS", 10)

# Feeds: the file-drop inbox, and the push API's limits (docs/feeds.md §1).
FEED_INBOX = Path(env("FEED_INBOX", str(VAR_DIR / "inbox")))
PUSH_MAX_RECORDS = env_int("PUSH_MAX_RECORDS", 10_000)
PUSH_MAX_BYTES = env_int("PUSH_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = PUSH_MAX_BYTES
INGEST_WORKERS = env_int("INGEST_WORKERS", 2)
# Processes a whole-city colour recompute is split across (one per core).
CLASSIFY_WORKERS = env_int("CLASSIFY_WORKERS", 2)
PULL_TIMEOUT_SECONDS = env_int("PULL_TIMEOUT_SECONDS", 30)
PULL_MAX_RETRIES = env_int("PULL_MAX_RETRIES", 5)
PULL_BACKOFF_FACTOR = float(env("PULL_BACKOFF_FACTOR", "1.0"))
PULL_BACKOFF_MAX_SECONDS = env_int("PULL_BACKOFF_MAX_SECONDS", 60)

# Celery: Redis when REDIS_URL is set, otherwise every task runs in-process.
REDIS_URL = env("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "collect-inbox": {"task": "collectors.tasks.collect_inbox", "schedule": timedelta(minutes=1)},
    "pull-due-sources": {"task": "collectors.tasks.pull_due_sources", "schedule": timedelta(minutes=1)},
    "deliver-webhooks": {"task": "disclosure.tasks.deliver_due_webhooks", "schedule": timedelta(minutes=1)},
    "scan-watchlists": {"task": "disclosure.tasks.scan_watchlists", "schedule": timedelta(minutes=1)},
    # Colours whose window ends today change without new data; only those subjects are re-evaluated.
    "reclassify-due": {
        "task": "warning_system.classification.tasks.reclassify_due",
        "schedule": crontab(hour=0, minute=5),
    },
    # 双告知: licences arrived, unclaimed → shared pool, no licence 30 days after registration → written notice.
    "dual-advance": {"task": "supervision.tasks.dual.dual_advance", "schedule": timedelta(minutes=15)},
    # Just after midnight, when dates roll over; the sweep also opens what a lost task never opened.
    "dual-advance-daily": {
        "task": "supervision.tasks.dual.dual_advance",
        "schedule": crontab(hour=0, minute=1),
        "kwargs": {"sweep": True},
    },
    # 部门考核: the month just ended, at 01:30 on the 1st (after the night's feeds and re-classification).
    "assess-departments": {
        "task": "supervision.tasks.assessment.assess_departments",
        "schedule": crontab(day_of_month=1, hour=1, minute=30),
    },
}

# Cache: Redis when REDIS_URL is set (shared by every gunicorn worker: rate limits and page
# fragments), else this process's memory.
CELERY_BEAT_SCHEDULE["anchor-audit-trail"] = {
    "task": "warning_system.audit.tasks.anchor_yesterday",
    # After midnight Asia/Shanghai, once yesterday's writers have committed.
    "schedule": crontab(hour=0, minute=10),
}
# The daily root hashes of the audit trail, appended here as well as to their table: keep the file
# apart (ship it off the host, or `chattr +a`). Empty: the table only.
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")) or None
# Key of the audit chain's HMAC links, kept out of the database (changing it breaks verification
# of the existing chain). Empty: plain SHA-256 links.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", "")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL", REDIS_URL)}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Template fragments that change only with a deployment or the language (the public pages'
    # header and footer): kept in each process's memory, so serving them costs no network trip.
    "chrome": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome"},
}

# Public portal and API (disclosure): anonymous pages are limited per client address, API calls
# per institution key; "N/period" as in Django REST framework.
PUBLIC_RATE_LIMIT = env("PUBLIC_RATE_LIMIT", "120/minute")
API_RATE_LIMIT = env("API_RATE_LIMIT", "600/minute")
# How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
BATCH_CHECK_MAX_CODES = env_int("BATCH_CHECK_MAX_CODES", 10_000)
# Rendered subject-page fragments live this long at most; any change to the subject drops them sooner.
SUBJECT_PAGE_CACHE_SECONDS = env_int("SUBJECT_PAGE_CACHE_SECONDS", 300)
# Monitoring webhooks: attempts before giving up (backoff doubles from 30 s).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["disclosure.api.auth.InstitutionKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["disclosure.api.auth.InstitutionKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"institution": API_RATE_LIMIT},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "disclosure.api.errors.json_error_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "企业监管警示系统 API",
    "DESCRIPTION": "Public credit record of the city's market subjects for banks and procurement "
    "(Authorization: Bearer <key>; `python manage.py issue_api_key <institution>` issues one).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Joining the browsers' preload list is a decision for the city's domain owner, not a default.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
