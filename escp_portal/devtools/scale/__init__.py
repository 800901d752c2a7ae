"""Synthetic data at programme scale, for benchmarks.

On top of the real partnerships (``load_demo``), ``generate(scale)`` adds made-up partnerships,
cluster organisations, members, strategies with KPIs and reported values, missions,
registrations and outcomes until the database holds ``scale`` per cent of ``TOP``: the size of
the portal if every cluster programme of the Commission ran in it. Rows go in with
PostgreSQL's COPY, in id order, from a seeded random generator: the same scale gives the same
data. Every made-up name says "Synthetic"; nothing is written to the audit trail (no user made
these changes).

The package, by role: ``plan`` (the top scale, targets and counts), ``pgcopy`` (the COPY writer),
one module of steps per domain (``partnerships``, ``members``, ``strategy``, ``missions``) and
``generator``, which runs them in order.
"""

from .generator import Generator, Report, generate
from .pgcopy import copy_rows
from .plan import TOP, counts, targets

__all__ = ["TOP", "Generator", "Report", "copy_rows", "counts", "generate", "targets"]
