"""The events an integration may subscribe to: for each, the model of its object and the fields
of the small body sent with it. Models are named by label: this shared app imports no domain app;
the domain services call ``emit`` (``services``) after their write."""

from django.utils.translation import gettext_lazy as _

PING = "ping"


class Event:
    def __init__(self, label: str, model: str, fields: tuple[str, ...], help_text):
        self.label, self.model, self.fields, self.help_text = label, model, fields, help_text


MEASUREMENT_FIELDS = ("kpi_id", "partner_id", "period_end", "value", "status")
MISSION_FIELDS = ("title", "kind", "country", "city", "start_date", "end_date", "status")

EVENTS = {
    "measurement.submitted": Event(
        "measurement", "strategy.Measurement", MEASUREMENT_FIELDS, _("A KPI value was reported.")
    ),
    "measurement.approved": Event(
        "measurement", "strategy.Measurement", MEASUREMENT_FIELDS, _("A KPI value was approved.")
    ),
    "mission.created": Event(
        "mission", "missions.Mission", MISSION_FIELDS, _("A mission was planned.")
    ),
    "mission.changed": Event(
        "mission", "missions.Mission", MISSION_FIELDS, _("A mission was changed.")
    ),
    "mission.cancelled": Event(
        "mission", "missions.Mission", MISSION_FIELDS, _("A mission was cancelled.")
    ),
    "registration.changed": Event(
        "participation",
        "missions.Participation",
        ("mission_id", "member_id", "cluster_id", "status"),
        _("A registration for a mission was made, confirmed, cancelled or moved up."),
    ),
    "outcome.recorded": Event(
        "outcome",
        "missions.Outcome",
        ("mission_id", "kind", "counterpart", "counterpart_country", "value", "date"),
        _("An outcome was recorded or changed."),
    ),
    "member.changed": Event(
        "member",
        "partnerships.Member",
        ("name", "kind", "country", "is_sme", "erased_at"),
        _("A cluster member was added, changed or erased."),
    ),
    "scoreboard.recomputed": Event(
        "scoreboard",
        "evaluation.ScoreboardSnapshot",
        ("date",),
        _("A partnership's scoreboard was recomputed."),
    ),
}
NAMES = list(EVENTS)


def choices():
    return [(name, name) for name in NAMES]
