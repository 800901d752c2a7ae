from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.api.serializers import PolicySerializer, VisibleField, described
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.api.serializers import CountryCodesField
from partnerships.models import ClusterOrganisation, Member, Partner, Partnership

from .. import selectors
from ..filters import (
    ExportGroupFilterSet,
    MissionFilterSet,
    OutcomeFilterSet,
    ParticipationFilterSet,
)
from ..models import ExportGroup, Mission, Outcome, Participation
from ..rules import can_name_members
from ..services import missions as services
from .examples import MISSION_EXAMPLES, PARTICIPATION_EXAMPLES
from .meetings import AgendaMixin, MissionMeetingsMixin

# Erased members keep their place in the counts but cannot be named in new records.
NOT_ERASED = {"erased_at__isnull": True}


class NamesOrFigures(serializers.Serializer):
    """The rows that name members (registrations, outcomes, export groups) follow the rule of
    the pages, ``can_name_members``: a reader who gets the partnership's figures only (an EC
    officer) gets the same keys, with the fields that name members blank (``blank``: field ->
    value, e.g. ``member`` null, ``members`` an empty list, ``note`` empty) and
    ``names_hidden`` true; the counts stay."""

    blank: dict = {}
    names_hidden = serializers.SerializerMethodField(
        help_text="True when you read this partnership's figures only: the fields that would "
        "name members are blank."
    )

    def partnership_id(self, obj) -> int:
        return obj.partnership_id

    @extend_schema_field(serializers.BooleanField())
    def get_names_hidden(self, obj) -> bool:
        request = self.context.get("request")
        return request is None or not can_name_members(request.user, self.partnership_id(obj))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["names_hidden"]:
            data.update(self.blank)
        return data


class MembersCount(serializers.Serializer):
    """``members_count``: how many members the row names, for every reader (the figure the
    pages show EC officers)."""

    members_count = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField())
    def get_members_count(self, obj) -> int:
        return len(obj.members.all())  # prefetched


@described(
    kind="Kind of mission or event (`trade_mission`, `b2b`, `webinar`, …).",
    country="ISO 3166 alpha-2 code of the country it takes place in.",
    registration_deadline="Last day to register.",
    status="`planned`, `confirmed`, `done` or `cancelled`.",
    meeting_minutes="Length of one B2B meeting, in minutes.",
    meeting_day_start="Time the meetings start each day (local time of the mission).",
    meeting_day_end="Time the meetings end each day (local time of the mission).",
    meeting_tables="Tables available for meetings at the same time.",
    places_taken="Registrations holding a place (not waiting, not cancelled).",
    waiting="Registrations on the waiting list.",
    updated_at="When the mission was last changed.",
)
@extend_schema_serializer(examples=MISSION_EXAMPLES)
class MissionSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    organiser = VisibleField(Partner, allow_null=True, required=False)
    country = CountryField()
    places_taken = serializers.SerializerMethodField()
    waiting = serializers.SerializerMethodField()
    create_only = ("partnership",)

    class Meta:
        model = Mission
        fields = [
            "id",
            "partnership",
            *services.MISSION_FIELDS,
            *services.MEETING_SETTINGS,
            "places_taken",
            "waiting",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []

    @extend_schema_field(serializers.IntegerField())
    def get_places_taken(self, obj):
        return getattr(obj, "taken", None)

    @extend_schema_field(serializers.IntegerField())
    def get_waiting(self, obj):
        return getattr(obj, "waiting", None)


class MissionViewSet(MissionMeetingsMixin, PolicyViewSet):
    """Missions and events of the partnerships: every coordinator sees every partnership's
    missions (a common database); registrations and outcomes stay with the partnership."""

    queryset = Mission.objects.select_related("partnership")
    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.places(super().get_queryset()).order_by("start_date", "pk")

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
        pairs = selectors.overlaps(self.filter_queryset(self.get_queryset()))
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


@described(
    status="`registered`, `confirmed`, `waiting` (beyond the capacity), `cancelled` or `attended`.",
    registered_at="When the registration was made; the waiting list moves up in this order.",
)
@extend_schema_serializer(examples=PARTICIPATION_EXAMPLES)
class ParticipationSerializer(NamesOrFigures, PolicySerializer):
    """A registration. To a reader of the partnership's figures only, ``member`` is null and
    ``note`` empty (``names_hidden``); the mission's ``places_taken`` and ``waiting`` count
    them."""

    mission = VisibleField(Mission)
    member = VisibleField(Member, where=NOT_ERASED, allow_null=True, required=False)
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=ClusterOrganisation.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Participation
        fields = [
            "id",
            "mission",
            "member",
            "cluster",
            "status",
            "note",
            "registered_at",
            "names_hidden",
        ]
        read_only_fields = ["status", "registered_at"]
        validators = []

    blank = {"member": None, "note": ""}

    def partnership_id(self, obj) -> int:
        return obj.mission.partnership_id


class ParticipationViewSet(AgendaMixin, PolicyViewSet):
    """Registrations: beyond the places they go to the waiting list; a cancellation moves the
    first on the list up. A cluster manager registers only their own cluster's members."""

    queryset = Participation.objects.select_related("mission", "member", "cluster")
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet
    permission_classes = [IsAuthenticated]  # the services decide who registers and changes what
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


@described(
    kind="What came of the work: `mou`, `contract`, `project`, `opportunity` or `investment`.",
    counterpart_country="ISO 3166 alpha-2 code of the counterpart's country.",
    value="Value in EUR, a decimal as a string.",
    date="Date the outcome was reached (e.g. the contract signed).",
    members_count="How many members the outcome names, for every reader.",
)
class OutcomeSerializer(NamesOrFigures, MembersCount, PolicySerializer):
    """An outcome. To a reader of the partnership's figures only, ``members`` is an empty list
    and the free-text ``description`` (which names the companies) is empty (``names_hidden``);
    ``members_count`` says how many members it names, to everyone."""

    partnership = VisibleField(Partnership)
    mission = VisibleField(Mission, allow_null=True, required=False)
    members = VisibleField(Member, where=NOT_ERASED, many=True, required=False)
    counterpart_country = CountryField()
    create_only = ("partnership",)
    blank = {"members": [], "description": ""}

    class Meta:
        model = Outcome
        fields = [
            "id",
            "partnership",
            *services.OUTCOME_FIELDS,
            "members",
            "members_count",
            "names_hidden",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class OutcomeViewSet(PolicyViewSet):
    """What came of the work: agreements, contracts, projects, opportunities, investments."""

    queryset = Outcome.objects.select_related("mission").prefetch_related("members")
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    permission_classes = [IsAuthenticated]  # insiders record; the service checks who edits
    http_method_names = ["get", "post", "patch", "head", "options"]

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


class ExportGroupSerializer(NamesOrFigures, MembersCount, PolicySerializer):
    """An export group. To a reader of the partnership's figures only, ``members`` is an empty
    list and the free-text ``evaluation`` (how its members fared) is empty (``names_hidden``);
    ``members_count`` says how many members it has, to everyone."""

    partnership = VisibleField(Partnership)
    members = VisibleField(Member, where=NOT_ERASED, many=True)
    target_markets = CountryCodesField(required=False)
    create_only = ("partnership",)
    blank = {"members": [], "evaluation": ""}

    class Meta:
        model = ExportGroup
        fields = [
            "id",
            "partnership",
            *services.EXPORT_GROUP_FIELDS,
            "members",
            "members_count",
            "names_hidden",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


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
