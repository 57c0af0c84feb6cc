"""``/api/v1/interventions/{id}/activities/``: the activity log (API.md, "Activities of structural
interventions"). Read: everybody who sees the intervention; write: its coordinators and staff."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from outcomes.activities.models import Activity
from outcomes.activities.rules import ActivityInput
from outcomes.activities.selectors import activities_of
from outcomes.activities.services import activity_create, activity_delete, activity_update
from outcomes.api.errors import report_error_response
from outcomes.api.params import PeriodField
from outcomes.api.permissions import InterventionScoped, WritesReports
from outcomes.api.serializers import GenderCountsSerializer
from outcomes.counts import Counts
from outcomes.limits import MAX_REPORT_COUNT, MAX_REPORT_SEK
from outcomes.shares import Share
from outcomes.tallies.errors import ReportError


class OrganisationRowSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=30)
    attendees = serializers.IntegerField(max_value=MAX_REPORT_COUNT)


class EvaluationSerializer(serializers.Serializer):
    answered = serializers.IntegerField(max_value=MAX_REPORT_COUNT)
    positive = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_REPORT_COUNT)


class EvaluationOutputSerializer(serializers.Serializer):
    """An activity's evaluation (read from the activity); ``null`` when it has none."""

    answered = serializers.IntegerField(source="evaluation_answered")
    positive = serializers.IntegerField(source="evaluation_positive", allow_null=True)
    percent = serializers.SerializerMethodField()

    def get_percent(self, activity: Activity) -> int | None:
        positive = activity.evaluation_positive
        return Share(positive, activity.evaluation_answered).percent if positive is not None else None

    def to_representation(self, activity: Activity):
        return None if activity.evaluation_answered is None else super().to_representation(activity)


class ActivityInputSerializer(serializers.Serializer):
    """An activity as a client sends it. Negative numbers pass here on purpose: the rules refuse
    them with ``negative_count`` and the field named, as the web form does."""

    date = serializers.DateField()
    title = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=30)
    occasions = serializers.IntegerField(required=False, default=1, max_value=MAX_REPORT_COUNT)
    attendees = serializers.IntegerField(max_value=MAX_REPORT_COUNT)
    estimated = serializers.BooleanField(required=False, default=False)
    attendees_by_gender = GenderCountsSerializer(required=False, allow_null=True)
    attendees_by_organisation = OrganisationRowSerializer(many=True, required=False)
    exhibitors = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_REPORT_COUNT)
    evaluation = EvaluationSerializer(required=False, allow_null=True)
    spent_sek = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_REPORT_SEK)

    def validate_attendees_by_organisation(self, rows):
        seen = set()
        for index, row in enumerate(rows):
            if row["organisation"] in seen:
                message = _("Organisationen ”%(o)s” förekommer två gånger.") % {"o": row["organisation"]}
                raise serializers.ValidationError({index: {"organisation": [message]}}, code="duplicate")
            seen.add(row["organisation"])
        return rows

    def to_input(self) -> ActivityInput:
        data = self.validated_data
        split = data.get("attendees_by_gender")
        evaluation = data.get("evaluation") or {}
        return ActivityInput(
            date=data["date"],
            title=data["title"],
            kind=data["kind"],
            attendees=data["attendees"],
            occasions=data.get("occasions", 1),
            estimated=data.get("estimated", False),
            attendees_by_gender=Counts.from_mapping(split) if split is not None else None,
            attendees_by_organisation={
                r["organisation"]: r["attendees"] for r in data.get("attendees_by_organisation", [])
            },
            exhibitors=data.get("exhibitors"),
            evaluation_answered=evaluation.get("answered"),
            evaluation_positive=evaluation.get("positive"),
            spent_sek=data.get("spent_sek"),
        )


class ActivityOutputSerializer(serializers.Serializer):
    """A stored activity, with its base period, whether it is locked and its own cost per attendee."""

    id = serializers.IntegerField(source="pk")
    intervention = serializers.IntegerField(source="intervention_id")
    period = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField()
    kind = serializers.CharField()
    occasions = serializers.IntegerField()
    attendees = serializers.IntegerField()
    estimated = serializers.BooleanField()
    attendees_by_gender = GenderCountsSerializer(allow_null=True)
    attendees_by_organisation = OrganisationRowSerializer(source="organisations", many=True)
    exhibitors = serializers.IntegerField(allow_null=True)
    evaluation = EvaluationOutputSerializer(source="*", allow_null=True)
    spent_sek = serializers.IntegerField(allow_null=True)
    cost_per_attendee_sek = serializers.IntegerField(allow_null=True)


class ActivityListQuerySerializer(serializers.Serializer):
    period = PeriodField(required=False, help_text="Bara aktiviteter inom perioden, till exempel 2024 eller 2024Q3.")


class ActivityMixin(InterventionScoped):
    """Everybody who sees the intervention reads its log; its report writers change it (403 for
    the other readers)."""

    permission_classes = [IsAuthenticated, WritesReports]


class ActivityListView(ActivityMixin, generics.ListAPIView):
    """The activity log of one intervention, in date order; add an activity to it."""

    serializer_class = ActivityOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Activity.objects.none()
        query = ActivityListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return activities_of(intervention=self.get_intervention(), period=query.validated_data.get("period"))

    @extend_schema(summary="Aktivitetslogg", parameters=[ActivityListQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Lägg till en aktivitet",
        request=ActivityInputSerializer,
        responses={201: ActivityOutputSerializer},
    )
    def post(self, request, intervention_id: int):
        serializer = ActivityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activity = activity_create(
                intervention=self.get_intervention(), data=serializer.to_input(), user=request.user
            )
        except ReportError as error:
            return report_error_response(error)
        return Response(ActivityOutputSerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(ActivityMixin, generics.GenericAPIView):
    """One activity: read, change (``PATCH`` changes only the fields it names) or delete it."""

    serializer_class = ActivityOutputSerializer

    def activity(self, activity_id) -> Activity:
        activity = activities_of(intervention=self.get_intervention()).filter(pk=activity_id).first()
        if activity is None:
            raise Http404
        return activity

    @extend_schema(summary="En aktivitet", responses=ActivityOutputSerializer)
    def get(self, request, intervention_id: int, activity_id: int):
        return Response(ActivityOutputSerializer(self.activity(activity_id)).data)

    @extend_schema(
        summary="Ändra en aktivitet", request=ActivityInputSerializer(partial=True), responses=ActivityOutputSerializer
    )
    def patch(self, request, intervention_id: int, activity_id: int):
        activity = self.activity(activity_id)
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Skicka aktiviteten som ett JSON-objekt.")]})
        current = ActivityOutputSerializer(activity).data
        merged = {key: current[key] for key in ActivityInputSerializer().fields}
        if merged["evaluation"] is not None:
            merged["evaluation"] = {k: v for k, v in merged["evaluation"].items() if k != "percent"}
        serializer = ActivityInputSerializer(data={**merged, **request.data})
        serializer.is_valid(raise_exception=True)
        try:
            activity = activity_update(activity=activity, data=serializer.to_input(), user=request.user)
        except ReportError as error:
            return report_error_response(error)
        return Response(ActivityOutputSerializer(self.activity(activity.pk)).data)

    @extend_schema(summary="Ta bort en aktivitet", responses={204: None})
    def delete(self, request, intervention_id: int, activity_id: int):
        try:
            activity_delete(activity=self.activity(activity_id), user=request.user)
        except ReportError as error:
            return report_error_response(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
