"""The webhooks API: a user's own subscriptions (another user's answer 404), their delivery log,
redelivery, resume and ping. The same services as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.api.serializers import ModelSerializer
from escp_portal.api.viewsets import PolicyViewSet

from . import events, services
from .models import Delivery, Subscription


class SubscriptionSerializer(ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=events.NAMES),
        allow_empty=False,
        max_length=len(events.NAMES),
        help_text="The events to receive: " + ", ".join(events.NAMES) + ".",
    )
    url = serializers.URLField(
        max_length=500,
        help_text="Where the events are POSTed: an https URL on the public internet.",
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="A note for yourself."
    )
    active = serializers.BooleanField(
        required=False, help_text="False: no events are sent, until it is set true again."
    )
    paused = serializers.SerializerMethodField(
        help_text="True when repeated failures paused it: POST resume/ to send again."
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "description",
            "events",
            "active",
            "paused",
            "paused_at",
            "pause_reason",
            "consecutive_failures",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "paused_at",
            "pause_reason",
            "consecutive_failures",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "paused_at": {"help_text": "When repeated failures paused it (null: not paused)."},
            "pause_reason": {"help_text": "Why it was paused."},
            "consecutive_failures": {
                "help_text": "Deliveries in a row that failed after all their attempts."
            },
        }

    def get_paused(self, obj) -> bool:
        return obj.paused_at is not None


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=(
            "The key of the X-ESCP-Signature header (HMAC-SHA256 of the raw body): returned "
            "here once; the owner can read it again on the subscription's page."
        ),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the attempt started.")
    status_code = serializers.IntegerField(
        allow_null=True, help_text="The receiver's HTTP status (null: no answer)."
    )
    error = serializers.CharField(help_text="What went wrong (empty on success).")
    ms = serializers.IntegerField(help_text="How long the attempt took, in milliseconds.")


class DeliverySerializer(ModelSerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True, help_text="Each attempt.")
    payload = serializers.JSONField(
        read_only=True,
        help_text='The body sent: {"id", "event", "created_at", "data"}.',
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "uuid",
            "event",
            "event_id",
            "status",
            "attempts",
            "attempt_log",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "redelivery_of",
            "payload",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "uuid": {"help_text": "The X-ESCP-Delivery header: one per delivery."},
            "event_id": {"help_text": "The payload's id: the same for a redelivery."},
            "status": {"help_text": "pending, retrying, succeeded, failed or dropped."},
            "next_attempt_at": {"help_text": "When the next attempt is due (retrying)."},
            "redelivery_of": {"help_text": "The delivery this one sends again."},
        }


DELIVERY_ID = OpenApiParameter("delivery_id", int, OpenApiParameter.PATH)


@extend_schema_view(
    create=extend_schema(responses={201: SubscriptionCreatedSerializer}),
)
class SubscriptionViewSet(PolicyViewSet):
    """Your webhook subscriptions. Each event is POSTed as JSON with the headers X-ESCP-Event,
    X-ESCP-Delivery, X-ESCP-Timestamp and X-ESCP-Signature (`sha256=` and the hex HMAC-SHA256 of
    the raw body with the subscription's secret). You receive only the events about objects
    you may see. A failed delivery is retried with exponential backoff; after repeated failures
    the subscription pauses until you resume it."""

    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def perform_create(self, serializer):
        serializer.instance = services.subscription_create(
            actor=self.request.user, **serializer.validated_data
        )

    def get_serializer_class(self):
        # The secret is in the answer to the create only.
        return SubscriptionCreatedSerializer if self.action == "create" else SubscriptionSerializer

    def perform_update(self, serializer):
        serializer.instance = services.subscription_update(
            actor=self.request.user, subscription=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.subscription_delete(actor=self.request.user, subscription=instance)

    @extend_schema(request=None, responses={200: SubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Unpause: the deliveries held meanwhile are sent."""
        subscription = services.subscription_resume(
            actor=request.user, subscription=self.get_object()
        )
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Send a test event (`ping`) to the URL now."""
        delivery = services.subscription_ping(actor=request.user, subscription=self.get_object())
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log, newest first."""
        subscription = self.get_object()
        log = Delivery.objects.visible_to(request.user).filter(subscription=subscription)
        page = self.paginate_queryset(log)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, parameters=[DELIVERY_ID], responses={202: DeliverySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request, pk=None, delivery_id=None):
        """Send a delivery's payload again, as a new delivery."""
        subscription = self.get_object()
        delivery = get_object_or_404(
            Delivery.objects.visible_to(request.user).filter(subscription=subscription),
            pk=delivery_id,
        )
        again = services.delivery_redeliver(actor=request.user, delivery=delivery)
        again.refresh_from_db()
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
