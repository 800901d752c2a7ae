from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules  # noqa: F401 - rules registers the access rules

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
        # Consent: who invited which cluster, who answered, when.
        auditlog.register(models.PartnerInvitation, exclude_fields=["created_at"])
        auditlog.register(models.PartnerExpectation, exclude_fields=["updated_at"])
        auditlog.register(models.Programme, include_fields=editable(models.Programme))
        # Member changes are audited with the contact person masked: the trail must not become
        # a second copy of personal data that an erasure would miss.
        auditlog.register(
            models.Member,
            include_fields=editable(models.Member),
            mask_fields=["contact_name", "contact_email", "contact_phone"],
            m2m_fields={"competences"},
        )
        # Which member belongs to which cluster, since when: member data too.
        auditlog.register(models.ClusterMembership, exclude_fields=["created_at"])
        # Partner and linked enterprises: they change a member's SME status.
        auditlog.register(models.MemberLink, exclude_fields=["created_at"])
        # Other spellings of a cluster's name: what the loader and the merge tool match on.
        auditlog.register(models.ClusterAlias)
        # Not audited (tests/security/test_audit_trail.py keeps the list): Sector and Competence
        # are shared vocabularies (a member's or partnership's choice of them is audited as its
        # m2m change); MemberImport is the upload's own record, its effects on members are
        # audited member by member.
