"""The access policy: who may see and change what. The single place that decides.

Every page, API endpoint and export reads through ``Model.objects.visible_to(user)`` and checks a
write with ``can_edit(user, obj)`` / ``can_create(user, model, parent)``. This module holds the
registry, the user's ``Scope`` and the rules every app shares (who is an insider of a
partnership); each domain app registers its models' rules and names its own decisions in its
``rules`` module (``partnerships.rules``, ``strategy.rules``, ``missions.rules``,
``evaluation.rules``), loaded by the app's ``ready()``. No other module reads a ``Scope``'s flags.

- anyone: the public directory — programmes, published partnerships, their partners, clusters;
- coordinator (of a partnership): edits that partnership and its partners;
- cluster manager (of a cluster): edits that cluster's profile;
- EC officer: reads every partnership, edits nothing;
- staff: everything (the administration site).

What a user may not see answers 404, never 403, so ids do not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from .limits import TokenLimit, limited_by, narrowed, token_limit, within_limit


@dataclass(frozen=True)
class Scope:
    """What one user is, computed once per request from their role assignments."""

    authenticated: bool = False
    user_id: int | None = None
    is_staff: bool = False
    is_officer: bool = False
    coordinated_partnerships: frozenset[int] = field(default_factory=frozenset)
    managed_clusters: frozenset[int] = field(default_factory=frozenset)
    limit: TokenLimit | None = None  # the request's API token's (``limits``)

    @property
    def read_only(self) -> bool:
        return self.limit is not None and self.limit.read_only

    @property
    def reads_everything(self) -> bool:
        return self.is_staff or self.is_officer

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_partnerships)

    @property
    def is_cluster_manager(self) -> bool:
        return bool(self.managed_clusters)


ANONYMOUS = Scope()
_SCOPE_ATTR = "_escp_scope"


def scope_for(user) -> Scope:
    """The user's scope: on the user object for the rest of the request, and in the shared
    cache between requests (``cached_roles``), so a page reads no role assignment at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    from .roles import cached_roles

    scope = Scope(authenticated=True, user_id=user.pk, is_staff=user.is_staff, **cached_roles(user))
    scope = narrowed(scope, token_limit(user))
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the scope kept on the user object after the user's roles change."""
    if user is not None and hasattr(user, _SCOPE_ATTR):
        delattr(user, _SCOPE_ATTR)


VisibleRule = Callable[[models.QuerySet, Scope], models.QuerySet]
EditRule = Callable[[Scope, models.Model], bool]
CreateRule = Callable[[Scope, models.Model | None], bool]

_visible: dict[str, VisibleRule] = {}
_edit: dict[str, EditRule] = {}
_create: dict[str, CreateRule] = {}


def rule(label: str, *, visible: VisibleRule, edit: EditRule, create: CreateRule | None = None):
    """Register the rules of one model (``app_label.ModelName``)."""
    _visible[label] = visible
    _edit[label] = edit
    _create[label] = create or (lambda scope, parent: scope.is_staff)


def _label(model) -> str:
    return model._meta.label


def visible_to(queryset: models.QuerySet, user) -> models.QuerySet:
    try:
        visible = _visible[_label(queryset.model)]
    except KeyError:  # a model nobody wrote a rule for is visible to nobody
        return queryset.none()
    scope = scope_for(user)
    return within_limit(visible(queryset, scope), scope.limit)


def can_view(user, obj: models.Model) -> bool:
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_edit(user, obj: models.Model) -> bool:
    scope = scope_for(user)
    if not scope.authenticated or scope.read_only:
        return False
    if scope.is_staff:
        return True
    edit = _edit.get(_label(type(obj)))
    return bool(edit and edit(scope, obj))


def can_create(user, model: type[models.Model], parent: models.Model | None = None) -> bool:
    """May the user add a ``model`` row (under ``parent``, e.g. a partner under a partnership)?"""
    scope = scope_for(user)
    if not scope.authenticated or scope.read_only:
        return False
    if scope.is_staff:
        return True
    create = _create.get(_label(model))
    return bool(create and create(scope, parent))


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_to(self, user)


# --- rules every app shares --------------------------------------------------------------------


def nobody(scope, obj=None):
    return False


def everything(qs, scope):
    return qs


def staff_only(qs, scope):
    return qs if scope.is_staff else qs.none()


def _only_self(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(pk=scope.user_id)


def own_rows(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(user_id=scope.user_id)


rule("accounts.User", visible=_only_self, edit=lambda scope, user: user.pk == scope.user_id)
rule("accounts.RoleAssignment", visible=own_rows, edit=nobody)
rule("knox.AuthToken", visible=own_rows, edit=lambda scope, tok: tok.user_id == scope.user_id)


def registered(label: str) -> tuple[VisibleRule, EditRule, CreateRule]:
    """The rules registered for a model, to build a narrower or wider one on them."""
    return _visible[label], _edit[label], _create[label]


def model(label):
    from django.apps import apps

    return apps.get_model(label)


def reads_everything(user) -> bool:
    """EC officers and staff read every partnership (figures, never member contacts)."""
    return scope_for(user).reads_everything


def is_staff(user) -> bool:
    return scope_for(user).is_staff


def can_send_jobs(user) -> bool:
    """Staff may hand waiting background jobs to the broker now (the admin's outbox)."""
    return scope_for(user).is_staff


# --- insiders: the people who work in a partnership ----------------------------------------------
# A partnership's working data (strategy, missions, evaluation) is seen by its coordinators, the
# managers of its current partner clusters (who contribute), EC officers (read) and staff. Never
# public. Coordinators edit.


def partner_clusters_of(partnership_ids, *, sharing_contacts=False):
    """Clusters currently partnering in the given partnerships (a subquery of ids)."""
    partners = model("partnerships.Partner").objects.filter(
        partnership_id__in=partnership_ids, left_on__isnull=True, sharing_ended_at__isnull=True
    )
    if sharing_contacts:
        partners = partners.filter(cluster__share_member_contacts=True)
    return partners.values("cluster_id")


def managed_partner_partnerships(scope: Scope):
    """Partnerships (ids, a subquery) in which a cluster the user manages currently partners."""
    return (
        model("partnerships.Partner")
        .objects.filter(
            cluster_id__in=scope.managed_clusters,
            left_on__isnull=True,
            sharing_ended_at__isnull=True,
        )
        .exclude(partnership__status="draft")
        .values("partnership_id")
    )


def insider_q(scope: Scope, path: str):
    """A Q on ``<path>`` (a partnership id) for the partnerships the scope works in."""
    condition = models.Q(pk__in=[])
    if scope.coordinated_partnerships:
        condition |= models.Q(**{f"{path}__in": scope.coordinated_partnerships})
    if scope.managed_clusters:
        condition |= models.Q(**{f"{path}__in": managed_partner_partnerships(scope)})
    return condition


def is_insider(user, partnership_id: int) -> bool:
    scope = scope_for(user)
    if scope.reads_everything or partnership_id in scope.coordinated_partnerships:
        return True
    if not scope.managed_clusters:
        return False
    return managed_partner_partnerships(scope).filter(partnership_id=partnership_id).exists()


INSIDER = "user_is_insider"


def with_insider(queryset: models.QuerySet, user, path: str = "pk") -> models.QuerySet:
    """Annotate the rows with ``user_is_insider``: ``is_insider`` for the partnership whose id
    is at ``path``, answered by the query that loads the rows instead of one more query."""
    scope = scope_for(user)
    if scope.reads_everything:
        flag = models.Value(True)
    elif scope.coordinated_partnerships or scope.managed_clusters:
        flag = models.ExpressionWrapper(insider_q(scope, path), output_field=models.BooleanField())
    else:
        flag = models.Value(False)
    return queryset.annotate(**{INSIDER: flag})


def coordinates(user, partnership_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_staff or partnership_id in scope.coordinated_partnerships


def coordinates_strictly(user, partnership_id: int) -> bool:
    """A coordinator of the partnership by role (staff is not, for acts that need a person of
    the partnership, such as a sign-off)."""
    return partnership_id in scope_for(user).coordinated_partnerships


# --- the home page: what each role looks after (escp_portal.views, escp_portal.dashboard) -------


def partnerships_coordinated_by(user) -> frozenset[int]:
    """The partnerships the user coordinates by role (staff coordinate none of their own)."""
    return scope_for(user).coordinated_partnerships


def clusters_managed_by(user) -> frozenset[int]:
    """The clusters the user manages by role."""
    return scope_for(user).managed_clusters


def people_with_role(role: str, *, cluster_ids=(), partnership_ids=()) -> dict[int, list]:
    """The active people holding ``role`` for each of the clusters (or partnerships): id ->
    users, in one query. Who gets a cluster's or a partnership's emails."""
    from .models import RoleAssignment

    assignments = RoleAssignment.objects.filter(role=role, user__is_active=True)
    if cluster_ids:
        assignments = assignments.filter(cluster_id__in=cluster_ids)
        key = "cluster_id"
    else:
        assignments = assignments.filter(partnership_id__in=partnership_ids)
        key = "partnership_id"
    result: dict[int, list] = {}
    for assignment in assignments.select_related("user").order_by("user__email"):
        result.setdefault(getattr(assignment, key), []).append(assignment.user)
    return result


def partnerships_of_clusters_managed_by(user):
    """Partnerships (ids, a subquery) in which a cluster the user manages currently partners."""
    return managed_partner_partnerships(scope_for(user))


def sees_programme_overview(user) -> bool:
    """The programme-wide panels (partnerships at risk, answered reviews, the programmes at a
    glance): EC officers and staff, who read every partnership."""
    return reads_everything(user)


def navigation(user) -> dict[str, bool]:
    """The role sections of the navigation: "My partnerships" for coordinators, "My cluster" for
    cluster managers, "Programme overview" and "Oversight" (the programme statistics' readers:
    ``evaluation.rules.sees_programme_statistics``) for those who read every partnership."""
    scope = scope_for(user)
    return {
        "coordinator": scope.is_coordinator,
        "cluster_manager": scope.is_cluster_manager,
        "programme": scope.reads_everything,
    }


def insiders_visible(path: str) -> VisibleRule:
    """The visible rule of a partnership's working data, the partnership's id at ``path``."""

    def visible(qs, scope):
        if scope.reads_everything:
            return qs
        if not scope.authenticated:
            return qs.none()
        return qs.filter(insider_q(scope, path))

    return visible


def partnership_rule(label: str, path: str):
    """Register a model of a partnership's working data: insiders read, coordinators write."""

    def edit(scope, obj):
        return partnership_id_of(obj) in scope.coordinated_partnerships

    def create(scope, parent):
        return parent is not None and partnership_id_of(parent) in scope.coordinated_partnerships

    rule(label, visible=insiders_visible(path), edit=edit, create=create)
    limited_by(label, partnership=path)


def partnership_id_of(obj) -> int | None:
    """The partnership an object of the strategy, missions or evaluation belongs to, walking up
    its parents (a partnership is its own)."""
    for attribute in (
        "partnership_id",
        "strategy",
        "objective",
        "kpi",
        "chain",
        "stage",
        "target_market",
        "mission",  # a participation's; a strategy's mission is text, not a parent
        "meeting",  # a decision's (its partnership meeting)
    ):
        value = getattr(obj, attribute, None)
        if attribute == "partnership_id":
            if value is not None:
                return value
        elif isinstance(value, models.Model):
            return partnership_id_of(value)
    if obj._meta.label == "partnerships.Partnership":
        return obj.pk
    return None


# --- invitations: who may invite whom, who sees and answers an invitation -----------------------
# Coordinators invite coordinators of their partnership and managers of its consenting partner
# clusters; a cluster's managers invite fellow managers; staff invite anyone (EC officers only
# staff). A manager invited by someone outside the cluster starts only once one of the cluster's
# managers (or staff) confirms.


def can_invite(user, role: str, *, partnership=None, cluster=None) -> bool:
    from .models import Role

    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_staff:
        return True
    if role == Role.COORDINATOR:
        return partnership is not None and partnership.pk in scope.coordinated_partnerships
    if role == Role.CLUSTER_MANAGER and cluster is not None:
        if cluster.pk in scope.managed_clusters:
            return True
        return (
            bool(scope.coordinated_partnerships)
            and partner_clusters_of(scope.coordinated_partnerships)
            .filter(cluster_id=cluster.pk)
            .exists()
        )
    return False


def invitation_needs_confirmation(user, role: str, cluster) -> bool:
    """A new cluster manager invited by someone who is neither staff nor one of its managers."""
    from .models import Role

    scope = scope_for(user)
    if role != Role.CLUSTER_MANAGER or scope.is_staff:
        return False
    return cluster is None or cluster.pk not in scope.managed_clusters


def invitable_partnership_ids(user):
    """Partnerships (ids) the user may invite coordinators to; None for any (staff)."""
    scope = scope_for(user)
    return None if scope.is_staff else scope.coordinated_partnerships


def invitable_cluster_ids(user):
    """Clusters (ids, a set) the user may invite managers of; None for any (staff)."""
    scope = scope_for(user)
    if scope.is_staff:
        return None
    ids = set(scope.managed_clusters)
    if scope.coordinated_partnerships:
        ids |= set(
            partner_clusters_of(scope.coordinated_partnerships).values_list("cluster_id", flat=True)
        )
    return ids


def may_invite_officers(user) -> bool:
    return scope_for(user).is_staff


def may_invite_anyone(user) -> bool:
    """Is there any role the user may invite people to (the "Invite people" page)?"""
    scope = scope_for(user)
    return scope.is_staff or scope.is_coordinator or scope.is_cluster_manager


def _invitations(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = models.Q(invited_by_id=scope.user_id)
    if scope.coordinated_partnerships:
        condition |= models.Q(partnership_id__in=scope.coordinated_partnerships)
    if scope.managed_clusters:
        condition |= models.Q(cluster_id__in=scope.managed_clusters)
    return qs.filter(condition)


def can_revoke_invitation(user, invitation) -> bool:
    """Whoever may invite to the same role and scope withdraws an open invitation."""
    return can_invite(
        user, invitation.role, partnership=invitation.partnership, cluster=invitation.cluster
    )


def can_confirm_invitation(user, invitation) -> bool:
    """One of the cluster's managers, or staff, confirms a new manager of the cluster."""
    scope = scope_for(user)
    if scope.is_staff:
        return True
    return invitation.cluster_id is not None and invitation.cluster_id in scope.managed_clusters


rule("accounts.Invitation", visible=_invitations, edit=nobody)
