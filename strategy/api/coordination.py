"""The API of the inclusive coordination and the balanced partnership: comments and
endorsements of a shared draft, the meeting log and its decisions, the balance figures."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.accounts.policy import INSIDER, with_insider
from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.models import Partner, Partnership

from ..filters import DecisionFilterSet, PartnershipMeetingFilterSet, StrategyFeedbackFilterSet
from ..models import Decision, Objective, PartnershipMeeting, Strategy, StrategyFeedback, Task
from ..selectors.balance import partnership_balance
from ..services import coordination as services


class StrategyFeedbackSerializer(PolicySerializer):
    strategy = VisibleField(Strategy)
    partner = VisibleField(Partner)

    class Meta:
        model = StrategyFeedback
        fields = ["id", "strategy", "partner", "feedback_kind", "text", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class StrategyFeedbackViewSet(PolicyViewSet):
    """Comments on and endorsements of a shared draft, one endorsement per partner and version.
    A partner speaks through its cluster's managers (the coordinators for their own partner);
    what was said is kept as it was."""

    queryset = StrategyFeedback.objects.select_related("strategy")
    serializer_class = StrategyFeedbackSerializer
    filterset_class = StrategyFeedbackFilterSet
    login_required = True
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.feedback_give(
            actor=self.request.user, **serializer.validated_data
        )


class DecisionSerializer(PolicySerializer):
    meeting = VisibleField(PartnershipMeeting)
    objective = VisibleField(Objective, allow_null=True, required=False)
    task = VisibleField(Task, allow_null=True, required=False)
    create_only = ("meeting",)

    class Meta:
        model = Decision
        fields = ["id", "meeting", *services.DECISION_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class DecisionInMeetingSerializer(PolicySerializer):
    class Meta:
        model = Decision
        fields = ["id", *services.DECISION_FIELDS]
        read_only_fields = fields


class PartnershipMeetingSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    attendees = VisibleField(Partner, many=True, required=False)
    decisions = DecisionInMeetingSerializer(many=True, read_only=True)
    create_only = ("partnership",)

    class Meta:
        model = PartnershipMeeting
        fields = [
            "id",
            "partnership",
            *services.MEETING_FIELDS,
            "attendees",
            "decisions",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class PartnershipMeetingViewSet(PolicyViewSet):
    """The log of the partnership's meetings: date, who took part, what was decided."""

    queryset = PartnershipMeeting.objects.prefetch_related("attendees", "decisions")
    serializer_class = PartnershipMeetingSerializer
    filterset_class = PartnershipMeetingFilterSet
    login_required = True

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.meeting_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.meeting_update(
            actor=self.request.user, meeting=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.meeting_delete(actor=self.request.user, meeting=instance)


class DecisionViewSet(PolicyViewSet):
    """Decisions of the partnership's meetings, each tied to an objective or a task if it is
    about one."""

    queryset = Decision.objects.select_related("meeting")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    login_required = True

    def perform_create(self, serializer):
        serializer.instance = services.decision_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.decision_update(
            actor=self.request.user, decision=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.decision_delete(actor=self.request.user, decision=instance)


class BalanceColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Name of the figure, a key of `counts` and `averages`.")
    label = serializers.CharField(help_text="The figure's label, in the request's language.")


class BalancePartnerSerializer(serializers.Serializer):
    partner = serializers.IntegerField(help_text="Id of the partner (see /partners/).")
    cluster = serializers.CharField(help_text="Name of the partner's cluster organisation.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="The partner's count per figure (`key`)."
    )
    flags = serializers.DictField(
        child=serializers.CharField(),
        help_text="Per figure out of balance: `low` (below half the average) or `high` (above "
        "twice the average).",
    )


class ImbalanceSerializer(serializers.Serializer):
    partner = serializers.IntegerField(help_text="Id of the partner.")
    figure = serializers.CharField(help_text="`key` of the figure out of balance.")
    direction = serializers.CharField(help_text="`low` or `high`.")
    count = serializers.IntegerField(help_text="The partner's count.")
    message = serializers.CharField(help_text="The imbalance in words.")


class BalanceSerializer(serializers.Serializer):
    columns = BalanceColumnSerializer(many=True, help_text="The figures, in display order.")
    partners = BalancePartnerSerializer(many=True, help_text="One row per current partner.")
    averages = serializers.DictField(
        child=serializers.FloatField(), help_text="Average count per partner, per figure."
    )
    imbalances = ImbalanceSerializer(many=True)


class BalanceAPIView(APIView):
    """How tasks, missions, reports and outcomes are spread across a partnership's partners,
    and the partners below half or above twice the average share. For its insiders."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Read the balance of a partnership's partners", responses={200: BalanceSerializer}
    )
    def get(self, request, partnership_id):
        partnership = get_object_or_404(
            with_insider(Partnership.objects.visible_to(request.user), request.user),
            pk=partnership_id,
        )
        if not getattr(partnership, INSIDER):
            raise Http404
        balance = partnership_balance(partnership)
        keys = [key for key, _label in balance["columns"]]
        return Response(
            {
                "columns": [{"key": k, "label": label} for k, label in balance["columns"]],
                "partners": [
                    {
                        "partner": row.partner.pk,
                        "cluster": row.partner.cluster.name,
                        "counts": row.counts,
                        "flags": row.flags,
                    }
                    for row in balance["rows"]
                ],
                "averages": dict(zip(keys, balance["averages"], strict=True)),
                "imbalances": [
                    {
                        "partner": i.partner.pk,
                        "figure": i.key,
                        "direction": i.direction,
                        "count": i.count,
                        "message": i.message,
                    }
                    for i in balance["imbalances"]
                ],
            }
        )
