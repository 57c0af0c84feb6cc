"""The socio-economic estimate (*samhällsekonomisk vinst*) of DOMAIN.md, written once.

A person who reaches self-support is worth the association's ``value_per_person_year_sek`` a year
(340 000 kr in the published model). The estimate of a period is the exits to self-support (exits
whose reason has the outcome class ``self_support``) times that value; the net subtracts the
period's spent. The summary page, the summary API (``socio_economic``) and the documents all call
:func:`socio_economic_estimate` and state the model with :func:`model_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.shares import swedish_number

SELF_SUPPORT = "self_support"


def _kr(amount: int) -> str:
    return f"{swedish_number(amount, grouped=True)}\u00a0kr"


@dataclass(frozen=True)
class SocioEconomicEstimate:
    """Exits to self-support × the value per person and year, the cost (the period's spent) and
    the net. With no exits to self-support the gross is 0 and the net is minus the cost."""

    exits_to_self_support: int
    value_per_person_year_sek: int
    cost_sek: int

    @property
    def gross_sek(self) -> int:
        return self.exits_to_self_support * self.value_per_person_year_sek

    @property
    def net_sek(self) -> int:
        return self.gross_sek - self.cost_sek

    def sentence(self) -> str:
        """ "30 avslut till egen försörjning × 340 000 kr = 10 200 000 kr; kostnad 2 356 616 kr;
        netto 7 843 384 kr." """
        return _("%(n)s avslut till egen försörjning × %(value)s = %(gross)s; kostnad %(cost)s; netto %(net)s.") % {
            "n": self.exits_to_self_support,
            "value": _kr(self.value_per_person_year_sek),
            "gross": _kr(self.gross_sek),
            "cost": _kr(self.cost_sek),
            "net": _kr(self.net_sek),
        }


def self_support_codes(exit_reasons: Iterable) -> frozenset[str]:
    """The codes of the exit reasons whose outcome class is self-support."""
    return frozenset(r.code for r in exit_reasons if r.outcome_class == SELF_SUPPORT)


def socio_economic_estimate(*, association, figures, self_support: frozenset[str]) -> SocioEconomicEstimate:
    """The estimate of one summary row (an intervention's or the totals' :class:`Figures`) with
    the association's parameters; ``self_support`` is :func:`self_support_codes` of its catalog."""
    exits = sum(counts.total for code, counts in figures.exits_by_reason.items() if code in self_support)
    return SocioEconomicEstimate(
        exits_to_self_support=exits,
        value_per_person_year_sek=association.value_per_person_year_sek,
        cost_sek=figures.spent_sek,
    )


def model_text(association) -> str:
    """The model in words, with the association's own parameters (the estimate always states them)."""
    salary = association.annual_salary_sek
    tax = salary * association.income_tax_percent // 100
    fee = salary * association.employer_fee_percent // 100
    return _(
        "Samhällsekonomisk uppskattning enligt förbundets modell: en person som når egen försörjning "
        "sparar %(support)s i månaden i offentlig försörjning (%(support_year)s om året), ger "
        "%(tax_pct)s %% inkomstskatt och %(fee_pct)s %% arbetsgivaravgift på en årslön om %(salary)s "
        "(%(tax)s + %(fee)s) och %(health)s om året i hälsovinster: %(value)s per person och år. "
        "Netto = vinst − insatsens kostnad under perioden."
    ) % {
        "support": _kr(association.support_per_month_sek),
        "support_year": _kr(association.support_per_month_sek * 12),
        "tax_pct": association.income_tax_percent,
        "fee_pct": association.employer_fee_percent,
        "salary": _kr(salary),
        "tax": _kr(tax),
        "fee": _kr(fee),
        "health": _kr(association.health_gain_per_year_sek),
        "value": _kr(association.value_per_person_year_sek),
    }
