"""``contact-requests/`` (ask for a findable member's contact; its cluster's managers forward or
decline) and ``partner-requests/`` ("we look for …" posts and their answers)."""

import django_filters
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal import versions
from escp_portal.api.serializers import ModelSerializer, PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet, run_once
from partnerships.api.serializers import CountryCodesField
from partnerships.models import ClusterOrganisation, Partnership

from ..filters import ContactRequestFilterSet, PartnerRequestFilterSet
from ..models import ContactRequest, PartnerRequest, PartnerRequestAnswer
from ..rules import received_requests
from ..selectors import requests as selectors
from ..services import contact as contact_services
from ..services import wanted as wanted_services

# --- contact requests ---------------------------------------------------------------------------


class ContactRequestFilters(ContactRequestFilterSet):
    box = django_filters.ChoiceFilter(
        choices=[("sent", "sent"), ("received", "received")],
        method="filter_box",
        help_text="sent: your requests; received: those to the clusters you manage.",
    )

    class Meta(ContactRequestFilterSet.Meta):
        fields = ["status", "box"]

    def filter_box(self, queryset, name, value: str):
        user = self.request.user
        if value == "sent":
            return queryset.filter(requester_id=user.pk)
        return received_requests(queryset, user)


class ContactRequestSerializer(PolicySerializer):
    """A contact request. ``released_*`` and ``release_note`` are what the cluster's manager
    released when forwarding (empty until then); nothing else of the member's record is here.
    ``member_name`` is the name as the member's profile showed it (empty if hidden)."""

    member = serializers.IntegerField(
        source="member_id", help_text="The findable member (its id in the search results)."
    )
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    requester = serializers.SerializerMethodField()

    class Meta:
        model = ContactRequest
        fields = [
            "id",
            "member",
            "member_name",
            "cluster",
            "cluster_name",
            "requester",
            "purpose",
            "message",
            "status",
            "created_at",
            "answered_at",
            "decline_reason",
            "released_name",
            "released_email",
            "released_phone",
            "release_note",
        ]
        read_only_fields = [
            "member_name",
            "cluster",
            "status",
            "created_at",
            "answered_at",
            "decline_reason",
            "released_name",
            "released_email",
            "released_phone",
            "release_note",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_requester(self, obj):
        return {"name": str(obj.requester), "email": obj.requester.email}


class ForwardSerializer(serializers.Serializer):
    release_name = serializers.BooleanField(default=False)
    release_email = serializers.BooleanField(default=False)
    release_phone = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ContactRequestViewSet(PolicyViewSet):
    """Requests for findable members' contacts: yours (``?box=sent``) and those to the clusters
    you manage (``?box=received``). Create one with ``member``, ``purpose`` and ``message``;
    a cluster's manager answers with ``forward/`` (choosing the contacts to release) or
    ``decline/``; the requester may ``withdraw/`` one still open. The answers take
    ``If-Match``."""

    queryset = ContactRequest.objects.select_related("requester", "cluster")
    lookup_value_regex = r"[0-9]+"
    serializer_class = ContactRequestSerializer
    filterset_class = ContactRequestFilters
    permission_classes = [IsAuthenticated]  # the services decide who sends and answers
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        profile = selectors.findable_member(data["member_id"])
        if profile is None:
            raise serializers.ValidationError({"member": ["This member is not findable."]})
        serializer.instance = contact_services.contact_request_send(
            actor=self.request.user,
            member=profile.member,
            purpose=data["purpose"],
            message=data["message"],
        )

    def _answer(self, service, **data):
        with transaction.atomic():
            obj = self.check_version()
            obj = service(actor=self.request.user, request=obj, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)

    @extend_schema(request=ForwardSerializer, responses={200: ContactRequestSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """The cluster's manager forwards, releasing the chosen contacts and a note."""
        data = ForwardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(contact_services.contact_request_forward, **data.validated_data)

    @extend_schema(request=DeclineSerializer, responses={200: ContactRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The cluster's manager declines, with a reason."""
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(contact_services.contact_request_decline, **data.validated_data)

    @extend_schema(request=None, responses={200: ContactRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The requester withdraws a request still open."""
        return self._answer(contact_services.contact_request_withdraw)


# --- "we look for …" posts ----------------------------------------------------------------------


class LookingForSerializer(PolicySerializer):
    partnership = VisibleField(Partnership, allow_null=True, required=False)
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=ClusterOrganisation.objects.all(), allow_null=True, required=False
    )
    countries = CountryCodesField(required=False, help_text="ISO country codes.")
    author = serializers.CharField(source="author.__str__", read_only=True)
    state = serializers.CharField(read_only=True)
    create_only = ("partnership", "cluster")

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "author",
            "partnership",
            "cluster",
            *wanted_services.POST_FIELDS,
            "state",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_at", "created_at", "updated_at"]
        validators = []


class AnswerSerializer(ModelSerializer):
    author = serializers.CharField(source="author.__str__", read_only=True)
    author_email = serializers.EmailField(source="author.email", read_only=True)

    class Meta:
        model = PartnerRequestAnswer
        fields = ["id", "request", "author", "author_email", "message", "created_at"]
        read_only_fields = ["request", "created_at"]


class PartnerRequestViewSet(PolicyViewSet):
    """ "We look for …" posts, read by every signed-in user (``?state=open`` for those taking
    answers). Coordinators and cluster managers post (for a ``partnership`` they coordinate or
    a ``cluster`` they manage), the poster edits and ``close/``s; a post expires by itself after
    ``until``. ``answers/``: the poster reads every answer, others their own; POST answers."""

    queryset = PartnerRequest.objects.select_related("author")
    lookup_value_regex = r"[0-9]+"
    serializer_class = LookingForSerializer
    filterset_class = PartnerRequestFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = wanted_services.partner_request_save(
            actor=self.request.user,
            partnership=data.pop("partnership", None),
            cluster=data.pop("cluster", None),
            **data,
        )

    def perform_update(self, serializer):
        serializer.instance = wanted_services.partner_request_save(
            actor=self.request.user, post=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses={200: LookingForSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        with transaction.atomic():
            post = wanted_services.partner_request_close(
                actor=request.user, post=self.check_version()
            )
        return Response(self.get_serializer(post).data)

    @extend_schema(methods=["get"], responses={200: AnswerSerializer(many=True)})
    @extend_schema(methods=["post"], request=AnswerSerializer, responses={201: AnswerSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=AnswerSerializer)
    def answers(self, request, pk=None):
        post = get_object_or_404(self.get_queryset(), pk=pk)
        if request.method == "GET":
            answers = selectors.answers_to(post, request.user)
            return Response(AnswerSerializer(answers, many=True).data)

        def create():
            data = AnswerSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            answer = wanted_services.partner_request_answer(
                actor=request.user, post=post, message=data.validated_data["message"]
            )
            response = Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
            response["ETag"] = versions.etag(versions.row_version(answer))
            return response

        return run_once(request, create)
