"""Requirement: every change to partnership, member, KPI, measurement, mission and outcome data is
in the audit trail with who, when, before and after.

Each change is made the way a user makes it — a page or the API, logged in as the role allowed to
do it — and the trail is read back. Writes that bypass model signals (bulk imports, the bulk
measurements endpoint) are covered too. Missions, participations and outcomes have no deletion
in the portal (a mission is cancelled, a registration cancelled), so their deletions are not
tested; every other kind is.

Not in the trail, on purpose: derived rows recomputed by jobs (evaluation.KPIStatus,
evaluation.ScoreboardSnapshot) are not user changes; the evaluation app is outside this walk.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from missions.models import Mission, Outcome, Participation
from missions.services import missions as mission_services
from partnerships.models import (
    ClusterMembership,
    Member,
    MemberImport,
    Partner,
    Partnership,
    Sector,
)
from partnerships.services import members
from partnerships.services import partnerships as partnership_services
from strategy.models import KPI, Measurement, Milestone, PeriodLock
from strategy.services import roadmap, value_chain
from tests import factories

CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE

# Models of these apps that are deliberately not audited, each with the reason. A new model must
# be registered with auditlog (in its app's ready()) or added here with a reason.
NOT_AUDITED = {
    # Shared vocabularies (tags): choosing them for a partnership or member is audited as that
    # record's m2m change.
    "partnerships.Sector",
    "partnerships.Competence",
    # The upload's own record (who, when, what it did); its effects on members are audited
    # member by member with the uploader as actor.
    "partnerships.MemberImport",
    # Itself a record of a correction (old value, new value, reason, who, when), written in the
    # same transaction as the audited Measurement update.
    "strategy.MeasurementRevision",
    # Technical: what the reminder jobs sent, so that each reminder is sent once.
    "strategy.ReportingReminder",
    "missions.ReminderLog",
    "missions.MeetingNotice",
    # Vouchers and EU funding: which call was announced to whom, so that each is sent once.
    "funding.CallNotice",
    "strategy.StrategyNotice",  # what the strategy emails sent (shared, adopted), once each
}
AUDITED_APPS = ("partnerships", "strategy", "missions", "matchmaking", "funding")


def api(client, method, url, token, data=None, status=200):
    """The API with a token and no session, as an integration calls it."""
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.content
    return response


def trail(model, pk, action=None):
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=pk
    )
    if action is not None:
        entries = entries.filter(action=action)
    return entries.order_by("timestamp", "pk")


def last(model, pk, action, field=None):
    """The latest entry of that action (that changed ``field``, when given)."""
    entries = trail(model, pk, action)
    if field is not None:
        entries = entries.filter(changes__has_key=field)
    entry = entries.last()
    assert entry is not None, f"no {action} entry for {model.__name__} {pk}"
    return entry


def assert_change(entry, actor, field, before, after):
    """Who, when, before and after."""
    assert entry.actor is not None
    assert entry.actor == actor
    assert entry.actor_email == actor.email
    assert entry.timestamp is not None
    assert timezone.now() - entry.timestamp < timedelta(minutes=5)
    assert entry.changes[field] == [before, after], entry.changes


# --- every model has a decision ------------------------------------------------------------------


def test_every_model_is_audited_or_listed_as_not_audited():
    undecided, both = [], []
    for label in AUDITED_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label
            if auditlog.contains(model) == (name in NOT_AUDITED):
                (both if name in NOT_AUDITED else undecided).append(name)
    assert not undecided, f"Register these with auditlog or list them in NOT_AUDITED: {undecided}"
    assert not both, f"Audited, yet listed as not audited: {both}"
    known = {m._meta.label for a in AUDITED_APPS for m in apps.get_app_config(a).get_models()}
    assert known >= NOT_AUDITED, NOT_AUDITED - known


def test_member_contacts_stay_masked_and_the_listed_kinds_are_audited():
    for model in (
        Partnership,
        Partner,
        Member,
        ClusterMembership,
        KPI,
        Milestone,
        Measurement,
        PeriodLock,
        Mission,
        Participation,
        Outcome,
    ):
        assert auditlog.contains(model), model
    masked = auditlog.get_model_fields(Member)["mask_fields"]
    assert set(masked) == {"contact_name", "contact_email", "contact_phone"}


# --- partnerships and partners -------------------------------------------------------------------


def test_partnership_edits_and_deletion_are_in_the_trail(client, s):
    world = s.world
    client.force_login(world.coord_a)
    data = {
        "name": world.a.name,
        "status": world.a.status,
        "start_date": world.a.start_date.isoformat(),
        "end_date": world.a.end_date.isoformat(),
        "sme_count": "",
        "objectives": world.a.objectives,
        "website": "https://alpha.example.eu",
    }
    response = client.post(reverse("partnerships:partnership_edit", args=[world.a.pk]), data)
    assert response.status_code == 302
    assert_change(
        last(Partnership, world.a.pk, UPDATE), world.coord_a, "website", "", data["website"]
    )
    client.logout()

    url = f"/api/v1/partnerships/{world.a.pk}/"
    api(client, "patch", url, s.tokens["coord_a"], {"name": "Alpha renamed"})
    assert_change(
        last(Partnership, world.a.pk, UPDATE), world.coord_a, "name", "Test", "Alpha renamed"
    )

    # Deleting one (staff, through the API: no session, the actor comes from the token).
    staff_token = AuthToken.objects.create(user=world.staff)[1]
    partner = world.draft.partners.get()
    api(client, "delete", f"/api/v1/partnerships/{world.draft.pk}/", staff_token, status=204)
    deleted = last(Partnership, world.draft.pk, DELETE)
    assert_change(deleted, world.staff, "acronym", "DRAFTY", "None")
    cascaded = last(Partner, partner.pk, DELETE)
    assert cascaded.actor == world.staff


def test_partner_added_edited_and_removed_on_pages(client, s):
    world = s.world
    client.force_login(world.staff)  # staff record programme data; coordinators invite
    client.post(
        reverse("partnerships:partner_add", args=[world.a.pk]),
        {"cluster": world.cluster_x.pk, "role": "partner", "joined_on": "2024-02-01"},
    )
    partner = Partner.objects.get(partnership=world.a, cluster=world.cluster_x)
    created = last(Partner, partner.pk, CREATE)
    assert_change(created, world.staff, "joined_on", "None", "2024-02-01")
    assert created.additional_data == {"partnership_id": world.a.pk}
    client.force_login(world.coord_a)

    client.post(
        reverse("partnerships:partner_edit", args=[partner.pk]),
        {"cluster": world.cluster_x.pk, "role": "affiliated", "joined_on": "2024-02-01"},
    )
    assert_change(last(Partner, partner.pk, UPDATE), world.coord_a, "role", "partner", "affiliated")

    client.post(reverse("partnerships:partner_remove", args=[partner.pk]))
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert_change(last(Partner, partner.pk, DELETE), world.coord_a, "role", "affiliated", "None")


# --- members -------------------------------------------------------------------------------------


def test_member_edit_and_removal_are_in_the_trail_with_contacts_masked(client, s):
    world, member = s.world, s.member_a
    client.force_login(world.manager_a)
    response = client.post(
        reverse("partnerships:member_edit", args=[member.pk]),
        {
            "name": member.name,
            "kind": member.kind,
            "country": "DE",
            "city": "Leipzig",
            "employees": "10",
            "contact_email": "new.person@member.example",
            "competence_names": "Robotics",
        },
    )
    assert response.status_code == 302, response.content
    entry = last(Member, member.pk, UPDATE, "city")
    assert_change(entry, world.manager_a, "city", "", "Leipzig")
    before, after = entry.changes["contact_email"]
    assert "a@member.example" not in before and "new.person" not in after
    assert after.startswith("*")
    tags = trail(Member, member.pk, UPDATE).filter(changes__competences__type="m2m").get()
    assert tags.changes["competences"] == {
        "type": "m2m",
        "operation": "add",
        "objects": ["Robotics"],
    }
    assert tags.actor == world.manager_a

    membership = ClusterMembership.objects.get(member=member)
    client.post(
        reverse("partnerships:member_remove", args=[member.pk]), {"cluster": world.cluster_a.pk}
    )
    assert not Member.objects.filter(pk=member.pk).exists()
    assert_change(last(Member, member.pk, DELETE), world.manager_a, "name", "Alder GmbH", "None")
    gone = last(ClusterMembership, membership.pk, DELETE)
    assert_change(gone, world.manager_a, "joined_on", "2020-01-01", "None")
    assert gone.additional_data["member_id"] == member.pk
    # The registration for a mission went with the member: also in the trail.
    assert last(Participation, s.ma.participation.pk, DELETE).actor == world.manager_a


def _csv(rows):
    buffer = io.StringIO()
    header = ["id", "name", "country", "city", "employees", "contact_email", "competences"]
    header.append("member_since")
    writer = csv.DictWriter(buffer, header)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("members.csv", buffer.getvalue().encode(), content_type="text/csv")


def _upload(client, world, rows):
    response = client.post(
        reverse("partnerships:member_import", args=[world.cluster_a.pk]), {"file": _csv(rows)}
    )
    assert response.status_code == 302, response.content
    return MemberImport.objects.latest("created_at")


IMPORT_ROWS = [
    {
        "name": "Alder GmbH",
        "country": "DE",
        "city": "Dresden",
        "employees": "12",
        "contact_email": "changed@member.example",
        "competences": "Lasers",
        "member_since": "2019-06-01",
    },
    {
        "name": "Brand New KG",
        "country": "DE",
        "employees": "5",
        "contact_email": "fresh@member.example",
        "competences": "Lasers; Optics",
    },
]


def _assert_import_trail(s, actor):
    member = s.member_a
    entry = last(Member, member.pk, UPDATE, "city")
    assert_change(entry, actor, "city", "", "Dresden")
    assert entry.changes["employees"] == ["10", "12"]
    before, after = entry.changes["contact_email"]
    assert "a@member.example" not in before and "changed@" not in after
    # The same entry auditlog writes itself: found for the object, with its representation.
    assert entry in LogEntry.objects.get_for_object(Member.objects.get(pk=member.pk))
    assert entry.object_repr == "Alder GmbH" and entry.object_pk == str(member.pk)
    tags = trail(Member, member.pk, UPDATE).filter(changes__competences__type="m2m").get()
    assert tags.changes["competences"]["objects"] == ["Lasers"] and tags.actor == actor
    membership = ClusterMembership.objects.get(member=member, cluster=s.world.cluster_a)
    assert_change(
        last(ClusterMembership, membership.pk, UPDATE),
        actor,
        "joined_on",
        "2020-01-01",
        "2019-06-01",
    )

    new = Member.objects.get(name="Brand New KG")
    created = last(Member, new.pk, CREATE)
    assert_change(created, actor, "name", "None", "Brand New KG")
    assert "fresh@" not in created.changes["contact_email"][1]
    assert created.changes["contact_email"][1].startswith("*")
    added = trail(Member, new.pk, UPDATE).get()
    assert sorted(added.changes["competences"]["objects"]) == ["Lasers", "Optics"]
    new_membership = ClusterMembership.objects.get(member=new)
    assert last(ClusterMembership, new_membership.pk, CREATE).actor == actor


def test_member_import_applied_on_the_page_is_in_the_trail(client, s):
    client.force_login(s.world.manager_a)
    member_import = _upload(client, s.world, IMPORT_ROWS)
    assert member_import.status == MemberImport.Status.READY, member_import.errors
    client.post(member_import.get_absolute_url(), {"action": "confirm"})
    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.DONE, member_import.errors
    _assert_import_trail(s, s.world.manager_a)


def test_member_import_applied_by_the_worker_names_the_uploader(client, s):
    """Outside any request (the Celery task), the uploader is the actor."""
    from partnerships.services import member_uploads
    from partnerships.tasks import apply_member_import

    client.force_login(s.world.manager_a)
    member_import = _upload(client, s.world, IMPORT_ROWS)
    client.logout()
    member_uploads.import_confirm(actor=s.world.manager_a, member_import=member_import)
    assert apply_member_import.apply(args=[member_import.pk]).get() == "done"
    _assert_import_trail(s, s.world.manager_a)


def test_large_imports_write_the_trail_in_a_few_statements(client, s):
    client.force_login(s.world.manager_a)
    rows = [{"name": f"Firm {i}", "country": "DE", "competences": "Lasers"} for i in range(60)]
    member_import = _upload(client, s.world, rows)
    from partnerships.services import member_uploads

    member_uploads.import_confirm(actor=s.world.manager_a, member_import=member_import)
    with CaptureQueriesContext(connection) as queries:
        member_uploads.import_apply(member_import.pk)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "auditlog_logentry"')]
    assert 1 <= len(inserts) <= 3, len(inserts)
    created = Member.objects.filter(name__startswith="Firm ")
    assert created.count() == 60
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member),
        object_id__in=created.values("pk"),
        actor=s.world.manager_a,
    )
    assert logged.filter(action=CREATE).count() == 60
    assert logged.filter(action=UPDATE).count() == 60  # the competence of each


def test_bulk_member_api_is_in_the_trail(client, s):
    rows = [{"id": s.member_a.pk, "name": "Alder GmbH", "country": "DE", "city": "Jena"}]
    data = {"cluster": s.world.cluster_a.pk, "rows": rows}
    api(client, "post", "/api/v1/members/bulk/", s.tokens["manager_a"], data)
    assert_change(last(Member, s.member_a.pk, UPDATE), s.world.manager_a, "city", "", "Jena")


# --- KPIs, milestones, measurements --------------------------------------------------------------


def _kpi_form(kpi, **changes):
    data = {
        "name": kpi.name,
        "unit": kpi.unit,
        "kind": kpi.kind,
        "aggregation": kpi.aggregation,
        "direction": kpi.direction,
        "baseline_value": str(kpi.baseline_value),
        "baseline_date": kpi.baseline_date.isoformat(),
        "target_value": str(kpi.target_value),
        "target_date": kpi.target_date.isoformat(),
        "frequency": kpi.frequency,
        "source": kpi.source,
        "responsible": kpi.responsible_id,
        "data_source": kpi.data_source,
        "collection_protocol": kpi.collection_protocol,
    }
    return {**data, **changes}


def test_kpi_edits_milestones_and_deletion_are_in_the_trail(client, s):
    world, kpi = s.world, s.a.kpi
    client.force_login(world.coord_a)
    response = client.post(
        reverse("strategy:kpi_edit", args=[kpi.pk]), _kpi_form(kpi, target_value="55")
    )
    assert response.status_code == 302, response.content
    entry = last(KPI, kpi.pk, UPDATE)
    assert_change(entry, world.coord_a, "target_value", "40.00", "55.00")
    assert set(entry.changes) == {"target_value"}  # the unchanged values sent back are not
    client.logout()

    token = s.tokens["coord_a"]
    url = f"/api/v1/kpis/{kpi.pk}/"
    milestones = [{"date": "2025-12-31", "value": "10"}, {"date": "2026-12-31", "value": "30"}]
    api(client, "patch", url, token, {"milestones": milestones})
    first = Milestone.objects.get(kpi=kpi, date=date(2025, 12, 31))
    assert_change(last(Milestone, first.pk, CREATE), world.coord_a, "value", "None", "10.00")
    api(client, "patch", url, token, {"milestones": [{"date": "2025-12-31", "value": "12"}]})
    assert_change(last(Milestone, first.pk, UPDATE), world.coord_a, "value", "10.00", "12.00")
    dropped = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Milestone), action=DELETE
    ).get()
    assert_change(dropped, world.coord_a, "value", "30.00", "None")

    measurement = s.a.measurement
    api(client, "delete", url, token, status=204)
    assert_change(last(KPI, kpi.pk, DELETE), world.coord_a, "name", kpi.name, "None")
    assert last(Measurement, measurement.pk, DELETE).actor == world.coord_a


def test_measurement_reported_corrected_and_approved_on_pages(client, s):
    world, kpi = s.world, s.a.kpi
    client.force_login(world.manager_a)
    report = reverse("strategy:kpi_report", args=[kpi.pk])
    client.post(report, {"period_end": "2025-06-30", "value": "4"})
    new = Measurement.objects.get(kpi=kpi, period_end=date(2025, 6, 30))
    assert_change(last(Measurement, new.pk, CREATE), world.manager_a, "value", "None", "4.00")

    existing = s.a.measurement
    client.post(report, {"period_end": "2025-03-31", "value": "5", "note": "recounted"})
    entry = last(Measurement, existing.pk, UPDATE)
    assert_change(entry, world.manager_a, "value", "3.00", "5.00")
    assert entry.changes["note"] == ["", "recounted"]

    client.force_login(world.coord_a)
    client.post(reverse("strategy:measurement_review", args=[existing.pk]), {"action": "approve"})
    assert_change(
        last(Measurement, existing.pk, UPDATE), world.coord_a, "status", "submitted", "approved"
    )


def test_bulk_measurements_api_is_in_the_trail(client, s):
    world, kpi = s.world, s.a.kpi
    rows = [
        {"kpi": kpi.pk, "period_end": "2025-03-31", "value": "7"},
        {"kpi": kpi.pk, "period_end": "2025-09-30", "value": "2"},
    ]
    api(client, "post", "/api/v1/measurements/bulk/", s.tokens["manager_a"], rows, status=201)
    assert_change(
        last(Measurement, s.a.measurement.pk, UPDATE), world.manager_a, "value", "3.00", "7.00"
    )
    new = Measurement.objects.get(kpi=kpi, period_end=date(2025, 9, 30))
    assert_change(last(Measurement, new.pk, CREATE), world.manager_a, "value", "None", "2.00")


def test_locking_and_reopening_a_period_is_in_the_trail(client, s):
    world = s.world
    client.force_login(world.coord_a)
    url = reverse("strategy:reporting", args=[world.a.pk])
    client.post(url, {"period_end": "2025-03-31"})
    lock = PeriodLock.objects.get(partnership=world.a)
    assert_change(
        last(PeriodLock, lock.pk, CREATE), world.coord_a, "period_end", "None", "2025-03-31"
    )
    client.post(url, {"period_end": "2025-03-31", "action": "unlock"})
    assert not PeriodLock.objects.exists()
    assert last(PeriodLock, lock.pk, DELETE).actor == world.coord_a


# --- missions, participations, outcomes ----------------------------------------------------------


def test_mission_edit_is_in_the_trail(client, s):
    world, mission = s.world, s.ma.mission
    client.force_login(world.coord_a)
    data = {
        "title": "Voyage to Montréal",
        "kind": mission.kind,
        "country": "CA",
        "city": "",
        "start_date": mission.start_date.isoformat(),
        "end_date": mission.end_date.isoformat(),
        "registration_deadline": "",
        "capacity": "5",
        "organiser": "",
        "local_support": "",
        "description": "",
        "status": "planned",
    }
    response = client.post(reverse("missions:mission_edit", args=[mission.pk]), data)
    assert response.status_code == 302, response.content
    assert_change(
        last(Mission, mission.pk, UPDATE), world.coord_a, "title", "Voyage Alpha", data["title"]
    )


def test_participation_registered_and_cancelled_is_in_the_trail(client, s):
    world, mission = s.world, s.ma.mission
    other = Member.objects.create(name="Fir Ltd", country="DE")
    ClusterMembership.objects.create(member=other, cluster=world.cluster_a)
    client.force_login(world.manager_a)
    client.post(reverse("missions:mission_detail", args=[mission.pk]), {"member": other.pk})
    participation = Participation.objects.get(mission=mission, member=other)
    created = last(Participation, participation.pk, CREATE)
    assert_change(created, world.manager_a, "status", "None", "registered")
    assert created.additional_data == {"member_id": other.pk}
    client.logout()

    api(client, "post", f"/api/v1/participations/{participation.pk}/cancel/", s.tokens["manager_a"])
    assert_change(
        last(Participation, participation.pk, UPDATE),
        world.manager_a,
        "status",
        "registered",
        "cancelled",
    )


def test_outcome_recorded_and_changed_is_in_the_trail(client, s):
    world = s.world
    client.force_login(world.coord_a)
    response = client.post(
        reverse("missions:outcomes", args=[world.a.pk]),
        {
            "kind": "contract",
            "counterpart": "Maple Inc.",
            "counterpart_country": "CA",
            "value": "25000",
            "date": "2025-06-01",
            "members": [s.member_a.pk],
        },
    )
    assert response.status_code == 302, response.content
    outcome = Outcome.objects.get(counterpart="Maple Inc.")
    assert_change(last(Outcome, outcome.pk, CREATE), world.coord_a, "value", "None", "25000.00")
    named = trail(Outcome, outcome.pk, UPDATE).filter(changes__members__type="m2m").get()
    assert named.changes["members"]["objects"] == ["Alder GmbH"]
    assert named.actor == world.coord_a
    client.logout()

    api(client, "patch", f"/api/v1/outcomes/{outcome.pk}/", s.tokens["coord_a"], {"value": "30000"})
    assert_change(last(Outcome, outcome.pk, UPDATE), world.coord_a, "value", "25000.00", "30000.00")


# --- erasure keeps the trail free of the erased member's name ------------------------------------


def test_erasure_scrubs_the_member_from_related_entries(client, s):
    world, member = s.world, s.member_a
    client.force_login(world.coord_a)
    response = client.post(
        reverse("missions:outcomes", args=[world.a.pk]),
        {
            "kind": "mou",
            "counterpart": "Spruce Co",
            "counterpart_country": "CA",
            "date": "2025-06-01",
            "members": [member.pk],
        },
    )
    assert response.status_code == 302, response.content
    client.force_login(world.manager_a)
    response = client.post(
        reverse("partnerships:member_edit", args=[member.pk]),
        {"name": member.name, "kind": member.kind, "country": "DE", "city": "Leipzig"},
    )
    assert response.status_code == 302, response.content

    def trail_text():
        return " ".join(f"{e.object_repr} {e.changes}" for e in LogEntry.objects.all())

    assert "Alder" in trail_text()  # the member, the outcome naming them, the membership
    membership = ClusterMembership.objects.get(member=member)
    client.post(reverse("partnerships:member_erase", args=[member.pk]))
    member.refresh_from_db()
    assert member.erased_at is not None
    assert "Alder" not in trail_text()
    # What happened is still there, with who did it.
    assert trail(ClusterMembership, membership.pk).exists()
    assert last(Member, member.pk, UPDATE).actor == world.manager_a


# --- many-to-many choices: every one of every audited model ------------------------------------


def _sectors(*names):
    return [Sector.objects.get_or_create(name=n, slug=n.lower())[0] for n in names]


def _partnership_sectors(s):
    world = s.world
    for names in (["Optics"], ["Lasers"]):
        partnership_services.partnership_update(
            actor=world.coord_a, partnership=world.a, sectors=_sectors(*names)
        )
    return world.a, world.coord_a, _sectors("Lasers"), _sectors("Optics")


def _cluster_sectors(s):
    world = s.world
    for names in (["Optics"], ["Lasers"]):
        partnership_services.cluster_update(
            actor=world.manager_a, cluster=world.cluster_a, sectors=_sectors(*names)
        )
    return world.cluster_a, world.manager_a, _sectors("Lasers"), _sectors("Optics")


def _call_sectors(s):
    from funding.services.calls import call_save

    officer = s.world.officer
    for names in (["Optics"], ["Lasers"]):
        call_save(actor=officer, call=s.fund.call, sectors=_sectors(*names))
    return s.fund.call, officer, _sectors("Lasers"), _sectors("Optics")


def _member_competences(s):
    members.member_update(actor=s.world.manager_a, member=s.member_a, competences=["Optics"])
    members.member_update(actor=s.world.manager_a, member=s.member_a, competences=["Lasers"])
    return s.member_a, s.world.manager_a, ["Lasers"], ["Optics"]


def _profile_competences(s):
    from missions.services.meetings import meeting_profile_save
    from partnerships.models import Competence

    optics = Competence.objects.create(name="Optics", slug="optics")
    lasers = Competence.objects.create(name="Lasers", slug="lasers")
    participation = s.ma.participation
    meeting_profile_save(actor=s.world.manager_a, participation=participation, competences=[optics])
    meeting_profile_save(actor=s.world.manager_a, participation=participation, competences=[lasers])
    return s.ma.b2b.profile, s.world.manager_a, ["Lasers"], ["Optics"]


def _task_responsible(s):
    other = s.world.a.partners.exclude(pk=s.partner_a.pk).first()
    roadmap.task_update(actor=s.world.coord_a, task=s.a.task, responsible=[other])
    return s.a.task, s.world.coord_a, [other], [s.partner_a]


def _stage_depends_on(s):
    first = s.a.chain.stages.get()
    stage = value_chain.stage_create(
        actor=s.world.coord_a, chain=s.a.chain, depends_on=[first], name="Sell", order=2
    )
    return stage, s.world.coord_a, [first], []


def _outcome_members(s):
    outcome = s.ma.outcome
    mission_services.outcome_save(
        actor=s.world.coord_a, partnership=s.world.a, outcome=outcome, members=[s.member_a]
    )
    return outcome, s.world.coord_a, [s.member_a], []


def _export_group_members(s):
    group = s.ma.group
    save = mission_services.export_group_save
    save(
        actor=s.world.coord_a, partnership=s.world.a, group=group, members=[s.member_a, s.member_a2]
    )
    third = factories.member(s.world.cluster_a2, "Rowan AB", employees=5)
    save(actor=s.world.coord_a, partnership=s.world.a, group=group, members=[s.member_a, third])
    return group, s.world.coord_a, [third], [s.member_a2]


def _meeting_attendees(s):
    from strategy.services.coordination import meeting_update

    meeting = s.coordination.a.meeting  # partner_a attended
    other = s.world.a.partners.exclude(pk=s.partner_a.pk).first()
    meeting_update(actor=s.world.coord_a, meeting=meeting, attendees=[other])
    return meeting, s.world.coord_a, [other], [s.partner_a]


# "app.Model.field": how a user changes it (through its service); answers the record, the
# actor, the choices added by the last change and the choices it removed.
M2M_CHANGES = {
    "partnerships.Partnership.sectors": _partnership_sectors,
    "partnerships.ClusterOrganisation.sectors": _cluster_sectors,
    "partnerships.Member.competences": _member_competences,
    "strategy.Task.responsible": _task_responsible,
    "strategy.ValueChainStage.depends_on": _stage_depends_on,
    "strategy.PartnershipMeeting.attendees": _meeting_attendees,
    "missions.Outcome.members": _outcome_members,
    "missions.ExportGroup.members": _export_group_members,
    "missions.MeetingProfile.competences": _profile_competences,
    "funding.FundingCall.sectors": _call_sectors,
}


def test_every_many_to_many_field_of_an_audited_model_is_audited_and_swept():
    fields = {
        f"{model._meta.label}.{field.name}"
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models()
        if auditlog.contains(model)
        for field in model._meta.many_to_many
    }
    assert fields == set(M2M_CHANGES), fields ^ set(M2M_CHANGES)
    for name in fields:
        label, field = name.rsplit(".", 1)
        registered = auditlog._registry[apps.get_model(label)]["m2m_fields"]
        assert field in registered, f"{name} is not in its model's auditlog m2m_fields"


@pytest.mark.parametrize("name", sorted(M2M_CHANGES))
def test_many_to_many_changes_are_in_the_trail_with_who_before_and_after(s, name):
    since = LogEntry.objects.order_by("pk").last().pk
    record, actor, added, removed = M2M_CHANGES[name](s)
    field = name.rsplit(".", 1)[1]
    entries = trail(type(record), record.pk, UPDATE).filter(
        pk__gt=since, **{f"changes__{field}__type": "m2m"}
    )
    assert entries.exists(), f"no entry for a change of {name}"
    by_operation = {}
    for entry in entries:
        assert entry.actor == actor, (name, entry.actor)
        assert timezone.now() - entry.timestamp < timedelta(minutes=5)
        change = entry.changes[field]
        by_operation[change["operation"]] = sorted(change["objects"])
    assert by_operation.get("add") == sorted(str(o) for o in added), (name, by_operation)
    if removed:  # before: what the change took away
        assert by_operation.get("delete") == sorted(str(o) for o in removed), (name, by_operation)
