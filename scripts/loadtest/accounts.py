"""The database side: accounts and the plan of each virtual user.

``SETUP_CODE`` runs in a child process (``python -c``, in the project's directory, with the
server's settings): it gives every virtual user an account and its roles and prints the plan of
what each may see and write as one ``LOADPLAN {json}`` line."""

SETUP_CODE = r"""
import json
import os

import django

django.setup()

from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.models import Role, RoleAssignment, User
from partnerships.models import ClusterMembership, Partner, Partnership, Programme
from strategy.models import KPI, PeriodLock, TargetMarket
from strategy.selectors import live_strategy_id

spec = json.loads(os.environ["LOAD_SPEC"])
today = timezone.localdate()
demo = spec["demo_emails"]
coordinator = User.objects.filter(email=demo["coordinator"]).first()
if coordinator is None:
    raise SystemExit("No demo users in this database: run load_demo first.")
strategy_partnerships = sorted(
    pk
    for pk in RoleAssignment.objects.filter(
        user=coordinator, role=Role.COORDINATOR
    ).values_list("partnership_id", flat=True)
    if live_strategy_id(pk)
)
if not strategy_partnerships:
    raise SystemExit("The demo coordinator has no partnership with a strategy: run load_demo.")
live = {pk: live_strategy_id(pk) for pk in strategy_partnerships}
locks = dict(
    PeriodLock.objects.values("partnership_id")
    .annotate(last=Max("period_end"))
    .values_list("partnership_id", "last")
)
kpis = list(
    KPI.objects.filter(objective__strategy_id__in=live.values())
    .select_related("objective__strategy", "responsible")
    .order_by("pk")
)
kpis_by_partnership = {pk: [] for pk in strategy_partnerships}
reportable = []
for kpi in kpis:
    pid = kpi.objective.strategy.partnership_id
    kpis_by_partnership[pid].append(kpi.pk)
    if kpi.source != "manual" or kpi.responsible is None:
        continue
    lock = locks.get(pid)
    periods = [p for p in kpi.periods(until=today) if lock is None or p > lock]
    if periods:
        reportable.append(
            {
                "kpi": kpi.pk,
                "partnership": pid,
                "partner": kpi.responsible_id,
                "cluster": kpi.responsible.cluster_id,
                "periods": [p.isoformat() for p in periods],
            }
        )
current = Partner.objects.filter(left_on__isnull=True)
clusters_of = {
    pid: sorted(set(current.filter(partnership_id=pid).values_list("cluster_id", flat=True)))
    for pid in strategy_partnerships
}
with_members = set(ClusterMembership.objects.values_list("cluster_id", flat=True))
responsible = [r["cluster"] for r in reportable]
others = sorted({c for cs in clusters_of.values() for c in cs} - set(responsible))
manager_clusters = [
    c for c in dict.fromkeys(responsible + others) if c in with_members
]
if not manager_clusters:
    raise SystemExit("No partner cluster with members: run load_demo.")

password = make_password(spec["password"])
wanted = []
counts = {"coordinator": 0, "cluster_manager": 0}
for index in range(spec["users"]):
    role = spec["roles"][index % len(spec["roles"])]
    if index < len(spec["roles"]) and demo.get(role) and index == spec["roles"].index(role):
        wanted.append((demo[role], role, None))
        continue
    scope = None
    if role == "coordinator":
        scope = strategy_partnerships[counts[role] % len(strategy_partnerships)]
        counts[role] += 1
    elif role == "cluster_manager":
        scope = manager_clusters[counts[role] % len(manager_clusters)]
        counts[role] += 1
    short = {"coordinator": "coord", "cluster_manager": "manager", "ec_officer": "officer"}[role]
    wanted.append((f"load-{short}-{index:03d}@{spec['domain']}", role, scope))

with transaction.atomic():
    users = {}
    for email, role, scope in wanted:
        # The demo users keep their own roles (load_demo gave them); only the password is set.
        is_demo = email in demo.values()
        defaults = {"password": password, "is_active": True}
        if not is_demo:
            defaults["full_name"] = f"Load {role.replace('_', ' ')} {email.split('@')[0]}"
        user, _created = User.objects.update_or_create(email=email, defaults=defaults)
        users[email] = user
        if is_demo:
            continue
        fields = {"role": role, "partnership_id": None, "cluster_id": None}
        if role == "coordinator":
            fields["partnership_id"] = scope
        elif role == "cluster_manager":
            fields["cluster_id"] = scope
        user.role_assignments.exclude(**fields).delete()
        RoleAssignment.objects.get_or_create(user=user, **fields)
    AuthToken.objects.filter(user__in=users.values()).delete()
    AccessAttempt.objects.filter(username__in=list(users)).delete()

accounts = []
for email, role, _scope in wanted:
    user = users[email]
    assignments = list(user.role_assignments.all())
    if role == "coordinator":
        mine = sorted(a.partnership_id for a in assignments if a.role == role)
        partnerships = [p for p in mine if p in live] or mine
        clusters = sorted(
            {c for p in partnerships for c in clusters_of.get(p, []) if c in with_members}
        )
        reports = [r for r in reportable if r["partnership"] in partnerships]
        members = []
    elif role == "cluster_manager":
        clusters = sorted(a.cluster_id for a in assignments if a.role == role)
        partnerships = sorted(
            set(
                current.filter(cluster_id__in=clusters)
                .exclude(partnership__status="draft")
                .values_list("partnership_id", flat=True)
            )
        )
        reports = [r for r in reportable if r["cluster"] in clusters]
        members = list(
            ClusterMembership.objects.filter(
                cluster_id__in=clusters, member__erased_at__isnull=True
            )
            .order_by("member_id")
            .values_list("member_id", flat=True)[:40]
        )
    else:
        partnerships = list(strategy_partnerships)
        clusters, reports, members = [], [], []
    accounts.append(
        {
            "email": email,
            "role": role,
            "partnerships": partnerships,
            "strategy_partnerships": [p for p in partnerships if p in live],
            "clusters": clusters,
            "reports": reports,
            "members": members,
        }
    )

visible = Partnership.objects.exclude(status="draft")
plan = {
    "accounts": accounts,
    "partnerships": sorted(visible.values_list("pk", flat=True)),
    "strategy_partnerships": strategy_partnerships,
    "kpis_by_partnership": kpis_by_partnership,
    "programmes": sorted(Programme.objects.values_list("code", flat=True)),
    "generations": sorted(set(visible.values_list("generation", flat=True))),
    "phases": sorted(set(visible.values_list("phase", flat=True))),
    "statuses": sorted(set(visible.values_list("status", flat=True))),
    "partner_countries": sorted(
        {str(c) for c in current.values_list("cluster__country", flat=True).distinct()}
    ),
    "target_countries": sorted(
        {str(c) for c in TargetMarket.objects.values_list("country", flat=True).distinct()}
    ),
}
print("LOADPLAN " + json.dumps(plan))
"""
