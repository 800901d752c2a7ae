"""``{{ partnership|activity_label }}`` and ``|activity_state``: what a partnership is shown as
(active, no recent activity, completed, draft), by the one rule of partnerships.selectors."""

from django import template
from django.utils import timezone

from partnerships.selectors import ACTIVITY_LABELS, activity_state

register = template.Library()


@register.filter
def activity_state_of(partnership) -> str:
    return activity_state(partnership, timezone.localdate())


@register.filter
def activity_label(partnership) -> str:
    return str(ACTIVITY_LABELS[activity_state(partnership, timezone.localdate())])
