"""Exports as a service: the bytes of one export, its file name, and export jobs.

XLSX and CSV are answered at once; a PDF (layout and charts) runs as a background job
(:class:`~reports.exports.models.ExportJob`), which :func:`export_jobs_sweep` recovers after a
lost message and :func:`export_files_clean` deletes after ``EXPORT_FILE_RETENTION_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.periods import Period, PeriodError, parse_span
from reports.exports.annual import annual_report_document
from reports.exports.csv import to_csv
from reports.exports.document import Document
from reports.exports.docx import to_docx
from reports.exports.layouts import detail_document, summary_document
from reports.exports.models import ExportJob, ExportStatus
from reports.exports.pdf import to_pdf
from reports.exports.xlsx import to_xlsx
from reports.summaries.selectors import association_summary, intervention_detail

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOCX_CONTENT_TYPE = CONTENT_TYPES["docx"]
FORMATS = tuple(CONTENT_TYPES)
#: Files small enough to answer at once; a PDF (layout and charts) runs as a background job.
DIRECT_FORMATS = ("xlsx", "csv", "docx")
#: Formats with internal figures only: the Word document is for staff to edit, never masked.
INTERNAL_ONLY_FORMATS = ("docx",)

logger = logging.getLogger(__name__)


def render_document(doc: Document, fmt: str, *, progress=None) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(doc)
    if fmt == "csv":
        return to_csv(doc)
    if fmt == "pdf":
        return to_pdf(doc, progress=progress)
    raise ValueError(f"unknown export format {fmt!r}")


def filename(stem: str, period: str, fmt: str, publish: bool) -> str:
    """An ASCII file name (safe in any header), e.g. ``coachingteamet-lekeberg-2024-publicering.pdf``."""
    suffix = "-publicering" if publish else ""
    return f"{slugify(stem) or 'export'}-{period}{suffix}.{fmt}"


def export_document(
    *, association, intervention=None, period: Period, fmt: str, publish: bool, include_drafts: bool, progress=None
) -> bytes:
    """The bytes of one export: the association summary, or ``intervention``'s detail when given.

    PDFs of an intervention carry its charts. Raises :class:`~outcomes.periods.PeriodError` for a
    period that does not fit the intervention.
    """
    if fmt == "docx":
        return annual_report_docx(
            association=association, period=period, include_drafts=include_drafts, intervention=intervention
        )
    if intervention is None:
        doc = summary_document(
            association_summary(association=association, period=period, include_drafts=include_drafts), publish=publish
        )
    else:
        detail = intervention_detail(intervention=intervention, period=period, include_drafts=include_drafts)
        doc = detail_document(detail, publish=publish, with_charts=fmt == "pdf")
    if progress:
        progress(40)
    return render_document(doc, fmt, progress=progress)


def annual_report_docx(*, association, period, include_drafts: bool = False, intervention=None) -> bytes:
    """The association's annual-report section as a Word document, or only ``intervention``'s
    part of it (internal figures: the document is for staff to edit, not masked for publication)."""
    doc = annual_report_document(
        association=association, period=period, include_drafts=include_drafts, intervention=intervention
    )
    return to_docx(doc)


def annual_report_filename(*, period) -> str:
    return filename(_("arsredovisning"), period.code.replace("..", "-"), "docx", False)


def export_filename(*, association, intervention=None, period: str, fmt: str, publish: bool) -> str:
    stem = intervention.name if intervention else _("sammanställning")
    return filename(stem, period, fmt, publish)


def export_job_create(
    *, user, association, intervention=None, period: Period, fmt: str, publish: bool, include_drafts: bool
) -> ExportJob:
    """Store a pending export job and queue it once the transaction commits."""
    job = ExportJob.objects.create(
        association=association,
        intervention=intervention,
        requested_by=user,
        period=period.code,
        format=fmt,
        publish=publish,
        include_drafts=include_drafts,
    )
    transaction.on_commit(lambda: _export_job_queue(job))
    return job


#: Shown on the progress page when the file could not be made; the cause is in the log.
EXPORT_FAILED_MESSAGE = gettext_lazy("Filen kunde inte skapas. Försök igen om en stund.")


def _export_job_queue(job: ExportJob) -> None:
    """Hand the job to a worker, as the goal tasks are queued (:func:`reports.receivers.enqueue`).

    Without a worker (``EXPORT_JOBS_IN_THREAD``, on when Celery runs eagerly, as under ``make
    run``) the file is made in a thread of the web process, so that the POST's redirect to the
    progress page is answered at once and the page shows the job's progress while it runs.
    With the broker unreachable (logged) the file is made here, in the web request: a PDF takes
    seconds, and the user then finds it ready instead of a job that waits forever. Should that
    fail too, the job fails with a message the progress page shows.
    """
    from reports.receivers import enqueue
    from reports.tasks import export_job_run_task

    if settings.EXPORT_JOBS_IN_THREAD:
        threading.Thread(
            target=_export_job_make_in_thread, args=(job.pk,), name=f"export-job-{job.pk}", daemon=True
        ).start()
        return
    if enqueue(export_job_run_task, str(job.pk), then="the file is made in the web process instead"):
        return
    _export_job_make(job)


def _export_job_make(job: ExportJob) -> None:
    """Make the job's file in this process; a database error fails the job (logged)."""
    try:
        export_job_run(job=job)
    except DatabaseError:
        logger.exception("Export job %s could not be made in the web process", job.pk)
        try:
            _export_job_fail(job, str(EXPORT_FAILED_MESSAGE))
        except DatabaseError:
            logger.exception("Export job %s could not be marked as failed", job.pk)


def _export_job_make_in_thread(job_id) -> None:
    """The thread's work: load the job afresh, make its file, and close the thread's connections."""
    try:
        _export_job_make(ExportJob.objects.select_related("association", "intervention").get(pk=job_id))
    except Exception:  # a thread's error reaches nobody else: log it (the job stays as it was)
        logger.exception("Export job %s could not be made in its thread", job_id)
    finally:
        connections.close_all()


def _export_job_fail(job: ExportJob, message: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportStatus.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Produce the job's file and store it; idempotent (a finished job is left as it is).

    Progress is saved as the work goes on so that the waiting page can show it. An error in the
    data (a period that does not fit) fails the job with its Swedish message, any other error
    but a database error too (logged, with a general message); a database error propagates so
    that the task can retry.
    """
    if job.status == ExportStatus.DONE:
        return job

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=percent, status=ExportStatus.RUNNING)

    progress(10)
    try:
        content = export_document(
            association=job.association,
            intervention=job.intervention,
            period=parse_span(job.period),
            fmt=job.format,
            publish=job.publish,
            include_drafts=job.include_drafts,
            progress=progress,
        )
    except PeriodError as exc:
        return _export_job_fail(job, exc.message)
    except DatabaseError:
        raise
    except Exception:  # a bug or a missing library: the page must say so rather than wait forever
        logger.exception("Export job %s could not be made", job.pk)
        return _export_job_fail(job, str(EXPORT_FAILED_MESSAGE))
    job.content = content
    job.filename = export_filename(
        association=job.association,
        intervention=job.intervention,
        period=job.period,
        fmt=job.format,
        publish=job.publish,
    )
    job.status, job.progress, job.error, job.finished_at = ExportStatus.DONE, 100, "", timezone.now()
    job.save(update_fields=["content", "filename", "status", "progress", "error", "finished_at"])
    return job


def export_jobs_sweep(*, now=None) -> tuple[int, int]:
    """Recover export jobs whose message was lost (a broker restart): answers (requeued, failed).

    A job still ``pending`` ``EXPORT_JOB_PENDING_LIMIT`` seconds after it was created is queued
    again, once (``requeued_at``); the message goes out after the commit, and a broker that
    refuses it is logged and left to the fail limit. A job still not finished (pending or
    running) ``EXPORT_JOB_FAIL_LIMIT`` seconds after it was created is failed with a Swedish
    message that the waiting page shows, so nobody waits forever. A requeued job that a worker
    finishes after all is still offered: running a job again produces the same file.
    """
    from reports.tasks import export_job_run_task

    now = now or timezone.now()
    fail_limit = settings.EXPORT_JOB_FAIL_LIMIT
    minutes = max(1, round(fail_limit / 60))
    message = _("Exporten blev inte klar inom %(minutes)s minuter. Begär filen igen.") % {"minutes": minutes}
    failed = ExportJob.objects.filter(
        status__in=[ExportStatus.PENDING, ExportStatus.RUNNING],
        created_at__lt=now - dt.timedelta(seconds=fail_limit),
    ).update(status=ExportStatus.FAILED, error=message, finished_at=now)
    due = list(
        ExportJob.objects.filter(
            status=ExportStatus.PENDING,
            requeued_at__isnull=True,
            created_at__lt=now - dt.timedelta(seconds=settings.EXPORT_JOB_PENDING_LIMIT),
        ).values_list("pk", flat=True)
    )
    # Claim the jobs first: two sweeps running at once requeue each job only once.
    requeued = [
        pk for pk in due if ExportJob.objects.filter(pk=pk, requeued_at__isnull=True).update(requeued_at=now) == 1
    ]

    def send():
        from kombu.exceptions import OperationalError

        for pk in requeued:
            try:
                export_job_run_task.delay(str(pk))
            except OperationalError:
                logger.exception("could not requeue export job %s; it fails at the fail limit", pk)

    transaction.on_commit(send)
    return len(requeued), failed


def export_files_clean(*, now=None) -> int:
    """Delete the export jobs (with their files) finished ``EXPORT_FILE_RETENTION_DAYS`` ago or more."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_FILE_RETENTION_DAYS)
    deleted, _by_model = ExportJob.objects.filter(
        status__in=[ExportStatus.DONE, ExportStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
