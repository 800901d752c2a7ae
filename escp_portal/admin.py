"""What the administration site shares across apps.

Records that the services write with their rules and audit trail (reported values, missions,
registrations, outcomes, statuses) are shown to staff read-only: an edit in the admin would pass
around the rules and leave no "who changed what"."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists with search and filters, details to read; nothing added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
