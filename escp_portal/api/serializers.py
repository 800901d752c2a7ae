from rest_framework import serializers

from escp_portal.hostile import bound_serializer_fields


class VisibleField(serializers.PrimaryKeyRelatedField):
    """The id of a row the user may see (``Model.objects.visible_to``), optionally narrowed by
    ``where`` lookups: any other id is, to them, an invalid id."""

    def __init__(self, model, *, where: dict | None = None, **kwargs):
        self.model = model
        self.where = where or {}
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = self.model.objects.visible_to(request.user if request else None)
        return queryset.filter(**self.where) if self.where else queryset


class BoundedSerializerMixin:
    """Bounds the serializer's date and whole-number fields (``escp_portal.hostile``)."""

    def get_fields(self):
        fields = super().get_fields()
        bound_serializer_fields(fields)
        return fields


class PolicySerializer(BoundedSerializerMixin, serializers.ModelSerializer):
    """``create_only`` fields (the parent a row belongs to) are set on creation, fixed after."""

    create_only: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in self.create_only:
                fields[name].read_only = True
        return fields
