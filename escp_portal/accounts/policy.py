"""The access policy: who may see and change what. The single place that decides.

Every page, API endpoint and export reads through ``Model.objects.visible_to(user)`` and checks a
write with ``can_edit(user, obj)`` / ``can_create(user, model, parent)``. Rules are registered here
per model label, so this module imports no app models at import time.

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


@dataclass(frozen=True)
class Scope:
    """What one user is, computed once per request from their role assignments."""

    authenticated: bool = False
    user_id: int | None = None
    is_staff: bool = False
    is_officer: bool = False
    coordinated_partnerships: frozenset[int] = field(default_factory=frozenset)
    managed_clusters: frozenset[int] = field(default_factory=frozenset)

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
    """The user's scope, cached on the user object (one query per request at most)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Role, RoleAssignment

    partnerships, clusters, officer = set(), set(), False
    for role, partnership_id, cluster_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "partnership_id", "cluster_id"
    ):
        if role == Role.COORDINATOR:
            partnerships.add(partnership_id)
        elif role == Role.CLUSTER_MANAGER:
            clusters.add(cluster_id)
        elif role == Role.EC_OFFICER:
            officer = True
    scope = Scope(
        authenticated=True,
        user_id=user.pk,
        is_staff=user.is_staff,
        is_officer=officer,
        coordinated_partnerships=frozenset(partnerships),
        managed_clusters=frozenset(clusters),
    )
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles change."""
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
    return visible(queryset, scope_for(user))


def can_view(user, obj: models.Model) -> bool:
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_edit(user, obj: models.Model) -> bool:
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_staff:
        return True
    edit = _edit.get(_label(type(obj)))
    return bool(edit and edit(scope, obj))


def can_create(user, model: type[models.Model], parent: models.Model | None = None) -> bool:
    """May the user add a ``model`` row (under ``parent``, e.g. a partner under a partnership)?"""
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_staff:
        return True
    create = _create.get(_label(model))
    return bool(create and create(scope, parent))


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible_to(self, user)


# --- the rules ---------------------------------------------------------------------------------


def _nobody(scope, obj=None):
    return False


def _everything(qs, scope):
    return qs


def _only_self(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(pk=scope.user_id)


def _own_rows(qs, scope):
    if scope.is_staff:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(user_id=scope.user_id)


def _partnerships(qs, scope):
    if scope.reads_everything:
        return qs
    published = ~models.Q(status="draft")
    if scope.coordinated_partnerships:
        return qs.filter(published | models.Q(pk__in=scope.coordinated_partnerships))
    return qs.filter(published)


def _partners(qs, scope):
    if scope.reads_everything:
        return qs
    published = ~models.Q(partnership__status="draft")
    if scope.coordinated_partnerships:
        return qs.filter(published | models.Q(partnership_id__in=scope.coordinated_partnerships))
    return qs.filter(published)


def _coordinates(scope, partnership) -> bool:
    return partnership is not None and partnership.pk in scope.coordinated_partnerships


rule("accounts.User", visible=_only_self, edit=lambda scope, user: user.pk == scope.user_id)
rule("accounts.RoleAssignment", visible=_own_rows, edit=_nobody)
rule("knox.AuthToken", visible=_own_rows, edit=lambda scope, tok: tok.user_id == scope.user_id)
rule("partnerships.Programme", visible=_everything, edit=_nobody)
rule("partnerships.Sector", visible=_everything, edit=_nobody)
rule(
    "partnerships.Partnership",
    visible=_partnerships,
    edit=_coordinates,
)
rule(
    "partnerships.Partner",
    visible=_partners,
    edit=lambda scope, partner: partner.partnership_id in scope.coordinated_partnerships,
    create=_coordinates,
)
rule(
    "partnerships.ClusterOrganisation",
    visible=_everything,
    edit=lambda scope, cluster: cluster.pk in scope.managed_clusters,
    # A coordinator adding a partner may need to list a cluster the portal does not know yet.
    create=lambda scope, parent: scope.is_coordinator,
)


# --- member data: what cluster managers keep -----------------------------------------------------
# Members are personal and commercial data: never public, never a list for EC officers (they get
# figures), and a cluster's contact persons reach coordinators only if the cluster shares them.


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def partner_clusters_of(partnership_ids, *, sharing_contacts=False):
    """Clusters currently partnering in the given partnerships (a subquery of ids)."""
    partners = _model("partnerships.Partner").objects.filter(
        partnership_id__in=partnership_ids, left_on__isnull=True
    )
    if sharing_contacts:
        partners = partners.filter(cluster__share_member_contacts=True)
    return partners.values("cluster_id")


def member_clusters_q(scope: Scope, *, field: str = "cluster_id", contacts: bool = False):
    """A Q on ``field`` selecting the clusters whose members the scope may see (or whose
    members' contact persons, with ``contacts``). None means no cluster at all."""
    condition = models.Q()
    any_rule = False
    if scope.managed_clusters:
        condition |= models.Q(**{f"{field}__in": scope.managed_clusters})
        any_rule = True
    if scope.coordinated_partnerships:
        subquery = partner_clusters_of(scope.coordinated_partnerships, sharing_contacts=contacts)
        condition |= models.Q(**{f"{field}__in": subquery})
        any_rule = True
    return condition if any_rule else None


def _members(qs, scope):
    if scope.is_staff:
        return qs
    clusters = member_clusters_q(scope)
    if clusters is None:
        return qs.none()
    memberships = _model("partnerships.ClusterMembership").objects.filter(clusters)
    return qs.filter(models.Exists(memberships.filter(member=models.OuterRef("pk"))))


def member_cluster_ids(user):
    """Ids of the clusters whose members the user may see (a queryset of ids)."""
    scope = scope_for(user)
    organisations = _model("partnerships.ClusterOrganisation").objects
    if scope.is_staff:
        return organisations.values_list("pk", flat=True)
    clusters = member_clusters_q(scope, field="pk")
    if clusters is None:
        return organisations.none().values_list("pk", flat=True)
    return organisations.filter(clusters).values_list("pk", flat=True)


def with_contact_visibility(queryset, user):
    """Annotate members with ``contacts_visible``: may this user read the contact person?"""
    scope = scope_for(user)
    if scope.is_staff:
        return queryset.annotate(contacts_visible=models.Value(True))
    clusters = member_clusters_q(scope, contacts=True)
    if clusters is None:
        return queryset.annotate(contacts_visible=models.Value(False))
    memberships = _model("partnerships.ClusterMembership").objects.filter(clusters)
    return queryset.annotate(
        contacts_visible=models.Exists(memberships.filter(member=models.OuterRef("pk")))
    )


def can_view_members(user, cluster) -> bool:
    """May the user list this cluster's members (managers, coordinators of its partnerships)?"""
    return cluster.pk in clusters_with_visible_members(user, [cluster.pk])


def clusters_with_visible_members(user, cluster_ids) -> set[int]:
    """Those of the clusters (ids) whose members the user may list: ``can_view_members`` for
    many clusters at once, in one query at most."""
    scope = scope_for(user)
    cluster_ids = set(cluster_ids)
    if scope.is_staff:
        return cluster_ids
    allowed = cluster_ids & scope.managed_clusters
    others = cluster_ids - allowed
    if others and scope.coordinated_partnerships:
        partners = partner_clusters_of(scope.coordinated_partnerships).filter(cluster_id__in=others)
        allowed |= set(partners.values_list("cluster_id", flat=True))
    return allowed


def can_view_member_figures(user, cluster) -> bool:
    """Counts (members, SMEs, by sector and size): also for EC officers, never for the public."""
    return scope_for(user).reads_everything or can_view_members(user, cluster)


def can_manage_members(user, cluster) -> bool:
    scope = scope_for(user)
    return scope.is_staff or cluster.pk in scope.managed_clusters


def _edit_member(scope, member):
    return member.memberships.filter(cluster_id__in=scope.managed_clusters).exists()


def _memberships(qs, scope):
    if scope.is_staff:
        return qs
    clusters = member_clusters_q(scope)
    return qs.none() if clusters is None else qs.filter(clusters)


def _imports(qs, scope):
    if scope.is_staff:
        return qs
    return qs.filter(cluster_id__in=scope.managed_clusters)


rule(
    "partnerships.Competence",
    visible=_everything,
    edit=_nobody,
    create=lambda scope, parent: scope.is_cluster_manager,
)
rule(
    "partnerships.Member",
    visible=_members,
    edit=_edit_member,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)
rule(
    "partnerships.ClusterMembership",
    visible=_memberships,
    edit=lambda scope, m: m.cluster_id in scope.managed_clusters,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)
rule(
    "partnerships.MemberImport",
    visible=_imports,
    edit=lambda scope, imp: imp.cluster_id in scope.managed_clusters,
    create=lambda scope, cluster: cluster is not None and cluster.pk in scope.managed_clusters,
)


# --- the joint strategy: a partnership's own working data ---------------------------------------
# Visible to its coordinators, to the managers of its current partner clusters (who contribute),
# to EC officers (read) and staff. Never public. Coordinators edit; partners report values and
# update the tasks they are responsible for (checked in the strategy services).


def managed_partner_partnerships(scope: Scope):
    """Partnerships (ids, a subquery) in which a cluster the user manages currently partners."""
    return (
        _model("partnerships.Partner")
        .objects.filter(cluster_id__in=scope.managed_clusters, left_on__isnull=True)
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


def _strategy_rule(label: str, path: str):
    def visible(qs, scope):
        if scope.reads_everything:
            return qs
        if not scope.authenticated:
            return qs.none()
        return qs.filter(insider_q(scope, path))

    def edit(scope, obj):
        return _partnership_id(obj) in scope.coordinated_partnerships

    def create(scope, parent):
        return parent is not None and _partnership_id(parent) in scope.coordinated_partnerships

    rule(label, visible=visible, edit=edit, create=create)


def _partnership_id(obj) -> int | None:
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
    ):
        value = getattr(obj, attribute, None)
        if attribute == "partnership_id":
            if value is not None:
                return value
        elif isinstance(value, models.Model):
            return _partnership_id(value)
    if obj._meta.label == "partnerships.Partnership":
        return obj.pk
    return None


for _model_label, _partnership_path in {
    "strategy.Strategy": "partnership_id",
    "strategy.Objective": "strategy__partnership_id",
    "strategy.KPI": "objective__strategy__partnership_id",
    "strategy.Measurement": "kpi__objective__strategy__partnership_id",
    "strategy.Task": "objective__strategy__partnership_id",
    "strategy.PeriodLock": "partnership_id",
    "strategy.ValueChain": "partnership_id",
    "strategy.ValueChainStage": "chain__partnership_id",
    "strategy.StageAssignment": "stage__chain__partnership_id",
    "strategy.TargetMarket": "partnership_id",
    "strategy.MarketStudy": "target_market__partnership_id",
}.items():
    _strategy_rule(_model_label, _partnership_path)


# --- missions ------------------------------------------------------------------------------------
# A partnership's missions are seen by its insiders and, as a common database of missions, by
# the coordinators of every partnership (so that two partnerships going to the same market can
# go together). Who takes part, and what came of it, stays with the insiders.


def _missions(qs, scope):
    if scope.reads_everything:
        return qs
    if not scope.authenticated:
        return qs.none()
    condition = insider_q(scope, "partnership_id")
    if scope.is_coordinator:
        condition |= ~models.Q(partnership__status="draft")
    return qs.filter(condition)


rule(
    "missions.Mission",
    visible=_missions,
    edit=lambda scope, m: m.partnership_id in scope.coordinated_partnerships,
    create=lambda scope, p: p is not None and p.pk in scope.coordinated_partnerships,
)
for _model_label, _partnership_path in {
    "missions.Participation": "mission__partnership_id",
    "missions.Outcome": "partnership_id",
    "missions.ExportGroup": "partnership_id",
}.items():
    _strategy_rule(_model_label, _partnership_path)
rule(
    "missions.ReminderLog",
    visible=lambda qs, scope: qs if scope.is_staff else qs.none(),
    edit=_nobody,
)


# A measurement is corrected by whoever may report it: the partnership's coordinators or the
# manager of the responsible partner's cluster (the reporting service checks the rest).
_measurement_visible = _visible["strategy.Measurement"]
rule(
    "strategy.Measurement",
    visible=_measurement_visible,
    edit=lambda scope, m: (
        _partnership_id(m) in scope.coordinated_partnerships
        or m.partner.cluster_id in scope.managed_clusters
    ),
    create=_create["strategy.Measurement"],
)


# --- evaluation: a partnership's scoreboard is for its insiders and EC officers ---------------
for _model_label in (
    "evaluation.KPIStatus",
    "evaluation.ScoreboardSnapshot",
    "evaluation.Assessment",
    "evaluation.Review",
):
    _strategy_rule(_model_label, "partnership_id")
