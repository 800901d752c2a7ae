from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Partnership, m2m_fields={"sectors"})
        auditlog.register(models.Partner)
        auditlog.register(models.ClusterOrganisation, m2m_fields={"sectors"})
        auditlog.register(models.Programme)
