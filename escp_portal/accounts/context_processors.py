from .policy import navigation


def roles(request):
    """Which role sections the navigation shows to the current user."""
    return {"nav": navigation(getattr(request, "user", None))}
