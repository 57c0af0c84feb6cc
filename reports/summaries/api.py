"""``GET /api/v1/associations/{id}/summary/?period=2024``: the summary page's numbers as JSON.

The output serializers below are the one place where the summary's shape is written (API.md
"Summary body"); the schema is generated from them.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.params import FlagField, PeriodField
from outcomes.api.permissions import AssociationScoped, ReadsSummaries
from outcomes.api.serializers import GenderCountsWithTotalSerializer, ShareSerializer
from outcomes.counts import ZERO
from outcomes.tallies.serializers import MeasureOutputSerializer
from reports.goals.api import GoalResultOutputSerializer
from reports.summaries.figures import MEASURES
from reports.summaries.selectors import Summary, association_summary


class ReasonCountsSerializer(serializers.Serializer):
    reason = serializers.CharField()
    women = serializers.IntegerField(source="counts.women")
    men = serializers.IntegerField(source="counts.men")
    other = serializers.IntegerField(source="counts.other")
    total = serializers.IntegerField(source="counts.total")


class ExitsByReasonField(serializers.ListField):
    """Exits by reason with any exits, in the catalog's order (``reason_order`` in the context;
    by code without it)."""

    child = ReasonCountsSerializer()

    def to_representation(self, by_reason):
        # The rows the child's fields would give, built directly: a summary has thousands.
        order = self.context.get("reason_order") or sorted(by_reason)
        return [
            {"reason": code, **by_reason[code].as_dict(with_total=True)}
            for code in order
            if by_reason.get(code, ZERO).total
        ]


class MeasuresField(serializers.ListField):
    """Counted measures by code (aggregated by their rule) as rows, by code; a measure no report
    counted is left out (blank, not zero)."""

    child = MeasureOutputSerializer()

    def to_representation(self, measures):
        # The rows the child's fields would give (whole numbers, genders None for a total).
        return [{"measure": code, **value.as_dict()} for code, value in sorted(measures.items())]


class ActivityEvaluationSerializer(serializers.Serializer):
    """The activities' evaluations summed (read from :class:`Figures`)."""

    answered = serializers.IntegerField(source="activities.evaluation_answered")
    positive = serializers.IntegerField(source="activities.evaluation_positive")
    percent = serializers.IntegerField(source="evaluation.percent", allow_null=True)


class ActivitiesSerializer(serializers.Serializer):
    """The activity log summed over the period (read from :class:`Figures`)."""

    count = serializers.IntegerField(source="activities.count")
    occasions = serializers.IntegerField(source="activities.occasions")
    attendees = serializers.IntegerField(source="activities.attendees")
    exhibitors = serializers.IntegerField(source="activities.exhibitors")
    evaluation = ActivityEvaluationSerializer(source="*")


#: The figures a structural intervention's row leaves out: it has no participants.
PARTICIPANT_FIELDS = (*MEASURES, "exits_by_reason", "step_progression", "cost_per_participant_sek")


def figure_fields(source: str = "", *, structural: bool = False) -> dict[str, serializers.Field]:
    """The fields of one set of figures (:class:`reports.summaries.figures.Figures`, read from the
    attribute ``source``, or the instance itself), in the order of API.md: reports, the counts by
    gender, exits by reason, step progression, the money, then the measures, the activity log,
    cost per attendee, places and occupancy. ``structural``: the figures may be a structural
    intervention's, so the schema marks :data:`PARTICIPANT_FIELDS` as not always present."""

    def at(name: str) -> dict:
        where = {"source": f"{source}.{name}"} if source else {}
        return {**where, "required": False} if structural and name in PARTICIPANT_FIELDS else where

    return {
        "reports": serializers.IntegerField(**at("reports")),
        **{name: GenderCountsWithTotalSerializer(**at(name)) for name in MEASURES},
        "exits_by_reason": ExitsByReasonField(**at("exits_by_reason")),
        "step_progression": ShareSerializer(**at("step_progression")),
        "budget_sek": serializers.IntegerField(allow_null=True, **at("budget_sek")),
        "spent_sek": serializers.IntegerField(**at("spent_sek")),
        "share_spent": ShareSerializer(allow_null=True, **at("share_spent")),
        "cost_per_participant_sek": serializers.IntegerField(allow_null=True, **at("cost_per_participant_sek")),
        "measures": MeasuresField(**at("measures")),
        "activities": ActivitiesSerializer(source=source or "*"),
        "cost_per_attendee_sek": serializers.IntegerField(allow_null=True, **at("cost_per_attendee_sek")),
        "places": serializers.IntegerField(allow_null=True, **at("places")),
        "occupancy": ShareSerializer(allow_null=True, **at("occupancy")),
    }


class FiguresSerializer(serializers.Serializer):
    """One set of figures; the base of the serializers that carry them: ``figures_from`` names
    the attribute they are read from (none: the instance is a ``Figures``), ``before`` the
    declared fields that come before them (the others follow them)."""

    figures_from = ""
    before: tuple[str, ...] = ()
    #: Whether the figures may be a structural intervention's (a row, its year before), which
    #: leave out :data:`PARTICIPANT_FIELDS`; totals always carry them.
    structural = False

    def get_fields(self):
        declared = super().get_fields()
        fields = {name: declared.pop(name) for name in self.before}
        return {**fields, **figure_fields(self.figures_from, structural=self.structural), **declared}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        figures = getattr(instance, self.figures_from) if self.figures_from else instance
        if figures.structural:
            for name in PARTICIPANT_FIELDS:
                del data[name]
        return data


class PreviousYearSerializer(FiguresSerializer):
    """The same figures for the same period a year earlier."""

    figures_from = "previous"
    before = ("period",)
    structural = True
    period = serializers.SerializerMethodField()

    def get_period(self, _instance) -> str:
        return self.context["previous_period"]


class PreviousTotalsSerializer(PreviousYearSerializer):
    figures_from = "previous_totals"
    structural = False


class SocioEconomicOutputSerializer(serializers.Serializer):
    """The socio-economic estimate of one row or the totals
    (:class:`reports.summaries.socio_economic.SocioEconomicEstimate`)."""

    exits_to_self_support = serializers.IntegerField()
    value_per_person_year_sek = serializers.IntegerField()
    gross_sek = serializers.IntegerField()
    cost_sek = serializers.IntegerField()
    net_sek = serializers.IntegerField()


@extend_schema_field(SocioEconomicOutputSerializer)
class SocioEconomicField(serializers.Field):
    """The estimate of the figures at ``source`` (``current`` of a row, ``totals`` of the summary),
    in the association's model (the summary in the context)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, figures):
        estimate = self.context["summary"].socio_economic(figures)
        return {name: getattr(estimate, name) for name in SocioEconomicOutputSerializer._declared_fields}


class InterventionRowSerializer(FiguresSerializer):
    """One intervention's row: who it is, its figures, its goal results and last year's figures."""

    figures_from = "current"
    before = ("id", "name", "owner", "missing_reports", "kind")
    structural = True
    id = serializers.IntegerField(source="intervention.pk")
    name = serializers.CharField(source="intervention.name")
    owner = serializers.CharField(source="intervention.owner")
    missing_reports = serializers.IntegerField()
    kind = serializers.CharField(source="intervention.kind")
    activity_log = serializers.CharField(
        source="activity_log_text", allow_blank=True, help_text='"Finsammässan (220), Nätverksträff (10)"'
    )
    goals = GoalResultOutputSerializer(many=True)
    socio_economic = SocioEconomicField(source="current")
    previous_year = PreviousYearSerializer(source="*")


class TotalsSerializer(FiguresSerializer):
    """The figures summed over the interventions."""

    figures_from = "totals"
    socio_economic = SocioEconomicField(source="totals")
    previous_year = PreviousTotalsSerializer(source="*")


class NotAlignedSerializer(serializers.Serializer):
    """An intervention whose frequency does not fit the period (a tertial of a quarterly one)."""

    id = serializers.IntegerField(source="intervention.pk")
    name = serializers.CharField(source="intervention.name")
    message = serializers.CharField()


class SummaryOutputSerializer(serializers.Serializer):
    """An association's summary (:class:`reports.summaries.selectors.Summary`), as in API.md."""

    association = serializers.IntegerField(source="association.pk")
    period = PeriodField()
    include_drafts = serializers.BooleanField()
    missing_reports = serializers.IntegerField()
    interventions = InterventionRowSerializer(source="rows", many=True)
    totals = TotalsSerializer(source="*")
    not_aligned = NotAlignedSerializer(many=True)

    @classmethod
    def of(cls, summary: Summary) -> SummaryOutputSerializer:
        """The serializer of ``summary``, with the catalog's reason order and last year's code."""
        context = {
            "reason_order": [r.code for r in summary.exit_reasons],
            "previous_period": summary.previous_period.code,
            "summary": summary,
        }
        return cls(summary, context=context)


class SummaryQuerySerializer(serializers.Serializer):
    period = PeriodField(ranges=True, help_text="Till exempel 2024, 2024H1, 2024Q3 eller intervallet 2014Q3..2024Q2.")
    include_drafts = FlagField(help_text="Räkna även utkast.")


class AssociationSummaryView(AssociationScoped, APIView):
    """The association's summary for any period code; staff and viewers only (others get 404).

    ``?period=`` is required; ``?include_drafts=true`` counts drafts too. A bad period answers 400
    with the field ``period`` and the period's own code and Swedish message.
    """

    permission_classes = [IsAuthenticated, ReadsSummaries]

    @extend_schema(responses=SummaryOutputSerializer, parameters=[SummaryQuerySerializer])
    def get(self, request: Request, association_id: int):
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = association_summary(association=self.get_association(), **query.validated_data)
        return Response(SummaryOutputSerializer.of(summary).data)
