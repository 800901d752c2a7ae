from django.contrib import admin

from .models import ClusterOrganisation, Partner, Partnership, Programme, Sector


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["cluster"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "programme", "generation", "phase", "status"]
    list_filter = ["programme", "generation", "phase", "status"]
    search_fields = ["acronym", "name"]
    filter_horizontal = ["sectors"]
    inlines = [PartnerInline]


@admin.register(ClusterOrganisation)
class ClusterOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "declared_member_count"]
    list_filter = ["country"]
    search_fields = ["name", "acronym", "city"]
    filter_horizontal = ["sectors"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["cluster", "partnership", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    search_fields = ["cluster__name", "partnership__acronym"]
    autocomplete_fields = ["cluster", "partnership"]
