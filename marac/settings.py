"""One settings module, configured from the environment (12-factor).

Safe defaults: DEBUG off, a SQLite file and in-process tasks, so `make run` needs no
server. Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis) and a
real DJANGO_SECRET_KEY; `manage.py check --deploy` refuses the development key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.dateparse import parse_duration

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_duration(name: str, default: timedelta) -> timedelta:
    """Seconds ("36000") or an interval ("10:00:00", "1 02:00:00", ISO 8601 "PT10H")."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    duration = parse_duration(value)
    if duration is None or duration <= timedelta(0):
        raise ImproperlyConfigured(f"{name}={value!r}: give a positive number of seconds or an interval (PT10H).")
    return duration


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Used only when DJANGO_SECRET_KEY is unset; the deploy check (marac.checks) rejects it.
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "pgtrigger",
    "marac.apps.MaracConfig",
    "marac.maracs.apps.MaracsConfig",
    "marac.agencies.apps.AgenciesConfig",
    "marac.notifications.apps.NotificationsConfig",
    "marac.cases.apps.CasesConfig",
    "marac.referrals.apps.ReferralsConfig",
    "marac.meetings.apps.MeetingsConfig",
    "marac.orders.apps.OrdersConfig",
    "marac.support.apps.SupportConfig",
    "marac.transfers.apps.TransfersConfig",
    "marac.audit.apps.AuditConfig",
    "marac.idempotency.apps.IdempotencyConfig",
    "marac.jobs.apps.JobsConfig",
    "permissions.apps.PermissionsConfig",
    "api.apps.ApiConfig",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "web.apps.WebConfig",
]

MIDDLEWARE = [
    "api.middleware.RequestIdMiddleware",
    "api.middleware.ApiResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.WebLoginRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "marac.urls"
WSGI_APPLICATION = "marac.wsgi.application"

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
                "web.context.web",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A restarted or unreachable database fails a request quickly instead of hanging it.
    _pg_options["connect_timeout"] = 5
    # Parameters are bound by the server, and a statement run a few times on a connection
    # is prepared there, so PostgreSQL parses each query shape once per connection rather
    # than on every request (bench/PROFILE.md). Each execution is still planned for its
    # own parameters (force_custom_plan): the best plan for the slice differs between an
    # agency on nine cases in ten and one on one in a hundred, and a cached generic plan
    # would serve one of them badly. MARAC_DB_PREPARE_THRESHOLD=off turns preparing off
    # (e.g. behind a transaction-pooling PgBouncer older than 1.21).
    _pg_options["server_side_binding"] = True
    _prepare = os.environ.get("MARAC_DB_PREPARE_THRESHOLD", "5").strip().lower()
    _pg_options["prepare_threshold"] = None if _prepare in ("off", "none", "") else int(_prepare)
    # No parallel plans: every answer is a page, and starting a parallel worker costs more
    # than it saves (a small agency's first page: 10-12 ms with one, 4 ms without) while
    # taking a core other requests are waiting for. Options given in DATABASE_URL
    # (`?options=-c ...`) come after these and win.
    _pg_options["options"] = " ".join(filter(None, [
        "-c plan_cache_mode=force_custom_plan -c max_parallel_workers_per_gather=0", _pg_options.get("options", "")]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # ModelBackend, reading a session's user with its membership and agency at once.
    "marac.agencies.backends.MemberBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian anonymous user: anonymous callers see nothing.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves the admin's and Swagger UI's files straight from the installed apps
# (WHITENOISE_USE_FINDERS), so nothing has to be collected and no folder has to exist.
# DJANGO_STATIC_ROOT names a folder for `collectstatic` only when a deployment wants one
# (e.g. for its proxy or a CDN to serve); unset, WhiteNoise has no folder to look for.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For.
# The client's address is the N-th entry from the right (marac.client_address); with 0,
# REMOTE_ADDR, and X-Forwarded-For is ignored. Throttles and the audit trail both use it.
try:
    MARAC_TRUSTED_PROXIES = int(os.environ.get("MARAC_TRUSTED_PROXIES", "0"))
except ValueError:
    MARAC_TRUSTED_PROXIES = -1
if MARAC_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("MARAC_TRUSTED_PROXIES must be a whole number of proxies, 0 or more.")
# `make run` sets MARAC_DEMO=1: the demo's people all log in from 127.0.0.1, so the
# per-address login budget is raised there (someone trying each role in turn, or the
# README's example, must not meet a 429); the per-username budget stays. The deploy
# check refuses MARAC_DEMO (marac.E002), so production keeps its defaults.
MARAC_DEMO = env_bool("MARAC_DEMO", False)
_THROTTLE_LOGIN = os.environ.get("MARAC_THROTTLE_LOGIN", "10/min")
_THROTTLE_LOGIN_ADDRESS = os.environ.get("MARAC_THROTTLE_LOGIN", "600/min" if MARAC_DEMO else _THROTTLE_LOGIN)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "marac.throttling.AnonRateThrottle",
        "marac.throttling.UserRateThrottle",
    ],
    # Only for a throttle not derived from marac.throttling: the same count of proxies.
    "NUM_PROXIES": MARAC_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("MARAC_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("MARAC_THROTTLE_USER", "1200/min"),
        "login": _THROTTLE_LOGIN_ADDRESS,  # per client address, API token and admin login together
        "login_username": os.environ.get("MARAC_THROTTLE_LOGIN_USERNAME", _THROTTLE_LOGIN),  # per username
    },
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored; a token expires
# MARAC_TOKEN_TTL after it is issued (no sliding refresh) and logout revokes it.
REST_KNOX = {
    "TOKEN_TTL": env_duration("MARAC_TOKEN_TTL", timedelta(hours=10)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MARAC coordination API",
    "DESCRIPTION": (
        "Shared case records, action plans and Stalking Protection Orders for the "
        "agencies of a MARAC in England and Wales. Each agency sees only its own slice: "
        "objects outside it answer 404, objects inside it that the caller may not change "
        "answer 403, bad input answers 400 with messages keyed by field."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "marac.cases.models.CaseStatus",
        "ReferralStatusEnum": "marac.referrals.models.ReferralStatus",
        "MeetingStatusEnum": "marac.meetings.models.MeetingStatus",
        "ActionStatusEnum": "marac.meetings.models.ActionStatus",
        "PackStatusEnum": "marac.meetings.models.PackStatus",
        "CarryOverReasonEnum": "marac.meetings.models.CarryOverReason",
        "ReasonEnum": "marac.referrals.models.ReferralReason",  # keep the published name
        "ContactChannelEnum": "marac.cases.models.ContactChannel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_trust_contract",
    ],
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "marac",
    }
}
if os.environ.get("CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }

# Celery: with no broker configured, tasks run in-process (eagerly) so the embedded
# default needs no server. Production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
if not CELERY_BROKER_URL:
    # Eager tasks still borrow a producer from the pool: the memory transport names its
    # host here so kombu has no default to announce ("No hostname was supplied").
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {
        "task": "marac.notifications.tasks.daily_sweep",
        "schedule": timedelta(hours=24),
    },
    # Unanswered SPO breaches are escalated within 15 minutes of their response deadline.
    "escalate-unanswered-breaches": {
        "task": "marac.orders.tasks.escalate_unanswered_breaches",
        "schedule": timedelta(minutes=15),
    },
    # Job rows the broker never got (it was down) or whose worker died.
    "dispatch-pending-jobs": {
        "task": "marac.jobs.tasks.dispatch_pending_jobs",
        "schedule": timedelta(seconds=int(os.environ.get("MARAC_JOB_SWEEP_SECONDS", "60"))),
    },
}

# Security headers; production (DEBUG off behind TLS) turns on the rest via env.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No file uploads exist (JSON only; meeting packs are files the server writes): a request
# body above MARAC_MAX_BODY_BYTES (default 1 MiB) is refused with 413 naming the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MARAC_MAX_BODY_BYTES", str(1024 * 1024)))
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# Cookies are sent over TLS only unless DEBUG is on (or `make run`'s demo, served over
# plain http on 127.0.0.1); DJANGO_SECURE_COOKIES=0/1 decides it explicitly.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not MARAC_DEMO)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY") else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Domain settings.
MARAC_NAME = os.environ.get("MARAC_NAME", "Northshire MARAC")  # printed on the meeting pack
MARAC_CONFIDENTIALITY_STATEMENT = (
    "This information is shared under the MARAC information sharing agreement for the "
    "purpose of reducing risk of serious harm. It is confidential, must be used only for "
    "that purpose and must not be shared further without the agreement of the MARAC."
)
# A reported SPO breach with no police response after this many hours is flagged by the sweep.
MARAC_BREACH_RESPONSE_HOURS = int(os.environ.get("MARAC_BREACH_RESPONSE_HOURS", "24"))
# A request that police consider an SPO with no police answer after this many days is flagged to them.
MARAC_SPO_REQUEST_RESPONSE_DAYS = int(os.environ.get("MARAC_SPO_REQUEST_RESPONSE_DAYS", "7"))
# SafeLives' recommended values for the MARAC data return (marac/reports/figures.py), one
# row per figure: `share` ranges are fractions of cases discussed; `per_10000_adult_women_a_year`
# scales with the MARAC's adult_female_population and the period's length. A deployment
# changes or adds rows here (figures without a row show no recommendation). See README "Reports".
MARAC_RECOMMENDED = {
    "cases_discussed": {"per_10000_adult_women_a_year": 40},
    "repeat_cases": {"min_share": 0.28, "max_share": 0.40},
}
# Counts from 1 to this number are written "fewer than 5" in report exports that leave the
# MARAC (CSV): statistical disclosure control.
MARAC_REPORT_SUPPRESS_BELOW = 5
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "KindEnum": "marac.agencies.models.AgencyKind",  # keeps the agency kind's published component name
    "OrderKindEnum": "marac.orders.models.OrderKind",
    "OrderStatusEnum": "marac.orders.models.OrderStatus",
    "RequirementKindEnum": "marac.orders.models.RequirementKind",
    "RequirementStatusEnum": "marac.orders.models.RequirementStatus",
    "ComplianceEventKindEnum": "marac.orders.models.ComplianceEventKind",
    "BreachStatusEnum": "marac.orders.models.BreachStatus",
    "BreachKindEnum": "marac.orders.models.BreachKind",
    "NotifiableChangeKindEnum": "marac.orders.models.NotifiableChangeKind",
    "SupportPlanStatusEnum": "marac.support.models.SupportPlanStatus",
    "TransferStatusEnum": "marac.transfers.models.TransferStatus",
    "TransferReasonEnum": "marac.transfers.models.TransferReason",
})

# The web app (web/): GOV.UK-styled forms, sign-in, sessions.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
# A session ends after this many minutes without a request (each request slides the
# expiry, written at most once a minute: web.middleware.SlidingSessionMiddleware) and
# on sign out.
MARAC_WEB_SESSION_IDLE_MINUTES = int(os.environ.get("MARAC_WEB_SESSION_IDLE_MINUTES", "30"))
if MARAC_WEB_SESSION_IDLE_MINUTES <= 0:
    raise ImproperlyConfigured("MARAC_WEB_SESSION_IDLE_MINUTES must be a positive number of minutes.")
SESSION_COOKIE_AGE = MARAC_WEB_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_SAMESITE = "Lax"
