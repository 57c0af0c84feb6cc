from finsam import logs as _logs  # noqa: F401  (connects the task log lines, issue 20)
from finsam.celery import app as celery_app

__all__ = ("celery_app",)
