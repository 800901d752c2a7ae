"""Demo data of finding partners (filled in with the demo users: see ``load_with_people``)."""


def load(*, stdout=None, **options) -> None:
    """Nothing before the demo users exist: the findable profiles record who consented."""
