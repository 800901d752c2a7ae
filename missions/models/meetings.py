"""B2B meetings at a mission: what each participant offers and seeks, the local companies met in
the target country, the meeting requests between them, their slots and what came of them.

A meeting has two parties, each either a participant (a ``Participation``) or a local
counterpart (``LocalCounterpart``): one of the two columns of each side is set. ``pair`` names
the two parties whatever their order, so that the same two cannot be asked to meet twice."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet

from .missions import Mission, Participation

TEXT_MAX = 1000


class MeetingProfile(models.Model):
    """What a participant offers and seeks at the mission's B2B meetings."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.CASCADE,
        related_name="meeting_profile",
        verbose_name=_("participant"),
    )
    offers = models.TextField(
        _("offers"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("What the participant brings: products, services, know-how."),
    )
    seeks = models.TextField(
        _("seeks"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Whom or what the participant wants to meet: buyers, distributors, partners."),
    )
    competences = models.ManyToManyField(
        "partnerships.Competence", blank=True, related_name="+", verbose_name=_("competences")
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["participation__mission_id", "participation__registered_at", "participation_id"]
        verbose_name = _("offers and seeks")
        verbose_name_plural = _("offers and seeks")

    def __str__(self):
        return str(_("Offers and seeks of %(p)s") % {"p": party_name(self.participation)})

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        member_id = self.participation.member_id
        return {"member_id": member_id} if member_id else None


class LocalCounterpart(models.Model):
    """A company or body of the target country that the mission's participants meet, entered by
    the organiser. Its contact stays with the organiser's side."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("Research or technology centre")
        UNIVERSITY = "university", _("University")
        PUBLIC = "public", _("Public body")
        ASSOCIATION = "association", _("Business association or chamber")
        INVESTOR = "investor", _("Investor")
        OTHER = "other", _("Other")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="counterparts", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    kind = models.CharField(
        _("organisation type"), max_length=12, choices=Kind.choices, default=Kind.COMPANY
    )
    offers = models.TextField(_("offers"), max_length=TEXT_MAX, blank=True)
    seeks = models.TextField(_("seeks"), max_length=TEXT_MAX, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["mission__start_date", "mission_id", "name", "pk"]
        verbose_name = _("local counterpart")
        verbose_name_plural = _("local counterparts")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "name"],
                name="counterpart_once_per_mission",
                violation_error_message=_("This counterpart is already entered for the mission."),
            ),
        ]

    def __str__(self):
        return self.name


def party_name(party) -> str:
    """A party as people read it: the member's (or the cluster's) name, or the counterpart's."""
    if isinstance(party, Participation):
        return str(party.member or party.cluster)
    return str(party)


def party_key(party) -> str:
    prefix = "p" if isinstance(party, Participation) else "c"
    return f"{prefix}{party.pk}"


def pair_of(first, second) -> str:
    return "|".join(sorted((party_key(first), party_key(second))))


class Meeting(models.Model):
    """A B2B meeting: asked by one party of another, answered by the other side, placed at a
    time and table, and after the mission, held or not, with its follow-up."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class FollowUp(models.TextChoices):
        NONE = "none", _("None")
        TALKS = "talks", _("Further talks")
        MOU = "mou", _("MoU or formal agreement")
        CONTRACT = "contract", _("Business contract")
        PROJECT = "project", _("Collaboration project")

    # The follow-ups that are an outcome of the mission (same codes as ``Outcome.Kind``).
    OUTCOME_KINDS = (FollowUp.MOU, FollowUp.CONTRACT, FollowUp.PROJECT)
    LIVE = (State.REQUESTED, State.ACCEPTED)

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("mission")
    )
    requester = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings_requested",
        verbose_name=_("requested by (participant)"),
    )
    requester_counterpart = models.ForeignKey(
        LocalCounterpart,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings_requested",
        verbose_name=_("requested by (local counterpart)"),
    )
    recipient = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings_received",
        verbose_name=_("with (participant)"),
    )
    recipient_counterpart = models.ForeignKey(
        LocalCounterpart,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings_received",
        verbose_name=_("with (local counterpart)"),
    )
    pair = models.CharField(max_length=40, editable=False)
    message = models.CharField(_("message"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    took_place = models.BooleanField(_("took place"), null=True, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=10, choices=FollowUp.choices, default=FollowUp.NONE
    )
    follow_up_note = models.TextField(_("follow-up note"), max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["mission__start_date", "mission_id", "starts_at", "table", "pk"]
        verbose_name = _("B2B meeting")
        verbose_name_plural = _("B2B meetings")
        indexes = [models.Index(fields=["mission", "state"], name="meeting_mission_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(requester__isnull=False, requester_counterpart__isnull=True)
                | Q(requester__isnull=True, requester_counterpart__isnull=False),
                name="meeting_one_requester",
                violation_error_message=_("A meeting is asked by one participant or counterpart."),
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, recipient_counterpart__isnull=True)
                | Q(recipient__isnull=True, recipient_counterpart__isnull=False),
                name="meeting_one_recipient",
                violation_error_message=_("A meeting is asked of one participant or counterpart."),
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=True)
                | Q(recipient__isnull=True)
                | ~Q(requester=F("recipient")),
                name="meeting_not_with_oneself",
                violation_error_message=_("Nobody meets themselves."),
            ),
            models.CheckConstraint(
                condition=Q(requester_counterpart__isnull=True)
                | Q(recipient_counterpart__isnull=True)
                | ~Q(requester_counterpart=F("recipient_counterpart")),
                name="meeting_counterpart_not_with_itself",
                violation_error_message=_("Nobody meets themselves."),
            ),
            models.UniqueConstraint(
                fields=["mission", "pair"],
                condition=~Q(state="withdrawn"),
                name="meeting_pair_once",
                violation_error_message=_("A meeting between these two was asked already."),
            ),
            models.UniqueConstraint(
                fields=["mission", "starts_at", "table"],
                condition=Q(starts_at__isnull=False),
                name="meeting_table_once_per_slot",
                violation_error_message=_("This table is taken at this time."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True, table__isnull=True)
                | Q(
                    state="accepted",
                    starts_at__isnull=False,
                    ends_at__gt=F("starts_at"),
                    table__gte=1,
                ),
                name="meeting_slot_when_accepted",
                violation_error_message=_("Only an accepted meeting has a time and a table."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up="none", follow_up_note="") | Q(took_place=True),
                name="meeting_follow_up_when_held",
                violation_error_message=_("Only a meeting that took place has a follow-up."),
            ),
        ]

    def __str__(self):
        return str(
            _("%(a)s meets %(b)s") % {"a": party_name(self.first), "b": party_name(self.second)}
        )

    def get_absolute_url(self):
        return reverse("missions:meetings", args=[self.mission_id]) + f"#meeting-{self.pk}"

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name either member.
        members = [
            party.member_id
            for party in self.parties()
            if isinstance(party, Participation) and party.member_id
        ]
        if not members:
            return None
        data = {"member_id": members[0]}
        if len(members) > 1:
            data["other_member_id"] = members[1]
        return data

    @property
    def first(self):
        """The party that asked for the meeting."""
        return self.requester if self.requester_id else self.requester_counterpart

    @property
    def second(self):
        """The party asked."""
        return self.recipient if self.recipient_id else self.recipient_counterpart

    @property
    def first_name(self) -> str:
        return party_name(self.first)

    @property
    def second_name(self) -> str:
        return party_name(self.second)

    @property
    def due(self) -> bool:
        """Has the meeting's time come (its slot has begun, or, without one, its mission)? Its
        follow-up can be recorded from then on."""
        if self.starts_at is not None:
            return self.starts_at <= timezone.now()
        return self.mission.start_date <= timezone.localdate()

    def parties(self):
        return (self.first, self.second)

    def party_keys(self) -> tuple[str, str]:
        return (
            f"p{self.requester_id}" if self.requester_id else f"c{self.requester_counterpart_id}",
            f"p{self.recipient_id}" if self.recipient_id else f"c{self.recipient_counterpart_id}",
        )

    def other_party(self, party):
        return self.second if party_key(party) == party_key(self.first) else self.first


class MeetingNotice(models.Model):
    """One row per email sent about a meeting (recipient, kind): claimed in the same
    transaction as the sending, so that each goes once."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("A meeting was requested")
        ACCEPTED = "accepted", _("A meeting request was accepted")
        DECLINED = "declined", _("A meeting request was declined")
        SCHEDULED = "scheduled", _("A meeting was scheduled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_notices"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "recipient", "kind"], name="meeting_notice_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} for meeting {self.meeting_id}"
