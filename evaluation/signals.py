"""What changes a scoreboard asks for its recompute, after the transaction commits."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver


def _partnership_of(instance):
    label = instance._meta.label
    if label == "strategy.Measurement":
        return instance.kpi.objective.strategy.partnership_id
    if label in ("strategy.KPI",):
        return instance.objective.strategy.partnership_id
    if label == "strategy.Milestone":
        return instance.kpi.objective.strategy.partnership_id
    if label == "strategy.Strategy":
        return instance.partnership_id
    if label in ("missions.Participation", "missions.Meeting"):
        return instance.mission.partnership_id
    if label in ("missions.Outcome", "missions.Mission", "opportunities.InvestmentProject"):
        return instance.partnership_id
    if label == "strategy.Task":
        return instance.objective.strategy.partnership_id
    return None


WATCHED = {
    "strategy.Measurement",
    "strategy.KPI",
    "strategy.Milestone",
    "strategy.Strategy",
    "strategy.Task",
    "missions.Participation",
    "missions.Outcome",
    "missions.Mission",
    # B2B meetings held count towards a KPI source (``b2b_meetings_held``).
    "missions.Meeting",
    # Joint investment projects' mobilised investment is a KPI source (``investment_mobilised``).
    "opportunities.InvestmentProject",
}


@receiver(post_save)
@receiver(post_delete)
def _changed(sender, instance, **kwargs):
    if sender._meta.label not in WATCHED or kwargs.get("raw"):
        return
    from .services import request_recompute

    try:
        request_recompute(_partnership_of(instance))
    except Exception:  # an orphan being deleted: nothing to recompute
        return


@receiver(m2m_changed)
def _members_changed(sender, instance, **kwargs):
    if getattr(instance, "_meta", None) and instance._meta.label == "missions.Outcome":
        from .services import request_recompute

        request_recompute(instance.partnership_id)
