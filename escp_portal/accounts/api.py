import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions as api_errors
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.api.authentication import ScopedTokenAuthentication
from escp_portal.api.exceptions import error_body
from escp_portal.api.serializers import ModelSerializer, VisibleField
from escp_portal.api.throttling import ScopedRateThrottle
from escp_portal.api.viewsets import (
    IdempotentCreateMixin,
    PolicyQuerysetMixin,
    ReadOnlyPolicyViewSet,
    VersionedMixin,
)
from escp_portal.filters import id_filter
from partnerships.models import Partnership

from . import selectors, services
from .models import Invitation, Role, RoleAssignment, User
from .views import lockout_response


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its digest is stored.")
    token_key = serializers.CharField(help_text="The token's first characters, to recognise it.")
    expiry = serializers.DateTimeField(allow_null=True)


UNKNOWN_TOKEN = OpenApiResponse(
    description="No invitation has this token (or it is no longer open): `code` `not_found`."
)


class TokenView(APIView):
    """Issue an API token for an email and password (POST), or revoke the token in use (DELETE).

    The token acts with exactly the rights of its user.
    """

    authentication_classes = [ScopedTokenAuthentication]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_issue"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        summary="Issue an API token",
        description="Issues a token for an email and password; the token is shown once. A "
        "wrong email or password answers 400 (`code` `invalid_credentials`), a user with "
        "too many tokens 403 (`code` `token_limit_reached`).",
        request=TokenRequestSerializer,
        responses={201: TokenResponseSerializer},
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            instance, token = services.token_issue(
                request=request._request,
                email=form.validated_data["email"],
                password=form.validated_data["password"],
            )
        except services.TokenLimitReached as exc:
            return Response(
                error_body(403, "token_limit_reached", exc), status=status.HTTP_403_FORBIDDEN
            )
        except PermissionDenied as exc:
            if getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request)
            return Response(
                error_body(400, "invalid_credentials", exc), status=status.HTTP_400_BAD_REQUEST
            )
        body = {"token": token, "token_key": instance.token_key, "expiry": instance.expiry}
        return Response(TokenResponseSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke the token in use",
        description="Revokes the token that authenticates this request; the answer is a 204 "
        "with no body.",
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        services.token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthTokenSerializer(ModelSerializer):
    # A token issued with a password has no scope row: its name is empty and it may write.
    name = serializers.SerializerMethodField(help_text="The token's label (empty: none given).")
    read_only = serializers.SerializerMethodField(
        help_text="True: the token reads only; every write answers 403 `read_only_token`."
    )
    partnerships = serializers.SerializerMethodField(
        help_text="The partnerships the token is limited to (empty: not limited by partnership)."
    )
    clusters = serializers.SerializerMethodField(
        help_text="The clusters the token is limited to (empty: not limited by cluster)."
    )

    class Meta:
        model = AuthToken
        fields = ["token_key", "name", "read_only", "partnerships", "clusters", "created", "expiry"]

    def _ids(self, token, name) -> list[int]:
        scope = getattr(token, "scope", None)  # a token issued with a password has none
        return sorted(item.pk for item in getattr(scope, name).all()) if scope else []

    def get_name(self, token) -> str:
        scope = getattr(token, "scope", None)
        return scope.name if scope else ""

    def get_read_only(self, token) -> bool:
        scope = getattr(token, "scope", None)
        return bool(scope and scope.read_only)

    def get_partnerships(self, token) -> list[int]:
        return self._ids(token, "partnerships")

    def get_clusters(self, token) -> list[int]:
        return self._ids(token, "clusters")


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    read_only = serializers.BooleanField(required=False, default=False)
    partnerships = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Limit the token to these partnerships (of those you coordinate).",
    )
    clusters = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Limit the token to these clusters (of those you manage).",
    )


class TokenCreatedSerializer(AuthTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="Shown once: only its digest is stored."
    )

    class Meta(AuthTokenSerializer.Meta):
        fields = ["token", *AuthTokenSerializer.Meta.fields]


class AuthTokenViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens (never their keys); POST creates one with a scope — a name,
    read only, limited to some of the partnerships you coordinate or clusters you manage — and
    answers its key once; DELETE revokes one. Another user's token answers 404. A read-only or
    limited token creates none."""

    queryset = AuthToken.objects.all()
    serializer_class = AuthTokenSerializer
    lookup_field = "token_key"
    # A user's few tokens, never sorted or paged by their secret digest (the primary key).
    ordering_fields = ["created"]
    cursor_key = "created"
    permission_classes = [IsAuthenticated]
    filterset_class = None

    def get_queryset(self):
        from escp_portal.accounts.policy import visible_to

        tokens = AuthToken.objects.select_related("scope").prefetch_related(
            "scope__partnerships", "scope__clusters"
        )
        return visible_to(tokens.order_by("-created"), self.request.user)

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def create(self, request):
        form = TokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            instance, token = services.token_create(actor=request.user, **form.validated_data)
        except services.TokenLimitReached as exc:
            # The one error body of the handler, with a code a client can act on.
            raise api_errors.PermissionDenied(str(exc), code="token_limit_reached") from exc
        except services.LimitedTokenCannotIssue as exc:
            raise api_errors.PermissionDenied(str(exc), code="limited_token") from exc
        instance = self.get_queryset().get(pk=instance.pk)
        instance.token = token
        return Response(TokenCreatedSerializer(instance).data, status=status.HTTP_201_CREATED)

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


class RoleAssignmentSerializer(ModelSerializer):
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


class UserSerializer(ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "roles"]
        read_only_fields = ["email"]


class MeView(APIView):
    """The user the request acts as, with their roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Read the user the token acts as", responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


# --- invitations of people -----------------------------------------------------------------------


class InvitationSerializer(ModelSerializer):
    # A partnership the user cannot see is, to them, an invalid id (clusters are public).
    partnership = VisibleField(Partnership, required=False, allow_null=True)
    state = serializers.CharField(source="current_state", read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "partnership",
            "cluster",
            "language",
            "state",
            "needs_confirmation",
            "invited_by",
            "created_at",
            "expires_at",
            "answered_at",
            "confirmed_at",
        ]
        read_only_fields = [
            "needs_confirmation",
            "created_at",
            "expires_at",
            "answered_at",
            "confirmed_at",
        ]
        validators = []


class InvitationTokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text="The token of the emailed link.")


class InvitationViewSet(
    IdempotentCreateMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """People invited by email to a role. `POST` invites (the link is emailed, never
    returned); `revoke/` withdraws; `confirm/` and `refuse/` answer a new cluster manager (the
    cluster's managers, staff); `accept/` and `decline/` take the link's `token`: the invited
    person, logged in with the invited address, accepts."""

    queryset = Invitation.objects.all()
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.invitations(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        invitation, _token = services.invitation_create(
            actor=self.request.user,
            email=data["email"],
            role=data["role"],
            partnership=data.get("partnership"),
            cluster=data.get("cluster"),
            language=data.get("language", ""),
        )
        serializer.instance = invitation

    def _done(self, invitation):
        return Response(InvitationSerializer(invitation, context={"request": self.request}).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._done(
            services.invitation_revoke(actor=request.user, invitation=self.get_object())
        )

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._done(
            services.invitation_confirm(actor=request.user, invitation=self.get_object())
        )

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._done(
            services.invitation_confirm(
                actor=request.user, invitation=self.get_object(), approve=False
            )
        )

    def _by_token(self, request):
        body = InvitationTokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = selectors.invitation_by_token(body.validated_data["token"])
        if invitation is None:
            raise NotFound
        return invitation

    @extend_schema(
        summary="Accept an invitation by its token",
        request=InvitationTokenSerializer,
        responses={200: InvitationSerializer, 404: UNKNOWN_TOKEN},
    )
    @action(detail=False, methods=["post"])
    def accept(self, request):
        return self._done(
            services.invitation_accept(actor=request.user, invitation=self._by_token(request))
        )

    @extend_schema(
        summary="Decline an invitation by its token",
        request=InvitationTokenSerializer,
        responses={200: InvitationSerializer, 404: UNKNOWN_TOKEN},
    )
    @action(detail=False, methods=["post"])
    def decline(self, request):
        return self._done(
            services.invitation_decline(actor=request.user, invitation=self._by_token(request))
        )
