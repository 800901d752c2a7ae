"""The synced resources: the models whose deletions are recorded, by the name of their API
resource (as in the URL), and where each finds what the access policy needs to show its
deletion — the partnership it belongs to, whether it was public (a programme, a cluster, a
published partnership and its partners), whether every coordinator saw it (a mission of a
published partnership), and for a member the clusters it belonged to."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Synced:
    resource: str
    partnership: str | None = None  # a path to the partnership id ("pk" for a partnership)
    public: bool = False  # seen by anyone logged in
    published: str | None = None  # a path to a partnership status: public unless "draft"
    coordinators: str | None = None  # a path to a partnership status: every coordinator saw it
    member_clusters: bool = False  # a member: seen through the lists of its clusters


SYNCED: dict[str, Synced] = {
    "partnerships.Programme": Synced("programmes", public=True),
    "partnerships.Partnership": Synced("partnerships", partnership="pk", published="status"),
    "partnerships.ClusterOrganisation": Synced("clusters", public=True),
    "partnerships.Partner": Synced(
        "partners", partnership="partnership_id", published="partnership__status"
    ),
    "partnerships.Member": Synced("members", member_clusters=True),
    "strategy.Strategy": Synced("strategies", partnership="partnership_id"),
    "strategy.Objective": Synced("objectives", partnership="strategy__partnership_id"),
    "strategy.KPI": Synced("kpis", partnership="objective__strategy__partnership_id"),
    "strategy.Measurement": Synced(
        "measurements", partnership="kpi__objective__strategy__partnership_id"
    ),
    "strategy.Task": Synced("tasks", partnership="objective__strategy__partnership_id"),
    "strategy.TargetMarket": Synced("target-markets", partnership="partnership_id"),
    "strategy.MarketStudy": Synced("market-studies", partnership="target_market__partnership_id"),
    "strategy.ValueChain": Synced("value-chains", partnership="partnership_id"),
    "missions.Mission": Synced(
        "missions", partnership="partnership_id", coordinators="partnership__status"
    ),
    "missions.Participation": Synced("participations", partnership="mission__partnership_id"),
    "missions.Outcome": Synced("outcomes", partnership="partnership_id"),
    "missions.ExportGroup": Synced("export-groups", partnership="partnership_id"),
}


def resource_names() -> list[str]:
    return sorted(spec.resource for spec in SYNCED.values())
