from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Only the fields a person edits: no ids, timestamps or reverse relations.
        def editable(model):
            return [
                f.name
                for f in model._meta.get_fields()
                if f.concrete
                and not f.many_to_many
                and f.editable
                and not f.primary_key
                and f.name not in ("created_at", "updated_at")
            ]

        auditlog.register(
            models.Partnership, include_fields=editable(models.Partnership), m2m_fields={"sectors"}
        )
        auditlog.register(models.Partner, include_fields=editable(models.Partner))
        auditlog.register(
            models.ClusterOrganisation,
            include_fields=editable(models.ClusterOrganisation),
            m2m_fields={"sectors"},
        )
        auditlog.register(models.Programme, include_fields=editable(models.Programme))
        # Member changes are audited with the contact person masked: the trail must not become
        # a second copy of personal data that an erasure would miss.
        auditlog.register(
            models.Member,
            include_fields=editable(models.Member),
            mask_fields=["contact_name", "contact_email", "contact_phone"],
            m2m_fields={"competences"},
        )
