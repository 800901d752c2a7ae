from rest_framework import permissions

from escp_portal.accounts.policy import can_edit


class PolicyPermission(permissions.BasePermission):
    """Reads are scoped by ``visible_to`` in the queryset; writes need ``can_edit`` on the object.

    Creating under a parent (a partner under a partnership) is checked by the service, which knows
    the parent.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return not getattr(view, "login_required", False) or request.user.is_authenticated
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit(request.user, obj)
