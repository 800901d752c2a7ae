"""Forwarded headers count only from a configured trusted proxy.

A client that writes its own ``X-Forwarded-For`` (a new address each time) must still be
throttled and locked out; one that writes ``X-Forwarded-Proto: https`` must not pass for HTTPS.
Behind a trusted proxy, the address the proxy forwards is the client's.
"""

import itertools

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken
from rest_framework import throttling

from escp_portal.proxies import ForwardedHeadersMiddleware, client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.5"
TRUSTED = override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
TOKEN_URL = "/api/v1/auth/token/"
_counter = itertools.count(1)


def spoofed():
    """A new made-up client address per request."""
    n = next(_counter)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def api_views():
    """Every API route of the URL conf with its DRF view class."""
    seen = {}
    for route, callback in walk(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if route.startswith("api/") and cls is not None:
            seen.setdefault(cls, route)
    return seen


def plain_api_urls():
    """The API's routes that take no argument, as URLs."""
    urls = set()
    for route, callback in walk(get_resolver().url_patterns):
        if not route.startswith("api/") or getattr(callback, "cls", None) is None:
            continue
        path = route.replace("^", "").replace("$", "")
        if any(c in path for c in "<>()[]?*+\\"):
            continue
        urls.add("/" + path)
    return sorted(urls)


def test_the_sweep_finds_the_api():
    views = api_views()
    assert len(views) >= 20
    assert "/api/v1/auth/token/" in plain_api_urls()
    assert "/api/v1/schema/" in plain_api_urls()


@pytest.mark.parametrize("view", list(api_views()), ids=lambda v: v.__name__)
def test_every_api_throttle_counts_the_peer_not_the_forwarded_header(view):
    throttles = view().get_throttles()
    assert throttles, f"{view.__name__} has no throttle"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.2"
    )
    for throttle in throttles:
        assert throttle.get_ident(request) == "203.0.113.9", type(throttle)
    with TRUSTED:
        request.META["REMOTE_ADDR"] = PROXY
        for throttle in throttles:
            assert throttle.get_ident(request) == "198.51.100.2", type(throttle)


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"anon": "3/minute", "user": "3/minute", "token_issue": "3/minute"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)


def anonymous_urls(client):
    """The argument-free API URLs an anonymous caller reaches (and so is throttled by
    address): the rest answer 401 before any throttle counts."""
    reached = [u for u in plain_api_urls() if client.get(u).status_code not in (401, 403, 405)]
    return reached


@pytest.mark.django_db
def test_anonymous_endpoints_throttle_a_client_rotating_x_forwarded_for(world, low_rates):
    from django.core.cache import cache

    urls = anonymous_urls(Client())
    assert "/api/v1/schema/" in urls
    cache.clear()
    for url in urls:
        client = Client()
        codes = [client.get(url, HTTP_X_FORWARDED_FOR=spoofed()).status_code for _ in range(5)]
        assert 429 in codes, (url, codes)
        cache.clear()
    client = Client()
    codes = [
        client.post(
            TOKEN_URL,
            {"email": "coord-a@example.org", "password": "wrong"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=spoofed(),
        ).status_code
        for _ in range(5)
    ]
    assert codes[-1] == 429, codes


@pytest.mark.django_db
@TRUSTED
def test_behind_a_trusted_proxy_each_forwarded_client_counts_apart(world, low_rates):
    url = "/api/v1/schema/"
    proxy = Client(REMOTE_ADDR=PROXY)
    # Different clients through the proxy: none is throttled for the others.
    assert all(
        proxy.get(url, HTTP_X_FORWARDED_FOR=f"{spoofed()}, {PROXY}").status_code == 200
        for _ in range(5)
    )
    # One client through the proxy, even with a made-up address in front: throttled.
    codes = [
        proxy.get(url, HTTP_X_FORWARDED_FOR=f"{spoofed()}, 192.0.2.77").status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200] * 3 and codes[-1] == 429


def login_attempt(client, password="wrong", **extra):
    return client.post(
        TOKEN_URL,
        {"email": "coord-a@example.org", "password": password},
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_the_api_login_lock_holds_against_a_rotated_x_forwarded_for(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_attempt(client, HTTP_X_FORWARDED_FOR=spoofed())
    response = login_attempt(client, password=PASSWORD, HTTP_X_FORWARDED_FOR=spoofed())
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


@pytest.mark.django_db
def test_the_page_login_lock_holds_against_a_rotated_x_forwarded_for(world, settings):
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": "coord-a@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=spoofed(),
        )
    response = client.post(
        url,
        {"username": "coord-a@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=spoofed(),
    )
    assert response.status_code == 429


@pytest.mark.django_db
@TRUSTED
def test_behind_a_trusted_proxy_the_lock_is_per_forwarded_client(world, settings):
    proxy = Client(REMOTE_ADDR=PROXY)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_attempt(proxy, HTTP_X_FORWARDED_FOR="192.0.2.10")
    locked = login_attempt(proxy, password=PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert locked.status_code == 429
    # Another client behind the same proxy logs in.
    other = login_attempt(proxy, password=PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.11")
    assert other.status_code == 201


@pytest.mark.django_db
def test_the_audit_trail_records_the_peer_not_a_forwarded_address(world):
    login_attempt(Client(), password=PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6")
    with TRUSTED:
        login_attempt(
            Client(REMOTE_ADDR=PROXY),
            password=PASSWORD,
            HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44",
        )
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AuthToken)
    ).order_by("pk")
    assert [e.remote_addr for e in entries] == ["127.0.0.1", "192.0.2.44"]


PRODUCTION_LIKE = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
}


@pytest.mark.django_db
def test_x_forwarded_proto_from_an_untrusted_peer_is_not_https():
    with override_settings(**PRODUCTION_LIKE, TRUSTED_PROXIES=[]):
        response = Client().get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")
    with override_settings(**PRODUCTION_LIKE, TRUSTED_PROXIES=[PROXY]):
        response = Client(REMOTE_ADDR=PROXY).get(
            reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https"
        )
        assert response.status_code == 200


def secure_seen(remote_addr, **headers):
    seen = {}

    def view(request):
        seen["secure"] = request.is_secure()
        seen["host"] = request.get_host()
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    ForwardedHeadersMiddleware(view)(request)
    return seen


@override_settings(**PRODUCTION_LIKE, USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=["*"])
def test_the_middleware_drops_forwarded_headers_of_untrusted_peers():
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "evil.example"}
    with override_settings(TRUSTED_PROXIES=[]):
        assert secure_seen("203.0.113.9", **headers) == {"secure": False, "host": "testserver"}
    with override_settings(TRUSTED_PROXIES=[PROXY]):
        assert secure_seen("203.0.113.9", **headers) == {"secure": False, "host": "testserver"}
        assert secure_seen(PROXY, **headers) == {"secure": True, "host": "evil.example"}


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # untrusted peer: header ignored
        (PROXY, "", PROXY),  # the proxy itself
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "198.51.100.1, 198.51.100.2", "198.51.100.2"),  # right-most untrusted
        (PROXY, "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # trusted hops skipped
        (PROXY, "10.0.0.8, 10.0.0.7", "10.0.0.8"),  # all trusted: the left-most
        (PROXY, "198.51.100.1, not-an-ip", PROXY),  # garbage ends the walk
        (PROXY, "198.51.100.1:4711", "198.51.100.1"),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8:ffff::2", "2001:db8::9", "2001:db8::9"),
    ],
)
def test_client_ip(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "2001:db8:ffff::/48"]):
        assert client_ip(request) == expected


def test_a_wrong_trusted_proxy_setting_stops_start_up():
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/33"]), pytest.raises(ImproperlyConfigured):
        ForwardedHeadersMiddleware(lambda r: HttpResponse())
