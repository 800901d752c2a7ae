"""Inclusive coordination (issue #20, action 2): a draft shared with every partner, their
comments and endorsements, the record kept at adoption, the emails, and the meeting log."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from strategy.models import Decision, PartnershipMeeting, Strategy, StrategyFeedback
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, plan):
    """A revision of A's adopted strategy, in draft."""
    from strategy.services import strategy_revise

    return strategy_revise(actor=world.coord_a, strategy=plan["strategy"])


def _share(client, world, draft):
    client.force_login(world.coord_a)
    return client.post(reverse("strategy:strategy_action", args=[draft.pk, "share"]))


def test_sharing_a_draft_emails_every_partner_once(
    client, world, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _share(client, world, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.shared_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["coord-a@example.org", "manager-a@example.org"]
    assert "v2" in mail.outbox[0].subject
    # Sharing again is refused with a message; no second email.
    with django_capture_on_commit_callbacks(execute=True):
        _share(client, world, draft)
    assert len(mail.outbox) == 2
    from strategy.services.coordination import strategy_notify

    assert strategy_notify(draft.pk, "shared") == 0  # a retried job sends nothing


def test_partners_comment_and_endorse_through_their_managers(client, world, plan, draft):
    _share(client, world, draft)
    url = reverse("strategy:strategy_feedback", args=[draft.pk])
    client.force_login(world.manager_a)
    page = client.get(url)
    assert page.status_code == 200 and "Alpha Cluster" in page.content.decode()
    empty = client.post(url, {"partner": plan["partner_a"].pk, "feedback_kind": "comment"})
    assert empty.status_code == 200 and "Write the comment" in empty.content.decode()
    client.post(
        url,
        {"partner": plan["partner_a"].pk, "feedback_kind": "comment", "text": "Add Canada."},
    )
    client.post(url, {"partner": plan["partner_a"].pk, "feedback_kind": "endorsement"})
    # The manager cannot speak for the coordinating partner.
    refused = client.post(
        url, {"partner": plan["coordinator_partner"].pk, "feedback_kind": "endorsement"}
    )
    assert (
        refused.status_code == 200
        and not StrategyFeedback.objects.filter(partner=plan["coordinator_partner"]).exists()
    )
    # A second endorsement of the same partner is refused.
    again = client.post(url, {"partner": plan["partner_a"].pk, "feedback_kind": "endorsement"})
    assert "already endorsed" in again.content.decode()
    overview = client.get(reverse("strategy:overview", args=[world.a.pk]) + "?version=2")
    text = overview.content.decode()
    assert "Add Canada." in text and "1 of 2 partners endorsed it" in text
    # Someone outside the partnership does not even see the page.
    client.force_login(world.manager_x)
    assert client.get(url).status_code == 404


def test_feedback_waits_for_the_draft_to_be_shared(client, world, plan, draft):
    client.force_login(world.manager_a)
    assert client.get(reverse("strategy:strategy_feedback", args=[draft.pk])).status_code == 403


def test_adoption_records_who_endorsed_and_a_revision_starts_afresh(
    client, world, plan, draft, django_capture_on_commit_callbacks
):
    _share(client, world, draft)
    StrategyFeedback.objects.create(
        strategy=draft, partner=plan["partner_a"], feedback_kind="endorsement"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("strategy:strategy_action", args=[draft.pk, "adopt"]))
    draft.refresh_from_db()
    assert draft.status == Strategy.Status.ADOPTED
    record = {row["name"]: row["endorsed"] for row in draft.adoption_record}
    assert record == {"Alpha Cluster": True, "Alpha Two": False}
    assert len(mail.outbox) == 2 and "adopted" in mail.outbox[0].subject
    assert "Alpha Two: did not endorse" in mail.outbox[0].body
    page = client.get(reverse("strategy:overview", args=[world.a.pk])).content.decode()
    assert "did not endorse" in page
    client.post(reverse("strategy:strategy_action", args=[draft.pk, "revise"]))
    third = Strategy.objects.get(partnership=world.a, version=3)
    assert third.shared_at is None and not third.feedback.exists()


def test_the_api_shares_takes_feedback_and_answers_etags(client, world, plan, draft):
    client.force_login(world.coord_a)
    shared = client.post(f"/api/v1/strategies/{draft.pk}/share/")
    assert shared.status_code == 200 and shared.json()["shared_at"]
    created = client.post(
        "/api/v1/strategy-feedback/",
        {
            "strategy": draft.pk,
            "partner": plan["coordinator_partner"].pk,
            "feedback_kind": "endorsement",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    detail = client.get(f"/api/v1/strategy-feedback/{created.json()['id']}/")
    assert detail.status_code == 200 and detail["ETag"]
    refused = client.post(
        "/api/v1/strategy-feedback/",
        {
            "strategy": draft.pk,
            "partner": plan["partner_a"].pk,
            "feedback_kind": "comment",
            "text": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 403  # the coordinators speak for their own partner only


def test_meeting_log_with_decisions_linked_to_objectives_and_tasks(client, world, plan):
    client.force_login(world.coord_a)
    response = client.post(
        reverse("strategy:coordination_meeting_add", args=[world.a.pk]),
        {
            "title": "Steering committee",
            "held_on": "2025-03-12",
            "meeting_format": "online",
            "attendees": [plan["partner_a"].pk, plan["coordinator_partner"].pk],
            "people": "Ana (Alpha Cluster)",
        },
    )
    meeting = PartnershipMeeting.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("strategy:decision_add", args=[meeting.pk]),
        {
            "text": "Go to Canada in May.",
            "objective": plan["objective"].pk,
            "task": plan["task"].pk,
        },
    )
    decision = Decision.objects.get()
    assert decision.objective == plan["objective"] and decision.task == plan["task"]
    other = factories.strategy(world.b)
    foreign = factories.objective(other)
    bad = client.post(
        reverse("strategy:decision_add", args=[meeting.pk]),
        {"text": "Elsewhere", "objective": foreign.pk},
    )
    assert bad.status_code == 200 and Decision.objects.count() == 1
    client.force_login(world.manager_a)
    page = client.get(reverse("strategy:coordination_meetings", args=[world.a.pk]))
    assert "Go to Canada in May." in page.content.decode()
    assert (
        client.get(reverse("strategy:coordination_meeting_add", args=[world.a.pk])).status_code
        == 403
    )
    client.force_login(world.coord_b)
    assert (
        client.get(reverse("strategy:coordination_meeting", args=[meeting.pk])).status_code == 404
    )
    assert client.get(f"/api/v1/partnership-meetings/{meeting.pk}/").status_code == 404
    client.force_login(world.officer)
    listed = client.get("/api/v1/partnership-meetings/").json()
    assert listed["results"][0]["decisions"][0]["text"] == "Go to Canada in May."
    assert date.fromisoformat(listed["results"][0]["held_on"]) == date(2025, 3, 12)


def test_the_shared_draft_costs_the_same_queries_with_more_feedback(
    client, world, plan, draft, django_assert_max_num_queries
):
    from partnerships.models import Partner

    _share(client, world, draft)
    url = reverse("strategy:overview", args=[world.a.pk]) + "?version=2"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(6):
        partner = Partner.objects.create(
            partnership=world.a, cluster=factories.cluster(f"Extra {n}", "ES")
        )
        StrategyFeedback.objects.create(
            strategy=draft, partner=partner, feedback_kind="endorsement"
        )
        StrategyFeedback.objects.create(
            strategy=draft, partner=partner, feedback_kind="comment", text=f"Note {n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "6 of 8 partners endorsed it" in page.content.decode()


def test_a_new_decision_links_the_strategy_in_force_not_a_revised_version(
    client, world, plan, draft
):
    """The form offers the adopted version's objectives and tasks and its draft's; the service
    (and so the API) holds every new link to the same. A decision linked before its version was
    revised keeps its link when its text is corrected."""
    client.force_login(world.coord_a)
    meeting = PartnershipMeeting.objects.create(
        partnership=world.a, title="Steering committee", held_on=date(2025, 3, 12)
    )
    api = "/api/v1/decisions/"

    def send(**fields):
        return client.post(
            api, {"meeting": meeting.pk, "text": "Go to Canada.", **fields}, "application/json"
        )

    made = send(objective=plan["objective"].pk, task=plan["task"].pk)
    assert made.status_code == 201, made.content
    # The draft is adopted: the first version is revised.
    Strategy.objects.filter(pk=plan["strategy"].pk).update(status=Strategy.Status.REVISED)
    Strategy.objects.filter(pk=draft.pk).update(status=Strategy.Status.ADOPTED)
    corrected = client.patch(
        f"{api}{made.json()['id']}/", {"text": "Go to Canada in May."}, "application/json"
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["objective"] == plan["objective"].pk
    for field, old in (("objective", plan["objective"]), ("task", plan["task"])):
        refused = send(**{field: old.pk})
        assert refused.status_code == 400
        assert "revised version" in refused.json()["errors"][field][0]
    page = client.post(
        reverse("strategy:decision_add", args=[meeting.pk]),
        {"text": "Elsewhere", "objective": plan["objective"].pk},
    )
    assert page.status_code == 200 and Decision.objects.count() == 1
    current = draft.objectives.get(code=plan["objective"].code)
    assert send(objective=current.pk).status_code == 201
