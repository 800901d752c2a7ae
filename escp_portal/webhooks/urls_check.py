"""Where a webhook may be sent: an https URL on the public internet. Private, loopback,
link-local and reserved addresses are refused (a webhook must not reach the portal's own
network: SSRF); ``localhost`` over http is allowed only where ``WEBHOOK_ALLOW_LOCAL`` is set
(development and tests)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _refuse(message):
    raise ValidationError({"url": message})


def check_url(url: str) -> None:
    """Refuse (``ValidationError`` on ``url``) a target the portal must not post to. Called
    when a subscription is saved and again before each attempt (the name may resolve to
    another address by then)."""
    try:
        parts = urlsplit(str(url or ""))
        host = parts.hostname
        port = parts.port
    except ValueError:
        _refuse(_("Enter a valid URL."))
    if parts.scheme not in ("https", "http") or not host:
        _refuse(_("Enter an https URL."))
    if parts.username or parts.password:
        _refuse(_("A webhook URL carries no user name or password: the signature proves it."))
    if host in LOCAL_HOSTS:
        if not getattr(settings, "WEBHOOK_ALLOW_LOCAL", False):
            _refuse(_("This address is on the portal's own machine: choose a public one."))
        return
    if parts.scheme != "https":
        _refuse(_("Enter an https URL: webhooks are sent over TLS only."))
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        _refuse(_("This host name could not be resolved."))
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            _refuse(
                _(
                    "This URL points to a private or reserved address (%(address)s): choose a "
                    "public one."
                )
                % {"address": address}
            )
