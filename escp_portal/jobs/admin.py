"""The job outbox for operators: jobs a committed write asked for that the broker has not taken
yet (see ``outbox``). Read-only: a job's task and arguments are what the write decided; an edit
would run something else. One action, "send now", hands the chosen jobs to the broker through
``outbox.send_now`` and records it in the admin's history."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from escp_portal.admin import ReadOnlyAdmin

from . import outbox
from .models import QueuedJob


@admin.register(QueuedJob)
class QueuedJobAdmin(ReadOnlyAdmin):
    """Read-only, with "send now"."""

    list_display = ("task", "created_at", "attempts", "next_attempt_at", "last_error", "request_id")
    list_filter = ("task", "queue")
    search_fields = ("task", "last_error", "request_id")
    date_hierarchy = "created_at"
    actions = ["send_now"]

    @admin.action(description=_("Send now"))
    def send_now(self, request, queryset):
        jobs = list(queryset)
        for job in jobs:
            self.log_change(request, job, _("Sent now from the admin."))
        sent = outbox.send_now(actor=request.user, ids=[job.pk for job in jobs])
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d job sent.", "%(count)d jobs sent.", sent) % {"count": sent},
                messages.SUCCESS,
            )
        if sent < len(jobs):
            self.message_user(
                request,
                ngettext(
                    "%(count)d job could not be sent: the broker did not answer. It waits, with "
                    "the error.",
                    "%(count)d jobs could not be sent: the broker did not answer. They wait, "
                    "with the error.",
                    len(jobs) - sent,
                )
                % {"count": len(jobs) - sent},
                messages.WARNING,
            )
