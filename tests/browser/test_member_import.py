import csv

import pytest
from playwright.sync_api import expect

from partnerships.models import Member, MemberImport
from tests.factories import PASSWORD, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def write_members_file(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "country", "nace_code", "employees", "competences"])
        for i in range(rows):
            writer.writerow([f"Browser Firm {i:05d}", "BE", "22.22", i % 300, "Bioplastics"])


def test_a_large_import_runs_on_the_worker_with_visible_progress(
    page, live_server, broker_tasks, settings, tmp_path
):
    settings.MEMBER_IMPORT_ASYNC_ROWS = 100  # this file goes to the worker
    world = make_world()
    path = tmp_path / "members.csv"
    write_members_file(path, 3000)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.manager_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import members", exact=True).click()
    page.get_by_label("Member file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    progress = page.get_by_label("Progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("max", "3000")
    expect(page.get_by_text("Ready to import")).to_be_visible(timeout=60_000)
    expect(page.locator("li", has_text="new")).to_contain_text("3000")
    assert not Member.objects.exists()  # checked, not written

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_label("Progress")).to_be_visible()
    expect(page.get_by_text("The import is complete.")).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Progress")).to_have_attribute("value", "3000")
    assert Member.objects.filter(memberships__cluster=world.cluster_a).count() == 3000
    assert MemberImport.objects.get().status == "done"
