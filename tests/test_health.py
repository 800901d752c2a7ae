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
