"""Access rules of missions, participations, outcomes and export groups.

A partnership's missions are seen by its insiders and, as a common database of missions, by the
coordinators of every partnership (so that two partnerships going to the same market can go
together). Who takes part, and what came of it, stays with the insiders.
"""

from django.db import models

from escp_portal.accounts.policy import insider_q, nobody, partnership_rule, rule, staff_only


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
    partnership_rule(_model_label, _partnership_path)
rule(
    "missions.ReminderLog",
    visible=staff_only,
    edit=nobody,
)
