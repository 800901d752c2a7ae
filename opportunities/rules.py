"""Access rules of brokers, opportunities, investor contacts and joint investment projects.

- Brokers and investor contacts are people (names, emails, phones), and an opportunity names its
  broker and counterpart: the partnership's coordinators and the managers of its current partner
  clusters see and add them (staff too). EC officers read the figures of the pipeline (how many
  at each stage), never the names.
- Joint investment projects hold no personal data: every insider reads them, EC officers
  included (they feed the investment core indicator).
- The partnership's coordinators edit every record; whoever added a record edits it too, and
  the person following an opportunity moves it along.

The named decisions below are the only place that reads a user's scope for this app.
"""

from django.db import models

from escp_portal.accounts.policy import (
    coordinates,
    insider_q,
    insiders_visible,
    is_insider,
    limited_by,
    managed_partner_partnerships,
    rule,
    scope_for,
)


def _works_in(scope, partnership_id) -> bool:
    """Coordinates the partnership or manages one of its current partner clusters."""
    if partnership_id in scope.coordinated_partnerships:
        return True
    if not scope.managed_clusters:
        return False
    return managed_partner_partnerships(scope).filter(partnership_id=partnership_id).exists()


def _named(qs, scope):
    """Rows naming people: the partnership's working insiders (not the figure readers)."""
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(insider_q(scope, "partnership_id"))


def _added_or_coordinated(scope, obj) -> bool:
    return (
        obj.partnership_id in scope.coordinated_partnerships or obj.created_by_id == scope.user_id
    )


def _create(scope, parent) -> bool:
    return parent is not None and _works_in(scope, parent.pk)


rule("opportunities.Broker", visible=_named, edit=_added_or_coordinated, create=_create)
rule("opportunities.InvestorContact", visible=_named, edit=_added_or_coordinated, create=_create)
rule(
    "opportunities.Opportunity",
    visible=_named,
    edit=lambda scope, o: _added_or_coordinated(scope, o) or o.owner_id == scope.user_id,
    create=_create,
)
rule(
    "opportunities.InvestmentProject",
    visible=insiders_visible("partnership_id"),
    edit=_added_or_coordinated,
    create=_create,
)


_ANSWERS = "_opportunities_sees_names"


def sees_names(user, partnership_id: int) -> bool:
    """May the user see the partnership's brokers, investor contacts and opportunities by name?
    Its coordinators and the managers of its partner clusters (and staff); an EC officer reads
    the figures only, unless they also coordinate it. Answered once per request and
    partnership (kept on the user object, as the scope is)."""
    scope = scope_for(user)
    if scope.is_staff:
        return True
    answers = getattr(user, _ANSWERS, None)
    if answers is None:
        answers = {}
        if scope.authenticated:
            setattr(user, _ANSWERS, answers)
    if partnership_id not in answers:
        answers[partnership_id] = _works_in(scope, partnership_id)
    return answers[partnership_id]


def sees_figures(user, partnership_id: int) -> bool:
    """The pipeline's figures: every insider of the partnership, EC officers included."""
    return is_insider(user, partnership_id)


def can_add(user, partnership_id: int) -> bool:
    """Those who see the names add brokers, investor contacts, opportunities and projects."""
    return sees_names(user, partnership_id)


def can_change(user, obj) -> bool:
    """The partnership's coordinators; whoever added the record; an opportunity's follower."""
    scope = scope_for(user)
    if scope.is_staff:
        return True
    if not scope.authenticated:
        return False
    if getattr(obj, "owner_id", None) == scope.user_id:
        return True
    return _added_or_coordinated(scope, obj)


def can_record_agreement(user, opportunity) -> bool:
    """Whoever moves the opportunity along records the agreement it reached, as an outcome."""
    return can_change(user, opportunity) and sees_names(user, opportunity.partnership_id)


def can_erase(user, obj) -> bool:
    """A person's data is erased on request by the partnership's coordinators (or staff)."""
    return coordinates(user, obj.partnership_id)


def followers(queryset, user):
    """The opportunities the user follows (their own pipeline)."""
    return queryset.filter(models.Q(owner_id=getattr(user, "pk", None)))


# What a token limited to partnerships or clusters reads (``policy.limited_by``).
for _label in (
    "opportunities.Broker",
    "opportunities.InvestorContact",
    "opportunities.Opportunity",
    "opportunities.InvestmentProject",
):
    limited_by(_label, partnership="partnership_id")
