"""Access rules of webhooks: a subscription and its delivery log are their owner's alone (staff
read them in the admin, not through the policy). What a subscription receives is decided by the
policy of each event's object, asked for the owner (``services.fan_out``)."""

from escp_portal.accounts.policy import rule, scope_for


def _own_subscriptions(qs, scope):
    if not scope.authenticated:
        return qs.none()
    return qs.filter(owner_id=scope.user_id)


def _own_deliveries(qs, scope):
    if not scope.authenticated:
        return qs.none()
    return qs.filter(subscription__owner_id=scope.user_id)


rule(
    "webhooks.Subscription",
    visible=_own_subscriptions,
    edit=lambda scope, sub: sub.owner_id == scope.user_id,
    create=lambda scope, parent: (
        scope.authenticated and (scope.limit is None or not scope.limit.narrows)
    ),
)
rule(
    "webhooks.Delivery",
    visible=_own_deliveries,
    edit=lambda scope, d: d.subscription.owner_id == scope.user_id,
)


def may_subscribe(user) -> bool:
    """Any logged-in user may subscribe: they receive only what they may see. Not through a
    token limited to some partnerships or clusters: the subscription receives what its owner
    sees, which would escape the token's limit."""
    scope = scope_for(user)
    return scope.authenticated and (scope.limit is None or not scope.limit.narrows)


def owns(user, subscription) -> bool:
    return subscription.owner_id == scope_for(user).user_id
