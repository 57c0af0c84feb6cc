"""Overdue reminders: mails each intervention's coordinators once per overdue base period."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from outcomes.models import (
    Intervention,
    Membership,
    PeriodReport,
    ReportStatus,
    Role,
)

REMINDER_LOOKBACK_DAYS = 365


def overdue_reminders_send(*, today, site_url: str = "") -> int:
    """E-mail the coordinators of every intervention with an overdue base period, once per period.

    A base period is overdue when its report is not submitted or approved more than the
    association's ``overdue_days`` after the period ended. Only periods that ended within the
    last year are considered, so a new installation does not mail about years of history. An
    intervention without coordinators gets no reminder (and none is recorded, so a coordinator
    granted later is reminded), nor does one of an association with reminders turned off
    (``Association.reminder_emails``). Idempotent: an :class:`OverdueReminder` row per intervention and
    period is written in the same transaction as the mail is sent, so running again sends nothing
    new, and a failed send leaves no row and is retried on the next run. Answers how many
    reminders (intervention and period) were sent.
    """
    import datetime as dt

    from django.core.mail import send_mass_mail
    from django.db import IntegrityError

    from outcomes.models import OverdueReminder
    from outcomes.periods import Period

    earliest_end = today - dt.timedelta(days=REMINDER_LOOKBACK_DAYS)
    # An association that turned reminders off (Association.reminder_emails) gets none.
    interventions = list(
        Intervention.objects.filter(active=True, start__lte=today, association__reminder_emails=True).select_related(
            "association"
        )
    )
    done = set(
        PeriodReport.objects.filter(
            intervention__in=interventions, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
        ).values_list("intervention_id", "period")
    )
    reminded = set(
        OverdueReminder.objects.filter(intervention__in=interventions).values_list("intervention_id", "period")
    )
    coordinators: dict[int, list[str]] = {}
    for intervention_id, email in Membership.objects.filter(
        intervention__in=interventions, role=Role.COORDINATOR, user__is_active=True
    ).values_list("intervention_id", "user__email"):
        coordinators.setdefault(intervention_id, []).append(email)

    sent = 0
    for intervention in interventions:
        recipients = sorted(set(coordinators.get(intervention.pk, [])))
        if not recipients:
            continue
        period = Period.for_date(today, intervention.frequency)
        while period.end >= max(earliest_end, intervention.start):
            deadline = period.end + dt.timedelta(days=intervention.association.overdue_days)
            key = (intervention.pk, period.code)
            if today > deadline and intervention.runs_during(period) and key not in done and key not in reminded:
                subject = _("Påminnelse: rapporten för %(intervention)s %(period)s är försenad") % {
                    "intervention": intervention.name,
                    "period": period.code,
                }
                body = _(
                    "Hej!\n\nRapporten (pinnstatistiken) för %(intervention)s för perioden %(period)s "
                    "skulle ha skickats in senast %(deadline)s men är inte inskickad ännu.\n\n"
                    "Fyll i och skicka in den här: %(url)s\n\nHälsningar\n%(association)s"
                ) % {
                    "intervention": intervention.name,
                    "period": period.code,
                    "deadline": deadline.isoformat(),
                    "url": f"{site_url}/insatser/{intervention.pk}/{period.code}/",
                    "association": intervention.association.name,
                }
                try:
                    with transaction.atomic():
                        OverdueReminder.objects.create(
                            intervention=intervention, period=period.code, recipients=len(recipients)
                        )
                        send_mass_mail([(subject, body, None, [email]) for email in recipients])
                except IntegrityError:  # another run reminded about this period meanwhile
                    continue
                sent += 1
            period = period.previous()
    return sent


def missing_reports_remind(*, intervention: Intervention, missing, site_url: str = "") -> int:
    """Staff's "Skicka påminnelse": e-mail the intervention's active coordinators, one mail each,
    listing its base periods without a submitted report (``missing``: statuses of
    :func:`outcomes.tallies.selectors.missing_reports`), each with its deadline and whether it is
    overdue. Sent whatever ``Association.reminder_emails`` says: that setting turns off the
    automatic daily reminders, not a reminder staff ask for. Answers how many were mailed (none
    without missing reports or coordinators)."""
    from django.core.mail import send_mass_mail

    from outcomes.periods import period_name

    recipients = sorted(
        set(
            Membership.objects.filter(
                intervention=intervention, role=Role.COORDINATOR, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not missing or not recipients:
        return 0
    lines = []
    for status in missing:
        lines.append(
            _("– %(period)s, sista dag %(deadline)s%(overdue)s: %(url)s")
            % {
                "period": period_name(status.period),
                "deadline": status.deadline.isoformat(),
                "overdue": _(" (försenad)") if status.overdue else "",
                "url": f"{site_url}/insatser/{intervention.pk}/{status.period.code}/",
            }
        )
    subject = _("Påminnelse: rapporter saknas för %(intervention)s") % {"intervention": intervention.name}
    body = _(
        "Hej!\n\nFörbundet påminner om rapporterna (pinnstatistiken) för %(intervention)s som inte är "
        "inskickade ännu:\n\n%(lines)s\n\nHälsningar\n%(association)s"
    ) % {"intervention": intervention.name, "lines": "\n".join(lines), "association": intervention.association.name}
    send_mass_mail([(subject, body, None, [email]) for email in recipients])
    return len(recipients)
