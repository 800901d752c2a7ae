"""API tokens with a scope: read only, limited to partnerships or clusters (``TokenScope``).

The authentication class loads the token's scope with the token (one query more, only for a
token that has one) and attaches it to the request's user object (``policy.limit_user``): from
then on every ``visible_to`` and every ``can_…`` asked about that user answers for the token.
A read-only token is refused every unsafe method here, before any view runs, so no endpoint
can forget it — except revoking the token itself.
"""

import binascii
from hmac import compare_digest

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS

from escp_portal.accounts.limits import TokenLimit, limit_user, may_write


class ReadOnlyToken(exceptions.PermissionDenied):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "read_only_token"
    default_detail = _("This API token is read only: it may read, not change anything.")


def load_limit(auth_token) -> TokenLimit | None:
    """The token's limit: None for a token without a scope (its scope row came with the token,
    no query); one query for the partnerships and clusters of a token that has one."""
    from escp_portal.accounts.models import TokenScope

    try:
        scope = auth_token.scope
    except TokenScope.DoesNotExist:
        return None
    rows = list(
        TokenScope.objects.filter(pk=scope.pk).values_list("read_only", "partnerships", "clusters")
    )
    if not rows:
        return None
    return TokenLimit(
        read_only=rows[0][0],
        partnerships=frozenset(p for _r, p, _c in rows if p is not None),
        clusters=frozenset(c for _r, _p, c in rows if c is not None),
        token_key=auth_token.token_key,
    )


def revokes_itself(request, auth_token) -> bool:
    """DELETE of the token in use (logout), by either of its addresses."""
    if request.method != "DELETE":
        return False
    own = reverse("api:token-detail", args=[auth_token.token_key])
    return request.path in (reverse("api:auth-token"), own)


class ScopedTokenAuthentication(TokenAuthentication):
    """knox's token authentication, narrowed by the token's scope."""

    def authenticate_credentials(self, token):
        """knox's, with the token's scope row loaded by the same query as the token and user."""
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user", "scope")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as exc:
                raise exceptions.AuthenticationFailed(msg) from exc
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) the token in use when it has expired. knox also reads every other
        token of the user on every request to delete the expired ones among them: here the
        ``clear_expired_tokens`` job sweeps those (daily), and no expired token is ever
        accepted, so a request reads only its own token."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth_token = result
        limit_user(user, load_limit(auth_token))
        if (
            request.method not in SAFE_METHODS
            and not may_write(user)
            and not revokes_itself(request, auth_token)
        ):
            raise ReadOnlyToken
        return user, auth_token


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "escp_portal.api.authentication.ScopedTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <key>`. A token acts with its user's rights, narrowed by "
                "its scope: read only (every write answers 403 `read_only_token`, except "
                "DELETE of the token itself), and limited to chosen partnerships or clusters "
                "(anything else answers as if it did not exist)."
            ),
        }
