"""The annual report's sentences, generated from the counts (DOMAIN.md "The annual report's sentences").

Staff retype these sentences today, and that is where published figures go wrong. Every function
here takes the same :class:`~reports.summaries.figures.Figures` the tables and the summary API
read, so a sentence cannot disagree with them. Every share is written with its numerator and
denominator ("45 % (5/11)", :class:`~reports.shares.Share`); periods are named with
:func:`outcomes.periods.period_name`, so an interim report says "under första halvåret 2024"
where the annual report says "under året".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outcomes.counts import GENDER_LABELS
from outcomes.periods import during, is_interim, period_name
from reports.shares import Share


def number(value: int) -> str:
    """A whole number with a non-breaking space between thousands: "2 403 500"."""
    return f"{int(value):,}".replace(",", "\u00a0")


def kronor(value: int | None) -> str:
    return "–" if value is None else f"{number(value)}\u00a0kr"


def lower_first(label: str) -> str:
    """A catalog label inside a sentence ("Studier" → "studier"); acronyms ("AF") stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def gender_split(counts) -> str:
    """ "35 kvinnor och 27 män", with "och 1 annan/ej angivet" only when there is one."""
    parts = [f"{counts.women} {GENDER_LABELS['women']}", f"{counts.men} {GENDER_LABELS['men']}"]
    if counts.other:
        parts.append(f"{counts.other} {GENDER_LABELS['other']}")
    return ", ".join(parts[:-1]) + _(" och ") + parts[-1]


def document_title(period, association_name: str) -> str:
    """ "Årsredovisning 2024 – …" for a year, "Delårsrapport första halvåret 2024 – …" otherwise."""
    if is_interim(period):
        return _("Delårsrapport %(period)s – %(name)s") % {"period": period_name(period), "name": association_name}
    if period.year is None:
        return _("Rapport %(period)s – %(name)s") % {"period": period_name(period), "name": association_name}
    return _("Årsredovisning %(year)s – %(name)s") % {"year": period.year, "name": association_name}


def participants_sentence(figures, period, *, association: bool = False) -> str:
    """ "62 individer har deltagit i insatsen under året, varav 35 kvinnor och 27 män."; for the
    association's total "… i förbundets insatser …"."""
    participants = figures.participants
    where = _("i förbundets insatser") if association else _("i insatsen")
    if not participants.total:
        return _("Inga deltagare har deltagit %(where)s %(during)s.") % {"where": where, "during": during(period)}
    return ngettext(
        "%(n)s individ har deltagit %(where)s %(during)s, varav %(split)s.",
        "%(n)s individer har deltagit %(where)s %(during)s, varav %(split)s.",
        participants.total,
    ) % {"n": participants.total, "where": where, "during": during(period), "split": gender_split(participants)}


def new_and_exits_sentence(figures, period) -> str:
    """ "Under året har 16 börjat (8 kvinnor och 8 män) och 11 avslutats (5 kvinnor och 6 män);
    16 pågår vid periodens slut." """
    return _(
        "%(during)s har %(new)s börjat (%(new_split)s) och %(exits)s avslutats (%(exits_split)s); "
        "%(end)s pågår vid periodens slut."
    ) % {
        "during": during(period)[:1].upper() + during(period)[1:],
        "new": figures.new.total,
        "new_split": gender_split(figures.new),
        "exits": figures.exits.total,
        "exits_split": gender_split(figures.exits),
        "end": figures.ongoing_at_end.total,
    }


def exits_by_reason_text(figures, reasons) -> str:
    """ "1 arbete/anställning, 1 studier, 6 åter till remittent/anvisande part": every reason with
    exits, in catalog order (``reasons`` are (code, label) pairs), adding up to the exits."""
    labels = dict(reasons)
    order = [code for code, _label in reasons] + sorted(c for c in figures.exits_by_reason if c not in labels)
    parts = []
    for code in order:
        counts = figures.exits_by_reason.get(code)
        if counts and counts.total:
            parts.append(f"{counts.total} {lower_first(labels.get(code, code))}")
    return ", ".join(parts)


def step_sentence(figures, reasons) -> str:
    """ "45 % av de avslutade har gjort en stegförflyttning (5/11): 1 arbete, 1 studier, …, 6 åter
    till remittent." With exits left out of the denominator by the step definition, says how many."""
    step: Share = figures.step_progression
    if not figures.exits.total:
        return _("Ingen deltagare har avslutats under perioden, så stegförflyttning kan inte beräknas.")
    text = _("%(percent)s %% av de avslutade har gjort en stegförflyttning (%(num)s/%(den)s)") % {
        "percent": step.percent if step.denominator else "–",
        "num": step.numerator,
        "den": step.denominator,
    }
    left_out = figures.exits.total - step.denominator
    if left_out:
        text += ngettext(
            "; %(n)s avslut räknas inte enligt stegdefinitionen",
            "; %(n)s avslut räknas inte enligt stegdefinitionen",
            left_out,
        ) % {"n": left_out}
    return f"{text}: {exits_by_reason_text(figures, reasons)}."


def activities_sentence(figures, log_text: str, period) -> str:
    """A structural intervention's activities: "Under året har 3 aktiviteter genomförts med
    250 deltagare: Finsammässan (220), Nätverksträff (10), Workshop (20); kostnad per deltagare
    1 200 kr (300 000 kr / 250 deltagare)." """
    activities = figures.activities
    when = during(period)[:1].upper() + during(period)[1:]
    if not activities.count:
        return _("%(during)s har inga aktiviteter registrerats.") % {"during": when}
    text = ngettext(
        "%(during)s har %(n)s aktivitet genomförts med %(attendees)s deltagare",
        "%(during)s har %(n)s aktiviteter genomförts med %(attendees)s deltagare",
        activities.count,
    ) % {"during": when, "n": activities.count, "attendees": number(activities.attendees)}
    if log_text:
        text += f": {log_text}"
    cost = figures.cost_per_attendee_sek
    if cost is not None:
        text += _("; kostnad per deltagare %(cost)s (%(spent)s / %(n)s deltagare)") % {
            "cost": kronor(cost),
            "spent": kronor(figures.spent_sek),
            "n": number(activities.attendees),
        }
    return text + "."


def comparison_sentence(current, previous, previous_period) -> str:
    """ "Jämfört med (jmf) helåret 2023: 14 deltagare (+13), stegförflyttning 0 % (0/3)." """
    difference = current.participants.total - previous.participants.total
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return _("Jämfört med (jmf) %(period)s: %(n)s deltagare (%(sign)s%(diff)s), stegförflyttning %(step)s.") % {
        "period": period_name(previous_period),
        "n": previous.participants.total,
        "sign": sign,
        "diff": abs(difference),
        "step": str(previous.step_progression),
    }


def money_sentence(figures) -> str:
    """ "Beviljade medel 2 403 500 kr, förbrukat 2 356 616 kr, 98 % (2356616/2403500) av budgeten;
    kostnad per deltagare 87 282 kr (2 356 616 kr / 27 deltagare)." """
    parts = []
    if figures.budget_sek is not None:
        parts.append(_("Beviljade medel %(b)s") % {"b": kronor(figures.budget_sek)})
    spent = _("förbrukat %(s)s") % {"s": kronor(figures.spent_sek)}
    if figures.share_spent is not None:
        spent += _(", %(share)s av budgeten") % {"share": str(figures.share_spent)}
    parts.append(spent)
    text = ", ".join(parts)
    text = text[:1].upper() + text[1:]
    cost = figures.cost_per_participant_sek
    if cost is not None:
        text += _("; kostnad per deltagare %(cost)s (%(spent)s / %(n)s deltagare)") % {
            "cost": kronor(cost),
            "spent": kronor(figures.spent_sek),
            "n": figures.participants.total,
        }
    return text + "."


def owner_sentence(intervention) -> str:
    """ "Insatsägare: Lekebergs kommun. Typ av insats: individinriktad." """
    return _("Insatsägare: %(owner)s. Typ av insats: %(kind)s.") % {
        "owner": intervention.owner,
        "kind": intervention.get_kind_display(),
    }


def socio_economic_sentence(estimate) -> str:
    return _("Samhällsekonomisk uppskattning: %(text)s") % {"text": estimate.sentence()}
