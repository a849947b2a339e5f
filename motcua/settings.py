"""motcua settings: everything comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from motcua.lib.dbrouter import DEFAULT_READ_PATHS
from motcua.lib.env import (
    database_config,
    env_bool,
    env_date,
    env_int,
    env_list,
    env_log_level,
    env_str,
)
from motcua.lib.proxies import parse_trusted_proxies  # guessing budgets (issue 16)
from motcua.lib.servecheck import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(Path.cwd() / "var"))).resolve()

ENVIRONMENT = env_str("MOTCUA_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"MOTCUA_ENV={ENVIRONMENT!r} must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("MOTCUA_DEBUG", False)
SECRET_KEY = env_str("MOTCUA_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("MOTCUA_SECRET_KEY must be set when MOTCUA_ENV=production")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Second factor (TOTP) for officers and administrators (issue 16; motcua/people/totp.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "motcua.audit",
    "motcua.documents",
    "motcua.workcalendar",
    "motcua.units",
    "motcua.people",
    "motcua.procedures",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.assignments",
    "motcua.notices",
    "motcua.stats",
    "motcua.portal",
    "motcua.reports",
    "motcua.index766",
    "motcua.par",
    "motcua.national",
    "motcua.web",
    "motcua.demo",
    "motcua.console",
    # Background work (docs/decisions/0002-task-queue.md): the queue and its admin.
    "django_tasks",
    "motcua.worker.store.QueueStoreConfig",  # django_tasks_db, named in Vietnamese
    "motcua.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.lib.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel compressed (the intake page: ~7 KB of HTML as ~2 KB). Django's middleware
    # pads the gzip header randomly against BREACH-style length attacks (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The change tokens of the per-process caches, read once per GET (motcua/audit/stamps.py).
    "motcua.audit.stamps.RequestTokensMiddleware",
    "motcua.lib.idle.IdleSessionMiddleware",
    "motcua.lib.locale.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor (TOTP, issue 16): who has given a code; ask the others for it.
    "django_otp.middleware.OTPMiddleware",
    "motcua.web.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: counting pages read from the replica, if one is configured (docs/deployment.md).
    "motcua.lib.dbrouter.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
# Form widgets (inputs, selects, textareas) rendered in Python, byte for byte as Django's
# templates would (issue 16: a third of a form page's CPU went to widget templates).
FORM_RENDERER = "motcua.lib.fastwidgets.FastRenderer"

# Persistent connections only when asked for: under a threaded server every thread would keep
# its own connection open (a 1M-dossier benchmark exhausted PostgreSQL's slots that way).
# perfweb (issue 16): in production (gunicorn, a fixed number of worker processes) a
# PostgreSQL connection is kept 60 s by default, checked before reuse (CONN_HEALTH_CHECKS):
# opening one per request took the load benchmark's p95 from 227 to 557 ms.
DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", ""),
        var_dir=VAR_DIR,
        conn_max_age=env_int("MOTCUA_DB_CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replica (docs/deployment.md): statistics, index and report pages read from a streaming
# replica of the primary when MOTCUA_REPLICA_DATABASE_URL names one; writes stay on `default`.
_REPLICA_URL = env_str("MOTCUA_REPLICA_DATABASE_URL", "")
if _REPLICA_URL:
    DATABASES["replica"] = database_config(
        _REPLICA_URL,
        var_dir=VAR_DIR,
        variable="MOTCUA_REPLICA_DATABASE_URL",
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
    )
    if not (
        DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]
        and "postgresql" in DATABASES["default"]["ENGINE"]
    ):
        raise ImproperlyConfigured(
            "MOTCUA_REPLICA_DATABASE_URL must name a replica of the DATABASE_URL database "
            "(same engine, PostgreSQL streaming replication)"
        )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests see the replica as the primary itself (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["motcua.lib.dbrouter.ReplicaRouter"]
MOTCUA_REPLICA_READ_PATHS = env_list("MOTCUA_REPLICA_READ_PATHS", list(DEFAULT_READ_PATHS))
# models.W040: SQLite ignores the included columns of a covering index; PostgreSQL, the
# production database, uses them (dossier statistics, docs/performance.md).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# fields.W161 ("fixed default value") fires for the working hours' TimeField defaults (07:00,
# 11:30, 13:30, 17:00: fixed on purpose) whenever a check runs within ten seconds of one of
# those times of day (UTC): a check that passed or failed by the clock.
SILENCED_SYSTEM_CHECKS.append("fields.W161")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
with contextlib.suppress(OSError):  # collected assets go here; finders serve them meanwhile
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` also writes a .gz of every asset; WhiteNoise serves it to browsers that
    # accept gzip (pico + htmx: 135 KB as ~30 KB).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Development and tests serve the sources through the finders; production serves what
# `collectstatic` wrote (with the .gz files), so assets travel compressed there.
WHITENOISE_USE_FINDERS = ENVIRONMENT != "production"
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MOTCUA_MEDIA_DIR", str(VAR_DIR / "media"))).resolve()
# Largest uploaded file accepted (components, supplements, results), in MiB.
MOTCUA_MAX_UPLOAD_MB = env_int("MOTCUA_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# First day papers use the Circular 03/2025/TT-VPCP forms [unconfirmed] (docs/documents.md).
MOTCUA_TT03_2025_FROM = env_date("MOTCUA_TT03_2025_FROM", "2025-07-01")
# How a catalogue time limit written "N Ngày" (no "làm việc") is read [unconfirmed]: as
# calendar days (Civil Code, Arts. 147-148) or as working days (docs/procedures.md).
MOTCUA_BARE_DAY_UNIT = env_str("MOTCUA_BARE_DAY_UNIT", "calendar_days").strip()
if MOTCUA_BARE_DAY_UNIT not in {"calendar_days", "working_days"}:
    raise ImproperlyConfigured(
        f"MOTCUA_BARE_DAY_UNIT={MOTCUA_BARE_DAY_UNIT!r} must be calendar_days or working_days"
    )
# Public base URL printed in the QR codes of papers (look-up page /tra-cuu/).
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Public dossier look-ups (/tra-cuu/, /danh-gia/ by code + last four digits): at most COUNT
# per client address in each WINDOW of seconds; guessing codes must stay slow.
MOTCUA_LOOKUP_RATE_COUNT = env_int("MOTCUA_LOOKUP_RATE_COUNT", 20, minimum=1)
MOTCUA_LOOKUP_RATE_WINDOW = env_int("MOTCUA_LOOKUP_RATE_WINDOW", 600, minimum=1)
# Guessing budgets (issue 16, item 3; motcua/lib/ratelimit.py): after FAILURES wrong
# look-ups of one dossier code the code is locked for the rest of a window of LOCK seconds,
# whatever the address; sign-in: FAILURES wrong passwords per account in each window.
# Client addresses come from X-Forwarded-For only when REMOTE_ADDR is a trusted proxy.
MOTCUA_LOOKUP_CODE_FAILURES = env_int("MOTCUA_LOOKUP_CODE_FAILURES", 5, minimum=1)
MOTCUA_LOOKUP_CODE_LOCK = env_int("MOTCUA_LOOKUP_CODE_LOCK", 3600, minimum=1)
MOTCUA_SIGN_IN_ACCOUNT_FAILURES = env_int("MOTCUA_SIGN_IN_ACCOUNT_FAILURES", 10, minimum=1)
MOTCUA_SIGN_IN_ACCOUNT_WINDOW = env_int("MOTCUA_SIGN_IN_ACCOUNT_WINDOW", 900, minimum=1)
MOTCUA_TRUSTED_PROXIES = parse_trusted_proxies(env_str("MOTCUA_TRUSTED_PROXIES", ""))
# Second factor (TOTP) for staff: when on, Django admin users must enrol and use it.
MOTCUA_REQUIRE_TOTP_FOR_STAFF = env_bool("MOTCUA_REQUIRE_TOTP_FOR_STAFF", False)
OTP_TOTP_ISSUER = env_str("MOTCUA_TOTP_ISSUER", "motcua")
# How long a write is remembered for its Idempotency-Key / form token (a repeat replays it).
MOTCUA_IDEMPOTENCY_TTL_HOURS = env_int("MOTCUA_IDEMPOTENCY_TTL_HOURS", 24, minimum=1)
# LibreOffice executable for DOCX → PDF (found on PATH when empty).
MOTCUA_SOFFICE = env_str("MOTCUA_SOFFICE", "")
# Signed papers (issue 16, signing): per owner (unit code) a PKCS#12 file and the NAME of the
# environment variable holding its passphrase, as JSON ({"C1": {"pkcs12": "/etc/motcua/c1.p12",
# "passphrase_env": "MOTCUA_SIGNING_PASS_C1"}}); trusted roots: PEM paths separated by ":".
# Keys never live in the repository; a unit without a key issues unsigned papers.
MOTCUA_SIGNING_KEYS = env_str("MOTCUA_SIGNING_KEYS", "")
MOTCUA_SIGNING_TRUST_ROOTS = env_str("MOTCUA_SIGNING_TRUST_ROOTS", "")
# Feedback league tables rank a unit or an officer only with at least this many items in the
# window (feedback.md §10: a unit with one item must not top the table).
MOTCUA_FEEDBACK_RANKING_MIN = env_int("MOTCUA_FEEDBACK_RANKING_MIN", 10, minimum=1)
# Feedback (PAKN): calendar days after an answer during which it can still be rated before
# the item is closed [unconfirmed]; whether public channels must give a phone or e-mail.
MOTCUA_FEEDBACK_RATING_DAYS = env_int("MOTCUA_FEEDBACK_RATING_DAYS", 7, minimum=1)
MOTCUA_FEEDBACK_CONTACT_REQUIRED = env_bool("MOTCUA_FEEDBACK_CONTACT_REQUIRED", True)
# The 766 league table (/chi-so/xep-hang/) ranks a unit only with at least this many dossiers
# counted in the period; early warnings look this many working hours ahead by default.
MOTCUA_INDEX_LEAGUE_MIN = env_int("MOTCUA_INDEX_LEAGUE_MIN", 30, minimum=1)
MOTCUA_INDEX_WARN_HOURS = env_int("MOTCUA_INDEX_WARN_HOURS", 8, minimum=1)

# Notices to applicants (docs/configuration.md): e-mail through Django's mail backend; SMS
# and Zalo through "console", "file" (one text file per notice in MOTCUA_NOTICES_DIR), "off"
# or the dotted path of a gateway class with a send(notice) method (motcua/notices/backends.py).
EMAIL_BACKEND = env_str(
    "MOTCUA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MOTCUA_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("MOTCUA_EMAIL_FROM", "motcua@localhost")
MOTCUA_NOTICES_DIR = Path(env_str("MOTCUA_NOTICES_DIR", str(VAR_DIR / "notices"))).resolve()
_NOTICE_BACKEND = r"console|file|off|[A-Za-z_]\w*(\.[A-Za-z_]\w*)+"
MOTCUA_SMS_BACKEND = env_str("MOTCUA_SMS_BACKEND", "off" if PRODUCTION else "console").strip()
MOTCUA_ZALO_BACKEND = env_str("MOTCUA_ZALO_BACKEND", "off" if PRODUCTION else "console").strip()
for _name, _value in (
    ("MOTCUA_SMS_BACKEND", MOTCUA_SMS_BACKEND),
    ("MOTCUA_ZALO_BACKEND", MOTCUA_ZALO_BACKEND),
):
    if not re.fullmatch(_NOTICE_BACKEND, _value):
        raise ImproperlyConfigured(
            f"{_name}={_value!r} must be console, file, off or a dotted path to a class"
        )

# The citizens' portal (docs/portal.md). Online payment of fees: "demo" (a local page that
# records payments without money, refused in production), a dotted path to a gateway class,
# or empty for none (fees are paid at the one-stop desk).
MOTCUA_PAYMENT_GATEWAY = env_str("MOTCUA_PAYMENT_GATEWAY", "" if PRODUCTION else "demo").strip()
if MOTCUA_PAYMENT_GATEWAY == "demo" and PRODUCTION:
    raise ImproperlyConfigured("MOTCUA_PAYMENT_GATEWAY=demo records payments without money")
if MOTCUA_PAYMENT_GATEWAY not in {"", "demo"} and not re.fullmatch(
    r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", MOTCUA_PAYMENT_GATEWAY
):
    raise ImproperlyConfigured(
        f"MOTCUA_PAYMENT_GATEWAY={MOTCUA_PAYMENT_GATEWAY!r} must be empty, demo or a dotted path"
    )
# How applicants sign in: "password" (e-mail or phone + password) and providers written
# name=dotted.path.Class, e.g. a national e-ID client (motcua.portal.identity).
MOTCUA_IDENTITY_PROVIDERS = env_list("MOTCUA_IDENTITY_PROVIDERS", ["password"])
for _entry in MOTCUA_IDENTITY_PROVIDERS:
    if not re.fullmatch(r"password|[a-z][a-z0-9_-]*=[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", _entry):
        raise ImproperlyConfigured(
            f"MOTCUA_IDENTITY_PROVIDERS: {_entry!r} is neither password nor name=dotted.path"
        )
# Appointments booked on the portal (docs/portal.md "Đặt lịch hẹn"): slot length in minutes,
# bookings per slot and desk, how many days ahead; home visits (tiếp nhận tại nhà) only for
# the listed procedure codes and desk unit codes ("*" = all, empty = none).
MOTCUA_APPOINTMENT_SLOT_MINUTES = env_int("MOTCUA_APPOINTMENT_SLOT_MINUTES", 30, minimum=5)
MOTCUA_APPOINTMENT_SLOT_CAPACITY = env_int("MOTCUA_APPOINTMENT_SLOT_CAPACITY", 2, minimum=1)
MOTCUA_APPOINTMENT_DAYS_AHEAD = env_int("MOTCUA_APPOINTMENT_DAYS_AHEAD", 14, minimum=1)
MOTCUA_HOME_VISIT_PROCEDURES = env_list("MOTCUA_HOME_VISIT_PROCEDURES", ["*"])
MOTCUA_HOME_VISIT_UNITS = env_list("MOTCUA_HOME_VISIT_UNITS", ["*"])
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # officers: user name + password
    "motcua.portal.auth.ApplicantBackend",  # applicants: e-mail or phone + password
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Officers are signed out after this many minutes without a request, sliding [unconfirmed]
# (motcua/lib/idle.py); 0 = never. Applicants keep Django's session age.
MOTCUA_SESSION_IDLE_MINUTES = env_int("MOTCUA_SESSION_IDLE_MINUTES", 30, minimum=0)
# HTTPS in production (docs/security.md): HSTS for a year, HTTP redirected to HTTPS. Behind a
# reverse proxy that terminates TLS, set MOTCUA_PROXY_SSL_HEADER=X-Forwarded-Proto (and have the
# proxy overwrite that header), or every request looks like plain HTTP and redirects forever.
SECURE_HSTS_SECONDS = env_int("MOTCUA_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("MOTCUA_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Submitting the domain to the browsers' preload list is the domain owner's decision (hard
    # to undo for months); without it, check --deploy's reminder is noise.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", PRODUCTION)
_PROXY_SSL_HEADER = env_str("MOTCUA_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", _PROXY_SSL_HEADER):
        raise ImproperlyConfigured(
            f"MOTCUA_PROXY_SSL_HEADER={_PROXY_SSL_HEADER!r} must be a header name, "
            "e.g. X-Forwarded-Proto"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then answers 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's defaults, the browsable API without its inline <style> (Content-Security-Policy).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "motcua.api.renderers.BrowsableAPIRenderer",
    ],
    # Issue 16 item 4 (apidoc): codes, numbers and dates in filters refuse foreign digits,
    # instants refuse a missing time zone; errors are JSON with a Vietnamese detail.
    "DEFAULT_FILTER_BACKENDS": ["motcua.lib.apiinput.StrictFilterBackend"],
    "EXCEPTION_HANDLER": "motcua.lib.apierrors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "motcua.lib.apiinput.PageNumberPagination",
    "PAGE_SIZE": env_int("MOTCUA_API_PAGE_SIZE", 50, minimum=1),
    # Every operation documents its 400/401/403/404/409 answers (motcua/lib/apischema.py).
    "DEFAULT_SCHEMA_CLASS": "motcua.lib.apischema.AutoSchema",
}
# Issue 16 item 4 (apidoc): a CSRF failure under /api/ answers JSON (motcua/lib/apierrors.py).
CSRF_FAILURE_VIEW = "motcua.lib.apierrors.csrf_failure"

SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "API của nền tảng một cửa motcua — the motcua one-stop platform API.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "motcua.units.choices.UnitKind",
        "SuccessionKindEnum": "motcua.units.choices.SuccessionKind",
        "FileKindEnum": "motcua.dossiers.choices.FileKind",
        "PauseKindEnum": "motcua.dossiers.choices.PauseKind",
        # The return_result action offers the three ways with its own labels.
        "ResultDeliveryEnum": "motcua.dossiers.actions.DELIVERY_CHOICES",
        "DeliveryEnum": "motcua.dossiers.choices.Delivery",
        "TaskStatusEnum": "motcua.assignments.choices.TaskStatus",
        "SyncStatusEnum": "motcua.national.api.serializers.SYNC_STATUSES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_log_level("MOTCUA_LOG_LEVEL", "WARNING")},
}

# Background work (docs/decisions/0002-task-queue.md): jobs are rows in the database, run by
# `motcua worker`. `immediate` runs each job in the process that enqueues it, right after the
# commit (`make run` and the tests; no worker needed, no retry with delay).
MOTCUA_TASKS_BACKEND = env_str("MOTCUA_TASKS_BACKEND", "database").strip()
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if MOTCUA_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"MOTCUA_TASKS_BACKEND={MOTCUA_TASKS_BACKEND!r}: must be one of database, immediate"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[MOTCUA_TASKS_BACKEND]}}
