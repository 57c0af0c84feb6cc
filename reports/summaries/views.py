"""Web pages of the reports app: the association summary, intervention detail, charts, exports.

Staff and viewers of an association read these pages; coordinators and outsiders get 404. The
numbers come from :mod:`reports.summaries.selectors`, the same selector as the exports and the API.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from outcomes.counts import GENDERS
from outcomes.models import PeriodReport
from outcomes.organisations.access import association_for, can_read_summaries, intervention_for
from outcomes.organisations.selectors import associations_visible_to
from outcomes.periods import Period, PeriodError, parse_span, period_name
from reports.exports.beyond import beyond_sections
from reports.exports.csv import to_csv
from reports.exports.layouts import followup_document
from reports.exports.services import DIRECT_FORMATS, INTERNAL_ONLY_FORMATS
from reports.summaries import charts
from reports.summaries.figures import MEASURES, gender_shares
from reports.summaries.selectors import association_summary, intervention_detail, summary_trend
from reports.summaries.socio_economic import model_text


def default_period(reports=None, include_drafts: bool = False) -> Period:
    """The last ended quarter that has data: the running quarter has none yet, and a year so far
    hides which quarter a number belongs to. With ``reports`` (a ``PeriodReport`` queryset: the
    association's or the intervention's), the latest ended quarter holding one of them that counts
    (one query); the last ended quarter when none does."""
    last_ended = Period.for_date(timezone.localdate(), "quarter").previous()
    if reports is not None:
        latest = (
            reports.counted(include_drafts=include_drafts)
            .filter(period_start__lte=last_ended.end)
            .order_by("-period_start")
            .values_list("period_start", flat=True)
            .first()
        )
        if latest is not None:
            return Period.for_date(latest, "quarter")
    return last_ended


def period_choices(year: int) -> list[tuple[str, str]]:
    """The period picker's suggestions for ``year``: each code with its Swedish name."""
    codes = [f"{year}", f"{year}H1", f"{year}H2", *[f"{year}T{n}" for n in (1, 2, 3)]]
    codes += [f"{year}Q{n}" for n in (1, 2, 3, 4)] + [f"{year}YTDQ{n}" for n in (1, 2, 3)]
    return [(code, capfirst(period_name(Period.parse(code)))) for code in codes]


def summary_options(request, reports=None) -> tuple[Period | None, str, bool, bool]:
    """The period, its error message (empty when fine), drafts and publication flags from GET;
    without a period the default one (:func:`default_period` over ``reports``)."""
    include_drafts = request.GET.get("utkast") == "1"
    code = request.GET.get("period") or default_period(reports, include_drafts).code
    try:
        period, error = parse_span(code), ""
    except PeriodError as exc:
        period, error = None, exc.message
    return period, error, include_drafts, request.GET.get("publicera") == "1"


def readable_association(user, association_id):
    association = association_for(user, association_id)
    if not can_read_summaries(user, association.pk):
        raise Http404
    return association


def readable_intervention(user, intervention_id):
    intervention = intervention_for(user, intervention_id)
    if not can_read_summaries(user, intervention.association_id):
        raise Http404
    return intervention


def summary_query(period: Period, include_drafts: bool, publish: bool = False) -> str:
    params = {"period": period.code}
    if include_drafts:
        params["utkast"] = "1"
    if publish:
        params["publicera"] = "1"
    return urlencode(params)


def _measure_rows(current, previous):
    """Rows for a figures table: measure, counts, shares per gender and last year's counts."""
    labels = {
        "participants": _("Deltagare under perioden"),
        "ongoing_at_start": _("Pågående vid periodens början"),
        "new": _("Nya"),
        "exits": _("Avslutade"),
        "ongoing_at_end": _("Pågående vid periodens slut"),
    }
    rows = []
    for measure in MEASURES:
        counts = current.measure(measure)
        shares = gender_shares(counts)
        rows.append(
            {
                "label": labels[measure],
                "cells": [(getattr(counts, g), shares[g]) for g in GENDERS],
                "total": counts.total,
                "previous": previous.measure(measure),
            }
        )
    return rows


@login_required
def summary_index(request):
    """The associations whose summaries the user may read; straight to the only one."""
    associations = [a for a in associations_visible_to(request.user) if can_read_summaries(request.user, a.pk)]
    if len(associations) == 1:
        return redirect("summary", association_id=associations[0].pk)
    return render(request, "reports/summary_index.html", {"associations": associations})


def _period_context(request, period, error, include_drafts) -> dict:
    """The period picker of a summary page: the code asked for, its error, the drafts switch, the choices."""
    return {
        "period_code": request.GET.get("period") or (period.code if period else ""),
        "error": error,
        "include_drafts": include_drafts,
        "choices": period_choices(period.end.year if period else timezone.localdate().year),
    }


@login_required
def summary_page(request, association_id: int):
    association = readable_association(request.user, association_id)
    reports = PeriodReport.objects.filter(intervention__association=association)
    period, error, include_drafts, _publish = summary_options(request, reports)
    context = {"association": association, **_period_context(request, period, error, include_drafts)}
    if period is None:
        return render(request, "reports/summary.html", context, status=400)
    summary = association_summary(association=association, period=period, include_drafts=include_drafts)
    rows = [
        {
            "row": row,
            "participants": _gender_cells(row.current.participants),
            "measures": [_measure_cell(row.current.measure(m), row.previous.measure(m)) for m in MEASURES[1:]],
            "detail_url": reverse("summary-detail", args=[row.intervention.pk])
            + "?"
            + summary_query(period, include_drafts),
        }
        for row in summary.rows
    ]
    context.update(
        {
            "summary": summary,
            "rows": rows,
            "goal_rows": [(row.intervention.name, goal) for row in summary.rows for goal in row.goals],
            "totals": summary.totals,
            "previous_totals": summary.previous_totals,
            "totals_participants": _gender_cells(summary.totals.participants),
            "totals_measures": [
                _measure_cell(summary.totals.measure(m), summary.previous_totals.measure(m)) for m in MEASURES[1:]
            ],
            "exports": _export_links("summary-export", association.pk, period, include_drafts),
            "beyond": beyond_sections(
                [
                    *[(r.intervention.pk, r.intervention.name, r.current, r.activity_log_text) for r in summary.rows],
                    ("total", _("Totalt"), summary.totals, ""),
                ],
                summary.shown_measures,
            ),
            "period_name": period_name(period),
            "previous_name": period_name(summary.previous_period),
            # "jmf 2023" beside each figure; a range has no single year, so its code
            "previous_short": summary.previous_period.year or summary.previous_period.code,
            "socio_economic": [(row.intervention.name, summary.socio_economic(row.current)) for row in summary.rows]
            + [(_("Totalt"), summary.socio_economic(summary.totals))],
            "socio_economic_model": model_text(association),
            "followup": followup_document(summary).sections[0],
            "followup_csv": reverse("summary-followup", args=[association.pk])
            + "?"
            + summary_query(period, include_drafts),
            "trend_png": reverse("summary-trend", args=[association.pk, "png"])
            + "?"
            + summary_query(period, include_drafts),
            "trend_svg": reverse("summary-trend", args=[association.pk, "svg"])
            + "?"
            + summary_query(period, include_drafts),
        }
    )
    return render(request, "reports/summary.html", context)


@login_required
def summary_trend_chart(request, association_id: int, fmt: str):
    """The association's five-year trend: participants and step progression, as SVG or PNG."""
    association = readable_association(request.user, association_id)
    period, _error, include_drafts, _publish = summary_options(request)
    if period is None or fmt not in charts.FORMATS:
        raise Http404
    summary = association_summary(association=association, period=period, include_drafts=include_drafts)
    figure = charts.summary_trend_chart(
        _("Förbundets insatser, deltagare och stegförflyttning"), summary_trend(summary), lambda s: s.totals
    )
    return HttpResponse(charts.render(figure, fmt), content_type=charts.FORMATS[fmt])


@login_required
def summary_followup_csv(request, association_id: int):
    """Underlag till Uppföljning Finsam as CSV (the same table as on the summary page)."""
    association = readable_association(request.user, association_id)
    period, error, include_drafts, _publish = summary_options(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    summary = association_summary(association=association, period=period, include_drafts=include_drafts)
    response = HttpResponse(to_csv(followup_document(summary)), content_type="text/csv; charset=utf-8")
    name = f"underlag-uppfoljning-finsam-{period.code.replace('..', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _gender_cells(counts):
    shares = gender_shares(counts)
    return [(getattr(counts, g), shares[g]) for g in GENDERS]


GENDER_ABBREVIATIONS = {"women": "K", "men": "M", "other": "A"}


def _measure_cell(counts, previous):
    """A total with its gender split ("K 8 (50 %)") and last year's total."""
    shares = gender_shares(counts)
    split = [(GENDER_ABBREVIATIONS[g], getattr(counts, g), shares[g]) for g in GENDERS]
    return {"total": counts.total, "split": split, "previous": previous.total}


def _export_links(name, pk, period, include_drafts):
    """Addresses of every export, internal and for publication: links for the files that download
    at once, POST buttons for the PDF (a POST creates its job)."""
    links = {}
    for fmt in (*DIRECT_FORMATS, "pdf"):
        base = reverse(name, args=[pk, fmt])
        links[fmt] = {
            "format": "Word" if fmt == "docx" else fmt.upper(),
            "internal": f"{base}?{summary_query(period, include_drafts)}",
            "publish": None
            if fmt in INTERNAL_ONLY_FORMATS
            else f"{base}?{summary_query(period, include_drafts, publish=True)}",
        }
    files = [links[fmt] for fmt in DIRECT_FORMATS]
    return {"files": files, "publish_files": [link for link in files if link["publish"]], "pdf": links["pdf"]}


@login_required
def detail_page(request, intervention_id: int):
    intervention = readable_intervention(request.user, intervention_id)
    period, error, include_drafts, _publish = summary_options(request, intervention.reports.all())
    detail = None
    if period is not None:
        try:
            detail = intervention_detail(intervention=intervention, period=period, include_drafts=include_drafts)
        except PeriodError as exc:
            error = exc.message
    context = {
        "intervention": intervention,
        "association": intervention.association,
        **_period_context(request, period, error, include_drafts),
    }
    if detail is None:
        return render(request, "reports/summary_detail.html", context, status=400)
    query = summary_query(period, include_drafts)
    tables = [*detail.dimensions, detail.exits]
    context.update(
        {
            "detail": detail,
            "measures": _measure_rows(detail.current, detail.previous),
            "tables": [
                {
                    "table": table,
                    "svg": reverse("summary-chart", args=[intervention.pk, table.code, "svg"]) + "?" + query,
                    "png": reverse("summary-chart", args=[intervention.pk, table.code, "png"]) + "?" + query,
                }
                for table in tables
            ],
            "summary_url": reverse("summary", args=[intervention.association_id]) + "?" + query,
            "period_name": period_name(detail.period),
            "previous_name": period_name(detail.previous_period),
            "exports": _export_links("summary-detail-export", intervention.pk, period, include_drafts),
            "beyond": beyond_sections(
                [(intervention.pk, intervention.name, detail.current, detail.activity_log_text)], detail.measures
            ),
        }
    )
    return render(request, "reports/summary_detail.html", context)


@login_required
def chart(request, intervention_id: int, chart: str, fmt: str):
    """A bar chart of new participants by one dimension, or of exits by reason, as SVG or PNG."""
    intervention = readable_intervention(request.user, intervention_id)
    period, _error, include_drafts, _publish = summary_options(request)
    if period is None or fmt not in charts.FORMATS:
        raise Http404
    try:
        detail = intervention_detail(
            intervention=intervention, period=period, include_drafts=include_drafts, with_goals_and_surveys=False
        )
    except PeriodError as exc:
        raise Http404 from exc
    tables = {t.code: t for t in [*detail.dimensions, detail.exits]}
    if chart not in tables:
        raise Http404
    table = tables[chart]
    title = _("Avslutade per orsak, %(p)s") if chart == "exits" else _("Nya deltagare per %(d)s, %(p)s")
    figure = charts.breakdown_chart(table, title=title % {"p": period.code, "d": charts.in_sentence(table.title)})
    response = HttpResponse(charts.render(figure, fmt), content_type=charts.FORMATS[fmt])
    if request.GET.get("ladda_ner") == "1":
        response["Content-Disposition"] = f'attachment; filename="{intervention.pk}-{chart}-{period.code}.{fmt}"'
    return response
