"""``brokers/`` and ``opportunities/``: the same services and rules as the pages."""

from django.db import transaction
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.accounts.models import User
from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet
from missions.models import Outcome
from partnerships.models import Partner, Partnership
from strategy.models import TargetMarket

from ..filters import BrokerFilterSet, OpportunityFilterSet
from ..models import Broker, Opportunity
from ..services import brokers as services


class BrokerSerializer(PolicySerializer):
    """A broker a partner named: a person or an organisation, in the EU (``target_market``
    null) or in one of the partnership's target markets."""

    partnership = VisibleField(Partnership)
    named_by = VisibleField(Partner, allow_null=True, required=False)
    target_market = VisibleField(TargetMarket, allow_null=True, required=False)
    country = CountryField()
    create_only = ("partnership",)

    class Meta:
        model = Broker
        fields = ["id", "partnership", *services.BROKER_FIELDS, "erased_at", "created_at"]
        read_only_fields = ["erased_at", "created_at"]


class ErasableMixin:
    erase_service = None

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """On the person's request, erase their name and contacts (the partnership's
        coordinators); takes ``If-Match``."""
        with transaction.atomic():
            obj = self.check_version()
            obj = type(self).erase_service(actor=request.user, **{self.object_name: obj})
        return Response(self.get_serializer(obj).data)


class BrokerViewSet(ErasableMixin, PolicyViewSet):
    """The brokers of the partnerships whose names you see (coordinators, managers of partner
    clusters). Filters: ``partnership``, ``q``, ``kind``, ``focus``, ``country``,
    ``in_target_market``."""

    queryset = Broker.objects.all()
    serializer_class = BrokerSerializer
    filterset_class = BrokerFilterSet
    permission_classes = [IsAuthenticated]  # the services decide who adds and changes
    http_method_names = ["get", "post", "patch", "head", "options"]
    erase_service = staticmethod(services.broker_erase)
    object_name = "broker"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.broker_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        broker = serializer.instance
        serializer.instance = services.broker_save(
            actor=self.request.user,
            partnership=broker.partnership,
            broker=broker,
            **serializer.validated_data,
        )


class OpportunitySerializer(PolicySerializer):
    """An opportunity of the pipeline. ``stage`` moves lead → contact → meeting (or dropped);
    ``agreement`` is reached with ``agree/``, which records the outcome. ``owner`` (a user id)
    follows it and is reminded by email once a ``next_follow_up`` date has passed."""

    partnership = VisibleField(Partnership)
    broker = VisibleField(Broker, allow_null=True, required=False)
    partner = VisibleField(Partner, allow_null=True, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    counterpart_country = CountryField(required=False, allow_blank=True)
    outcome = serializers.PrimaryKeyRelatedField(read_only=True)
    create_only = ("partnership",)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "partnership",
            *services.OPPORTUNITY_FIELDS,
            "outcome",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class AgreementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k, Outcome.Kind(k).label) for k in services.AGREEMENT_KINDS]
    )
    date = serializers.DateField()
    value = serializers.DecimalField(
        max_digits=15, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class OpportunityViewSet(PolicyViewSet):
    """The opportunity pipeline of the partnerships whose names you see. Filters:
    ``partnership``, ``q``, ``stage``, ``broker``, ``overdue``."""

    queryset = Opportunity.objects.all()
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.opportunity_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        opportunity = serializer.instance
        serializer.instance = services.opportunity_save(
            actor=self.request.user,
            partnership=opportunity.partnership,
            opportunity=opportunity,
            **serializer.validated_data,
        )

    @extend_schema(request=AgreementSerializer, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        """The opportunity reached an agreement: record it as an outcome (``mou`` or
        ``contract``); takes ``If-Match``."""
        data = AgreementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            opportunity = self.check_version()
            opportunity = services.opportunity_agree(
                actor=request.user, opportunity=opportunity, **data.validated_data
            )
        return Response(self.get_serializer(opportunity).data)
