"""``GET /api/v1/partner-search/``: the page's search, as JSON."""

from django.core.exceptions import PermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import IsAuthenticated

from escp_portal.api.pagination import PageNumberPagination
from partnerships import nace

from ..filters import PartnerSearchFilterSet
from ..rules import can_search_partners
from ..selectors.reasons import competence_list
from ..selectors.search import load, ranked, searchable_profiles


class ResultSerializer(serializers.Serializer):
    """One result. ``kind`` says whether it is a cluster organisation (its public profile) or a
    findable member (the fields its cluster's manager shows, ``null`` or empty otherwise; a
    member's contact is never here: ask for it with ``contact-requests/``)."""

    kind = serializers.ChoiceField(choices=["member", "cluster"])
    id = serializers.SerializerMethodField(help_text="The member's id, or the cluster's.")
    name = serializers.SerializerMethodField()
    cluster = serializers.SerializerMethodField(help_text="The member's cluster (members only).")
    country = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    nace_code = serializers.SerializerMethodField()
    nace_title = serializers.SerializerMethodField()
    competences = serializers.SerializerMethodField()
    size_class = serializers.SerializerMethodField()
    export_markets = serializers.SerializerMethodField()
    website = serializers.SerializerMethodField(help_text="Clusters only.")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(serializers.IntegerField())
    def get_id(self, result):
        return result.obj.member_id if result.is_member else result.obj.pk

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_name(self, result):
        return result.obj.name or None

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_cluster(self, result):
        if not result.is_member:
            return None
        return {"id": result.obj.cluster_id, "name": result.obj.cluster.name}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country(self, result):
        return str(result.obj.country) or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, result):
        return result.obj.nuts_region or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_nace_code(self, result):
        return (result.obj.nace_code or None) if result.is_member else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_nace_title(self, result):
        code = result.obj.nace_code if result.is_member else ""
        return nace.title(code) or None if code else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_competences(self, result):
        if result.is_member:
            return competence_list(result.obj)
        return [s.name for s in result.obj.sectors.all()]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_size_class(self, result):
        return (result.obj.size_class or None) if result.is_member else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_export_markets(self, result):
        if not result.is_member:
            return []
        return [c for c in result.obj.export_markets.split(",") if c]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_website(self, result):
        return None if result.is_member else (result.obj.website or None)


class SearchPagination(PageNumberPagination):
    """Pages of 20 (at most 50); ``count`` stops at 1,000 (``capped`` true beyond: narrow the
    search rather than page through it)."""

    page_size = 20
    max_page_size = 50

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["capped"] = bool(getattr(self.page.paginator.object_list, "capped", False))
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["capped"] = {"type": "boolean"}
        return schema


class PartnerSearchView(generics.GenericAPIView):
    """Cluster organisations and findable members of every partnership, best matches first,
    each with the reasons it matches (``reasons``). For coordinators and cluster managers.
    Filters: ``q`` (free text), ``competence``, ``nace`` (a section letter, a division or a code:
    everything under it matches), ``country``, ``size``, ``export_market``, ``kind``. A search
    with no criterion finds nothing. A sector, size or market finds members only (clusters have
    none)."""

    serializer_class = ResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnerSearchFilterSet
    pagination_class = SearchPagination
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return searchable_profiles()

    @extend_schema(
        operation_id="partner_search",
        summary="Search partners: cluster organisations and findable members",
        responses=ResultSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        if not can_search_partners(request.user):
            raise PermissionDenied
        filterset = PartnerSearchFilterSet(
            request.query_params, queryset=searchable_profiles(), request=request
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        criteria = filterset.criteria()
        rows = ranked(filterset.qs, criteria) if criteria.given else []
        page = self.paginate_queryset(rows)
        results = load(page, criteria)
        return self.get_paginated_response(self.get_serializer(results, many=True).data)
