from .policy import navigation


def roles(request):
    """Which role sections the navigation shows to the current user (and whether they look for
    partners, the matchmaking app's rule)."""
    from matchmaking.rules import can_search_partners

    user = getattr(request, "user", None)
    return {"nav": {**navigation(user), "find": can_search_partners(user)}}
