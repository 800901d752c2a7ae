from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Deletion


@admin.register(Deletion)
class DeletionAdmin(ReadOnlyAdmin):
    """Read-only: the record the delete signals write for incremental sync; an edit would tell
    integrations of a deletion that did not happen, or hide one that did."""

    list_display = ["resource", "object_id", "deleted_at", "partnership_id"]
    list_filter = ["resource"]
    date_hierarchy = "deleted_at"
