from .policy import scope_for


def roles(request):
    """The current user's scope, for navigation by role."""
    return {"scope": scope_for(getattr(request, "user", None))}
