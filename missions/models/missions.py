"""Missions and events, who takes part, what came of them, export groups and reminders sent."""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from escp_portal.accounts.policy import PolicyQuerySet

from ..scheduling import validate_time_zone

MEETING_MINUTES = (10, 240)
MEETING_TABLES_MAX = 500


class Mission(models.Model):
    class Kind(models.TextChoices):
        TRADE_MISSION = "trade_mission", _("Trade mission")
        FACT_FINDING = "fact_finding", _("Fact-finding mission")
        INBOUND = "inbound", _("Inbound mission")
        OUTBOUND = "outbound", _("Outbound mission")
        B2B = "b2b", _("B2B matchmaking")
        C2C = "c2c", _("Cluster-to-cluster meeting")
        TRADE_FAIR = "trade_fair", _("Trade-fair workshop")
        PITCH = "pitch", _("Pitch session")
        SPEED_NETWORKING = "speed_networking", _("Speed networking")
        INNOVATION_JAM = "innovation_jam", _("Innovation jam")
        OPEN_LAB = "open_lab", _("Open innovation lab")
        INVESTOR = "investor", _("Investor event")
        EXCHANGE = "exchange", _("Cluster exchange")
        WEBINAR = "webinar", _("Webinar")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="missions",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TRADE_MISSION
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Registrations beyond this go to the waiting list. Empty: no limit."),
    )
    organiser = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_missions",
        verbose_name=_("organising partner"),
    )
    local_support = models.TextField(
        _("local support"),
        blank=True,
        help_text=_("Chambers of commerce, agencies or clusters on the spot."),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # How the mission's B2B meetings are laid out (``missions.scheduling``).
    # Database defaults too: rows written straight to the table (the scale generator's COPY)
    # get them.
    meeting_venue = models.CharField(
        _("venue of the B2B meetings"),
        max_length=300,
        blank=True,
        db_default="",
        help_text=_("Where the tables stand, as the agendas print it."),
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("length of a B2B meeting (minutes)"),
        default=30,
        db_default=30,
        validators=[MinValueValidator(MEETING_MINUTES[0]), MaxValueValidator(MEETING_MINUTES[1])],
    )
    meeting_day_start = models.TimeField(
        _("B2B meetings start at"), default=time(9, 0), db_default=time(9, 0)
    )
    meeting_day_end = models.TimeField(
        _("B2B meetings end by"), default=time(17, 0), db_default=time(17, 0)
    )
    meeting_tables = models.PositiveSmallIntegerField(
        _("tables for B2B meetings"),
        default=10,
        db_default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MEETING_TABLES_MAX)],
    )
    meeting_time_zone = models.CharField(
        _("time zone of the B2B meetings"),
        max_length=64,
        blank=True,
        db_default="",
        validators=[validate_time_zone],
        help_text=_(
            "A time zone name such as America/Chicago. Empty: the zone of the mission's city, or "
            "else the main one of its country."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes = [
            models.Index(fields=["country", "start_date"], name="mission_country_date"),
            # The lists' default order, and a sort on the start date (?ordering=start_date).
            models.Index(fields=["start_date", "id"], name="mission_start_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="mission_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("start_date")),
                name="mission_deadline_before_start",
                violation_error_message=_("Registration must close by the start date."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_day_end__gt=F("meeting_day_start")),
                name="mission_meetings_end_after_start",
                violation_error_message=_("B2B meetings must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=MEETING_MINUTES[0])
                & Q(meeting_minutes__lte=MEETING_MINUTES[1])
                & Q(meeting_tables__gte=1)
                & Q(meeting_tables__lte=MEETING_TABLES_MAX),
                name="mission_meeting_bounds",
                violation_error_message=_(
                    "A B2B meeting lasts 10 to 240 minutes, at 1 to 500 tables."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.country.name}, {date_format(self.start_date)})"

    def get_absolute_url(self):
        return reverse("missions:mission_detail", args=[self.pk])


class Participation(models.Model):
    """A member (or a partner cluster itself) registered for a mission."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, to be confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Took part")

    HOLDS_A_PLACE = (Status.REGISTERED, Status.CONFIRMED, Status.ATTENDED)

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="participations", verbose_name=_("mission")
    )
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("member"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        related_name="mission_participations",
        verbose_name=_("cluster"),
        help_text=_("The cluster that registered (the member's cluster, or itself)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["mission__start_date", "mission_id", "registered_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "member"],
                condition=Q(member__isnull=False),
                name="participation_member_once",
                violation_error_message=_("This member is already registered."),
            ),
            models.UniqueConstraint(
                fields=["mission", "cluster"],
                condition=Q(member__isnull=True),
                name="participation_cluster_once",
                violation_error_message=_("This cluster is already registered."),
            ),
        ]

    def __str__(self):
        return f"{self.member or self.cluster} → {self.mission}"

    def get_additional_data(self):
        # Lets an erasure find (and scrub) the trail entries that name the member.
        return {"member_id": self.member_id} if self.member_id else None


class Outcome(models.Model):
    """What came of the partnership's work: an agreement, a contract, a project, an investment."""

    class Kind(models.TextChoices):
        MOU = "mou", _("MoU or formal agreement")
        CONTRACT = "contract", _("Business contract")
        PROJECT = "project", _("Collaboration project")
        OPPORTUNITY = "opportunity", _("Business opportunity")
        INVESTMENT = "investment", _("Investment")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("partnership"),
    )
    mission = models.ForeignKey(
        Mission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("mission"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    counterpart = models.CharField(
        _("counterpart"), max_length=200, help_text=_("The company or body on the other side.")
    )
    counterpart_country = CountryField(_("counterpart's country"))
    members = models.ManyToManyField(
        "partnerships.Member",
        blank=True,
        related_name="outcomes",
        verbose_name=_("members involved"),
    )
    value = models.DecimalField(
        _("value (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    meeting = models.OneToOneField(
        "missions.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome",
        verbose_name=_("B2B meeting"),
        help_text=_("The B2B meeting this outcome came from (recorded from its follow-up)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # When the row last changed (an incremental sync asks for the rows changed since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        indexes = [models.Index(fields=["date", "id"], name="outcome_date_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="outcome_value_not_negative"
            ),
        ]

    def __str__(self):
        return _("%(kind)s with %(counterpart)s") % {
            "kind": self.get_kind_display(),
            "counterpart": self.counterpart,
        }


class ExportGroup(models.Model):
    """Members of several partner clusters that go to a market together."""

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="export_groups",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("common goal"))
    target_markets = CountryField(_("target markets"), multiple=True, blank=True)
    members = models.ManyToManyField(
        "partnerships.Member", related_name="export_groups", verbose_name=_("members")
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "name"]
        verbose_name = _("export group")
        verbose_name_plural = _("export groups")

    def __str__(self):
        return self.name


class ReminderLog(models.Model):
    """One row per reminder sent: claimed in the same transaction as the sending, so that each
    (mission, recipient, kind) is sent once."""

    class Kind(models.TextChoices):
        BEFORE_7 = "before_7", _("A week before a mission")
        BEFORE_1 = "before_1", _("The day before a mission")
        DEADLINE = "deadline", _("Registration to confirm before the deadline")
        AFTER_7 = "after_7", _("Outcomes, a week after a mission")
        AFTER_3M = "after_3m", _("Outcomes, three months after a mission")
        AFTER_12M = "after_12m", _("Outcomes, a year after a mission")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mission_reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "recipient", "kind"], name="reminder_once_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} for {self.mission}"
