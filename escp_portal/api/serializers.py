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


def described(**help_texts):
    """Class decorator: the help text of a serializer's fields, declared or built from the model
    (through ``Meta.extra_kwargs``), for what a newcomer to the API could not guess."""

    def apply(cls):
        meta = cls.__dict__.get("Meta")
        if meta is None:  # never change the Meta of a parent class
            meta = type("Meta", (cls.Meta,), {})
            cls.Meta = meta
        extra = {k: dict(v) for k, v in (getattr(meta, "extra_kwargs", None) or {}).items()}
        for name, text in help_texts.items():
            declared = cls._declared_fields.get(name)
            if declared is not None:
                declared.help_text = text
            else:
                extra.setdefault(name, {})["help_text"] = text
        meta.extra_kwargs = extra
        return cls

    return apply
