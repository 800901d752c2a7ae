"""``investor-contacts/`` and ``investment-projects/``: the same services and rules as the
pages."""

from django_countries.serializer_fields import CountryField
from rest_framework.permissions import IsAuthenticated

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet
from missions.models import Mission
from partnerships.models import Partner, Partnership

from ..filters import InvestmentProjectFilterSet, InvestorContactFilterSet
from ..models import InvestmentProject, InvestorContact
from ..services import investment as services
from .brokers import ErasableMixin


class InvestorContactSerializer(PolicySerializer):
    """An investor the partnership met; ``event`` is the partnership's mission (an investor
    event, a pitch session) where they met."""

    partnership = VisibleField(Partnership)
    event = VisibleField(Mission, allow_null=True, required=False)
    country = CountryField()
    create_only = ("partnership",)

    class Meta:
        model = InvestorContact
        fields = ["id", "partnership", *services.INVESTOR_FIELDS, "erased_at", "created_at"]
        read_only_fields = ["erased_at", "created_at"]


class InvestorContactViewSet(ErasableMixin, PolicyViewSet):
    """Investor contacts of the partnerships whose names you see. Filters: ``partnership``,
    ``q``, ``kind``, ``country``, ``event``."""

    queryset = InvestorContact.objects.all()
    serializer_class = InvestorContactSerializer
    filterset_class = InvestorContactFilterSet
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]
    erase_service = staticmethod(services.investor_contact_erase)
    object_name = "contact"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.investor_contact_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        contact = serializer.instance
        serializer.instance = services.investor_contact_save(
            actor=self.request.user,
            partnership=contact.partnership,
            contact=contact,
            **serializer.validated_data,
        )


class InvestmentProjectSerializer(PolicySerializer):
    """A joint investment project. ``regions``: the partner regions, separated by commas (two
    or more). ``investment_mobilised`` counts towards the ``investment`` core indicator in the
    period of ``mobilised_on``."""

    partnership = VisibleField(Partnership)
    lead_partner = VisibleField(Partner, allow_null=True, required=False)
    create_only = ("partnership",)

    class Meta:
        model = InvestmentProject
        fields = ["id", "partnership", *services.PROJECT_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class InvestmentProjectViewSet(PolicyViewSet):
    """Joint investment projects of the partnerships you work in or oversee. Filters:
    ``partnership``, ``q``, ``status``, ``assistance``, ``s3_area``."""

    queryset = InvestmentProject.objects.select_related("lead_partner")
    serializer_class = InvestmentProjectSerializer
    filterset_class = InvestmentProjectFilterSet
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.investment_project_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        project = serializer.instance
        serializer.instance = services.investment_project_save(
            actor=self.request.user,
            partnership=project.partnership,
            project=project,
            **serializer.validated_data,
        )
