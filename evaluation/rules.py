"""Access rules of the evaluation: a partnership's scoreboard is for its insiders and EC
officers; its coordinators sign it off, record assessments and answer reviews; EC officers open
reviews and read the programme statistics.

The views, the API, the services and the exports ask these functions; none of them reads a
``Scope``'s flags.
"""

from escp_portal.accounts.policy import (
    coordinates,
    coordinates_strictly,
    partnership_rule,
    reads_everything,
    scope_for,
)

for _model_label in (
    "evaluation.KPIStatus",
    "evaluation.ScoreboardSnapshot",
    "evaluation.Assessment",
    "evaluation.Review",
    "evaluation.PartnershipFigures",
):
    partnership_rule(_model_label, "partnership_id")


def can_recompute(user, partnership_id: int) -> bool:
    """ "Recompute now": the partnership's coordinators, and staff in their place."""
    return coordinates(user, partnership_id)


def can_sign_off(user, partnership_id: int) -> bool:
    """A sign-off needs a person of the partnership: its coordinators by role, not staff."""
    return coordinates_strictly(user, partnership_id)


def can_record_assessment(user, partnership_id: int) -> bool:
    """The partnership's own coordinators record its assessments (not staff in their place)."""
    return coordinates_strictly(user, partnership_id)


def can_answer_review(user, partnership_id: int) -> bool:
    """An officer's review is answered by the partnership's own coordinators (not staff)."""
    return coordinates_strictly(user, partnership_id)


def can_open_review(user) -> bool:
    """EC officers flag a KPI or an objective (staff do not: a review is an officer's word)."""
    return scope_for(user).is_officer


def sees_programme_statistics(user) -> bool:
    """Programme-wide figures, and other partnerships' KPIs named row by row: EC officers and
    staff."""
    return reads_everything(user)
