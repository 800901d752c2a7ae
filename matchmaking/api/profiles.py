"""``findable-profiles/``: which members of their clusters the managers make findable, and the
fields each profile shows."""

import django_filters
from rest_framework import serializers

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import PolicyViewSet
from escp_portal.filters import id_filter
from partnerships.models import ClusterOrganisation, Member

from ..models import FindableProfile
from ..services import profiles as services

FLAGS = list(FindableProfile.SHOW_FLAGS)


class FindableProfileFilterSet(django_filters.FilterSet):
    cluster = id_filter(field_name="cluster_id")
    member = id_filter(field_name="member_id")

    class Meta:
        model = FindableProfile
        fields = ["cluster", "member"]


class FindableProfileSerializer(PolicySerializer):
    member = VisibleField(Member, where={"erased_at__isnull": True})
    cluster = serializers.PrimaryKeyRelatedField(
        queryset=ClusterOrganisation.objects.all(),
        help_text="The cluster (one you manage) that makes the member findable.",
    )
    member_name = serializers.CharField(source="member.name", read_only=True)
    set_by = serializers.EmailField(source="set_by.email", read_only=True, default=None)
    create_only = ("member", "cluster")

    class Meta:
        model = FindableProfile
        fields = [
            "id",
            "member",
            "member_name",
            "cluster",
            *FLAGS,
            "findable_since",
            "set_by",
            "updated_at",
        ]
        read_only_fields = ["findable_since", "updated_at"]


class FindableProfileViewSet(PolicyViewSet):
    """The findable members of the clusters you manage (none is findable until you say so) and
    the fields each profile shows. Contacts, financial figures and notes are never shown:
    contacts pass only through a contact request you forward. ``DELETE`` ends findability."""

    queryset = FindableProfile.objects.select_related("member", "set_by")
    lookup_value_regex = r"[0-9]+"
    serializer_class = FindableProfileSerializer
    filterset_class = FindableProfileFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.profile_create(
            actor=self.request.user, member=data.pop("member"), cluster=data.pop("cluster"), **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(
            actor=self.request.user, profile=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.profile_end(actor=self.request.user, profile=instance)
