"""The directory, member data, member files and partner invitations for staff.

The directory (programmes, sectors, competences, partnerships, partners, clusters) is programme
data that staff keep here directly: every change is written to the audit trail by the models'
auditlog registration, with the staff member as the actor. Member data, member files and
partner invitations are written by their services (rules, checks, consent, audit) and are
read-only here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from escp_portal.admin import ReadOnlyAdmin

from .models import (
    ClusterAlias,
    ClusterMembership,
    ClusterOrganisation,
    Competence,
    Member,
    MemberImport,
    MemberLink,
    Partner,
    PartnerInvitation,
    Partnership,
    Programme,
    Sector,
)
from .services.groups import link_add, link_remove
from .services.member_uploads import import_give_up
from .services.merge import cluster_merge


class ClusterMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=ClusterOrganisation.objects.none(),
        widget=forms.RadioSelect,
        label=_("Keep this record"),
        help_text=_(
            "The other record goes: its partners, memberships, roles, invitations, missions, "
            "profiles and audit trail move to the one kept, and its name becomes an alias."
        ),
    )

    def __init__(self, *args, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = ClusterOrganisation.objects.filter(
            pk__in=[c.pk for c in chosen]
        )


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Editable: a programme is reference data staff set up; changes are audited."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    """Editable: the shared vocabulary of sectors is staff's to keep."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    """Editable: competences are shared tags; staff merge spelling variants or fix a name."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Editable: staff record the programme's partnerships and their partners directly (the
    consent flow is for coordinators); every change is audited."""

    list_display = ["acronym", "name", "programme", "generation", "phase", "status"]
    list_filter = ["programme", "generation", "phase", "status"]
    search_fields = ["acronym", "name"]
    date_hierarchy = "start_date"
    list_select_related = ["programme"]
    filter_horizontal = ["sectors"]
    inlines = [PartnerInline]


class ClusterAliasInline(admin.TabularInline):
    model = ClusterAlias
    fields = ["name", "country"]
    extra = 0
    verbose_name = _("other spelling")
    verbose_name_plural = _("other spellings (the published data and imports match these too)")


@admin.register(ClusterOrganisation)
class ClusterOrganisationAdmin(admin.ModelAdmin):
    """Editable: staff correct a cluster's profile (duplicates, spelling); changes are
    audited. Two records of one organisation are merged with the "merge" action, which keeps
    every link and the audit trail of both."""

    list_display = ["name", "acronym", "country", "city", "declared_member_count"]
    list_filter = ["country", "share_member_contacts"]
    search_fields = ["name", "acronym", "city", "aliases__name"]
    filter_horizontal = ["sectors"]
    inlines = [ClusterAliasInline]
    actions = ["merge_clusters"]

    @admin.action(description=_("Merge two records of one cluster organisation"))
    def merge_clusters(self, request, queryset):
        chosen = list(queryset.order_by("pk")[:3])
        if len(chosen) != 2:
            self.message_user(
                request, _("Choose exactly two cluster organisations to merge."), messages.ERROR
            )
            return None
        form = ClusterMergeForm(request.POST if "keep" in request.POST else None, chosen=chosen)
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            drop = next(c for c in chosen if c.pk != keep.pk)
            try:
                moved = cluster_merge(actor=request.user, keep=keep, drop=drop)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("%(drop)s was merged into %(keep)s (%(rows)s records moved).")
                % {"drop": drop.name, "keep": keep.name, "rows": sum(moved.values())},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/partnerships/merge_clusters.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge two records of one cluster organisation"),
                "form": form,
                "chosen": chosen,
                "opts": self.model._meta,
                "action": "merge_clusters",
                "selected": [c.pk for c in chosen],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Editable: staff record programme data directly (a partner's role, when it joined or
    left); changes are audited."""

    list_display = ["cluster", "partnership", "role", "joined_on", "left_on", "sharing_ended_at"]
    list_filter = ["role", "partnership__programme"]
    search_fields = ["cluster__name", "partnership__acronym"]
    list_select_related = ["cluster", "partnership"]
    autocomplete_fields = ["cluster", "partnership"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    """Read-only: member data is its cluster managers', written through the member services
    (checks, erasure, the audit trail with contact persons masked)."""

    list_display = ["name", "kind", "country", "city", "nace_code", "size_class", "erased_at"]
    list_filter = ["kind", "size_class", "is_sme", "country"]
    search_fields = ["name", "city", "nace_code"]
    date_hierarchy = "created_at"


@admin.register(MemberLink)
class MemberLinkAdmin(admin.ModelAdmin):
    """Partner and linked enterprises, added and taken away through the services, which compute
    both enterprises' SME status again; a link is never changed in place (take it away and add
    the right one)."""

    list_display = ["member", "other", "relation", "share", "created_at"]
    list_filter = ["relation"]
    search_fields = ["member__name", "other__name"]
    autocomplete_fields = ["member", "other"]
    list_select_related = ["member", "other"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = link_add(
            actor=request.user,
            member=obj.member,
            other=obj.other,
            relation=obj.relation,
            share=obj.share,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        link_remove(actor=request.user, link=obj)

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("member", "other"):
            link_remove(actor=request.user, link=link)


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(ReadOnlyAdmin):
    """Read-only: memberships are written by the member services and imports."""

    list_display = ["member", "cluster", "joined_on", "created_at"]
    list_filter = ["cluster__country"]
    search_fields = ["member__name", "cluster__name"]
    date_hierarchy = "created_at"
    list_select_related = ["member", "cluster"]


@admin.register(MemberImport)
class MemberImportAdmin(ReadOnlyAdmin):
    """Read-only: an import is the record of an upload, moved along by its service (checked,
    confirmed, written, discarded). One action: give up an import stuck checking or writing,
    through the service."""

    list_display = [
        "file_name",
        "cluster",
        "uploaded_by",
        "status",
        "total_rows",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status"]
    search_fields = ["file_name", "cluster__name", "uploaded_by__email"]
    date_hierarchy = "created_at"
    list_select_related = ["cluster", "uploaded_by"]
    # The uploaded rows and the preview hold personal data and can be large: the record only.
    exclude = ["rows", "summary"]
    actions = ["give_up"]

    @admin.action(description=_("Mark failed (stuck checking or writing)"))
    def give_up(self, request, queryset):
        marked = 0
        for member_import in queryset.select_related("cluster"):
            if import_give_up(actor=request.user, member_import=member_import):
                self.log_change(request, member_import, _("Marked failed from the admin."))
                marked += 1
        skipped = len(queryset) - marked
        if marked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d import marked failed.",
                    "%(count)d imports marked failed.",
                    marked,
                )
                % {"count": marked},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d import was not checking or writing and was left as it is.",
                    "%(count)d imports were not checking or writing and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(PartnerInvitation)
class PartnerInvitationAdmin(ReadOnlyAdmin):
    """Read-only: consent is given by the cluster's managers through the consent service."""

    list_display = ["cluster", "partnership", "role", "state", "invited_by", "created_at"]
    list_filter = ["state", "role"]
    search_fields = ["cluster__name", "partnership__acronym", "invited_by__email"]
    date_hierarchy = "created_at"
    list_select_related = ["cluster", "partnership", "invited_by"]
