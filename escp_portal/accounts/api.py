import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from escp_portal.api.serializers import VisibleField
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
        except services.TokenLimitReached as exc:
            return Response(
                {"status": 403, "code": "token_limit_reached", "detail": str(exc)},
                status=status.HTTP_403_FORBIDDEN,
            )
        except PermissionDenied as exc:
            if getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request)
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
    # A user's few tokens, never sorted or paged by their secret digest (the primary key).
    ordering_fields = ["created"]
    cursor_key = "created"
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


# --- invitations of people -----------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
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

    @extend_schema(request=InvitationTokenSerializer, responses={200: InvitationSerializer})
    @action(detail=False, methods=["post"])
    def accept(self, request):
        return self._done(
            services.invitation_accept(actor=request.user, invitation=self._by_token(request))
        )

    @extend_schema(request=InvitationTokenSerializer, responses={200: InvitationSerializer})
    @action(detail=False, methods=["post"])
    def decline(self, request):
        return self._done(
            services.invitation_decline(actor=request.user, invitation=self._by_token(request))
        )
