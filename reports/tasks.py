"""Celery tasks: thin wrappers that load ids and call a selector or service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from outcomes.models import Association, Intervention
from outcomes.periods import Period
from outcomes.tallies.selectors import period_figures
from outcomes.tasks import TRANSIENT_DATABASE_ERRORS
from reports.goals import selectors as goal_selectors
from reports.goals import services as goal_services
from reports.summaries.selectors import stored_figures_refresh_for


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5)
def period_figures_compute(intervention_id: int, period_code: str, include_drafts: bool = False) -> dict:
    """The stock-and-flow figures of one intervention and period, as plain numbers.

    Read-only, so running it twice answers the same. Used by exports and by the integration test
    that proves a worker process reads the same database as the web process.
    """
    intervention = Intervention.objects.get(pk=intervention_id)
    figures = period_figures(intervention=intervention, period=Period.parse(period_code), include_drafts=include_drafts)
    return {
        "ongoing_at_start": figures.ongoing_at_start.as_dict(with_total=True),
        "new": figures.new.as_dict(with_total=True),
        "exits": figures.exits.as_dict(with_total=True),
        "ongoing_at_end": figures.ongoing_at_end.as_dict(with_total=True),
        "participants": figures.participants.as_dict(with_total=True),
        "spent_sek": figures.spent_sek,
    }


# ---------------------------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------------------------
# Each task takes ids, loads them and calls one service. The services are idempotent, so a retry
# or a duplicate message stores the same results. ``ignore_result``: callers look at the stored
# results, not at the task's return value, so the broker's result backend is never needed.


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def goal_results_recompute_for_report(intervention_id: int, period_code: str) -> int:
    """Recompute the results a changed base-period report affects, then the intervention's
    outdated stored summary figures; answers goal result rows changed."""
    intervention = Intervention.objects.filter(pk=intervention_id).first()
    if intervention is None:
        return 0
    changed = goal_services.goal_results_recompute(intervention=intervention, base_period=Period.parse(period_code))
    stored_figures_refresh_for(intervention)
    return changed


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def goal_results_recompute_goals(intervention_id: int, goal_ids: list[int] | None = None) -> int:
    """Recompute every result of the given goals (all of the intervention's when None)."""
    intervention = Intervention.objects.filter(pk=intervention_id).first()
    if intervention is None:
        return 0
    return goal_services.goal_results_recompute(intervention=intervention, goal_ids=goal_ids)


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def goal_results_recompute_all() -> int:
    """The nightly beat task: recompute everything, repairing what a lost message missed.

    Queues one task per intervention with goals rather than doing the work itself, so every
    worker process shares the night's work and a change's own recomputation never waits behind
    all of it. Answers how many were queued.
    """
    intervention_ids = sorted({pk for pk, _year in goal_selectors.intervention_years_with_goals()})
    for intervention_id in intervention_ids:
        goal_results_recompute_goals.delay(intervention_id)
    return len(intervention_ids)


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def goal_results_recompute_stale() -> int:
    """The frequent beat task: queue the recomputation of results left stale for longer than
    ``GOAL_RESULTS_STALE_AFTER`` seconds (a killed worker's lost message); answers how many
    interventions were queued. Cheap when nothing is stale (one indexed query)."""
    older_than = timedelta(seconds=getattr(settings, "GOAL_RESULTS_STALE_AFTER", 30))
    swept = goal_services.goal_results_stale_sweep(older_than=older_than)
    for intervention_id, goal_ids in swept.items():
        goal_results_recompute_goals.delay(intervention_id, goal_ids)
    return len(swept)


# --- Export jobs ------------------------------------------------------------------------------


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5)
def export_job_run_task(job_id: str) -> str:
    """Produce the file of one export job; a finished job is left as it is (idempotent)."""
    from reports.exports.services import export_job_run
    from reports.models import ExportJob

    job = ExportJob.objects.select_related("association", "intervention").get(pk=job_id)
    return export_job_run(job=job).status


# --- Export jobs after a broker restart, retention of files -----------------------------------


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def export_jobs_sweep_task() -> list[int]:
    """Beat, every minute: requeue export jobs a broker restart left pending, fail the hopeless."""
    from reports.exports.services import export_jobs_sweep

    return list(export_jobs_sweep())


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5)
def export_files_clean_task() -> int:
    """Beat, nightly: delete export jobs finished ``EXPORT_FILE_RETENTION_DAYS`` ago; answers how many."""
    from reports.exports.services import export_files_clean

    return export_files_clean()


# --- Charts of the annual document, drawn ahead of its request ---------------------------------


def annual_charts_warm_key(association_id: int, year: int) -> str:
    """The cache key that says a drawing of these charts is queued (the receiver's debounce)."""
    return f"annual-charts-queued:{association_id}:{year}"


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def annual_report_charts_warm(association_id: int, year: int) -> int:
    """Draw into the cache every chart the association's Word document of ``year`` needs (its
    trend and, per intervention, its trend and exits by reason), so that the download finds them
    warm; answers how many charts the document has. Charts already cached are not drawn again."""
    from django.core.cache import cache

    from reports.exports.annual import annual_report_charts_draw

    cache.delete(annual_charts_warm_key(association_id, year))  # a change from now on queues again
    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        return 0
    return annual_report_charts_draw(association=association, period=Period.parse(str(year)))


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5, ignore_result=True)
def annual_report_charts_warm_all() -> int:
    """The nightly beat task: queue the charts of every association's document of the current
    year (one task each, shared by the workers); answers how many were queued."""
    year = timezone.localdate().year
    association_ids = list(Association.objects.order_by("pk").values_list("pk", flat=True))
    for association_id in association_ids:
        annual_report_charts_warm.delay(association_id, year)
    return len(association_ids)
