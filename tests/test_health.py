import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_json_without_login(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "in-process"}


def test_health_reports_an_unreachable_broker_as_degraded(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = client.get("/health/").json()
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False
    assert body["worker"]["ok"] is False


def test_health_checks_that_the_folder_of_uploads_is_writable(client, settings, tmp_path):
    settings.REDIS_URL = ""
    settings.MEDIA_ROOT = str(tmp_path / "not-yet" / "media")  # made by the first upload
    body = client.get("/health/").json()
    assert body["media"] == {"ok": True, "mode": "filesystem"} and body["status"] == "ok"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/health/")
    assert response.status_code == 200  # the pages still answer: degraded, not down
    body = response.json()
    assert body["status"] == "degraded"
    assert body["media"] == {"ok": False, "mode": "filesystem", "error": "not writable"}


def test_every_page_names_the_portal_icon_and_favicon_ico_leads_to_it(client):
    """No browser's first visit ends in a 404 for /favicon.ico (a console error and a log line
    each time): pages declare the icon, and /favicon.ico redirects to it for anyone who asks."""
    from django.contrib.staticfiles import finders

    page = client.get("/partnerships/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")
