"""Settings, read from the environment (.env.example lists every variable).

Without DATABASE_URL the project talks to the embedded PostgreSQL that `make run`
starts under var/pgdata (a Unix socket there); without REDIS_URL Celery tasks run
in-process.
"""

import socket
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from warning_system.env import env, env_bool, env_int, env_list, env_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Secrets have no default with DEBUG off: the site refuses to start rather than sign sessions with a
# key anyone can read here. DEBUG on (`make run`) uses openly insecure development values.
_how_to_make_one = ', e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"'
SECRET_KEY = env_secret(
    "SECRET_KEY",
    development="django-insecure-local-development-only" if DEBUG else None,
    how=_how_to_make_one,
)
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
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from here, never from a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "warning_system.registry",
    "warning_system.classification",
    "warning_system.accounts",
    "warning_system.audit",
    "warning_system.inspections",
    "warning_system.sanctions",
    "warning_system.incentives",
    "warning_system.scheduling",
    "warning_system.documentation",
    "warning_system.demo",
    "warning_system.monitoring",
    "warning_system.objections",
    "warning_system.evidence",
    "collectors",
    "disclosure",
    "supervision",
    "enterprises",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before any read: marks the portal's and the API's safe requests for the standbys.
    "warning_system.standby.StandbyReadsMiddleware",
    # Outside every limit: counts the 429s they answer (the metrics' ws_http_refused).
    "warning_system.monitoring.counters.RefusalCounterMiddleware",
    # Near the top: every response gets the policy and the workspace's no-store, errors and lockouts too.
    "csp.middleware.CSPMiddleware",
    "warning_system.private_pages.NoStoreMiddleware",
    "warning_system.audit.context.RequestContextMiddleware",
    "warning_system.screening.ControlCharacterMiddleware",
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
    "enterprises.access.EnterpriseDenialAuditMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy of every page: scripts, styles, images and fonts from this server only and
# nothing inline (the templates keep none: tests/test_content_security_policy.py), no plugins, no
# framing. The API documentation pages set their own, looser policy (disclosure/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
# Hot standbys the portal's and the API's reads may use (warning_system/standby.py): comma-separated
# URLs, each streaming from the primary. A standby further behind than the lag limit, or down, is left
# for the primary.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
DATABASE_REPLICA_MAX_LAG_SECONDS = float(env("DATABASE_REPLICA_MAX_LAG_SECONDS", "5"))
STANDBY_DATABASES = []
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _alias = f"standby{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    # libpq's shortest wait; a standby that does not answer is then left alone for a few seconds.
    DATABASES[_alias].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    STANDBY_DATABASES.append(_alias)
DATABASE_ROUTERS = ["warning_system.standby.StandbyRouter"]
# URL namespaces whose safe requests may read from a standby: the public portal and its API.
STANDBY_READ_NAMESPACES = ["disclosure"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
# Each language in its own name (the menu shows them so): a reader who cannot read the current
# language still finds theirs.
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
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

# The enterprises' side (docs/enterprises.md): how an enterprise proves who it is before it gets an
# account (the default: a one-time activation code from the registration authority, valid this many
# days), and where the evidence it uploads is kept: outside the web root, read only through the views
# that check who asks.
ENTERPRISE_IDENTITY = env("ENTERPRISE_IDENTITY", "warning_system.accounts.identity.ActivationCodeIdentity")
ENTERPRISE_ACTIVATION_DAYS = env_int("ENTERPRISE_ACTIVATION_DAYS", 30)
EVIDENCE_ROOT = Path(env("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10) * 1024 * 1024

# Passwords chosen by the people themselves (enterprise accounts; password changes in the admin).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "supervision:login"
LOGIN_REDIRECT_URL = "supervision:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user + address before the password check
    "django.contrib.auth.backends.ModelBackend",
]
# Lockouts (warning_system/accounts/lockout.py): an account at an address after AXES_FAILURE_LIMIT
# failures; an address, whatever the accounts tried, after AXES_ADDRESS_FAILURE_LIMIT (password
# spraying). Neither locks an account at any other address: one address cannot lock every regulator out.
AXES_HANDLER = "warning_system.accounts.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
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
# The name each ingest run records as the host that ran it (several worker hosts share one inbox).
INGEST_HOST = env("INGEST_HOST", socket.gethostname())
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
    # The evaluation outbox: subjects whose records changed and are not yet re-coloured (a drain
    # also follows every ingest; this one finishes what a crash or a lost message left).
    "drain-evaluations": {
        "task": "warning_system.classification.tasks.drain_evaluations",
        "schedule": timedelta(minutes=1),
    },
    # Names of new and renamed subjects spelled in pinyin for search (also requested after each load).
    "refresh-search-names": {
        "task": "warning_system.registry.tasks.refresh_search_names",
        "schedule": timedelta(minutes=5),
    },
    # Ingest runs whose process died (killed, out of memory, a restart) are closed as failed.
    "close-dead-ingest-runs": {"task": "collectors.tasks.close_dead_runs", "schedule": timedelta(minutes=5)},
    # The watchdog: every colour recomputed and compared with the published one; differences fixed.
    "verify-colours": {
        "task": "warning_system.classification.tasks.verify_colours",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"fix": True},
    },
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
    # 异议申诉: objections past their deadline go to the department's leader, once a day.
    "escalate-objections": {
        "task": "warning_system.objections.tasks.escalate_overdue_objections",
        "schedule": crontab(hour=0, minute=20),
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
    "task": "warning_system.audit.tasks.anchor_head",
    # The chain's head every ten minutes: a tail cut off later no longer reaches its anchor.
    "schedule": timedelta(minutes=10),
}
# The anchors of the audit trail's head, appended here as well as to their table: keep the file
# apart (ship it off the host, or `chattr +a`). Empty: the table only.
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")) or None
# Key of the audit chain's HMAC links, kept out of the database: without it nobody can append an entry
# that verifies. Required with DEBUG off, at least 32 characters (it can never be changed later: the
# existing links are verified with it, so a weak one stays weak).
AUDIT_CHAIN_KEY = env_secret(
    "AUDIT_CHAIN_KEY",
    development="insecure-development-chain-key-never-in-production" if DEBUG else None,
    min_length=32,
    how=_how_to_make_one,
)
# A trail begun without a key (before the key was required): its entries up to this seq keep plain
# SHA-256 links and are verified as such; every later entry is keyed. 0: every link must be keyed.
AUDIT_CHAIN_UNKEYED_UNTIL = env_int("AUDIT_CHAIN_UNKEYED_UNTIL", 0)

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
# Wrong API keys, and wrong push tokens, per client address: beyond it the address is refused every key
# (or token) until the window ends, a right one too (warning_system/ratelimit.py says why).
CREDENTIAL_FAILURE_LIMIT = env("CREDENTIAL_FAILURE_LIMIT", "10/minute")
# How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
BATCH_CHECK_MAX_CODES = env_int("BATCH_CHECK_MAX_CODES", 10_000)
# Rendered subject-page fragments live this long at most; any change to the subject drops them sooner.
SUBJECT_PAGE_CACHE_SECONDS = env_int("SUBJECT_PAGE_CACHE_SECONDS", 300)
# GET /metrics (docs/monitoring.md) answers only these client addresses or networks, or a request
# with `Authorization: Bearer <METRICS_TOKEN>`; nobody when both are empty.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
METRICS_TOKEN = env("METRICS_TOKEN", "")
# Monitoring webhooks: attempts before giving up (backoff doubles from 30 s).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)

# What an institution's developer reads first, at /api/docs/ and /api/redoc/ (Markdown). Chinese
# paragraphs are joined without line breaks: Markdown would turn each break into a space.
API_DESCRIPTION = "\n\n".join(
    (
        "本接口向银行、政府采购和招标投标等机构提供本市市场主体的公示信用信息：主体颜色及其原因、公示记录、"
        "批量核查、监测名单与事件推送、联合惩戒核查。只提供公示信息，任何接口都不返回个人信息。",
        "**获取密钥** 由机构向本系统的运营部门（市信用主管部门）提出书面申请，写明机构名称、用途和联系人。"
        "审核通过后，系统管理员为机构签发密钥，一次性交付；系统只保存密钥的摘要，遗失后无法找回，"
        "只能申请重新签发。密钥泄露或不再使用时，请通知运营部门吊销。需要事件回调（webhook）的机构，"
        "申请时一并提供回调地址，运营部门会告知签名密钥。",
        "**调用方式** 每个请求带请求头 `Authorization: Bearer <密钥>`（密钥形如 `wsk_…`）。请求与响应均为 "
        "UTF-8 JSON。统一社会信用代码可含空格、小写或全角字符。每个密钥的调用频率上限为 "
        f"{API_RATE_LIMIT}，超出时返回 429 和 `Retry-After`。出错时返回 4xx 和 "
        '`{"error": {"code", "message", "details"?}}`：程序按 `code`（英文，稳定）判断，`message` 为中文说明。',
        "**事件回调** 监测名单中主体的颜色变化或新的公示记录会进入事件流（`GET /api/v1/events`），并 POST "
        "到机构登记的回调地址，带请求头 "
        '`X-Warning-Signature: sha256=<HMAC-SHA256("<X-Warning-Timestamp>.<请求体>")>`，'
        "以 `X-Warning-Event` 去重；未返回 2xx 时按退避重试。",
        "---",
        "For banks, procurement offices and other institutions: the public credit record of the city's "
        "market subjects — colours and their reasons, public records, batch checks, watchlists with an "
        "event feed, joint-punishment checks. Personal data is never returned. **To get a key**, the "
        "institution applies in writing to the system's operator (the city's credit office) with its name, "
        "purpose and a contact; the key is issued once (only its digest is kept: a lost key is replaced, "
        "not recovered) and revoked on request. Send `Authorization: Bearer <key>` with every call; at most "
        f"{API_RATE_LIMIT} per key (429 with `Retry-After` beyond); errors are "
        '`{"error": {"code", "message"}}` with a 4xx status. The index of the endpoints is `GET /api/v1/`; '
        "the OpenAPI document `GET /api/v1/schema`.",
    )
)

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
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The documentation pages load their scripts and styles from this server (drf-spectacular-sidecar):
    # a bank's developer behind a firewall, or a city without internet access, still gets them.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public swagger.io validator from the reader's browser.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "persistAuthorization": False},
    "TAGS": [
        {"name": "subjects", "description": "主体信息、搜索与批量核查 · Subjects, search and batch checks"},
        {"name": "monitoring", "description": "监测名单与事件流 · Watchlists and their event feed"},
        {"name": "joint", "description": "联合惩戒核查与结果反馈 · Joint-punishment checks and outcomes"},
    ],
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
