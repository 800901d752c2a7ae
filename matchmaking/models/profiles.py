"""Findable profiles: the members a cluster's manager lets every partnership find, and which of
their fields the profile shows. Contacts, financial figures and notes are never among them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from escp_portal.accounts.policy import PolicyQuerySet
from partnerships import nace


class FindableProfile(models.Model):
    """One member made findable by one of its clusters' managers. The fields below the consent
    are a copy of the member's shown fields only (blank when hidden), kept by
    ``services.profiles.profiles_refresh``: the search reads this table alone, so a hidden field
    can be neither shown nor searched for."""

    # The fields a manager may show, in the order the pages list them.
    SHOW_FLAGS = (
        "show_name",
        "show_country",
        "show_region",
        "show_sector",
        "show_competences",
        "show_size",
        "show_export_markets",
    )

    member = models.OneToOneField(
        "partnerships.Member",
        on_delete=models.CASCADE,
        related_name="findable_profile",
        verbose_name=_("member"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        related_name="findable_profiles",
        verbose_name=_("cluster organisation"),
        help_text=_("The cluster whose manager made the member findable; its managers answer."),
    )
    show_name = models.BooleanField(_("name"), default=True)
    show_country = models.BooleanField(_("country"), default=True)
    show_region = models.BooleanField(_("region"), default=False)
    show_sector = models.BooleanField(_("sector (NACE)"), default=True)
    show_competences = models.BooleanField(_("competences"), default=True)
    show_size = models.BooleanField(_("size class"), default=True)
    show_export_markets = models.BooleanField(_("export markets"), default=True)
    findable_since = models.DateTimeField(_("findable since"), default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    # --- what the search reads: the shown fields only ---
    name = models.CharField(max_length=300, blank=True, editable=False)
    country = models.CharField(max_length=2, blank=True, editable=False)
    nuts_region = models.CharField(max_length=5, blank=True, editable=False)
    nace_code = models.CharField(max_length=5, blank=True, editable=False, db_index=True)
    nace_section = models.CharField(max_length=1, blank=True, editable=False)
    size_class = models.CharField(max_length=6, blank=True, editable=False)
    # ",JP,US," and "|additive manufacturing|cnc machining|": one value cannot match across two.
    export_markets = models.TextField(blank=True, editable=False)
    competence_tags = models.TextField(blank=True, editable=False)
    competences = models.TextField(blank=True, editable=False)  # as written, "; " between
    # Competences and the NACE title, lower case: what a value chain's stage is matched against.
    skills_text = models.TextField(blank=True, editable=False)
    # Every shown field in lower case (the search without PostgreSQL), and on PostgreSQL the
    # same as a full-text vector (name and competences weighted first).
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("findable profile")
        verbose_name_plural = _("findable profiles")
        indexes = [
            models.Index(fields=["country", "nace_code"], name="profile_country_nace"),
            # A search by country (or with nothing to rank by) pages in name order.
            models.Index(fields=["country", "name", "id"], name="profile_country_name"),
            models.Index(fields=["name", "id"], name="profile_name"),
            models.Index(fields=["nace_section", "country"], name="profile_section_country"),
            models.Index(fields=["cluster", "name"], name="profile_cluster_name"),
        ]
        # On PostgreSQL the migrations add GIN indexes: the vector, and trigrams of the
        # competences, skills and markets (LIKE '%…%' through an index).

    def __str__(self):
        return str(self.member)

    @property
    def shown_fields(self) -> list[str]:
        return [flag.removeprefix("show_") for flag in self.SHOW_FLAGS if getattr(self, flag)]

    @property
    def shown_labels(self) -> list[str]:
        fields = [self._meta.get_field(flag) for flag in self.SHOW_FLAGS if getattr(self, flag)]
        return [str(field.verbose_name) for field in fields]

    # --- the shown fields, as the pages show them ---

    @property
    def display_name(self) -> str:
        return self.name or gettext("A member company (name not shown)")

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) if self.country else ""

    @property
    def market_names(self) -> list[str]:
        return [str(countries.name(c)) for c in self.export_markets.split(",") if c]

    @property
    def nace_display(self) -> str:
        if not self.nace_code:
            return ""
        return f"{self.nace_section}{self.nace_code} {nace.title(self.nace_code)}"

    @property
    def competence_list(self) -> list[str]:
        return [n for n in self.competences.split("; ") if n]

    def get_size_class_display(self) -> str:
        from partnerships.models import Member

        return str(Member.Size(self.size_class).label) if self.size_class else ""

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id}
