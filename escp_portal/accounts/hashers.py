"""The password hash: Argon2id with parameters chosen so that a burst of logins does not starve
the web workers, and a bound on how many hashes one web process computes at once.

Django's default (PBKDF2-SHA256, 1,000,000 iterations) costs about 400 ms of one core per login
on the portal's 2-core reference machine: 200 people logging in within ten seconds, as they do
around a reporting deadline, are 80 s of CPU, and every page waits behind them. Argon2id with
OWASP's first recommended setting (19 MiB of memory, 2 passes, 1 lane) costs about 20 ms of one
core and is memory-hard, so a stolen hash is far dearer to attack on GPUs than PBKDF2's; the
parameters are settings (``PASSWORD_ARGON2_*``) for an operator who wants them higher.

Stored hashes keep working: each carries its own parameters, and a login with an older hash
(PBKDF2 or other Argon2 parameters) re-hashes the password with these (Django's ``must_update``).

``PASSWORD_HASH_CONCURRENCY`` bounds the hashes one process computes at once (its threads wait
their turn): a login burst then takes at most that many cores per web process, and the other
requests keep theirs.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def hash_slots() -> threading.BoundedSemaphore:
    global _slots
    if _slots is None:
        with _slots_lock:
            if _slots is None:
                _slots = threading.BoundedSemaphore(
                    max(1, getattr(settings, "PASSWORD_HASH_CONCURRENCY", 1))
                )
    return _slots


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id (the algorithm name stays ``argon2``: hashes of Django's own Argon2 hasher are
    read, and upgraded to these parameters at the next login)."""

    @property
    def time_cost(self):
        return settings.PASSWORD_ARGON2_TIME_COST

    @property
    def memory_cost(self):
        return settings.PASSWORD_ARGON2_MEMORY_KIB

    @property
    def parallelism(self):
        return settings.PASSWORD_ARGON2_PARALLELISM

    def encode(self, password, salt):
        with hash_slots():
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with hash_slots():
            return super().verify(password, encoded)
