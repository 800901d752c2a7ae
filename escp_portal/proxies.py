"""The client's address, and which forwarded headers to believe.

A request's ``X-Forwarded-For``, ``-Proto``, ``-Host`` and ``-Port`` headers are only as good as
whoever set them. The portal believes them only when the request comes straight from a proxy
listed in ``settings.TRUSTED_PROXIES`` (addresses or networks, from ``DJANGO_TRUSTED_PROXIES``;
none by default). From any other peer the headers are removed before anything reads them, so a
client cannot pick its own address (to escape a throttle or the login lock) nor claim HTTPS.

``client_ip(request)`` is the one answer to "who is this client" — the API throttles, the login
lock (django-axes) and the audit trail all ask it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from exc
    return tuple(networks)


def trusted_networks() -> tuple:
    """The networks of ``settings.TRUSTED_PROXIES`` (checked: a wrong entry stops start-up)."""
    return _networks(tuple(str(e) for e in getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _address(text: str | None):
    """An IP address from a header value or ``REMOTE_ADDR`` (a port, if given, is dropped)."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):  # "[2001:db8::1]:443"
        text = text[1:].split("]")[0]
    elif text.count(":") == 1:  # "203.0.113.7:443"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    address = _address(address) if isinstance(address, str) or address is None else address
    if address is None:
        return False
    return any(address in network for network in trusted_networks())


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy; then the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy (the left-most one if
    all are). Hops a proxy could not have written (not an address) end the walk there."""
    meta = request.META
    peer = _address(meta.get("REMOTE_ADDR"))
    if peer is None:
        return meta.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(peer):
        return str(peer)
    client = peer
    hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client)


class ForwardedHeadersMiddleware:
    """First in the chain: drops the forwarded headers of a request that does not come from a
    trusted proxy, so that neither ``SECURE_PROXY_SSL_HEADER`` nor anything else believes them."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_networks()  # a wrong DJANGO_TRUSTED_PROXIES fails at start-up, not per request

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class ClientAuditlogMiddleware(AuditlogMiddleware):
    """auditlog's middleware, recording the client address of ``client_ip`` (auditlog's own
    takes the left-most ``X-Forwarded-For`` entry, which the client writes)."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            return None
        return AuditlogMiddleware._get_remote_port(request)
