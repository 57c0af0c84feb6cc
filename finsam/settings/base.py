"""Settings shared by every environment, read from the environment with django-environ.

The embedded default needs nothing running: SQLite under ``var/`` and Celery tasks executed
in-process when no broker is configured.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served by the service itself, no CDN
    "csp",
    "outcomes",
    "reports",
]

MIDDLEWARE = [
    # /healthz is answered first (finsam.health): before host validation, HTTPS redirect, sessions.
    "finsam.health.HealthCheckMiddleware",
    # Outside everything else, so that its one line per request has the status any other answered.
    "finsam.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store for signed-in pages, the API and downloads.
    "finsam.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "finsam.urls"
WSGI_APPLICATION = "finsam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outcomes.organisations.context.association_links",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# With persistent connections (CONN_MAX_AGE, e.g. ``?conn_max_age=60`` in the URL), check a kept
# connection before a request reuses it: after PostgreSQL restarts or drops connections, each
# kept one would otherwise answer one request with a 500. A no-op without CONN_MAX_AGE.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "outcomes.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
# Swedish only: a browser that prefers English would otherwise get Swedish texts with English
# number formats and Django's own messages in English.
LANGUAGES = [("sv", _("Svenska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="finsam-outcomes@localhost")

# Sign-in: failed attempts are counted in the default cache by outcomes.organisations.throttle (see its
# docstring), per account and per client address; behind reverse proxies LOGIN_THROTTLE_PROXY_COUNT
# says how many add themselves to X-Forwarded-For (0: REMOTE_ADDR).
AUTHENTICATION_BACKENDS = ["outcomes.organisations.throttle.ThrottledModelBackend"]
LOGIN_THROTTLE_PER_ACCOUNT = env.int("LOGIN_THROTTLE_PER_ACCOUNT", default=5)
LOGIN_THROTTLE_PER_ADDRESS = env.int("LOGIN_THROTTLE_PER_ADDRESS", default=20)
LOGIN_THROTTLE_WINDOW = env.int("LOGIN_THROTTLE_WINDOW", default=15 * 60)
LOGIN_THROTTLE_PROXY_COUNT = env.int("LOGIN_THROTTLE_PROXY_COUNT", default=0)
# Password-reset mails sent to one e-mail address per hour; further requests show the same page.
PASSWORD_RESET_MAILS_PER_ADDRESS = env.int("PASSWORD_RESET_MAILS_PER_ADDRESS", default=5)
# The throttles' counts must be shared by all web processes: set e.g. redis://redis:6379/2 there.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="finsam-outcomes@localhost")
# Absolute address of the service, used for links in e-mail sent by tasks (no request there).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Content-Security-Policy on every page (django-csp): no inline script or style anywhere; the
# templates link their CSS and JS from static files. The API documentation pages add what
# Swagger UI and ReDoc need for themselves only (finsam/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

# Celery: with no broker configured, tasks run in-process so the embedded default needs nothing
# else running. With a broker, tasks go to a worker and results are stored in the database.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a worker (eager tasks, `make run`) a PDF export job is made in a thread of the web
# process after the commit, so that its progress page is answered at once (issue 18, defect 12).
EXPORT_JOBS_IN_THREAD = env.bool("EXPORT_JOBS_IN_THREAD", default=CELERY_TASK_ALWAYS_EAGER)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A change queues its goal recomputation from the web request after the commit. If the broker
# host does not answer at all, give up connecting after 2 s (logged; the nightly job catches up)
# instead of holding the request until the OS gives up on the TCP connect.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
# Seconds a goal result may stay stale before the beat sweep (every 30 s) queues it again.
GOAL_RESULTS_STALE_AFTER = env.int("GOAL_RESULTS_STALE_AFTER", default=30)
# After a counted report change, draw the charts of the association's Word document of that year
# into the cache (reports.receivers.on_report_changed_warm_charts), at most once per association
# and year per ANNUAL_CHARTS_WARM_COUNTDOWN seconds, that long after the first change of a burst.
# Off by default with eager tasks (make run): the drawing would run inside the saving request
# (seconds for a large association); there the download draws what the cache lacks.
ANNUAL_CHARTS_WARM = env.bool("ANNUAL_CHARTS_WARM", default=not CELERY_TASK_ALWAYS_EAGER)
ANNUAL_CHARTS_WARM_COUNTDOWN = env.int("ANNUAL_CHARTS_WARM_COUNTDOWN", default=60)
# A pending export job whose message a broker restart lost is queued again once after
# EXPORT_JOB_PENDING_LIMIT seconds, and failed with a message for the waiting page when it is
# still not finished after EXPORT_JOB_FAIL_LIMIT seconds (reports.tasks.export_jobs_sweep_task,
# every minute). Finished export files are deleted EXPORT_FILE_RETENTION_DAYS after they finished
# (reports.tasks.export_files_clean_task, nightly).
EXPORT_JOB_PENDING_LIMIT = env.int("EXPORT_JOB_PENDING_LIMIT", default=5 * 60)
EXPORT_JOB_FAIL_LIMIT = env.int("EXPORT_JOB_FAIL_LIMIT", default=30 * 60)
EXPORT_FILE_RETENTION_DAYS = env.int("EXPORT_FILE_RETENTION_DAYS", default=7)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "outcomes.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["outcomes.api.throttling.TokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "outcomes.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "outcomes.api.errors.exception_handler",
    # The contract is JSON in and out: other bodies answer 415 rather than being read as form
    # data. The parser also refuses bodies over the view's size limit (413) or nested too deep (400).
    "DEFAULT_PARSER_CLASSES": ["outcomes.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per API token (or per signed-in user), e.g. "600/minute"; empty turns throttling off.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/minute") or None
# Failed API authentications (no or a wrong token) per client address, e.g. "30/minute"; past it
# the address gets 429 for any token until the window has passed. Empty turns it off.
API_AUTH_FAILURE_RATE = env("API_AUTH_FAILURE_RATE", default="30/minute") or None
# Live (not revoked) API tokens one user may hold.
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=20)

SPECTACULAR_SETTINGS = {
    "TITLE": "finsam-outcomes API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "Pinnstatistik för Finsam-insatser: medlemmarnas system rapporterar antal och läser "
        "resultat. Autentisering: `Authorization: Token <nyckel>`. Fel svaras som "
        '`{"errors": [{"field", "code", "message"}]}` med stabila engelska koder och svenska texter.'
    ),
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A goal's kind is read (GoalInput) and answered (GoalOutput) by two serializers: one enum.
    "ENUM_NAME_OVERRIDES": {"GoalKindEnum": "reports.goals.models.GoalKind.choices"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "outcomes.api.schema.add_error_responses",
        "outcomes.api.schema.add_links",
    ],
}

# Structured logs: LOG_FORMAT=json writes every log record as one JSON line, and one line per
# request and per Celery task with its ids, status and duration, never free text (finsam.logs).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "finsam.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
# With JSON logs the worker keeps these settings' handler rather than installing its own plain one.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# An invitation's one-time link (outcomes.organisations.people) is valid this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=3)
