import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from escp_portal.api.viewsets import PolicyQuerysetMixin, ReadOnlyPolicyViewSet
from escp_portal.filters import id_filter

from . import services
from .models import Role, RoleAssignment, User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its digest is stored.")
    token_key = serializers.CharField(help_text="The token's first characters, to recognise it.")
    expiry = serializers.DateTimeField(allow_null=True)


class TokenView(APIView):
    """Issue an API token for an email and password (POST), or revoke the token in use (DELETE).

    The token acts with exactly the rights of its user.
    """

    authentication_classes = [TokenAuthentication]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_issue"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer})
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            instance, token = services.token_issue(
                request=request._request,
                email=form.validated_data["email"],
                password=form.validated_data["password"],
            )
        except PermissionDenied as exc:
            if getattr(request._request, "axes_locked_out", False):
                return Response(
                    {
                        "status": 429,
                        "code": "locked_out",
                        "detail": _("Too many failed attempts. Try again in 15 minutes."),
                    },
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"status": 400, "code": "invalid_credentials", "detail": str(exc)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        body = {"token": token, "token_key": instance.token_key, "expiry": instance.expiry}
        return Response(TokenResponseSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry"]


class AuthTokenViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens; DELETE revokes one. Another user's token answers 404."""

    queryset = AuthToken.objects.all()
    serializer_class = AuthTokenSerializer
    lookup_field = "token_key"
    permission_classes = [IsAuthenticated]
    filterset_class = None

    def get_queryset(self):
        from escp_portal.accounts.policy import visible_to

        return visible_to(AuthToken.objects.order_by("-created"), self.request.user)

    def perform_destroy(self, instance):
        services.token_revoke(actor=self.request.user, token=instance)


class RoleAssignmentFilterSet(django_filters.FilterSet):
    # Plain ids: choices drawn from every partnership would tell which ids exist.
    role = django_filters.ChoiceFilter(choices=Role.choices)
    partnership = id_filter(field_name="partnership_id")
    cluster = id_filter(field_name="cluster_id")

    class Meta:
        model = RoleAssignment
        fields = ["role", "partnership", "cluster"]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "partnership", "cluster", "created_at"]


class RoleAssignmentViewSet(ReadOnlyPolicyViewSet):
    """The caller's roles (staff see everyone's)."""

    queryset = RoleAssignment.objects.select_related("user")
    serializer_class = RoleAssignmentSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = RoleAssignmentFilterSet


class UserSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "roles"]
        read_only_fields = ["email"]


class MeView(APIView):
    """The user the request acts as, with their roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)
