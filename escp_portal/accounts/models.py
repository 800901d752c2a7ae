from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .policy import PolicyQuerySet


class UserQuerySet(PolicyQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address; what they may do comes from their roles."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    muted_reminders = models.JSONField(
        _("reminders turned off"),
        default=list,
        blank=True,
        help_text=_("Kinds of mission reminders this user does not want."),
    )
    calendar_token = models.CharField(
        _("calendar feed key"),
        max_length=43,
        blank=True,
        db_index=True,
        help_text=_("Secret part of the address of the user's calendar feed."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Partnership coordinator")
    CLUSTER_MANAGER = "cluster_manager", _("Cluster manager")
    EC_OFFICER = "ec_officer", _("EC programme officer")


class RoleAssignmentQuerySet(PolicyQuerySet):
    pass


class RoleAssignment(models.Model):
    """What a user is: coordinator of a partnership, manager of a cluster, or EC officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("partnership"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("cluster organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user__email", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.COORDINATOR, partnership__isnull=False, cluster__isnull=True)
                    | Q(role=Role.CLUSTER_MANAGER, partnership__isnull=True, cluster__isnull=False)
                    | Q(role=Role.EC_OFFICER, partnership__isnull=True, cluster__isnull=True)
                ),
                name="role_scope_matches_role",
                violation_error_message=_(
                    "A coordinator needs a partnership, a cluster manager a cluster, and an EC "
                    "officer neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "partnership"],
                condition=Q(role=Role.COORDINATOR),
                name="role_coordinator_once",
            ),
            models.UniqueConstraint(
                fields=["user", "cluster"],
                condition=Q(role=Role.CLUSTER_MANAGER),
                name="role_cluster_manager_once",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.EC_OFFICER), name="role_officer_once"
            ),
        ]

    def __str__(self):
        scope = self.partnership or self.cluster
        return f"{self.user} — {self.get_role_display()}" + (f" ({scope})" if scope else "")


class InvitationQuerySet(PolicyQuerySet):
    pass


class Invitation(models.Model):
    """A person invited by email to take a role. Only a hash of the link's token is stored; the
    link works once, until it expires or is withdrawn. A new cluster manager invited by someone
    outside the cluster also needs the confirmation of the cluster's managers (or staff)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        CONFIRMING = "confirming", _("Accepted, waiting for the cluster's confirmation")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("partnership"),
    )
    cluster = models.ForeignKey(
        "partnerships.ClusterOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("cluster organisation"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    needs_confirmation = models.BooleanField(_("needs the cluster's confirmation"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
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
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.COORDINATOR, partnership__isnull=False, cluster__isnull=True)
                    | Q(role=Role.CLUSTER_MANAGER, partnership__isnull=True, cluster__isnull=False)
                    | Q(role=Role.EC_OFFICER, partnership__isnull=True, cluster__isnull=True)
                ),
                name="invitation_scope_matches_role",
                violation_error_message=_(
                    "A coordinator needs a partnership, a cluster manager a cluster, and an EC "
                    "officer neither."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}"

    @property
    def current_state(self) -> str:
        """The state, with a pending invitation past its date read as expired."""
        if self.state == self.State.PENDING and self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.state

    def get_current_state_display(self):
        return self.State(self.current_state).label


class FormSubmission(models.Model):
    """A create claimed once (``escp_portal.once``). A page's form carries a one-time token: the
    first POST with it claims the row and records where it led; a second POST of the same form
    (a double click, a resent request) is led there instead of creating the thing again. An API
    client sends an ``Idempotency-Key`` header (stored as ``api:<key>``): a repeated request
    gets the first answer (``status``, ``response``) again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_submissions"
    )
    token = models.CharField(max_length=72)
    location = models.CharField(max_length=2000, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_submitted_once"),
        ]

    def __str__(self):
        return f"{self.user} {self.token}"


class TokenScope(models.Model):
    """What one API token may do, beyond acting as its user: a name to recognise it, read only,
    and the partnerships or clusters it is limited to. The access policy intersects the user's
    rights with it (``policy.TokenLimit``); no partnership and no cluster chosen means no limit
    by partnership or cluster. A token without this row acts with its user's full rights."""

    token = models.OneToOneField(
        "knox.authtoken", on_delete=models.CASCADE, related_name="scope", primary_key=True
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)
    partnerships = models.ManyToManyField(
        "partnerships.Partnership",
        blank=True,
        related_name="+",
        verbose_name=_("limited to partnerships"),
    )
    clusters = models.ManyToManyField(
        "partnerships.ClusterOrganisation",
        blank=True,
        related_name="+",
        verbose_name=_("limited to cluster organisations"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API token scope")
        verbose_name_plural = _("API token scopes")

    def __str__(self):
        return self.name or self.token_id
