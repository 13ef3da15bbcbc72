"""Kontakt's one settings module. Everything that differs between a laptop and
production is an environment variable (see README, "Configuration"); with none
set, Kontakt runs on the embedded default: SQLite and a file broker under
var/, e-mail and SMS printed to the console."""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY Kontakt runs with a development key whose name makes
# `manage.py check --deploy` refuse it, so it never reaches production.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-kontakt-development-key-do-not-use-in-production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "allauth",
    "allauth.account",
    "accounts.mfa_apps.MFAConfig",  # allauth.mfa under a Swedish name
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "accounts",
    "cases",
    "notifications",
    "portal",
    "stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may answer (static files, error pages), so
    # every response carries the policies (README, "Security").
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.AdminStylesMiddleware",
    # NUL bytes and broken UTF-8 get a 400 before anything reads them.
    "core.middleware.RejectBadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.errors.MethodNotAllowedPage",
    "accounts.sessions.SessionTimeoutMiddleware",
]

ROOT_URLCONF = "kontakt.urls"
WSGI_APPLICATION = "kontakt.wsgi.application"

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
                "kontakt.context_processors.municipality",
                "accounts.context_processors.session_timeout",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kontakt.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the workers share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/handlaggning/"

# Cache and broker: Redis when REDIS_URL is set, otherwise files under var/.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: what the pages keep in the cache they can work
    # out again (core.cache), so an unreachable Redis must cost a second at
    # most, not hang the request.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "data_folder_processed": str(_broker_dir / "processed"),
        "store_processed": False,
        # kombu's broadcast (worker control) files; its default is ./control.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Stockholm"
# ---- Celery beat: a static schedule (notifications work) ----
# Static rather than django-celery-beat: three fixed jobs, no tables, and the
# same schedule everywhere. Every job is an idempotent sweep over the database,
# so a missed or doubled run does no harm, and nothing is scheduled days ahead.

CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.tasks.outbox_sweep", "schedule": 60.0},
    "deadline-flags": {"task": "cases.tasks.deadline_flags_update", "schedule": crontab(minute=5)},
    "deadline-digest": {
        "task": "cases.tasks.deadline_digests_send",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# ---- end of the notifications block ----

# ---- Resilience: workers that outlive a broker restart, /healthz ----
# Every minute a worker records that beat ran (core.Heartbeat, read by /healthz).
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {"task": "core.tasks.beat_heartbeat", "schedule": 60.0}
# Hourly: forget the public form's rate-limit windows that have ended.
CELERY_BEAT_SCHEDULE["submission-counts-purge"] = {
    "task": "portal.tasks.submission_counts_purge",
    "schedule": crontab(minute=17),
}
# The Redis broker's transport options. A publish (a web request handing a
# message over after commit) tries the broker once and fails fast when it is
# down (max_retries 0: the outbox row waits for the sweep), instead of kombu's
# default of retrying for broker_connection_timeout (about 6 s per request).
# The worker's own reconnect loop ignores max_retries and follows
# CELERY_BROKER_CONNECTION_MAX_RETRIES (None: for ever). Keepalive and a
# health check notice a dead connection (a restarted Redis) within seconds.
KONTAKT_REDIS_TRANSPORT_OPTIONS: dict[str, Any] = {
    "max_retries": 0,
    "socket_connect_timeout": 2,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
if REDIS_URL:
    CELERY_BROKER_CONNECTION_RETRY = True
    CELERY_BROKER_CONNECTION_MAX_RETRIES = None
    CELERY_BROKER_TRANSPORT_OPTIONS = KONTAKT_REDIS_TRANSPORT_OPTIONS
    # The task a lost connection interrupts is redelivered (acks_late; the
    # outbox row makes a second run harmless), so the worker need not wait
    # for it before reconnecting.
    CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# /healthz warns when the oldest pending outbox message is older than this,
# or when beat last ran longer ago than this.
KONTAKT_HEALTH_OUTBOX_WARN_SECONDS = env.int("KONTAKT_HEALTH_OUTBOX_WARN_SECONDS", default=600)
KONTAKT_HEALTH_BEAT_WARN_SECONDS = env.int("KONTAKT_HEALTH_BEAT_WARN_SECONDS", default=180)
# ---- end of the resilience block ----

SESSION_ENGINE = "core.sessions"
# Session lengths by kind of user (accounts/sessions.py). Citizens: until the
# browser closes and at most this long without a request. Staff: this long
# without a request, and at most one working day after sign-in.
KONTAKT_CITIZEN_IDLE_MINUTES = env.int("KONTAKT_CITIZEN_IDLE_MINUTES", default=30)
KONTAKT_STAFF_IDLE_MINUTES = env.int("KONTAKT_STAFF_IDLE_MINUTES", default=60)
KONTAKT_STAFF_SESSION_HOURS = env.int("KONTAKT_STAFF_SESSION_HOURS", default=8)
# Nothing outlives the longest of them (a staff member's working day).
SESSION_COOKIE_AGE = KONTAKT_STAFF_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
# Ask browsers to put the domain on their HSTS preload lists; only with
# SECURE_HSTS_SECONDS of a year or more and SECURE_HSTS_INCLUDE_SUBDOMAINS.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# The container's health check calls /healthz over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Case numbers and search words sit in back-office URLs: no other site learns
# them from a Referer (not even the origin), while our own pages keep theirs.
SECURE_REFERRER_POLICY = "same-origin"
# Over HTTPS the session and CSRF cookies carry the __Host- prefix: the
# browser then accepts them only from this exact host, over HTTPS, for path /
# (no subdomain can set or overwrite them).
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None

# Language: Swedish first and complete, English selectable.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Files browsers and crawlers ask for at the site's root (favicon.ico,
# robots.txt), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "webroot"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Attachments are never served by URL from MEDIA_ROOT: views check access first.
MEDIA_URL = "/_media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console in the embedded default, SMTP when EMAIL_URL is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kontakt <kontakt@example.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: "console" or "twilio".
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
# Where the twilio client sends its API calls; only tests point it elsewhere.
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")

# ---- Notifications (notifications/; see docs/notifications.md) ----
# Seconds an SMTP command or a Twilio request may take before it fails.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
TWILIO_TIMEOUT = env.int("TWILIO_TIMEOUT", default=30)
# Twilio calls this back with delivery statuses; off when SITE_URL is not
# reachable from the internet.
TWILIO_STATUS_CALLBACK = env.bool("TWILIO_STATUS_CALLBACK", default=SITE_URL.startswith("https://"))
# The domain in the Message-ID of outgoing e-mail.
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str(
    "NOTIFICATIONS_MESSAGE_ID_DOMAIN",
    default=DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "kontakt.invalid",
)
# The sweep re-dispatches a pending message this long after it was due.
NOTIFICATIONS_SWEEP_AFTER_SECONDS = env.int("NOTIFICATIONS_SWEEP_AFTER_SECONDS", default=120)
# A message left "sending" this long is taken to belong to a worker that
# died; it must exceed the longest provider call (EMAIL_TIMEOUT, TWILIO_TIMEOUT).
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = env.int("NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", default=300)
# Transient failures retry after base * 2^(attempt-1) seconds, capped.
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=900)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=10)
# A worker claims up to this many due messages at once and sends them over
# one SMTP connection; also the most a worker killed mid-batch can leave to
# be sent again (docs/notifications.md, "Delivery guarantee").
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=50)
NOTIFICATIONS_SMS_MAX_CHARS = env.int("NOTIFICATIONS_SMS_MAX_CHARS", default=320)
# On SQLite (the embedded default) web, worker threads and beat share one
# file: transactions take the write lock when they begin and wait for it
# (the busy timeout) rather than failing with "database is locked" when a
# read turns into a write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
# ---- end of the notifications block ----

# django-allauth: staff sign in with e-mail and password plus TOTP; citizens
# through an OpenID Connect broker (see portal/).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Failed staff sign-ins (a wrong password or TOTP code): per address, a high
# ceiling, so one person's typing errors never lock out a whole office behind
# one proxy; per account, accounts.throttle's lock with a doubling backoff.
ACCOUNT_RATE_LIMITS = {"login_failed": env.str("KONTAKT_SIGNIN_FAILURES_PER_ADDRESS", default="50/15m/ip")}
KONTAKT_SIGNIN_FREE_FAILURES = env.int("KONTAKT_SIGNIN_FREE_FAILURES", default=5)
KONTAKT_SIGNIN_LOCK_SECONDS = env.int("KONTAKT_SIGNIN_LOCK_SECONDS", default=60)
KONTAKT_SIGNIN_LOCK_MAX_SECONDS = env.int("KONTAKT_SIGNIN_LOCK_MAX_SECONDS", default=3600)
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The recovery codes are shown once, right after TOTP is set up; later the
# member of staff can only make new ones (which are then shown once).
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TOTP_ISSUER = env.str("KONTAKT_MUNICIPALITY_NAME", default="Burlövs kommun") + " Kontakt"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False

# The municipality.
KONTAKT_MUNICIPALITY_NAME = env.str("KONTAKT_MUNICIPALITY_NAME", default="Burlövs kommun")
KONTAKT_SERVICE_NAME = env.str("KONTAKT_SERVICE_NAME", default="Kontakt Burlöv")
KONTAKT_CASE_PREFIX = env.str("KONTAKT_CASE_PREFIX", default="KB")
KONTAKT_RESPONSE_WORKING_DAYS = env.int("KONTAKT_RESPONSE_WORKING_DAYS", default=10)
KONTAKT_NEAR_DEADLINE_WORKING_DAYS = env.int("KONTAKT_NEAR_DEADLINE_WORKING_DAYS", default=2)
KONTAKT_LOCAL_TIME_ZONE = "Europe/Stockholm"
KONTAKT_MAX_ATTACHMENTS = env.int("KONTAKT_MAX_ATTACHMENTS", default=5)
KONTAKT_MAX_ATTACHMENT_MB = env.int("KONTAKT_MAX_ATTACHMENT_MB", default=10)
KONTAKT_DESCRIPTION_MAX_CHARS = env.int("KONTAKT_DESCRIPTION_MAX_CHARS", default=5000)
# How many days the satisfaction survey of a case closed as answered stays
# open (the link in the closing notice and the prompt on Mina sidor).
KONTAKT_SURVEY_DAYS = env.int("KONTAKT_SURVEY_DAYS", default=30)
# The public form's rate limit (portal/ratelimit.py, counted in the database):
# cases per browser session per hour, and per client address per hour, the
# latter sized for a school, library or mobile operator's shared address.
KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = env.int("KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR", default=10)
KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = env.int("KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR", default=200)
# Requests to the tracking link's page per client address per hour
# (portal/tracking.py; counted like the form's, in the database).
KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR = env.int("KONTAKT_TRACKING_PER_ADDRESS_PER_HOUR", default=200)
# The adopted guideline the staff guide links to (cases/views/content.py):
# its name, diary number and adoption, and where to read it (empty: the
# guide names it without a link).
KONTAKT_GUIDELINE_NAME = env.str("KONTAKT_GUIDELINE_NAME", default="Riktlinjer för synpunktshantering – Kontakt Burlöv")
KONTAKT_GUIDELINE_REFERENCE = env.str("KONTAKT_GUIDELINE_REFERENCE", default="KS/2020:207-003")
KONTAKT_GUIDELINE_ADOPTED = env.str(
    "KONTAKT_GUIDELINE_ADOPTED", default="antagna av centrala ledningsgruppen 2020-02-25"
)
KONTAKT_GUIDELINE_URL = env.str("KONTAKT_GUIDELINE_URL", default="")
# A demo mode prints demo accounts; never on in production.
KONTAKT_DEMO = env.bool("KONTAKT_DEMO", default=False)
# The municipality's phone number in the texts that tell people to call;
# empty: they say "call the municipality's switchboard". The demo uses
# Burlöv's number.
KONTAKT_PHONE = env.str("KONTAKT_PHONE", default="040-625 60 00" if KONTAKT_DEMO else "")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Portal (public intake form).
# Shortest description that makes sense; the longest is KONTAKT_DESCRIPTION_MAX_CHARS.
KONTAKT_DESCRIPTION_MIN_CHARS = env.int("KONTAKT_DESCRIPTION_MIN_CHARS", default=10)
# All attachments of one case together; each file is also held to KONTAKT_MAX_ATTACHMENT_MB.
KONTAKT_MAX_ATTACHMENTS_TOTAL_MB = env.int("KONTAKT_MAX_ATTACHMENTS_TOTAL_MB", default=25)
# Pixels a photo may have (width × height), checked from its header before
# anything decodes it; well below Pillow's own decompression-bomb limit.
KONTAKT_MAX_IMAGE_PIXELS = env.int("KONTAKT_MAX_IMAGE_PIXELS", default=40_000_000)
# An optional virus scan of every upload by ClamAV's clamd:
# tcp://host:3310 or unix:///run/clamav/clamd.ctl; empty switches it off.
# When set and clamd cannot be reached, uploads are refused ("try again").
KONTAKT_CLAMD_URL = env.str("KONTAKT_CLAMD_URL", default="")
KONTAKT_CLAMD_TIMEOUT = env.float("KONTAKT_CLAMD_TIMEOUT", default=10.0)
# Coordinates of a fault report must lie in this box: south, west, north, east
# (default: Sweden). A municipality may narrow it to its own area.
KONTAKT_COORDINATE_BOUNDS = env.list("KONTAKT_COORDINATE_BOUNDS", cast=float, default=[55.0, 10.5, 69.5, 24.5])
# Behind a reverse proxy (BEHIND_PROXY) the client address is read from
# X-Forwarded-For, PROXY_HOPS entries from the right (one per proxy of ours
# that appends to the header): core.network.client_address. allauth's own
# reading of the header is configured with the same values.
KONTAKT_BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
KONTAKT_PROXY_HOPS = max(1, env.int("PROXY_HOPS", default=1))
ALLAUTH_TRUSTED_PROXY_COUNT = KONTAKT_PROXY_HOPS if KONTAKT_BEHIND_PROXY else 0

# ---------------------------------------------------------------------------
# Citizen sign-in (Mina sidor): e-legitimation (BankID, Freja eID) through an
# OpenID Connect broker, following the Swedish OpenID Connect profile for
# e-identification. See docs/mina-sidor.md.

# The development identity provider (devidp/) with test persons. Never on in
# production: `make run` and the test settings (kontakt/settings_test.py) turn
# it on. `manage.py check --deploy` refuses it.
KONTAKT_DEV_IDP = env.bool("KONTAKT_DEV_IDP", default=False)
KONTAKT_OIDC_PROVIDER_ID = env.str("KONTAKT_OIDC_PROVIDER_ID", default="eid")
KONTAKT_OIDC_NAME = env.str("KONTAKT_OIDC_NAME", default="e-legitimation")
KONTAKT_OIDC_CLIENT_ID = env.str("KONTAKT_OIDC_CLIENT_ID", default="")
KONTAKT_OIDC_CLIENT_SECRET = env.str("KONTAKT_OIDC_CLIENT_SECRET", default="")
KONTAKT_OIDC_SERVER_URL = env.str("KONTAKT_OIDC_SERVER_URL", default="")
KONTAKT_OIDC_SCOPES = env.list(
    "KONTAKT_OIDC_SCOPES",
    default=["openid", "https://id.oidc.se/scope/naturalPersonNumber", "https://id.oidc.se/scope/naturalPersonInfo"],
)
KONTAKT_OIDC_PERSONAL_NUMBER_CLAIM = env.str(
    "KONTAKT_OIDC_PERSONAL_NUMBER_CLAIM", default="https://id.oidc.se/claim/personalIdentityNumber"
)
KONTAKT_OIDC_COORDINATION_NUMBER_CLAIM = env.str(
    "KONTAKT_OIDC_COORDINATION_NUMBER_CLAIM", default="https://id.oidc.se/claim/coordinationNumber"
)
KONTAKT_OIDC_GIVEN_NAME_CLAIM = env.str("KONTAKT_OIDC_GIVEN_NAME_CLAIM", default="given_name")
KONTAKT_OIDC_FAMILY_NAME_CLAIM = env.str("KONTAKT_OIDC_FAMILY_NAME_CLAIM", default="family_name")
# The level asked for (acr_values) and the levels accepted on the returned acr.
KONTAKT_OIDC_REQUIRED_ACR = env.str("KONTAKT_OIDC_REQUIRED_ACR", default="http://id.elegnamnden.se/loa/1.0/loa3")
KONTAKT_OIDC_ACCEPTED_ACR = env.list(
    "KONTAKT_OIDC_ACCEPTED_ACR",
    default=[
        KONTAKT_OIDC_REQUIRED_ACR,
        "http://id.elegnamnden.se/loa/1.0/loa4",
        "http://id.elegnamnden.se/loa/1.0/eidas-sub",
        "http://id.elegnamnden.se/loa/1.0/eidas-high",
    ],
)
KONTAKT_OIDC_FETCH_USERINFO = env.bool("KONTAKT_OIDC_FETCH_USERINFO", default=False)
# After signing out of Kontakt, also end the session at the broker when it
# offers an end_session_endpoint.
KONTAKT_OIDC_PROVIDER_LOGOUT = env.bool("KONTAKT_OIDC_PROVIDER_LOGOUT", default=True)
# The key of the personal-number hash. Changing it breaks the link to
# existing identities, so set it once, apart from SECRET_KEY, in production.
KONTAKT_PIN_HASH_KEY = env.str("KONTAKT_PIN_HASH_KEY", default="")
# Show case officers' names to citizens on Mina sidor.
KONTAKT_SHOW_STAFF_NAMES = env.bool("KONTAKT_SHOW_STAFF_NAMES", default=False)

if KONTAKT_DEV_IDP:
    # django-oauth-toolkit is only the development provider's engine.
    INSTALLED_APPS += ["oauth2_provider", "devidp"]
    KONTAKT_OIDC_CLIENT_ID = KONTAKT_OIDC_CLIENT_ID or "kontakt-dev"
    KONTAKT_OIDC_CLIENT_SECRET = KONTAKT_OIDC_CLIENT_SECRET or "kontakt-dev-secret-only-for-development"
    KONTAKT_OIDC_SERVER_URL = KONTAKT_OIDC_SERVER_URL or f"{SITE_URL}/dev-idp"
    KONTAKT_OIDC_NAME = env.str("KONTAKT_OIDC_NAME", default="e-legitimation (testmiljö)")

    def _dev_idp_key() -> str:
        """The signing key: from KONTAKT_DEV_IDP_RSA_KEY, or made once and kept under var/."""
        pem = env.str("KONTAKT_DEV_IDP_RSA_KEY", default="")
        if pem:
            return pem.replace("\\n", "\n")
        path = VAR_DIR / "devidp-rsa.pem"
        if not path.exists():
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import rsa

            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            path.chmod(0o600)
        return path.read_text()

    OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": _dev_idp_key(),
        "PKCE_REQUIRED": True,
        "ALLOW_LOCALHOST_LOOPBACK": True,
        "OAUTH2_VALIDATOR_CLASS": "devidp.validators.DevIdPValidator",
        "SCOPES": {
            "openid": "OpenID Connect",
            "https://id.oidc.se/scope/naturalPersonNumber": "Personal identity number",
            "https://id.oidc.se/scope/naturalPersonInfo": "Name",
        },
        "DEFAULT_SCOPES": ["openid"],
        "ID_TOKEN_EXPIRE_SECONDS": 300,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
        # Like a real broker: offers RP-initiated logout (and names itself
        # in the authorization response, RFC 9207: devidp.views).
        "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        "OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS": True,
    }

# ---------------------------------------------------------------------------
# Staff sign-in with Microsoft Entra ID (OpenID Connect) and SCIM 2.0
# provisioning from the directory: directory/, README "Entra ID and
# provisioning". A provider of its own ("entra"), apart from the citizens'.
INSTALLED_APPS.append("directory")
KONTAKT_ENTRA_TENANT_ID = env.str("KONTAKT_ENTRA_TENANT_ID", default="")
KONTAKT_ENTRA_CLIENT_ID = env.str("KONTAKT_ENTRA_CLIENT_ID", default="")
KONTAKT_ENTRA_CLIENT_SECRET = env.str("KONTAKT_ENTRA_CLIENT_SECRET", default="")
KONTAKT_ENTRA_AUTHORITY = env.str("KONTAKT_ENTRA_AUTHORITY", default="https://login.microsoftonline.com").rstrip("/")
# The issuer: the tenant's v2.0 endpoint, whose discovery document is read.
KONTAKT_ENTRA_SERVER_URL = env.str(
    "KONTAKT_ENTRA_SERVER_URL",
    default=f"{KONTAKT_ENTRA_AUTHORITY}/{KONTAKT_ENTRA_TENANT_ID}/v2.0" if KONTAKT_ENTRA_TENANT_ID else "",
)
KONTAKT_ENTRA_NAME = env.str("KONTAKT_ENTRA_NAME", default="Microsoft Entra ID")
KONTAKT_ENTRA_SCOPES = env.list("KONTAKT_ENTRA_SCOPES", default=["openid", "profile", "email"])
# The `amr` values that mean the directory performed multi-factor
# authentication; without one of them Kontakt asks for its own TOTP code.
KONTAKT_ENTRA_MFA_AMR = env.list("KONTAKT_ENTRA_MFA_AMR", default=["mfa"])
# Local password sign-in for staff; off: only the break-glass accounts
# (e-mail addresses) sign in with a password. Accounts from the directory
# never do.
KONTAKT_STAFF_PASSWORD_SIGN_IN = env.bool("KONTAKT_STAFF_PASSWORD_SIGN_IN", default=True)
KONTAKT_BREAK_GLASS_ACCOUNTS = env.list("KONTAKT_BREAK_GLASS_ACCOUNTS", default=[])
# SCIM bearer tokens, stored as SHA-256 hex digests (tokens made in the admin
# are stored the same way in the database).
KONTAKT_SCIM_TOKEN_SHA256 = env.list("KONTAKT_SCIM_TOKEN_SHA256", default=[])
# The most resources one SCIM list answer holds.
KONTAKT_SCIM_MAX_RESULTS = env.int("KONTAKT_SCIM_MAX_RESULTS", default=200)

SOCIALACCOUNT_ADAPTER = "directory.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # Kontakt's subclass of allauth's OpenID Connect provider: signature
        # always checked, nonce, acr and the personal number verified.
        "provider_class": "accounts.citizen.provider.CitizenProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": KONTAKT_OIDC_PROVIDER_ID,
                "name": KONTAKT_OIDC_NAME,
                "client_id": KONTAKT_OIDC_CLIENT_ID,
                "secret": KONTAKT_OIDC_CLIENT_SECRET,
                "settings": {
                    "server_url": KONTAKT_OIDC_SERVER_URL,
                    "oauth_pkce_enabled": True,
                    "fetch_userinfo": KONTAKT_OIDC_FETCH_USERINFO,
                    "scope": KONTAKT_OIDC_SCOPES,
                    "auth_params": {"acr_values": KONTAKT_OIDC_REQUIRED_ACR},
                },
            }
        ]
        if KONTAKT_OIDC_CLIENT_ID and KONTAKT_OIDC_SERVER_URL
        else [],
    },
    "entra": {
        "APPS": [
            {
                "provider_id": "entra",
                "name": KONTAKT_ENTRA_NAME,
                "client_id": KONTAKT_ENTRA_CLIENT_ID,
                "secret": KONTAKT_ENTRA_CLIENT_SECRET,
                "settings": {"server_url": KONTAKT_ENTRA_SERVER_URL, "tenant_id": KONTAKT_ENTRA_TENANT_ID},
            }
        ]
        if KONTAKT_ENTRA_CLIENT_ID and KONTAKT_ENTRA_SERVER_URL and KONTAKT_ENTRA_TENANT_ID
        else [],
    },
}
ACCOUNT_USER_DISPLAY = "accounts.citizen.user_display"

# --- Content-Security-Policy and Permissions-Policy (README, "Security") -------
# Everything comes from Kontakt itself; no inline script or style anywhere
# (scripts live in static/js/, styles in static/css/). Pictures may also be
# data: URIs (Bootstrap's form icons, the TOTP QR code). Forms post to Kontakt
# only, except that signing in and out of Mina sidor redirects a form post to
# the OpenID Connect broker, which browsers check against form-action too.
_broker_origin = "/".join(KONTAKT_OIDC_SERVER_URL.split("/")[:3]) if KONTAKT_OIDC_SERVER_URL else ""
# Staff signing in with Entra ID are sent there by a form post too.
_entra_origin = "/".join(KONTAKT_ENTRA_SERVER_URL.split("/")[:3]) if KONTAKT_ENTRA_SERVER_URL else ""
# The admin's widgets set inline styles; only its pages allow them
# (core.middleware.AdminStylesMiddleware).
KONTAKT_ADMIN_PATH = "/admin/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *dict.fromkeys(origin for origin in (_broker_origin, _entra_origin) if origin)],
    },
}
# Browser features no page of Kontakt uses (the fault report's position is
# typed or chosen, never read from the device), switched off for every page.
KONTAKT_PERMISSIONS_POLICY = env.str(
    "KONTAKT_PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()",
)
# --- end of the security headers -------------------------------------------------

# --- Back office (staff sign-in forms with the accessible error pattern) ---
ACCOUNT_FORMS = {"login": "accounts.forms.StaffLoginForm", "reauthenticate": "accounts.forms.StaffReauthenticateForm"}
MFA_FORMS = {
    "authenticate": "accounts.forms.StaffAuthenticateForm",
    "reauthenticate": "accounts.forms.StaffMFAReauthenticateForm",
    "activate_totp": "accounts.forms.StaffActivateTOTPForm",
}
# --- end back office ---

# --- Statistics (stats/) -----------------------------------------------------
# The monthly report goes to these addresses and to the Administratör group.
KONTAKT_STATS_REPORT_EMAIL = env.list("KONTAKT_STATS_REPORT_EMAIL", default=[])
# The first day of the working-day calendar table the statistics count with.
KONTAKT_STATS_CALENDAR_START = env.str("KONTAKT_STATS_CALENDAR_START", default="2000-01-01")

# Daily at 07:30 local time; the task sends only on the month's first working day.
CELERY_BEAT_SCHEDULE["stats-monthly-report"] = {"task": "stats.monthly_report", "schedule": crontab(hour=7, minute=30)}
# Daily at 07:35; the task sends only on the month's first working day: each
# department head gets their department's figures for the month before.
CELERY_BEAT_SCHEDULE["stats-department-summaries"] = {
    "task": "stats.department_summaries",
    "schedule": crontab(hour=7, minute=35),
}
# Every minute: rebuild the monthly summary of the months whose cases changed.
CELERY_BEAT_SCHEDULE["stats-summary-refresh"] = {"task": "stats.summary_refresh", "schedule": 60.0}
# --- end statistics ------------------------------------------------------------

# --- Retention and disposal (retention/; see docs/retention.md) ---------------
INSTALLED_APPS.append("retention")
# Years after closing that a case keeps its personal data when its subject
# area has no rule of its own (Category.retention_years).
KONTAKT_RETENTION_YEARS_DEFAULT = env.int("KONTAKT_RETENTION_YEARS_DEFAULT", default=2)
# Cases disposed of per transaction.
KONTAKT_RETENTION_BATCH_SIZE = env.int("KONTAKT_RETENTION_BATCH_SIZE", default=200)
# Nightly at 02:30 local time.
CELERY_BEAT_SCHEDULE["retention-dispose"] = {
    "task": "retention.tasks.dispose_due",
    "schedule": crontab(hour=2, minute=30),
}
# --- end retention -------------------------------------------------------------

# --- Public records and secrecy (records/) -------------------------------------
INSTALLED_APPS.append("records")
# Application logs never carry e-mail addresses, phone numbers, personal
# identity numbers or query strings (search words): records.logfilter.
LOGGING.setdefault("filters", {})["no_personal_data"] = {"()": "records.logfilter.NoPersonalData"}
LOGGING["handlers"]["console"].setdefault("filters", []).append("no_personal_data")
# --- end public records ----------------------------------------------------------
