import uuid

from django import template
from django.utils.html import format_html

from escp_portal import once

register = template.Library()


@register.simple_tag
def once_field():
    """The hidden one-time token of a one-click form (a suggestion's button): sent twice, the
    form saves once (``escp_portal.once``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, uuid.uuid4().hex)
