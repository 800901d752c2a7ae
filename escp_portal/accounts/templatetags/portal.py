from django import template
from django.templatetags.static import static

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dict lookup with a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def flag_src(country):
    """A country's flag image through the static files storage, so that production serves it
    under its hashed, long-cached name (django-countries' own ``flag`` is the bare path). Empty
    for a code without a flag image."""
    code = getattr(country, "code", "") or ""
    if not code:
        return ""
    try:
        return static(f"flags/{code.lower()}.gif")
    except ValueError:  # not in the manifest: no image for this code
        return ""
