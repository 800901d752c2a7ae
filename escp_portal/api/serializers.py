import copy

from rest_framework import serializers

from escp_portal.hostile import bound_serializer_fields


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ``ModelSerializer``, with its fields built from the model once per class.

    DRF looks at the model and builds every field anew for each serializer (each request, each
    nested serializer): about a sixth of an API read's CPU. The fields it builds depend only on
    the class (``Meta``, the declared fields, the model), so the first build is kept on the class
    and each serializer gets a deep copy of it, as DRF gives each one of the declared fields.
    What a serializer changes on its own fields (``read_only`` for one user, fresh ``choices``,
    the bounds of ``escp_portal.hostile``) stays on its copy. Every model serializer of the
    portal derives from this one (``tests/api/test_serializer_fields.py``)."""

    def get_fields(self):
        kept = type(self).__dict__.get("_built_fields")
        if kept is None:
            kept = super().get_fields()
            type(self)._built_fields = kept
        return copy.deepcopy(kept)


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


class PolicySerializer(BoundedSerializerMixin, ModelSerializer):
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
