"""The administration site, swept from its registry: every registered model lists (with a
search and each filter), opens, and stays at a flat number of queries however many rows it
has; the records the services write are read-only there; the operators' actions go through the
services."""

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from escp_portal.accounts.models import Invitation, Role, RoleAssignment
from escp_portal.admin import ReadOnlyAdmin
from escp_portal.celery import app as celery_app
from escp_portal.jobs.models import QueuedJob
from escp_portal.sync.models import Deletion
from escp_portal.webhooks.models import Delivery, Subscription
from evaluation.models import Assessment, KPIStatus, Review, ScoreboardSnapshot
from funding.models import CallNotice
from matchmaking.models import ContactRequest, PartnerRequest, PartnerRequestAnswer
from missions.models import MeetingNotice, ReminderLog
from opportunities.models import InvestorContact
from partnerships.models import (
    ClusterMembership,
    Competence,
    MemberImport,
    MemberLink,
    PartnerInvitation,
    Sector,
)
from strategy.models import (
    CoreIndicator,
    Measurement,
    MeasurementRevision,
    PeriodLock,
    ReportingReminder,
)
from tests import factories

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry
LABELS = sorted(model._meta.label for model in REGISTRY)


def _model(label):
    return next(model for model in REGISTRY if model._meta.label == label)


READ_ONLY = sorted(
    model._meta.label
    for model, model_admin in REGISTRY.items()
    if isinstance(model_admin, ReadOnlyAdmin)
)
_n = itertools.count(1)


def _kpi(world):
    return factories.make_strategy_with_kpi(factories.partnership()).kpi


def _measurement(world, i):
    partner = world.a.partners.order_by("pk").first()
    kpi = getattr(world, "_kpi", None) or _kpi(world)
    world._kpi = kpi
    return Measurement.objects.create(
        kpi=kpi, partner=partner, period_end=date(2024, 1, 1) + timedelta(days=i), value=i
    )


def _mission(world):
    mission = getattr(world, "_mission", None) or factories.mission(world.a, title="To Toronto")
    world._mission = mission
    return mission


def _participant(world):
    return factories.participation(_mission(world), factories.member(world.cluster_a))


def _import(world, i):
    return MemberImport.objects.create(
        cluster=world.cluster_a, uploaded_by=world.manager_a, file_name=f"members-{i}.csv"
    )


def _invitation(world, i):
    return Invitation.objects.create(
        email=f"invitee{i}@example.org",
        role=Role.EC_OFFICER,
        token_hash=f"{i:064d}",
        invited_by=world.staff,
        expires_at=timezone.now() + timedelta(days=14),
    )


def _access(model, i, **fields):
    return model.objects.create(
        user_agent="test-agent",
        ip_address="192.0.2.1",
        username=f"someone{i}@example.org",
        http_accept="*/*",
        path_info="/accounts/login/",
        **fields,
    )


def _post(world, i):
    return PartnerRequest.objects.create(
        author=world.coord_a, title=f"We look for {i}", until=date(2030, 1, 1)
    )


def _subscription(world, i):
    return Subscription.objects.create(
        owner=world.coord_a, url=f"https://hooks.example.org/{i}", events=["mission.created"]
    )


def _log_entry(world, i):
    factories.programme(f"AUDIT-{i}")  # audited: its creation writes an entry
    return LogEntry.objects.latest("pk")


# One builder per registered model: ``build(world, i)`` makes the i-th row of that model.
BUILDERS = {
    "auth.Group": lambda w, i: Group.objects.create(name=f"Group {i}"),
    "knox.AuthToken": lambda w, i: AuthToken.objects.create(user=w.coord_a)[0],
    "auditlog.LogEntry": _log_entry,
    "axes.AccessAttempt": lambda w, i: _access(
        AccessAttempt, i, get_data="", post_data="", failures_since_start=1
    ),
    "axes.AccessLog": lambda w, i: _access(AccessLog, i),
    "axes.AccessFailureLog": lambda w, i: _access(AccessFailureLog, i),
    "accounts.User": lambda w, i: factories.user(f"person{i}@example.org", full_name="Ann Lee"),
    "accounts.RoleAssignment": lambda w, i: RoleAssignment.objects.create(
        user=factories.user(), role=Role.EC_OFFICER
    ),
    "accounts.Invitation": _invitation,
    "jobs.QueuedJob": lambda w, i: QueuedJob.objects.create(task="accounts.ping", args=[i]),
    "partnerships.Programme": lambda w, i: factories.programme(f"PRG-{i}"),
    "strategy.CoreIndicator": lambda w, i: CoreIndicator.objects.create(
        code=f"indicator-{i}", name=f"Indicator {i}", unit="events", definition="Counted."
    ),
    "partnerships.Sector": lambda w, i: Sector.objects.create(name=f"Sector {i}", slug=f"s-{i}"),
    "partnerships.Competence": lambda w, i: Competence.objects.create(
        name=f"Competence {i}", slug=f"c-{i}"
    ),
    "partnerships.Partnership": lambda w, i: factories.partnership(f"PS{i}"),
    "partnerships.ClusterOrganisation": lambda w, i: factories.cluster(f"Cluster no. {i}"),
    "partnerships.Partner": lambda w, i: factories.Partner.objects.create(
        partnership=w.b, cluster=factories.cluster()
    ),
    "partnerships.Member": lambda w, i: factories.member(w.cluster_a, name=f"Acme {i}"),
    # Partner and linked enterprises (issue #20, SME status).
    "partnerships.MemberLink": lambda w, i: MemberLink.objects.create(
        member=factories.member(w.cluster_a, name=f"Linked {i}"),
        other=factories.member(w.cluster_a, name=f"Holder {i}"),
        relation="linked",
    ),
    "partnerships.ClusterMembership": lambda w, i: ClusterMembership.objects.get(
        member=factories.member(w.cluster_a)
    ),
    "partnerships.MemberImport": _import,
    "partnerships.PartnerInvitation": lambda w, i: PartnerInvitation.objects.create(
        partnership=w.b, cluster=factories.cluster(), invited_by=w.coord_b
    ),
    "strategy.Strategy": lambda w, i: factories.strategy(factories.partnership()),
    "strategy.KPI": lambda w, i: _kpi(w),
    "strategy.Measurement": _measurement,
    "strategy.MeasurementRevision": lambda w, i: MeasurementRevision.objects.create(
        measurement=_measurement(w, i),
        old_value=1,
        new_value=2,
        old_status="submitted",
        reason="Typo",
        changed_by=w.coord_a,
    ),
    "strategy.PeriodLock": lambda w, i: PeriodLock.objects.create(
        partnership=w.a, period_end=date(2024, 1, 1) + timedelta(days=i), locked_by=w.coord_a
    ),
    "strategy.ReportingReminder": lambda w, i: ReportingReminder.objects.create(
        kpi=_kpi(w), period_end=date(2024, 3, 31), recipients=2
    ),
    "missions.Mission": lambda w, i: factories.mission(w.a, title=f"Buyers in Toronto {i}"),
    "missions.Participation": lambda w, i: factories.participation(
        _mission(w), factories.member(w.cluster_a)
    ),
    "missions.Outcome": lambda w, i: factories.outcome(w.a, counterpart=f"Maple Foods {i}"),
    "missions.ExportGroup": lambda w, i: factories.export_group(w.a),
    "missions.ReminderLog": lambda w, i: ReminderLog.objects.create(
        mission=_mission(w), recipient=factories.user(), kind="before_7"
    ),
    # B2B meetings (the B2B block): each row its own pair of participants.
    "missions.MeetingProfile": lambda w, i: factories.meeting_profile(_participant(w)),
    "missions.LocalCounterpart": lambda w, i: factories.counterpart(_mission(w), f"Local {i}"),
    "missions.Meeting": lambda w, i: factories.meeting(_participant(w), _participant(w)),
    "missions.MeetingNotice": lambda w, i: MeetingNotice.objects.create(
        meeting=factories.meeting(_participant(w), _participant(w)),
        recipient=factories.user(),
        kind="requested",
    ),
    # --- finding partners ---
    "matchmaking.FindableProfile": lambda w, i: factories.findable(
        factories.member(w.cluster_a, name=f"Findable {i}")
    ),
    "matchmaking.ContactRequest": lambda w, i: ContactRequest.objects.create(
        requester=w.coord_b,
        member=factories.member(w.cluster_a),
        cluster=w.cluster_a,
        purpose="supply",
        message=f"Request {i}",
    ),
    "matchmaking.PartnerRequest": lambda w, i: _post(w, i),
    "matchmaking.PartnerRequestAnswer": lambda w, i: PartnerRequestAnswer.objects.create(
        request=_post(w, i), author=w.coord_b, message=f"Answer {i}"
    ),
    # --- vouchers and EU funding ---
    "funding.VoucherScheme": lambda w, i: factories.voucher_scheme(w.a, name=f"Scheme {i}"),
    "funding.Voucher": lambda w, i: factories.voucher(
        factories.voucher_scheme(w.a), factories.member(w.cluster_a)
    ),
    "funding.FundingCall": lambda w, i: factories.funding_call(f"Call {i}"),
    "funding.CallNotice": lambda w, i: CallNotice.objects.create(
        call=factories.funding_call(f"Call {i}"), partnership=w.a, recipient=factories.user()
    ),
    # --- brokers and investment (opportunities) ---
    "opportunities.Broker": lambda w, i: factories.broker(w.a, f"Broker {i}"),
    "opportunities.Opportunity": lambda w, i: factories.opportunity(
        w.a, f"Opportunity {i}", broker=factories.broker(w.a, f"Their broker {i}")
    ),
    "opportunities.InvestorContact": lambda w, i: InvestorContact.objects.create(
        partnership=w.a, name=f"Investor {i}", organisation="Fund", country="FR"
    ),
    "opportunities.InvestmentProject": lambda w, i: factories.investment_project(
        w.a, f"Project {i}"
    ),
    "evaluation.KPIStatus": lambda w, i: KPIStatus.objects.update_or_create(
        kpi=(kpi := _kpi(w)),
        defaults={
            "partnership": kpi.objective.strategy.partnership,
            "expected": Decimal(10),
            "status": "on_track",
        },
    )[0],
    "evaluation.ScoreboardSnapshot": lambda w, i: ScoreboardSnapshot.objects.create(
        partnership=w.a, date=date(2024, 1, 1) + timedelta(days=i)
    ),
    "evaluation.Assessment": lambda w, i: Assessment.objects.create(
        partnership=w.a, kind="survey", date=date(2024, 6, 1), title=f"Survey {i}", findings="-"
    ),
    "evaluation.Review": lambda w, i: Review.objects.create(
        partnership=(kpi := _kpi(w)).objective.strategy.partnership,
        kpi=kpi,
        flag="unclear",
        comment="Unclear target",
        created_by=w.officer,
    ),
    # --- incremental sync ---
    "sync.Deletion": lambda w, i: Deletion.objects.create(
        resource="members", object_id=100_000 + i, partnership_id=w.a.pk
    ),
    # --- webhooks ---
    "webhooks.Subscription": lambda w, i: _subscription(w, i),
    "webhooks.Delivery": lambda w, i: Delivery.objects.create(
        subscription=_subscription(w, i), event="ping", event_id=uuid.uuid4()
    ),
}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def operator(client):
    client.force_login(factories.user("ops@example.eu", is_staff=True, is_superuser=True))
    return client


def test_the_operators_records_are_registered_and_every_registered_model_has_a_builder():
    assert set(LABELS) >= {
        "partnerships.MemberImport",
        "partnerships.Member",
        "strategy.Measurement",
        "missions.Mission",
        "missions.Participation",
        "missions.Outcome",
        "jobs.QueuedJob",
        "missions.ReminderLog",
        "strategy.ReportingReminder",
        "accounts.Invitation",
        "partnerships.PartnerInvitation",
    }
    assert set(BUILDERS) == set(LABELS)


def test_the_service_written_records_are_read_only():
    assert set(READ_ONLY) >= {
        "partnerships.Member",
        "partnerships.ClusterMembership",
        "partnerships.MemberImport",
        "partnerships.PartnerInvitation",
        "accounts.Invitation",
        "jobs.QueuedJob",
        "missions.Mission",
        "missions.Participation",
        "missions.Outcome",
        "missions.ReminderLog",
        "missions.MeetingProfile",
        "missions.LocalCounterpart",
        "missions.Meeting",
        "missions.MeetingNotice",
        "strategy.Strategy",
        "strategy.KPI",
        "strategy.Measurement",
        "strategy.MeasurementRevision",
        "strategy.PeriodLock",
        "strategy.ReportingReminder",
        "evaluation.KPIStatus",
        "evaluation.Review",
    }


PROJECT = ("escp_portal.", "partnerships.", "strategy.", "missions.", "evaluation.")


@pytest.mark.parametrize(
    "label",
    [label for label in LABELS if type(REGISTRY[_model(label)]).__module__.startswith(PROJECT)],
)
def test_every_admin_of_the_portal_says_why_it_is_read_only_or_editable(label):
    doc = type(REGISTRY[_model(label)]).__doc__ or ""
    # Either its own docstring or (read-only admins) the one it inherits says which and why.
    assert doc.strip() and doc != ReadOnlyAdmin.__doc__ and doc != admin.ModelAdmin.__doc__


def _filter_choices(model_admin, request):
    """The query string of the first choice of each list filter, as the sidebar offers it."""
    changelist = model_admin.get_changelist_instance(request)
    for spec in changelist.filter_specs:
        choices = [c for c in spec.choices(changelist) if not c.get("selected")]
        if choices:
            yield spec.title, choices[0]["query_string"]


@pytest.mark.parametrize("label", LABELS)
def test_every_changelist_lists_searches_filters_and_opens_its_rows(operator, rf, label):
    model = _model(label)
    model_admin = REGISTRY[model]
    world = factories.make_world()
    obj = BUILDERS[label](world, next(_n))
    changelist = _url(model, "changelist")
    listing = operator.get(changelist)
    assert listing.status_code == 200
    if model_admin.search_fields:
        assert operator.get(changelist, {"q": "a"}).status_code == 200
        assert operator.get(changelist, {"q": "zz-nothing-matches"}).status_code == 200
    request = rf.get(changelist)
    request.user = listing.wsgi_request.user
    filtered = 0
    for title, query in _filter_choices(model_admin, request):
        page = operator.get(changelist + query)
        assert page.status_code == 200, (title, query)
        # A filter that Django does not understand sends the operator back with ?e=1.
        assert "e=1" not in page.get("Location", ""), (title, query)
        filtered += 1
    assert filtered >= len(model_admin.list_filter) - 1 or not model_admin.list_filter
    if model_admin.date_hierarchy:
        drill = {f"{model_admin.date_hierarchy}__year": 2024}
        assert operator.get(changelist, drill).status_code == 200
    page = operator.get(_url(model, "change", obj.pk))
    assert page.status_code == 200


@pytest.mark.parametrize("label", READ_ONLY)
def test_read_only_admins_offer_no_add_change_or_delete(operator, label):
    model = _model(label)
    world = factories.make_world()
    obj = BUILDERS[label](world, next(_n))
    listing = operator.get(_url(model, "changelist")).content.decode()
    assert _url(model, "add") not in listing
    assert 'value="delete_selected"' not in listing
    assert operator.get(_url(model, "add")).status_code == 403
    change = _url(model, "change", obj.pk)
    page = operator.get(change).content.decode()
    assert 'name="_save"' not in page and _url(model, "delete", obj.pk) not in page
    assert operator.post(change, {}).status_code == 403
    assert operator.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


ROWS = 21


@pytest.mark.parametrize("label", LABELS)
def test_changelist_queries_stay_flat_with_more_rows(
    operator, label, django_assert_max_num_queries
):
    model = _model(label)
    world = factories.make_world()
    BUILDERS[label](world, next(_n))
    changelist = _url(model, "changelist")
    operator.get(changelist)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as one_row:
        assert operator.get(changelist).status_code == 200
    for _ in range(ROWS):
        BUILDERS[label](world, next(_n))
    assert model.objects.count() > ROWS
    with django_assert_max_num_queries(len(one_row)):
        assert operator.get(changelist).status_code == 200


# --- the operators' actions ------------------------------------------------------------------


def test_send_now_hands_the_chosen_jobs_to_the_broker_and_records_it(operator, monkeypatch):
    waiting = QueuedJob.objects.create(task="accounts.ping", next_attempt_at=timezone.now())
    later = QueuedJob.objects.create(task="accounts.ping")
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **kw: sent.append(name))
    monkeypatch.setattr(celery_app.conf, "broker_write_url", "memory://")
    page = operator.post(
        _url(QueuedJob, "changelist"),
        {"action": "send_now", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "1 job sent." in page.content.decode()
    assert sent == ["accounts.ping"]
    assert list(QueuedJob.objects.all()) == [later]
    entry = AdminLogEntry.objects.get(object_id=str(waiting.pk))
    assert entry.user.email == "ops@example.eu"


def test_send_now_with_the_broker_away_keeps_the_job_with_the_error(operator, monkeypatch):
    job = QueuedJob.objects.create(task="accounts.ping")
    monkeypatch.setattr(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    page = operator.post(
        _url(QueuedJob, "changelist"),
        {"action": "send_now", "_selected_action": [job.pk]},
        follow=True,
    )
    assert "could not be sent" in page.content.decode()
    job.refresh_from_db()
    assert job.attempts == 1 and job.last_error


def _stuck(world, status, minutes_ago=5):
    member_import = _import(world, next(_n))
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=status, stage_started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return member_import


def test_mark_failed_gives_up_imports_stuck_checking_or_writing_and_leaves_the_others(
    operator, world
):
    checking = _stuck(world, MemberImport.Status.VALIDATING)
    writing = _stuck(world, MemberImport.Status.IMPORTING, minutes_ago=600)
    done = _stuck(world, MemberImport.Status.DONE)
    page = operator.post(
        _url(MemberImport, "changelist"),
        {"action": "give_up", "_selected_action": [checking.pk, writing.pk, done.pk]},
        follow=True,
    )
    text = page.content.decode()
    assert "2 imports marked failed." in text
    assert "1 import was not checking or writing" in text
    statuses = dict(MemberImport.objects.values_list("pk", "status"))
    assert statuses == {
        checking.pk: MemberImport.Status.FAILED,
        writing.pk: MemberImport.Status.FAILED,
        done.pk: MemberImport.Status.DONE,
    }
    checking.refresh_from_db()
    assert checking.finished_at is not None and "stopped" in checking.errors[0]["message"]
    logged = AdminLogEntry.objects.filter(content_type__model="memberimport")
    assert sorted(int(e.object_id) for e in logged) == sorted([checking.pk, writing.pk])


def test_only_staff_may_give_up_an_import_or_send_jobs(world):
    from django.core.exceptions import PermissionDenied

    from escp_portal.jobs.outbox import send_now
    from partnerships.services.member_uploads import import_give_up

    stuck = _stuck(world, MemberImport.Status.VALIDATING)
    with pytest.raises(PermissionDenied):
        import_give_up(actor=world.manager_a, member_import=stuck)
    with pytest.raises(PermissionDenied):
        send_now(actor=world.coord_a, ids=[QueuedJob.objects.create(task="accounts.ping").pk])
    stuck.refresh_from_db()
    assert stuck.status == MemberImport.Status.VALIDATING
    assert QueuedJob.objects.count() == 1


def test_deactivating_a_user_in_the_admin_ends_their_api_tokens(operator, world):
    user = world.coord_a
    AuthToken.objects.create(user=user)
    change = _url(type(user), "change", user.pk)
    form = operator.get(change).context["adminform"].form
    data = {
        "email": user.email,
        "full_name": "Coordinator A",
        "language": "en",
        "is_staff": "",
        "is_superuser": "",
        "groups": [],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        # is_active left out: an unchecked box
        **_inline_management(operator, change),
    }
    assert "is_active" in form.fields
    answer = operator.post(change, data)
    assert answer.status_code == 302, [
        (f.formset.errors, f.formset.non_form_errors())
        for f in answer.context["inline_admin_formsets"]
    ] + [answer.context["adminform"].form.errors, answer.context.get("errors")]
    user.refresh_from_db()
    assert not user.is_active
    assert not AuthToken.objects.filter(user=user).exists()
    assert RoleAssignment.objects.filter(user=user).count() == 2  # roles kept, for the record


def _inline_management(client, change):
    """The inline formsets' management fields and existing rows, as the page renders them."""
    data = {}
    for formset in client.get(change).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial)
        for form in formset.formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    return data
