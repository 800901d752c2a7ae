"""Access rules of the evaluation: a partnership's scoreboard is for its insiders and EC
officers."""

from escp_portal.accounts.policy import partnership_rule

for _model_label in (
    "evaluation.KPIStatus",
    "evaluation.ScoreboardSnapshot",
    "evaluation.Assessment",
    "evaluation.Review",
):
    partnership_rule(_model_label, "partnership_id")
