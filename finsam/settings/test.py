"""Test settings: SQLite and eager tasks unless DATABASE_URL and CELERY_BROKER_URL are set."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In the test run the web process never waits on the broker: the suite's own test process keeps
# tasks eager, and the integration tests start a real worker themselves when a broker is set.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The suite makes export files in the request (tests of the thread turn it on themselves).
EXPORT_JOBS_IN_THREAD = env.bool("EXPORT_JOBS_IN_THREAD", default=False)
# Eager tasks would draw an association's charts after every counted save of every test: off,
# and tests/reports/exports/test_annual_charts_warm.py turns it on.
ANNUAL_CHARTS_WARM = env.bool("ANNUAL_CHARTS_WARM", default=False)
# Static files are served by runserver's finders here; only production collects them.
STATIC_ROOT = None
