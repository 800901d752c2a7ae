"""Webhook subscriptions and their deliveries for operators: every user's, to see why an
integration hears nothing. Read-only: a subscription is its owner's (its URL and secret are
theirs to change), and a delivery is a record of what was sent."""

from django.contrib import admin

from escp_portal.admin import ReadOnlyAdmin

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    """Read-only: the owner changes, pauses and resumes a subscription on its page or the API."""

    list_display = ("url", "owner", "active", "paused_at", "consecutive_failures", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__email", "description")
    date_hierarchy = "created_at"
    exclude = ("secret",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Read-only: the record of what was sent, when and with what answer."""

    list_display = ("event", "subscription", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status", "event")
    search_fields = ("subscription__url", "event", "last_error")
    date_hierarchy = "created_at"
    list_select_related = ("subscription",)
