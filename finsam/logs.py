"""Structured logs: with ``LOG_FORMAT=json``, one JSON line per request and per task.

An operator follows a failing submission by its association, intervention, user and status. The
lines hold only ids, names of routes and tasks, status codes and durations: never a body, a
comment, a query string, task arguments or an exception's message (which can quote stored text),
so no free text a user typed ever reaches the log. Every other log record is written as a JSON
line too (``logger``, ``level``, the developer's ``message``), with an exception's type and
frames but not its message.

``JsonFormatter`` is the formatter of ``LOGGING`` when ``LOG_FORMAT=json`` (settings ``base``);
``RequestLogMiddleware`` writes the request lines (``finsam.requests``); the Celery signal
handlers below write the task lines (``finsam.tasks``), connected when ``finsam`` is imported.
"""

import datetime as dt
import inspect
import json
import logging
import time
import traceback

from celery.signals import task_postrun, task_prerun

request_logger = logging.getLogger("finsam.requests")
task_logger = logging.getLogger("finsam.tasks")


def json_logs() -> bool:
    from django.conf import settings

    return getattr(settings, "LOG_FORMAT", "text") == "json"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, then the record's ``fields`` or message."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
            line["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False, default=str)


def _ids(named) -> dict:
    """The association (looked up from what ``named`` holds) and, when named, the intervention of a log line."""
    ids = {
        "association_id": _association_id(
            association_id=named.get("association_id"),
            intervention_id=named.get("intervention_id"),
            job_id=named.get("job_id"),
        )
    }
    if "intervention_id" in named:
        ids["intervention_id"] = _int(named["intervention_id"])
    return ids


def _association_id(*, association_id=None, intervention_id=None, job_id=None):
    """The association an id belongs to, looked up only when the request or task names one."""
    if association_id is not None:
        return _int(association_id)
    try:
        if intervention_id is not None:
            from outcomes.models import Intervention

            found = Intervention.objects.filter(pk=_int(intervention_id))
            return found.values_list("association_id", flat=True).first()
        if job_id is not None:
            from reports.models import ExportJob

            return ExportJob.objects.filter(pk=str(job_id)).values_list("association_id", flat=True).first()
    except Exception:  # a broken database is logged by whoever hit it; this line keeps going
        return None
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RequestLogMiddleware:
    """``finsam.requests``: method, route, status, duration, user and association of each request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not json_logs():
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        kwargs = match.kwargs if match else {}
        user = getattr(request, "user", None)
        fields = {
            "event": "request",
            "method": request.method,
            # The route ("api/v1/interventions/<int:intervention_id>/..."), or the path without
            # its query string when nothing matched.
            "path": f"/{match.route}" if match and match.route else request.path_info,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            **_ids(kwargs),
        }
        request_logger.info("request", extra={"fields": fields})
        return response


_started: dict[str, float] = {}


@task_prerun.connect
def _task_started(task_id=None, **_kwargs):
    if json_logs():
        _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id=None, task=None, args=None, kwargs=None, state=None, **_extra):
    started = _started.pop(task_id, None)
    if started is None or not json_logs():
        return
    try:
        bound = inspect.signature(task.run).bind_partial(*(args or ()), **(kwargs or {})).arguments
    except TypeError:
        bound = {}
    fields = {
        "event": "task",
        "task": task.name,
        "task_id": task_id,
        "state": state,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        **_ids(bound),
    }
    task_logger.info("task", extra={"fields": fields})
