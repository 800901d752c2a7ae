"""A KPI's milestones on its page: coordinators add, change and delete them with small forms
(no script); a refusal shows on the form, never as an error page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from strategy.models import Milestone, Strategy
from strategy.services import kpi_update

pytestmark = pytest.mark.django_db


def url(kpi):
    return reverse("strategy:kpi_milestones", args=[kpi.pk])


def add(client, kpi, day, value):
    return client.post(url(kpi), {"action": "save", "new-date": day, "new-value": value})


def test_a_coordinator_adds_changes_and_deletes_a_milestone(client, world, plan):
    kpi = plan["kpi"]
    client.force_login(world.coord_a)
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert "Add the milestone" in page
    response = add(client, kpi, "2025-12-31", "20")
    assert response.status_code == 302
    milestone = kpi.milestones.get()
    assert (milestone.date, milestone.value) == (date(2025, 12, 31), Decimal(20))
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert f'name="m{milestone.pk}-value"' in page
    response = client.post(
        url(kpi),
        {
            "action": "save",
            "milestone": milestone.pk,
            f"m{milestone.pk}-date": "2026-06-30",
            f"m{milestone.pk}-value": "25.5",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.date, milestone.value) == (date(2026, 6, 30), Decimal("25.5"))
    response = client.post(url(kpi), {"action": "delete", "milestone": milestone.pk})
    assert response.status_code == 302 and not kpi.milestones.exists()


@pytest.mark.parametrize(
    ("day", "value", "message"),
    [
        ("2023-06-30", "5", "A milestone falls after the baseline date"),  # before the baseline
        ("2023-12-31", "5", "A milestone falls after the baseline date"),  # on the baseline
        ("2028-01-31", "5", "A milestone falls after the baseline date"),  # after the target
        ("2025-12-31", "abc", "Enter a number."),
        ("2025-12-31", "1e20", "Ensure that there are no more than 15 digits in total."),
        ("2025-12-31", "NaN", "Enter a number."),
        ("2025-12-31", "", "This field is required."),
        ("2025-02-30", "5", "Enter a valid date."),
        ("9999-12-31", "5", "Enter a date between 1900 and 2100."),
    ],
)
def test_a_wrong_milestone_is_refused_with_a_message(client, world, plan, day, value, message):
    client.force_login(world.coord_a)
    response = add(client, plan["kpi"], day, value)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not plan["kpi"].milestones.exists()


def test_a_date_takes_one_milestone(client, world, plan):
    kpi = plan["kpi"]
    first = Milestone.objects.create(kpi=kpi, date=date(2025, 12, 31), value=10)
    second = Milestone.objects.create(kpi=kpi, date=date(2026, 12, 31), value=20)
    client.force_login(world.coord_a)
    response = add(client, kpi, "2025-12-31", "12")
    assert "The KPI has a milestone on this date already." in response.content.decode()
    response = client.post(
        url(kpi),
        {
            "action": "save",
            "milestone": second.pk,
            f"m{second.pk}-date": "2025-12-31",
            f"m{second.pk}-value": "20",
        },
    )
    assert "The KPI has a milestone on this date already." in response.content.decode()
    assert list(kpi.milestones.values_list("pk", "value")) == [(first.pk, 10), (second.pk, 20)]


def test_only_who_may_edit_the_kpi_changes_its_milestones(client, world, plan):
    kpi = plan["kpi"]
    milestone = Milestone.objects.create(kpi=kpi, date=date(2025, 12, 31), value=10)
    for user, answer in ((world.manager_a, 403), (world.officer, 403), (world.coord_b, 404)):
        client.force_login(user)
        assert add(client, kpi, "2026-06-30", "5").status_code == answer
        delete = {"action": "delete", "milestone": milestone.pk}
        assert client.post(url(kpi), delete).status_code == answer
        if answer == 403:
            assert "Add the milestone" not in client.get(kpi.get_absolute_url()).content.decode()
    assert list(kpi.milestones.all()) == [milestone]


def test_a_milestone_of_another_kpi_or_no_number_is_not_found(client, world, plan):
    other = Milestone.objects.create(
        kpi=plan["kpi"].__class__.objects.create(
            objective=plan["objective"],
            name="Other",
            unit="x",
            baseline_date=date(2023, 12, 31),
            target_date=date(2027, 12, 31),
        ),
        date=date(2025, 12, 31),
        value=1,
    )
    client.force_login(world.coord_a)
    for chosen in (other.pk, "abc", "1e9"):
        response = client.post(url(plan["kpi"]), {"action": "delete", "milestone": chosen})
        assert response.status_code == 404
    assert Milestone.objects.filter(pk=other.pk).exists()


def test_a_replaced_version_keeps_its_milestones(client, world, plan):
    kpi = plan["kpi"]
    milestone = Milestone.objects.create(kpi=kpi, date=date(2025, 12, 31), value=10)
    Strategy.objects.filter(pk=plan["strategy"].pk).update(status="revised")
    client.force_login(world.coord_a)
    assert "Add the milestone" not in client.get(kpi.get_absolute_url()).content.decode()
    response = add(client, kpi, "2026-06-30", "5")
    assert response.status_code == 200
    assert "was replaced by a later one" in response.content.decode()
    response = client.post(url(kpi), {"action": "delete", "milestone": milestone.pk}, follow=True)
    assert "was replaced by a later one" in response.content.decode()
    assert list(kpi.milestones.all()) == [milestone]


def test_an_adopted_version_takes_milestones_like_its_kpis(client, world, plan):
    assert plan["strategy"].status == "adopted"
    client.force_login(world.coord_a)
    assert add(client, plan["kpi"], "2026-06-30", "5").status_code == 302


def test_new_kpi_dates_may_not_leave_a_milestone_outside(world, plan):
    kpi = plan["kpi"]
    Milestone.objects.create(kpi=kpi, date=date(2027, 6, 30), value=10)
    with pytest.raises(Exception, match="would fall outside the new dates"):
        kpi_update(actor=world.coord_a, kpi=kpi, target_date=date(2026, 12, 31))


def test_the_api_refuses_two_milestones_on_one_date(client, world, plan):
    client.force_login(world.coord_a)
    body = {
        "milestones": [
            {"date": "2025-12-31", "value": "5"},
            {"date": "2025-12-31", "value": "6"},
        ]
    }
    response = client.patch(
        f"/api/v1/kpis/{plan['kpi'].pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Two milestones fall on the same date." in str(response.json())
