"""Requirement: a double submit gives one object and a clear message, never an error page; an
approval applies to the value the coordinator saw. One request after the other here (SQLite);
test_concurrent_requests.py sends them at the same moment on PostgreSQL."""

from django.db import IntegrityError
from django.urls import reverse

from escp_portal.services import save_audited
from strategy.models import Measurement, Objective, Strategy


def test_start_strategy_clicked_twice_gives_one_draft(client, s):
    client.force_login(s.world.coord_a)
    url = reverse("strategy:strategy_create", args=[s.world.a.pk])
    drafts = Strategy.objects.filter(partnership=s.world.a, status=Strategy.Status.DRAFT)
    assert drafts.count() == 0
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert first.status_code == second.status_code == 200
    assert drafts.count() == 1
    assert "A draft version exists already" in second.content.decode()


def test_the_database_holds_one_draft_whatever_writes(s):
    Strategy.objects.create(partnership=s.world.b, version=90, status=Strategy.Status.DRAFT)
    try:
        Strategy.objects.create(partnership=s.world.b, version=91, status=Strategy.Status.DRAFT)
    except IntegrityError:
        pass
    else:
        raise AssertionError("two drafts of one partnership were stored")


def test_a_constraint_tripped_by_a_simultaneous_save_is_a_message(s):
    """full_clean passed for both; the second insert meets the unique code of the first."""
    taken = s.a.objective.code
    twin = Objective(strategy=s.a.strategy, code=taken, statement="Twin", order=9)
    # What the second of two simultaneous saves meets: a row that full_clean did not see.
    twin.full_clean = lambda **kwargs: None
    try:
        save_audited(s.world.coord_a, twin)
    except Exception as error:
        assert type(error).__name__ == "ValidationError", error
        assert "at the same moment" in " ".join(error.messages)
    else:
        raise AssertionError("the duplicate was saved")


def test_approving_on_the_page_a_value_corrected_since_does_not_revert_it(client, s):
    measurement = s.a.measurement
    client.force_login(s.world.coord_a)
    kpi_page = client.get(reverse("strategy:kpi_detail", args=[s.a.kpi.pk])).content.decode()
    assert 'name="value" value="3.00"' in kpi_page  # the approve form carries what it shows

    # The partner corrects the value after the coordinator loaded the page.
    Measurement.objects.filter(pk=measurement.pk).update(value=5)
    url = reverse("strategy:measurement_review", args=[measurement.pk])
    response = client.post(url, {"action": "approve", "value": "3.00"}, follow=True)
    assert "changed to 5" in response.content.decode()
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (5, Measurement.Status.SUBMITTED)

    client.post(url, {"action": "approve", "value": "5.00"})
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (5, Measurement.Status.APPROVED)


def test_an_approval_saves_only_the_review(client, s):
    """Even without the value seen (an old page), the approval cannot write back a value."""
    measurement = Measurement.objects.get(pk=s.a.measurement.pk)
    Measurement.objects.filter(pk=measurement.pk).update(value=7)
    from strategy import services

    services.measurement_approve(actor=s.world.coord_a, measurement=measurement)
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (7, Measurement.Status.APPROVED)


def test_a_value_approved_then_corrected_through_the_api_keeps_the_correction(client, s):
    """The order test_concurrent_requests.py may meet: the approval first, then the correction."""
    measurement = s.a.measurement
    client.force_login(s.world.coord_a)
    url = reverse("strategy:measurement_review", args=[measurement.pk])
    client.post(url, {"action": "approve", "value": "3.00"})
    client.logout()
    response = client.patch(
        f"/api/v1/measurements/{measurement.pk}/",
        data={"value": "5", "reason": "Recounted"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {s.tokens['manager_a']}",
    )
    assert response.status_code == 200, response.content
    measurement.refresh_from_db()
    assert (measurement.value, measurement.status) == (5, Measurement.Status.SUBMITTED)
    assert measurement.revisions.get().old_status == Measurement.Status.APPROVED
