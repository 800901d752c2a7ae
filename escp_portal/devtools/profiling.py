"""Where a request's time goes: an exclusive split of its wall-clock time into middleware, auth
and scope, SQL, template or serializer rendering, and the view's own code.

``scripts/bench.py`` (``make bench``) wraps the requests it times in ``RequestSplit`` so that each
page and endpoint prints its split next to its total. Every part is exclusive: the SQL run while
resolving the user counts as SQL, not as auth; what is left inside the view is "view".

How each part is seen, without touching the portal's code:

- the view and what the view triggers (template rendering of a ``TemplateResponse`` included)
  run inside the innermost middleware, which this module appends for the measurement; the time
  outside it is "middleware";
- "auth": ``django.contrib.auth.get_user`` (the session's user), DRF's ``Request._authenticate``
  (a token) and ``accounts.policy.scope_for`` (the roles behind the access policy);
- "sql": every statement on the default connection (``connection.execute_wrapper``), from
  sending it to having its rows;
- "render": a Django template's ``render`` (the outermost one of a nesting) and a DRF
  serializer's ``data`` and renderer's ``render``.
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from functools import wraps

PARTS = ("middleware", "auth", "sql", "render", "view")
INNERMOST = "escp_portal.devtools.profiling.InnermostMiddleware"
_active: RequestSplit | None = None


class RequestSplit:
    """Accumulates the exclusive time of each part over any number of requests."""

    def __init__(self):
        self.totals = dict.fromkeys(PARTS, 0.0)
        self.requests = 0
        self._stack: list[str] = []
        self._mark = 0.0

    # --- the stack of parts: time goes to the part on top -----------------------------------
    def _charge(self):
        now = time.perf_counter()
        if self._stack:
            self.totals[self._stack[-1]] += now - self._mark
        self._mark = now

    def enter(self, part: str):
        self._charge()
        self._stack.append(part)

    def leave(self):
        self._charge()
        self._stack.pop()

    @contextmanager
    def part(self, name: str):
        self.enter(name)
        try:
            yield
        finally:
            self.leave()

    def per_request_ms(self) -> dict[str, float]:
        n = max(self.requests, 1)
        return {part: seconds * 1000 / n for part, seconds in self.totals.items()}

    # --- measuring ---------------------------------------------------------------------------
    @contextmanager
    def measuring(self):
        """Everything run inside is split; ``request()`` marks one request."""
        global _active
        from django.db import connection

        previous, _active = _active, self
        with ExitStack() as stack:
            stack.enter_context(connection.execute_wrapper(_sql))
            for patch in _patches():
                stack.enter_context(patch)
            try:
                yield self
            finally:
                _active = previous

    @contextmanager
    def request(self):
        self.requests += 1
        self._stack.clear()
        self.enter("middleware")
        try:
            yield
        finally:
            self.leave()


def _sql(execute, sql, params, many, context):
    if _active is None:
        return execute(sql, params, many, context)
    with _active.part("sql"):
        return execute(sql, params, many, context)


def _timed(part: str, function, *, outermost: bool = False):
    @wraps(function)
    def wrapper(*args, **kwargs):
        split = _active
        if split is None or (outermost and part in split._stack):
            return function(*args, **kwargs)
        with split.part(part):
            return function(*args, **kwargs)

    return wrapper


@contextmanager
def _patch(owner, name: str, part: str, *, outermost: bool = False, is_property=False):
    original = owner.__dict__[name]
    if is_property:
        replacement = property(_timed(part, original.fget, outermost=outermost))
    else:
        replacement = _timed(part, original, outermost=outermost)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _patches():
    from django.contrib import auth
    from django.template.backends import django as django_backend
    from rest_framework import renderers, request, serializers

    from escp_portal.accounts import policy

    return [
        _patch(_Module(auth), "get_user", "auth"),
        _patch(request.Request, "_authenticate", "auth"),
        _patch(_Module(policy), "scope_for", "auth", outermost=True),
        _patch(django_backend.Template, "render", "render", outermost=True),
        _patch(serializers.BaseSerializer, "data", "render", outermost=True, is_property=True),
        _patch(serializers.ListSerializer, "data", "render", outermost=True, is_property=True),
        _patch(serializers.Serializer, "data", "render", outermost=True, is_property=True),
        _patch(renderers.JSONRenderer, "render", "render", outermost=True),
    ]


class _Module:
    """A module seen as an owner of attributes, for ``_patch``."""

    def __init__(self, module):
        object.__setattr__(self, "_module", module)

    @property
    def __dict__(self):
        return vars(self._module)

    def __setattr__(self, name, value):
        setattr(self._module, name, value)


class InnermostMiddleware:
    """Appended last to MIDDLEWARE while measuring: what runs inside it is the view's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _active is None:
            return self.get_response(request)
        with _active.part("view"):
            return self.get_response(request)


# --- make bench's use (scripts/bench.py) ------------------------------------------------------


def split_page(user, url: str, runs: int) -> dict[str, float]:
    """Where the page's time goes (escp_portal/devtools/profiling.py), averaged over ``runs``
    requests of a client of its own, whose middleware chain has the measuring end appended."""
    from django.conf import settings
    from django.test import Client, override_settings

    split = RequestSplit()
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, INNERMOST]):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)
        with split.measuring():
            for _ in range(runs):
                with split.request():
                    response = client.get(url)
                assert response.status_code == 200
    return split.per_request_ms()


# The list pages whose time the capacity budget bounds: at most the raw SQL + 20 ms.
BUDGET_CASES = ("member list page", "partnership list page")
BUDGET_MS = 20.0


def print_split(report: dict) -> None:
    """Where each page's time goes, per scale, and the list pages against their budget."""
    width = 46
    for scale in report["scales"]:
        cases = [c for c in report["results"][f"{scale:g}"]["cases"] if c.get("split_ms")]
        print()
        print(f"Where the time goes at {scale:g} % (ms per request, each part exclusive)")
        header = f"{'case':<{width}}" + "".join(f" {part:>10}" for part in PARTS) + f" {'sum':>8}"
        print(header)
        print("-" * len(header))
        for case in cases:
            split = case["split_ms"]
            line = f"{case['name'][:width]:<{width}}"
            line += "".join(f" {split[part]:>10.1f}" for part in PARTS)
            print(line + f" {sum(split.values()):>8.1f}")
        for case in cases:
            if case["name"].startswith(BUDGET_CASES):
                over = case["median_ms"] - case["raw_ms"]
                verdict = "within" if over <= BUDGET_MS else "OVER"
                print(
                    f"budget {case['name']}: {case['median_ms']:.1f} ms = raw SQL "
                    f"{case['raw_ms']:.1f} ms + {over:.1f} ms ({verdict} +{BUDGET_MS:g} ms)"
                )
