"""Contact requests (a findable member's contact passes only through its cluster's manager) and
partner-search requests ("we look for …" posts) with their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet


class Purpose(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership or joint project")
    SUPPLY = "supply", _("Supplier or subcontractor")
    CUSTOMER = "customer", _("Customer")
    VALUE_CHAIN = "value_chain", _("A stage of our value chain")
    EXPORT = "export", _("Going to a market together")
    OTHER = "other", _("Other")


class ContactRequest(models.Model):
    """A request for a findable member's contact, sent to the managers of the cluster that made
    it findable. They forward it (releasing the contact they choose) or decline it; the
    requester sees only what was released."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the cluster's answer")
        FORWARDED = "forwarded", _("Forwarded")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("requester"),
    )
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("member"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name=_("cluster organisation"),
    )
    # The member's name as its profile showed it to the requester (blank if the profile hides
    # it): what the requester's pages show, never the member's record.
    member_name = models.CharField(_("member"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=1000)
    # What the manager released when forwarding: a copy, so the requester never reads the
    # member's record itself (and an erasure empties it).
    released_name = models.CharField(_("contact person"), max_length=200, blank=True)
    released_email = models.EmailField(_("contact email"), blank=True)
    released_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    release_note = models.TextField(_("note"), blank=True, max_length=1000)
    # When the emails went out (once each, by a background job).
    notified_at = models.DateTimeField(null=True, blank=True)
    answer_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [
            models.Index(fields=["requester", "status"], name="contact_requester_status"),
            models.Index(fields=["cluster", "status"], name="contact_cluster_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "member"],
                condition=Q(status="open"),
                name="one_open_contact_request",
                violation_error_message=_(
                    "You already have a request for this member's contact waiting for an answer."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.requester} → {self.member}"

    def get_absolute_url(self):
        return reverse("matchmaking:contact_request_detail", args=[self.pk])

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PartnerRequestQuerySet(PolicyQuerySet):
    def open(self, today=None):
        """Not closed by the poster and not past its date: the posts that take answers."""
        today = today or timezone.localdate()
        return self.filter(closed_at__isnull=True, until__gte=today)


class PartnerRequest(models.Model):
    """ "We look for …": what a partnership or a cluster looks for, until when. It expires by
    itself after its date (its state is worked out, not stored) and then takes no answers."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_requests",
        verbose_name=_("posted by"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("for the partnership"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("for the cluster"),
    )
    title = models.CharField(_("what we look for"), max_length=200)
    description = models.TextField(_("details"), blank=True, max_length=4000)
    competences = models.CharField(
        _("competences"),
        max_length=500,
        blank=True,
        help_text=_("Separate them with semicolons, e.g. laser cladding; CNC machining."),
    )
    nace_codes = models.CharField(
        _("NACE codes"),
        max_length=200,
        blank=True,
        help_text=_("Sections, divisions or codes, separated with spaces (e.g. C25 62.01)."),
    )
    countries = CountryField(_("where"), multiple=True, blank=True)
    until = models.DateField(_("until"), help_text=_("After this day the post takes no answers."))
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner-search request")
        verbose_name_plural = _("partner-search requests")
        indexes = [models.Index(fields=["until", "closed_at"], name="partner_request_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=True) | Q(cluster__isnull=True),
                name="partner_request_one_poster",
                violation_error_message=_("Post for a partnership or for a cluster, not both."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matchmaking:partner_request_detail", args=[self.pk])

    @property
    def state(self) -> str:
        if self.closed_at is not None:
            return self.State.CLOSED
        if self.until < timezone.localdate():
            return self.State.EXPIRED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def posted_for(self):
        return self.partnership or self.cluster

    def competence_list(self) -> list[str]:
        return [c.strip() for c in self.competences.split(";") if c.strip()]

    def nace_list(self) -> list[str]:
        return self.nace_codes.split()


class PartnerRequestAnswer(models.Model):
    """An answer to a post, seen by the poster and by whoever wrote it."""

    request = models.ForeignKey(
        PartnerRequest,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("partner-search request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_request_answers",
        verbose_name=_("answered by"),
    )
    message = models.TextField(_("answer"), max_length=4000)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "author"],
                name="one_answer_per_person",
                violation_error_message=_("You have already answered this post."),
            ),
        ]

    def __str__(self):
        return f"{self.author} → {self.request}"
