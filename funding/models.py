"""Vouchers and EU funding (the guide's action 6): a partnership's voucher schemes and the ledger
of vouchers granted to members of its partner clusters; EU funding calls that staff record and
the portal matches to partnerships; which call was announced to whom (each email once)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet

AMOUNT_MAX = Decimal("999999999.99")
# INNOSUP-1 asks that at least three quarters of a project's budget go to SMEs directly.
DEFAULT_SME_SHARE = 75


def _amount(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=11,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(AMOUNT_MAX)],
        **kwargs,
    )


class VoucherScheme(models.Model):
    """A partnership's budget for vouchers to members: how much, how much at most for one
    company, what for, when, and how much of it must reach SMEs."""

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="voucher_schemes",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(
        _("purpose"), help_text=_("What the vouchers pay for, e.g. a prototype or a market test.")
    )
    budget = _amount(_("budget (EUR)"))
    max_per_sme = _amount(
        _("most per company (EUR)"),
        help_text=_("The largest total one company may receive from this scheme."),
    )
    min_sme_share = models.PositiveSmallIntegerField(
        _("minimum share for SMEs (%)"),
        default=DEFAULT_SME_SHARE,
        validators=[MaxValueValidator(100)],
        help_text=_("The part of the budget that must go to SMEs directly."),
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "-opens_on", "name"]
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="scheme_closes_after_it_opens",
                violation_error_message=_("The scheme must close on or after the day it opens."),
            ),
            models.CheckConstraint(
                condition=Q(max_per_sme__lte=F("budget")),
                name="scheme_cap_within_budget",
                violation_error_message=_("The most per company cannot exceed the budget."),
            ),
            models.CheckConstraint(
                condition=Q(min_sme_share__lte=100), name="scheme_sme_share_percent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funding:scheme_detail", args=[self.pk])


class Voucher(models.Model):
    """One voucher granted to a member, through the partner cluster it belongs to."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    # What counts against the budget and the cap: everything not cancelled.
    COMMITTED = (Status.GRANTED, Status.PAID)

    scheme = models.ForeignKey(
        VoucherScheme, on_delete=models.CASCADE, related_name="vouchers", verbose_name=_("scheme")
    )
    # A member deleted later (it left its last cluster) leaves its vouchers in the ledger,
    # without a name: the money was granted.
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.SET_NULL,
        null=True,
        related_name="vouchers",
        verbose_name=_("member"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        related_name="vouchers",
        verbose_name=_("through cluster"),
    )
    # Whether the member was an SME when granted: the share for SMEs keeps its history.
    to_sme = models.BooleanField(_("to an SME"), default=False, editable=False)
    amount = _amount(_("amount (EUR)"))
    granted_on = models.DateField(_("granted on"))
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.GRANTED
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = [
            "scheme__partnership_id",
            "-scheme__opens_on",
            "scheme__name",
            "scheme_id",
            "-granted_on",
            "-pk",
        ]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        indexes = [models.Index(fields=["scheme", "status"], name="voucher_scheme_status")]

    def __str__(self):
        return f"{self.amount} EUR ({self.get_status_display()})"

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id}


class FundingCall(models.Model):
    """A call for proposals of an EU programme, as staff or EC officers recorded it."""

    programme = models.CharField(
        _("programme"), max_length=120, help_text=_("e.g. Single Market Programme, Horizon Europe")
    )
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("call reference"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    topics = models.TextField(
        _("topics"),
        help_text=_(
            "One topic or key phrase a line; matched against the partnerships' objectives."
        ),
    )
    countries = CountryField(
        _("eligible countries"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty when every country may take part."),
    )
    sectors = models.ManyToManyField(
        "partnerships.Sector", blank=True, related_name="funding_calls", verbose_name=_("sectors")
    )
    nace_codes = models.CharField(
        _("NACE codes"),
        max_length=300,
        blank=True,
        help_text=_("Sections or codes, separated by commas, e.g. C, 10.1, 62.01"),
    )
    url = models.URLField(_("link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        indexes = [models.Index(fields=["deadline"], name="funding_call_deadline")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:call_detail", args=[self.pk])

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def nace_list(self) -> list[str]:
        return [part.strip().upper() for part in self.nace_codes.split(",") if part.strip()]


class CallNotice(models.Model):
    """One row per call announced to a coordinator for a partnership: written in the same
    transaction as the email, so that each is sent once."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="notices")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "partnership", "recipient"], name="call_notice_once"
            ),
        ]

    def __str__(self):
        return f"{self.call_id} → {self.recipient_id} ({self.partnership_id})"
