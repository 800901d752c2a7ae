from django.contrib import admin

from .models import QueuedJob


@admin.register(QueuedJob)
class QueuedJobAdmin(admin.ModelAdmin):
    list_display = ("task", "created_at", "attempts", "next_attempt_at", "last_error", "request_id")
    list_filter = ("task",)
    readonly_fields = [f.name for f in QueuedJob._meta.fields]

    def has_add_permission(self, request):
        return False
