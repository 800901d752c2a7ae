from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Deletion


@admin.register(Deletion)
class DeletionAdmin(ReadOnlyAdmin):
    list_display = ["resource", "object_id", "deleted_at", "partnership_id"]
    list_filter = ["resource"]
    date_hierarchy = "deleted_at"
