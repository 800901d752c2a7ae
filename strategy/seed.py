"""The programme's core indicators as first seeded. The schema migration writes them once; after
that staff keep them in the admin, and ``ensure_core_indicators`` (run after every ``migrate``
and ``flush``, as Django does for permissions) only puts back an indicator that is missing, so a
flushed or restored database still has the set the roll-up and the demo rely on."""

SEED = [
    (
        "smes_involved",
        "SMEs involved",
        "SMEs",
        "stock",
        "Distinct SMEs that took part in at least one of the partnership's activities.",
    ),
    (
        "clusters_involved",
        "Cluster organisations involved",
        "cluster organisations",
        "stock",
        "Cluster organisations (partners and others) that took part in the partnership's work.",
    ),
    (
        "c2c_events",
        "Cluster-to-cluster events",
        "events",
        "flow",
        "Meetings between the partnership's clusters and clusters of other countries.",
    ),
    (
        "b2b_meetings",
        "B2B meetings",
        "meetings",
        "flow",
        "Pre-arranged meetings between companies, held at missions, fairs or online.",
    ),
    (
        "missions",
        "Missions",
        "missions",
        "flow",
        "Missions to or from a third country that took place.",
    ),
    (
        "agreements",
        "Agreements and MoUs",
        "agreements",
        "flow",
        "Memoranda of understanding and other formal agreements signed with foreign partners.",
    ),
    (
        "contracts",
        "Business contracts",
        "contracts",
        "flow",
        "Contracts signed by SMEs with partners met through the partnership.",
    ),
    (
        "joint_projects",
        "Joint projects",
        "projects",
        "flow",
        "Collaboration projects (R&D, innovation, trade) started with partners abroad.",
    ),
    (
        "investment",
        "Investment mobilised",
        "EUR",
        "flow",
        "Money invested in or by the SMEs through the partnership's actions, in euro.",
    ),
]


def ensure_core_indicators(model, using: str = "default") -> int:
    """Create the seeded indicators missing from ``model``'s table (never touching one that
    exists: its name and definition may have been edited). Returns how many were created."""
    present = set(model.objects.using(using).values_list("code", flat=True))
    missing = [
        model(
            code=code,
            name=name,
            unit=unit,
            aggregation=aggregation,
            definition=definition,
            order=order,
        )
        for order, (code, name, unit, aggregation, definition) in enumerate(SEED, start=1)
        if code not in present
    ]
    model.objects.using(using).bulk_create(missing)
    return len(missing)


def on_post_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """``post_migrate`` receiver, given the app registry of the state just migrated to."""
    try:
        model = (apps or sender.apps).get_model("strategy", "CoreIndicator")
    except LookupError:  # migrated back to a state before the indicators existed
        return
    ensure_core_indicators(model, using)
