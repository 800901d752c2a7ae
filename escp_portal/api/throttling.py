"""DRF's throttles, counting anonymous callers by the client address of
``escp_portal.proxies.client_ip`` (DRF's own read ``X-Forwarded-For`` as the client sends it, so
a rotated header escaped every limit). Signed-in callers count by user, as in DRF."""

from rest_framework import throttling

from escp_portal.proxies import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
