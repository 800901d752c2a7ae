"""The API of a mission's B2B meetings: offers and seeks (``meeting-profiles``), local
counterparts (``counterparts``) and the meetings themselves (``meetings``: requests, answers,
follow-up, outcome), through the services the pages call. The schedule run and a participant's
agenda are actions of ``missions`` and ``participations`` (``api.missions``)."""

from django.db import transaction
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import IF_MATCH, STALE, PolicyViewSet
from partnerships.models import Competence

from .. import scheduling, selectors
from ..filters import LocalCounterpartFilterSet, MeetingFilterSet, MeetingProfileFilterSet
from ..models import (
    LocalCounterpart,
    Meeting,
    MeetingProfile,
    Mission,
    Participation,
    party_name,
)
from ..rules import sees_agenda_of, sees_counterpart_contacts
from ..selectors.meetings import PARTIES
from ..services import meetings as services
from ..services.scheduling import schedule_meetings

CONTACTS = ("contact_name", "contact_email", "contact_phone")


# --- actions of missions and participations ----------------------------------------------------


class MissionMeetingsMixin:
    """The B2B meetings' actions of a mission: the organiser places the accepted meetings."""

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "MeetingSchedule",
            {
                "placed": serializers.ListField(child=serializers.IntegerField()),
                "unplaced": serializers.ListField(child=serializers.IntegerField()),
                "kept": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["post"], url_path="schedule-meetings")
    def schedule_meetings(self, request, pk=None):
        """Give every accepted meeting without a slot a time and a table within the mission's
        days and hours, booking no participant, counterpart or table twice; meetings placed
        before keep theirs. ``unplaced``: the meetings that found no free time."""
        report = schedule_meetings(actor=request.user, mission=self.get_object())
        return Response(
            {
                "placed": [m.pk for m in report.placed],
                "unplaced": [m.pk for m in report.unplaced],
                "kept": report.kept,
            }
        )


class AgendaMixin:
    """A participant's B2B agenda, for its side and the organiser's."""

    @extend_schema(
        responses=inline_serializer(
            "Agenda",
            {
                "participation": serializers.IntegerField(),
                "mission": serializers.IntegerField(),
                "time_zone": serializers.CharField(),
                "meetings": inline_serializer(
                    "AgendaMeeting",
                    {
                        "id": serializers.IntegerField(),
                        "starts_at": serializers.DateTimeField(allow_null=True),
                        "ends_at": serializers.DateTimeField(allow_null=True),
                        "local_start": serializers.CharField(allow_null=True),
                        "table": serializers.IntegerField(allow_null=True),
                        "with_participation": serializers.IntegerField(allow_null=True),
                        "with_counterpart": serializers.IntegerField(allow_null=True),
                        "with_name": serializers.CharField(),
                        "message": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def agenda(self, request, pk=None):
        """The participant's accepted meetings in time order (unscheduled ones last), with the
        local start in the mission's time zone."""
        participation = self.get_object()  # 404 for an id the user may not see
        if not sees_agenda_of(request.user, participation):
            raise PermissionDenied
        zone = scheduling.mission_zone(participation.mission)
        rows = []
        for meeting in selectors.agenda(participation):
            other = meeting.other_party(participation)
            is_participant = isinstance(other, Participation)
            rows.append(
                {
                    "id": meeting.pk,
                    "starts_at": meeting.starts_at,
                    "ends_at": meeting.ends_at,
                    "local_start": meeting.starts_at.astimezone(zone).isoformat()
                    if meeting.starts_at
                    else None,
                    "table": meeting.table,
                    "with_participation": other.pk if is_participant else None,
                    "with_counterpart": None if is_participant else other.pk,
                    "with_name": party_name(other),
                    "message": meeting.message,
                }
            )
        return Response(
            {
                "participation": participation.pk,
                "mission": participation.mission_id,
                "time_zone": zone.key,
                "meetings": serializers.ListField(child=serializers.DictField()).to_representation(
                    rows
                ),
            }
        )


# --- offers and seeks -----------------------------------------------------------------------------


class MeetingProfileSerializer(PolicySerializer):
    """What a participant offers and seeks. Its side writes it (the participant's cluster
    managers, the partnership's coordinators); the partnership's insiders who may name members
    read it."""

    participation = VisibleField(Participation)
    mission = serializers.IntegerField(source="participation.mission_id", read_only=True)
    competences = serializers.PrimaryKeyRelatedField(
        queryset=Competence.objects.all(), many=True, required=False
    )
    create_only = ("participation",)

    class Meta:
        model = MeetingProfile
        fields = ["id", "participation", "mission", "offers", "seeks", "competences", "updated_at"]
        read_only_fields = ["updated_at"]


class MeetingProfileViewSet(PolicyViewSet):
    """Offers and seeks of a mission's participants (one per participant)."""

    queryset = MeetingProfile.objects.select_related("participation__mission").prefetch_related(
        "competences"
    )
    serializer_class = MeetingProfileSerializer
    filterset_class = MeetingProfileFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.meeting_profile_save(
            actor=self.request.user,
            participation=data.pop("participation"),
            competences=data.pop("competences", None),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        profile = serializer.instance
        serializer.instance = services.meeting_profile_save(
            actor=self.request.user,
            participation=profile.participation,
            competences=data.pop("competences", None),
            offers=data.get("offers", profile.offers),
            seeks=data.get("seeks", profile.seeks),
        )


# --- local counterparts ---------------------------------------------------------------------------


class LocalCounterpartSerializer(PolicySerializer):
    """A company or body of the target country. Its contact is given to the organiser's side
    only: to others the contact fields are empty and ``contact_hidden`` is true."""

    mission = VisibleField(Mission)
    country = CountryField(required=False)
    contact_hidden = serializers.SerializerMethodField()
    create_only = ("mission",)

    class Meta:
        model = LocalCounterpart
        fields = ["id", "mission", *services.COUNTERPART_FIELDS, "contact_hidden", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []

    @extend_schema_field(serializers.BooleanField())
    def get_contact_hidden(self, obj) -> bool:
        request = self.context.get("request")
        return request is None or not sees_counterpart_contacts(request.user, obj.mission)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["contact_hidden"]:
            data.update(dict.fromkeys(CONTACTS, ""))
        return data


class LocalCounterpartViewSet(PolicyViewSet):
    """Local counterparts of a mission, entered by its organiser's side (its coordinators)."""

    queryset = LocalCounterpart.objects.select_related("mission")
    serializer_class = LocalCounterpartSerializer
    filterset_class = LocalCounterpartFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.counterpart_save(
            actor=self.request.user, mission=data.pop("mission"), **data
        )

    def perform_update(self, serializer):
        counterpart = serializer.instance
        serializer.instance = services.counterpart_save(
            actor=self.request.user,
            mission=counterpart.mission,
            counterpart=counterpart,
            **serializer.validated_data,
        )


# --- meetings -------------------------------------------------------------------------------------


class MeetingSerializer(PolicySerializer):
    """A B2B meeting. Each side is a participant (``requester`` / ``recipient``, a participation
    id) or a local counterpart (``requester_counterpart`` / ``recipient_counterpart``): give one
    of the two for each side. After the request only the follow-up changes (``took_place``,
    ``follow_up``, ``follow_up_note``); the answers are actions."""

    mission = VisibleField(Mission)
    requester = VisibleField(Participation, allow_null=True, required=False)
    requester_counterpart = VisibleField(LocalCounterpart, allow_null=True, required=False)
    recipient = VisibleField(Participation, allow_null=True, required=False)
    recipient_counterpart = VisibleField(LocalCounterpart, allow_null=True, required=False)
    outcome = serializers.SerializerMethodField()
    create_only = (
        "mission",
        "requester",
        "requester_counterpart",
        "recipient",
        "recipient_counterpart",
        "message",
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "mission",
            "requester",
            "requester_counterpart",
            "recipient",
            "recipient_counterpart",
            "message",
            "state",
            "requested_at",
            "answered_at",
            "starts_at",
            "ends_at",
            "table",
            *services.FOLLOW_UP_FIELDS,
            "outcome",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "requested_at",
            "answered_at",
            "starts_at",
            "ends_at",
            "table",
            "updated_at",
        ]
        validators = []

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_outcome(self, obj):
        outcome = getattr(obj, "outcome", None)
        return outcome.pk if outcome is not None else None

    def validate(self, attrs):
        if self.instance is None:
            for side in ("requester", "recipient"):
                given = [
                    name for name in (side, f"{side}_counterpart") if attrs.get(name) is not None
                ]
                if len(given) != 1:
                    raise serializers.ValidationError(
                        {side: "Give either a participant or a local counterpart."}
                    )
        return attrs


class MeetingViewSet(PolicyViewSet):
    """B2B meetings at missions. The organiser's side sees every meeting of its missions; a
    cluster manager those of their cluster's participants. Ask with POST; the other side
    accepts or declines, the asking side withdraws; either side records the follow-up (PATCH)
    and turns it into an outcome."""

    queryset = Meeting.objects.select_related("mission", "outcome", *PARTIES)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    permission_classes = [IsAuthenticated]  # the services decide who asks, answers, follows up
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.meeting_request(
            actor=self.request.user,
            mission=data["mission"],
            requester=data.get("requester") or data.get("requester_counterpart"),
            recipient=data.get("recipient") or data.get("recipient_counterpart"),
            message=data.get("message", ""),
        )

    def perform_update(self, serializer):
        meeting = serializer.instance
        data = {
            name: serializer.validated_data.get(name, getattr(meeting, name))
            for name in services.FOLLOW_UP_FIELDS
        }
        serializer.instance = services.meeting_follow_up(
            actor=self.request.user, meeting=meeting, **data
        )

    def _answer(self, request, service):
        with transaction.atomic():
            meeting = service(actor=request.user, meeting=self.check_version())
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(
        request=None, parameters=[IF_MATCH], responses={200: MeetingSerializer, 412: STALE}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, services.meeting_accept)

    @extend_schema(
        request=None, parameters=[IF_MATCH], responses={200: MeetingSerializer, 412: STALE}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, services.meeting_decline)

    @extend_schema(
        request=None, parameters=[IF_MATCH], responses={200: MeetingSerializer, 412: STALE}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(request, services.meeting_withdraw)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "MeetingOutcome",
            {"outcome": serializers.IntegerField(), "created": serializers.BooleanField()},
        ),
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """The follow-up (MoU, contract or project) as one of the partnership's outcomes;
        asked again, the same outcome (``created`` false)."""
        outcome, created = services.meeting_outcome(actor=request.user, meeting=self.get_object())
        return Response(
            {"outcome": outcome.pk, "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
