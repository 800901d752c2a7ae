from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from escp_portal import once, versions
from escp_portal.hostile import bound_serializer_fields


class PolicyQuerysetMixin:
    """Every queryset of the API goes through the access policy."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer(self, *args, **kwargs):
        """Every serializer of the API bounds its dates and whole numbers (``hostile``)."""
        serializer = super().get_serializer(*args, **kwargs)
        if isinstance(serializer, serializers.ListSerializer):
            bound_serializer_fields(serializer.child.fields)
        else:
            bound_serializer_fields(serializer.fields)
        return serializer


# --- versions: ETag and If-Match -----------------------------------------------------------------


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _(
        "The object was changed since you read it (its ETag is no longer the one in If-Match). "
        "Read it again and send your change with the new ETag."
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of the object as you read it. If the object changed since, nothing is written "
        "and the answer is 412. Without the header the write is made whatever the version."
    ),
)
STALE = OpenApiResponse(description="If-Match names an older version: nothing was written.")
# The 412 answer is documented by ``escp_portal.api.schema`` for every operation taking If-Match.
VERSIONED_WRITE = extend_schema(parameters=[IF_MATCH])


class VersionedMixin:
    """Every object answers an ``ETag`` (a hash of its row and many-to-many choices, see
    ``escp_portal.versions``): on a detail GET, and on the writes that answer the object.

    ``PUT``, ``PATCH`` and ``DELETE`` (and the object actions that call ``check_version``) lock
    the row inside the write's transaction and compare it with ``If-Match``: a stale one answers
    412 and writes nothing. Without ``If-Match`` the write goes ahead, as before."""

    etag_actions = ("retrieve", "create", "update", "partial_update")

    def check_version(self):
        """Lock the object's row (call inside ``transaction.atomic``) and compare ``If-Match``."""
        obj = self.get_object()
        if_match = self.request.headers.get("If-Match")
        current = versions.locked(obj)
        if if_match and not versions.matches(if_match, versions.row_version(current)):
            raise PreconditionFailed
        return obj

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = versions.etag(versions.row_version(instance))
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        writes_object = getattr(self, "action", None) in self.etag_actions[1:] or (
            getattr(self, "detail", False) and request.method == "POST"
        )
        if (
            writes_object
            and response.status_code in (200, 201)
            and isinstance(getattr(response, "data", None), dict)
            and "id" in response.data
            and "ETag" not in response
        ):
            model = self.queryset.model
            obj = model._base_manager.filter(pk=response.data["id"]).first()
            if obj is not None:
                response["ETag"] = versions.etag(versions.row_version(obj))
        return response


class VersionedWriteMixin(VersionedMixin):
    """PUT, PATCH and DELETE compare ``If-Match`` under the row lock."""

    @VERSIONED_WRITE
    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.check_version()
            return super().update(request, *args, **kwargs)

    @VERSIONED_WRITE
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @VERSIONED_WRITE
    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.check_version()
            return super().destroy(request, *args, **kwargs)


# --- creates: Idempotency-Key ---------------------------------------------------------------------


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "in_progress"
    default_detail = _("A request with this Idempotency-Key is still being processed; try again.")


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A key of your choice (8 to 64 letters, digits, '-', '_', '.', ':') that makes the "
        "create safe to retry: the same key sent again by the same user creates nothing more and "
        "answers what the first request answered, with the header Idempotent-Replayed: true."
    ),
)


def run_once(request, run):
    """Answer ``run()`` once per ``Idempotency-Key`` and user: a repeated request with the same
    key gets the first answer again (``Idempotent-Replayed: true``); without the header, ``run``
    simply runs."""
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        return run()
    if not once.API_KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The Idempotency-Key header is not a valid key.")]}
        )
    go_on, earlier = once.claim_api_key(request.user, key)
    if not go_on:
        if earlier is None:
            raise IdempotencyConflict
        answer = Response(earlier[1], status=earlier[0])
        answer["Idempotent-Replayed"] = "true"
        return answer
    try:
        response = run()
    except BaseException:
        once.settle_api_key(request.user, key, 500, None)
        raise
    once.settle_api_key(request.user, key, response.status_code, response.data)
    return response


class IdempotentCreateMixin:
    """A create sent twice with the same ``Idempotency-Key`` (a client's retry after a timeout,
    a double click in an integration's user interface) creates one object
    (``escp_portal.once``)."""

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        return run_once(
            request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs)
        )


class ReadOnlyPolicyViewSet(VersionedMixin, PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class PolicyViewSet(
    IdempotentCreateMixin,
    VersionedWriteMixin,
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    pass
