"""The API of the target markets and their studies."""

from django_countries.serializer_fields import CountryField

from escp_portal.api.serializers import ModelSerializer, PolicySerializer, VisibleField, described
from escp_portal.api.viewsets import PolicyViewSet
from partnerships.models import Partner, Partnership

from .. import services
from ..filters import TargetMarketFilterSet
from ..models import MarketStudy, TargetMarket


class MarketStudySerializer(ModelSerializer):
    class Meta:
        model = MarketStudy
        fields = ["id", "target_market", *services.STUDY_FIELDS, "updated_at"]
        read_only_fields = ["target_market", "updated_at"]


@described(
    country="ISO 3166 alpha-2 code of the third country targeted.",
    priority="`high`, `medium` or `low`.",
)
class TargetMarketSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    country = CountryField()
    lead_partner = VisibleField(Partner, allow_null=True, required=False)
    study = MarketStudySerializer(read_only=True)
    create_only = ("partnership",)

    class Meta:
        model = TargetMarket
        fields = ["id", "partnership", *services.MARKET_FIELDS, "study"]
        validators = []


class TargetMarketViewSet(PolicyViewSet):
    """Third countries a partnership targets, with their market studies."""

    queryset = TargetMarket.objects.select_related("study")
    serializer_class = TargetMarketSerializer
    filterset_class = TargetMarketFilterSet
    login_required = True

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.target_market_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        market = serializer.instance
        services.target_market_save(
            actor=self.request.user,
            partnership=market.partnership,
            market=market,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.target_market_delete(actor=self.request.user, market=instance)


class MarketStudyWriteSerializer(MarketStudySerializer):
    target_market = VisibleField(TargetMarket)

    class Meta(MarketStudySerializer.Meta):
        read_only_fields = ["updated_at"]


class MarketStudyViewSet(PolicyViewSet):
    """The six questions of a market study, per target market."""

    queryset = MarketStudy.objects.select_related("target_market")
    serializer_class = MarketStudyWriteSerializer
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        market = data.pop("target_market")
        serializer.instance = services.market_study_save(
            actor=self.request.user, market=market, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("target_market", None)
        serializer.instance = services.market_study_save(
            actor=self.request.user, market=serializer.instance.target_market, **data
        )
