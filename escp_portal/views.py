import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from escp_portal import choices as searchable
from escp_portal import dashboard
from escp_portal.accounts import services as account_services
from escp_portal.accounts.policy import (
    clusters_managed_by,
    partnerships_coordinated_by,
    sees_programme_overview,
)
from escp_portal.api.exceptions import api_not_found, api_server_error, error_body
from funding import selectors as funding_selectors
from funding.rules import call_partnerships
from partnerships.filters import PartnershipFilterSet
from partnerships.models import ClusterOrganisation, Partner, Partnership, Programme
from partnerships.selectors import quiet_q, running_q


class HomeView(TemplateView):
    """Answers each visitor's first question: the directory for the public, then what each role
    looks after."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = Partnership.objects.visible_to(user)
        with_partners = visible.select_related("programme").prefetch_related(
            Prefetch("partners", queryset=Partner.objects.select_related("cluster"))
        )
        context["filter"] = PartnershipFilterSet(queryset=visible)
        context["totals"] = {
            "partnerships": visible.count(),
            **Partner.objects.filter(partnership__in=visible).aggregate(
                clusters=Count("cluster", distinct=True),
                countries=Count("cluster__country", distinct=True),
            ),
        }
        today = timezone.localdate()
        coordinated = partnerships_coordinated_by(user)
        if coordinated:
            context["my_partnerships"] = with_partners.filter(pk__in=coordinated)
            context["coordinator_dashboard"] = dashboard.coordinator(coordinated, today)
            calls = funding_selectors.calls_for_partnerships(call_partnerships(user), today)
            context["funding_calls"] = calls[: dashboard.LIMIT]
            context["funding_calls_more"] = max(len(calls) - dashboard.LIMIT, 0)
        managed = clusters_managed_by(user)
        if managed:
            context["manager_dashboard"] = dashboard.cluster_manager(user, today)
            context["my_clusters"] = ClusterOrganisation.objects.filter(
                pk__in=managed
            ).prefetch_related(
                Prefetch(
                    "partnerships_joined",
                    queryset=Partner.objects.filter(partnership__in=visible)
                    .select_related("partnership")
                    .order_by("partnership__acronym", "partnership__generation"),
                )
            )
        if sees_programme_overview(user):
            context["officer_dashboard"] = dashboard.officer(today)
            context["programme_overview"] = (
                Partnership.objects.values("programme__code", "generation")
                .annotate(
                    partnership_count=Count("pk", distinct=True),
                    cluster_count=Count("partners__cluster", distinct=True),
                    country_count=Count("partners__cluster__country", distinct=True),
                    active_count=Count("pk", filter=running_q(today), distinct=True),
                    quiet_count=Count("pk", filter=quiet_q(today), distinct=True),
                )
                .order_by("programme__code", "generation")
            )
            context["programmes"] = Programme.objects.all()
        return context


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure is the answer here, not an error of this view
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "in-process"}
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return {"ok": True, "mode": "redis"}
    except redis.RedisError as exc:
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}


def _check_media() -> dict:
    """The store of uploaded files (``DJANGO_MEDIA_STORAGE``): a folder must be writable (or
    creatable: the first upload makes it); a bucket must answer ``HeadBucket`` (a refused
    connection, bad credentials or a missing bucket are a failure, reported by its class)."""
    from django.core.files.storage import default_storage

    if not hasattr(default_storage, "bucket_name"):
        folder = Path(settings.MEDIA_ROOT)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if folder.is_dir() and os.access(folder, os.W_OK):
            return {"ok": True, "mode": "filesystem"}
        return {"ok": False, "mode": "filesystem", "error": "not writable"}
    try:
        default_storage.bucket.meta.client.head_bucket(Bucket=default_storage.bucket_name)
        return {"ok": True, "mode": "s3"}
    except Exception as exc:  # any failure is the answer here, not an error of this view
        return {"ok": False, "mode": "s3", "error": exc.__class__.__name__}


def _check_outbox() -> dict:
    """Jobs written while the broker was away: some may wait a relay interval; more is a
    problem worth a look."""
    from escp_portal.jobs.outbox import waiting

    state = waiting()
    limit = max(120, 4 * settings.OUTBOX_RELAY_SECONDS)
    return {"ok": state["oldest_seconds"] <= limit, **state}


def _check_worker(broker_ok: bool) -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "in-process"}
    if not broker_ok:
        return {"ok": False, "workers": 0, "error": "broker unreachable"}
    from escp_portal.celery import app

    try:
        # One answer is enough to know work gets done; without a limit it waits the full second.
        replies = app.control.ping(timeout=1.0, limit=1) or []
    except Exception as exc:  # a broken broker connection is reported, not raised
        return {"ok": False, "workers": 0, "error": exc.__class__.__name__}
    return {"ok": bool(replies), "workers": len(replies)}


@never_cache
def health(request):
    """Database, broker, worker and the store of uploaded files, as JSON. 503 only when the
    database is down: without a broker or worker the pages still answer, and queued work waits;
    without the store only uploads and downloads of evidence fail."""
    database = _check_database()
    broker = _check_broker()
    worker = _check_worker(broker["ok"])
    checks = {"database": database, "broker": broker, "worker": worker, "media": _check_media()}
    if database["ok"]:
        checks["outbox"] = _check_outbox()
    if not database["ok"]:
        state, code = "down", 503
    elif all(check["ok"] for check in checks.values()):
        state, code = "ok", 200
    else:
        state, code = "degraded", 200
    return JsonResponse({"status": state, **checks}, status=code)


def favicon(request):
    """Browsers (on a page without a head, such as a JSON answer) and feed readers ask for
    /favicon.ico whatever a page declares: the portal's icon, under its static name."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the signed-in user's account
    so that their emails come in the same language."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        # The service keeps only a language the portal offers.
        account_services.language_update(actor=request.user, language=request.POST.get("language"))
    return response


MAX_QUERY = 100  # characters of a search: a name or a code is far shorter


@require_GET
def choices(request, kind: str):
    """Suggestions for a searchable field: ``[{"value", "label"}]``, at most ``choices.LIMIT``.
    ``?q=`` is what was typed, ``?lang=`` the language of the labels (the page's). Countries and
    NACE codes are the same for everyone and cached by URL; clusters are those the user may
    see."""
    found = searchable.KINDS.get(kind)
    q = request.GET.get("q", "")
    lang = request.GET.get("lang") or translation.get_language()
    problem = None
    if found is None:
        problem = _("Unknown list: %(kind)s.") % {"kind": kind}
    elif len(q) > MAX_QUERY or "\x00" in q:
        problem = _("The search is at most %(max)s characters.") % {"max": MAX_QUERY}
    elif lang not in dict(settings.LANGUAGES):
        problem = _("Unknown language: %(lang)s.") % {"lang": lang}
    if problem:
        return JsonResponse(error_body(400, "invalid", problem), status=400)
    with translation.override(lang):
        try:
            rows = found.search(q, user=request.user, params=request.GET) if q.strip() else []
        except searchable.BadParams as error:
            return JsonResponse(error_body(400, "invalid", error), status=400)
        response = JsonResponse([{"value": v, "label": label} for v, label in rows], safe=False)
    if found.public:
        patch_cache_control(response, public=True, max_age=24 * 3600)
    else:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
    return response
