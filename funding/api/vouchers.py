"""The API of voucher schemes and the voucher ledger: the services and selectors of the pages."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from escp_portal.api.serializers import PolicySerializer, VisibleField
from escp_portal.api.viewsets import IDEMPOTENCY_KEY, PolicyViewSet, run_once
from escp_portal.hostile import bound_serializer_fields
from escp_portal.services import RowErrors
from partnerships.models import Member, Partnership

from .. import selectors
from ..filters import VoucherFilterSet, VoucherSchemeFilterSet
from ..models import Voucher, VoucherScheme
from ..rules import names_voucher_members
from ..services import vouchers as services

NOT_ERASED = {"erased_at__isnull": True}
BULK_MAX = 500


class FiguresSerializer(serializers.Serializer):
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    left = serializers.DecimalField(max_digits=14, decimal_places=2)
    to_smes = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    required_for_smes = serializers.DecimalField(max_digits=14, decimal_places=2)
    sme_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    below_minimum = serializers.BooleanField()
    minimum_out_of_reach = serializers.BooleanField()
    vouchers = serializers.IntegerField()
    companies = serializers.IntegerField()


class VoucherSchemeSerializer(PolicySerializer):
    partnership = VisibleField(Partnership)
    figures = serializers.SerializerMethodField()
    create_only = ("partnership",)

    class Meta:
        model = VoucherScheme
        fields = ["id", "partnership", *services.SCHEME_FIELDS, "figures", "updated_at"]
        read_only_fields = ["updated_at"]

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, scheme):
        if not hasattr(scheme, "committed"):
            scheme = selectors.with_figures(VoucherScheme.objects.filter(pk=scheme.pk)).get()
        return FiguresSerializer(selectors.figures_of(scheme)).data


class VoucherSchemeViewSet(PolicyViewSet):
    """A partnership's voucher schemes: budget, most per company, purpose, period and the
    minimum share for SMEs, with what is granted so far (``figures``)."""

    queryset = selectors.with_figures(VoucherScheme.objects.all()).order_by("pk")
    serializer_class = VoucherSchemeSerializer
    filterset_class = VoucherSchemeFilterSet
    login_required = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partnership = data.pop("partnership")
        serializer.instance = services.scheme_save(
            actor=self.request.user, partnership=partnership, **data
        )

    def perform_update(self, serializer):
        scheme = serializer.instance
        serializer.instance = services.scheme_save(
            actor=self.request.user,
            partnership=scheme.partnership,
            scheme=scheme,
            **serializer.validated_data,
        )


class VoucherSerializer(PolicySerializer):
    """A voucher of the ledger. To a reader of the partnership's figures only (an EC officer),
    ``member``, ``cluster`` and ``purpose`` are blank and ``names_hidden`` is true."""

    scheme = VisibleField(VoucherScheme)
    member = VisibleField(Member, where=NOT_ERASED)
    names_hidden = serializers.SerializerMethodField()

    class Meta:
        model = Voucher
        fields = [
            "id",
            "scheme",
            "member",
            "cluster",
            "to_sme",
            *services.GRANT_FIELDS,
            "status",
            "names_hidden",
            "updated_at",
        ]
        read_only_fields = ["cluster", "to_sme", "status", "updated_at"]
        extra_kwargs = {"granted_on": {"required": False}}

    @extend_schema_field(serializers.BooleanField())
    def get_names_hidden(self, voucher) -> bool:
        request = self.context.get("request")
        return request is None or not names_voucher_members(
            request.user, voucher.scheme.partnership_id
        )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["names_hidden"]:
            data.update(member=None, cluster=None, purpose="")
        return data


class VoucherStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Voucher.Status.PAID, Voucher.Status.CANCELLED])


class VoucherViewSet(PolicyViewSet):
    """The ledger: vouchers granted to members of the partnership's partner clusters. A create
    grants one (within the budget and the most per company); ``bulk`` grants many at once, all
    or none; ``status`` marks one paid or cancels it."""

    queryset = Voucher.objects.select_related("scheme").order_by("-granted_on", "-pk")
    serializer_class = VoucherSerializer
    filterset_class = VoucherFilterSet
    permission_classes = [IsAuthenticated]  # the services check who grants
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.voucher_grant(
            actor=self.request.user, scheme=data.pop("scheme"), member=data.pop("member"), **data
        )

    @extend_schema(request=VoucherStatusSerializer, responses=VoucherSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        body = VoucherStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            voucher = services.voucher_set_status(
                actor=request.user,
                voucher=self.check_version(),
                status=body.validated_data["status"],
            )
        return Response(self.get_serializer(voucher).data)

    @extend_schema(
        request=inline_serializer(
            "VoucherBulkRequest",
            {"scheme": serializers.IntegerField(), "rows": VoucherSerializer(many=True)},
        ),
        responses={201: VoucherSerializer(many=True)},
        parameters=[IDEMPOTENCY_KEY],
    )
    # The answer is the list of the vouchers granted, neither filtered nor paginated.
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        """`{"scheme": id, "rows": [{"member", "amount", "granted_on"?, "purpose"}]}`: every
        voucher is granted or none, with the errors of each row."""
        body = request.data if isinstance(request.data, dict) else {}
        rows = body.get("rows")
        if not isinstance(rows, list) or not rows or len(rows) > BULK_MAX:
            message = _("Send a list of 1 to %(n)s rows.") % {"n": BULK_MAX}
            raise RowErrors([{"index": None, "field": "rows", "message": message}], message)
        scheme_field = VisibleField(VoucherScheme)
        scheme_field.bind("scheme", self.get_serializer())
        scheme = scheme_field.run_validation(body.get("scheme"))

        def write():
            parsed, errors = [], []
            for index, row in enumerate(rows):
                item = self.get_serializer(
                    data={**(row if isinstance(row, dict) else {}), "scheme": scheme.pk}
                )
                bound_serializer_fields(item.fields)
                if item.is_valid():
                    data = dict(item.validated_data)
                    data.pop("scheme")
                    parsed.append(data)
                else:
                    errors.extend(
                        {"index": index, "field": field, "message": str(message)}
                        for field, messages in item.errors.items()
                        for message in messages
                    )
            if errors:
                raise RowErrors(errors)
            vouchers = services.vouchers_grant_bulk(actor=request.user, scheme=scheme, rows=parsed)
            return Response(self.get_serializer(vouchers, many=True).data, status=201)

        return run_once(request, write)
