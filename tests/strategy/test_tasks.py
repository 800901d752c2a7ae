"""The roadmap: who changes a task."""

import pytest

from strategy.models import Task

pytestmark = pytest.mark.django_db


def test_a_responsible_manager_updates_a_tasks_status_only(client, world, plan):
    task = plan["task"]
    task.responsible.add(plan["partner_a"])
    client.force_login(world.manager_a)
    done = client.patch(
        f"/api/v1/tasks/{task.pk}/", {"status": "done"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["completed_on"]
    renamed = client.patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Mine now"}, content_type="application/json"
    )
    assert renamed.status_code == 403
    assert Task.objects.get(pk=task.pk).title == "Buyer database"
