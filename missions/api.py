from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from escp_portal.api.viewsets import PolicyViewSet
from partnerships.api import CountryCodesField
from partnerships.models import ClusterOrganisation, Member, Partner, Partnership

from . import queries, services
from .filters import (
    ExportGroupFilterSet,
    MissionFilterSet,
    OutcomeFilterSet,
    ParticipationFilterSet,
)
from .models import ExportGroup, Mission, Outcome, Participation


def _visible(field, model, request):
    queryset = model.objects.visible_to(request.user if request else None)
    if model is Member:
        queryset = queryset.filter(erased_at__isnull=True)
    field.queryset = queryset


class MissionSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.none())
    organiser = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(), allow_null=True, required=False
    )
    country = CountryField()
    places_taken = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id",
            "partnership",
            *services.MISSION_FIELDS,
            "places_taken",
            "waiting",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        _visible(fields["partnership"], Partnership, request)
        _visible(fields["organiser"], Partner, request)
        if self.instance is not None:
            fields["partnership"].read_only = True
        return fields

    @extend_schema_field(serializers.IntegerField())
    def get_places_taken(self, obj):
        return getattr(obj, "taken", None)

    @extend_schema_field(serializers.IntegerField())
    def get_waiting(self, obj):
        return getattr(obj, "waiting", None)


class MissionViewSet(PolicyViewSet):
    """Missions and events of the partnerships: every coordinator sees every partnership's
    missions (a common database); registrations and outcomes stay with the partnership."""

    queryset = Mission.objects.select_related("partnership")
    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return queries.places(super().get_queryset()).order_by("start_date", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.mission_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        mission = serializer.instance
        serializer.instance = services.mission_save(
            actor=self.request.user,
            partnership=mission.partnership,
            mission=mission,
            **serializer.validated_data,
        )

    @extend_schema(
        responses=inline_serializer(
            "Overlap",
            {
                "country": serializers.CharField(),
                "days_apart": serializers.IntegerField(),
                "missions": serializers.ListField(child=serializers.IntegerField()),
                "partnerships": serializers.ListField(child=serializers.IntegerField()),
            },
            many=True,
        )
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def overlaps(self, request):
        """Pairs of missions of different partnerships to the same country within three
        weeks of each other."""
        pairs = queries.overlaps(self.filter_queryset(self.get_queryset()))
        return Response(
            [
                {
                    "country": str(o.first.country),
                    "days_apart": o.days_apart,
                    "missions": [o.first.pk, o.second.pk],
                    "partnerships": [o.first.partnership_id, o.second.partnership_id],
                }
                for o in pairs
            ]
        )


class ParticipationSerializer(serializers.ModelSerializer):
    mission = serializers.PrimaryKeyRelatedField(queryset=Mission.objects.none())
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), allow_null=True, required=False
    )
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=ClusterOrganisation.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Participation
        fields = ["id", "mission", "member", "cluster", "status", "note", "registered_at"]
        read_only_fields = ["status", "registered_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        _visible(fields["mission"], Mission, request)
        _visible(fields["member"], Member, request)
        return fields


class ParticipationViewSet(PolicyViewSet):
    """Registrations: beyond the places they go to the waiting list; a cancellation moves the
    first on the list up. A cluster manager registers only their own cluster's members."""

    queryset = Participation.objects.select_related("mission", "member", "cluster")
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet
    login_required = True
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.participation_register(
            actor=self.request.user,
            mission=data["mission"],
            member=data.get("member"),
            cluster=data.get("cluster"),
            note=data.get("note", ""),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        participation = services.participation_confirm(
            actor=request.user, participation=self.get_object()
        )
        return Response(self.get_serializer(participation).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        participation = self.get_object()
        services.participation_cancel(actor=request.user, participation=participation)
        return Response(self.get_serializer(participation).data)

    def get_permissions(self):
        from rest_framework.permissions import IsAuthenticated

        return [IsAuthenticated()]  # the services decide who registers and changes what


class OutcomeSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.none())
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Mission.objects.none(), allow_null=True, required=False
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.none(), many=True, required=False
    )
    counterpart_country = CountryField()

    class Meta:
        model = Outcome
        fields = ["id", "partnership", *services.OUTCOME_FIELDS, "members", "created_at"]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        _visible(fields["partnership"], Partnership, request)
        _visible(fields["mission"], Mission, request)
        _visible(fields["members"].child_relation, Member, request)
        if self.instance is not None:
            fields["partnership"].read_only = True
        return fields


class OutcomeViewSet(PolicyViewSet):
    """What came of the work: agreements, contracts, projects, opportunities, investments."""

    queryset = Outcome.objects.select_related("mission").prefetch_related("members")
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        from rest_framework.permissions import IsAuthenticated

        return [IsAuthenticated()]  # insiders record; the service checks who edits

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        members = data.pop("members", None)
        serializer.instance = services.outcome_save(
            actor=self.request.user, partnership=partnership, members=members, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", None)
        outcome = serializer.instance
        serializer.instance = services.outcome_save(
            actor=self.request.user,
            partnership=outcome.partnership,
            outcome=outcome,
            members=members,
            **data,
        )


class ExportGroupSerializer(serializers.ModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.none())
    members = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none(), many=True)
    target_markets = CountryCodesField(required=False)

    class Meta:
        model = ExportGroup
        fields = ["id", "partnership", *services.EXPORT_GROUP_FIELDS, "members", "updated_at"]
        read_only_fields = ["updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        _visible(fields["partnership"], Partnership, request)
        _visible(fields["members"].child_relation, Member, request)
        if self.instance is not None:
            fields["partnership"].read_only = True
        return fields


class ExportGroupViewSet(PolicyViewSet):
    """Export groups: members of at least two partner clusters going to a market together."""

    queryset = ExportGroup.objects.prefetch_related("members")
    serializer_class = ExportGroupSerializer
    filterset_class = ExportGroupFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.export_group_save(
            actor=self.request.user, partnership=partnership, members=data.pop("members"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        group = serializer.instance
        members = data.pop("members", None)
        serializer.instance = services.export_group_save(
            actor=self.request.user,
            partnership=group.partnership,
            group=group,
            members=members if members is not None else group.members.all(),
            **data,
        )
