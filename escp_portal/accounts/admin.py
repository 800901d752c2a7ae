"""People and their roles for staff.

Users and role assignments are editable: the admin is, with ``manage.py grant_role``, how an
operator appoints the first people of a portal, corrects a name or deactivates an account.
Deactivating an account (or setting a password) deletes the user's API tokens in the same save
and leaves an audit entry (``signals``). Invitations are read-only: they are sent, answered and
withdrawn through the invitation services (single-use links, confirmations)."""

from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from escp_portal.admin import ReadOnlyAdmin

from .models import Invitation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["partnership", "cluster"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Editable: accounts are the operator's to keep; "active" unticked ends the account's
    sessions and API tokens."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "language"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "date_joined"
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Editable: appointing people directly is the operator's job (the database checks that a
    role has the right scope); everyone else joins by invitation."""

    list_display = ["user", "role", "partnership", "cluster", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "partnership__acronym", "cluster__name"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "partnership", "cluster"]
    autocomplete_fields = ["user", "partnership", "cluster"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations are sent, answered, confirmed and withdrawn through the services;
    only a hash of the link is stored, and it is not shown."""

    list_display = ["email", "role", "partnership", "cluster", "state", "invited_by", "expires_at"]
    list_filter = ["state", "role"]
    search_fields = ["email", "partnership__acronym", "cluster__name", "invited_by__email"]
    date_hierarchy = "created_at"
    list_select_related = ["partnership", "cluster", "invited_by"]
    exclude = ["token_hash"]


# auditlog's own admin searches the actor's first and last name, which this user model does not
# have (a search answered 500): the same admin, searching the fields the trail does have.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(BaseLogEntryAdmin):
    """Read-only (auditlog's own rule): the audit trail is evidence; nobody edits it."""

    search_fields = [
        "timestamp",
        "object_repr",
        "changes",
        "actor__email",
        "actor__full_name",
        "actor_email",
    ]
