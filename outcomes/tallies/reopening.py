"""Why a report was opened again: the reason on its form, and a mail to its coordinators.

Staff reopen an approved report with a written reason (``report_reopen``); the coordinator who
has to correct it reads that reason at the top of the form and gets it by mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from outcomes.models import Membership, PeriodReport, ReportHistory, ReportStatus


def latest_reopening(report: PeriodReport | None) -> ReportHistory | None:
    """The history entry of the reopening that made ``report`` a draft again (who, when, why), or
    ``None`` when it is not a draft or became one otherwise (new, or recalled by its writer).
    One query, only for drafts that were approved once (``approved_at`` stays set on reopening),
    so an ordinary draft's form costs nothing more."""
    if report is None or report.status != ReportStatus.DRAFT or report.approved_at is None:
        return None
    last = report.history.filter(kind="status").select_related("user").order_by("-at", "-id").first()
    if last and last.old == ReportStatus.APPROVED and last.new == ReportStatus.DRAFT:
        return last
    return None


def on_report_changed(sender, *, report_id, intervention_id, period, action, **kwargs) -> None:
    """After a committed transition to draft that was a reopening, mail the intervention's
    coordinators the reason and the link to the form."""
    if action != ReportStatus.DRAFT:
        return
    report = PeriodReport.objects.select_related("intervention__association").filter(pk=report_id).first()
    reopening = latest_reopening(report)
    if reopening is None:
        return
    recipients = list(
        Membership.objects.filter(intervention_id=intervention_id, role="coordinator").values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return
    intervention = report.intervention
    subject = _("Rapporten för %(intervention)s %(period)s är öppnad igen") % {
        "intervention": intervention.name,
        "period": period,
    }
    body = _(
        "Hej!\n\n%(association)s har öppnat rapporten (pinnstatistiken) för %(intervention)s för "
        "perioden %(period)s igen, med motiveringen:\n\n%(reason)s\n\nRätta och skicka in den här: "
        "%(url)s\n\nHälsningar\n%(association)s"
    ) % {
        "association": intervention.association.name,
        "intervention": intervention.name,
        "period": period,
        "reason": reopening.reason,
        "url": f"{settings.SITE_URL}/insatser/{intervention.pk}/{period}/",
    }
    send_mass_mail([(subject, body, None, [email]) for email in recipients])
