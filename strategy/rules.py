"""Access rules of the joint strategy: a partnership's own working data.

Its insiders read (coordinators, the managers of its current partner clusters, EC officers,
staff), coordinators edit; partners report the values of the KPIs they are responsible for.
"""

from escp_portal.accounts.policy import partnership_id_of, partnership_rule, registered, rule

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
    partnership_rule(_model_label, _partnership_path)


# A measurement is corrected by whoever may report it: the partnership's coordinators or the
# manager of the responsible partner's cluster (the reporting service checks the rest).
_measurement_visible, _, _measurement_create = registered("strategy.Measurement")
rule(
    "strategy.Measurement",
    visible=_measurement_visible,
    edit=lambda scope, m: (
        partnership_id_of(m) in scope.coordinated_partnerships
        or m.partner.cluster_id in scope.managed_clusters
    ),
    create=_measurement_create,
)
