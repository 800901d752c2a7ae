"""Brokers named by a partnership's partners, and the opportunities a broker or a partner takes
from a first lead to an agreement."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet


class Broker(models.Model):
    """A person or an organisation that helps the partnership's members find and carry out
    collaborations, based in the EU or in one of the partnership's target markets. Its name and
    contacts are personal data: the partnership's insiders who work with names see them."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Focus(models.TextChoices):
        SCOPING = "scoping", _("Scoping and building")
        MANAGING = "managing", _("Managing and maintaining")
        REVIEWING = "reviewing", _("Reviewing and revising")
        SUSTAINING = "sustaining", _("Sustaining outcomes")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="brokers",
        verbose_name=_("partnership"),
    )
    named_by = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokers_named",
        verbose_name=_("named by"),
        help_text=_("The partner cluster that proposed this broker."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"))
    target_market = models.ForeignKey(
        "strategy.TargetMarket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokers",
        verbose_name=_("target market"),
        help_text=_("Leave empty for a broker working from the EU."),
    )
    focus = models.CharField(
        _("main role"),
        max_length=12,
        choices=Focus.choices,
        default=Focus.SCOPING,
        help_text=_("The stage of a collaboration in which the broker helps most."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "name", "pk"]
        verbose_name = _("broker")
        verbose_name_plural = _("brokers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("opportunities:broker_edit", args=[self.pk])


class Opportunity(models.Model):
    """A chance of collaboration followed from a first lead to an agreement (or dropped), with
    the date of its next follow-up. The person following it gets an email once that date has
    passed."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        CONTACT = "contact", _("Contact made")
        MEETING = "meeting", _("Meeting held")
        AGREEMENT = "agreement", _("Agreement reached")
        DROPPED = "dropped", _("Dropped")

    OPEN_STAGES = (Stage.LEAD, Stage.CONTACT, Stage.MEETING)

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    broker = models.ForeignKey(
        Broker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("broker"),
    )
    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("partner following it"),
    )
    counterpart = models.CharField(
        _("counterpart"), max_length=200, blank=True, help_text=_("The company or body concerned.")
    )
    counterpart_country = CountryField(_("counterpart's country"), blank=True)
    value = models.DecimalField(
        _("expected value (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities_owned",
        verbose_name=_("followed by"),
        help_text=_("Who gets the reminder when a follow-up is overdue."),
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    # The claim of the overdue reminder: set when it is sent, cleared when the date moves.
    follow_up_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.OneToOneField(
        "missions.Outcome",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunity",
        verbose_name=_("outcome"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "next_follow_up", "pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [models.Index(fields=["stage", "next_follow_up"], name="opportunity_due")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opportunities:opportunity_edit", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES
