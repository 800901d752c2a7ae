""" "We look for …" posts: coordinators and managers post for their partnership or cluster; every
signed-in user reads them; others answer (the poster sees who); the poster closes a post, and a
post past its date expires by itself and takes no more answers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import PartnerRequest, PartnerRequestAnswer
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/partner-requests/"


def _today():
    return timezone.localdate()


def _post(client, user, posted_for, **fields):
    client.force_login(user)
    data = {
        "posted_for": posted_for,
        "title": "A supplier of barrier coatings",
        "description": "Food trays for the Japanese market.",
        "competences": "Barrier coatings ;  bioplastics",
        "nace_codes": "C22 20.16",
        "countries": ["JP"],
        "until": (_today() + timedelta(days=30)).isoformat(),
        **fields,
    }
    return client.post(reverse("matchmaking:partner_request_add"), data)


def test_a_coordinator_posts_for_their_partnership(client, world):
    response = _post(client, world.coord_a, f"p{world.a.pk}")
    assert response.status_code == 302, response.context["form"].errors
    post = PartnerRequest.objects.get()
    assert post.partnership == world.a and post.author == world.coord_a
    assert post.competences == "Barrier coatings; bioplastics"
    assert post.nace_codes == "22 20.16" and post.state == "open"


def test_a_manager_posts_for_their_cluster_only(client, world):
    assert _post(client, world.manager_a, f"c{world.cluster_a.pk}").status_code == 302
    refused = _post(client, world.manager_a, f"c{world.cluster_b.pk}")
    assert refused.status_code == 200  # not among the choices
    assert PartnerRequest.objects.count() == 1
    client.force_login(world.officer)
    assert client.get(reverse("matchmaking:partner_request_add")).status_code == 403


def test_a_draft_partnership_stays_out_of_the_posts(client, world):
    refused = _post(client, world.coord_a, f"p{world.draft.pk}")
    assert refused.status_code == 200 and "DRAFTY" not in refused.content.decode()
    api = client.post(
        API,
        {"partnership": world.draft.pk, "title": "x", "until": _today().isoformat()},
        content_type="application/json",
    )
    assert api.status_code == 400 and "draft" in api.content.decode()
    assert not PartnerRequest.objects.exists()


def test_bad_dates_and_codes_are_refused_with_a_message(client, world):
    past = _post(client, world.coord_a, f"p{world.a.pk}", until="2020-01-01")
    assert "between today and a year from now" in past.content.decode()
    far = _post(client, world.coord_a, f"p{world.a.pk}", until="9999-12-31")
    assert far.status_code == 200
    code = _post(client, world.coord_a, f"p{world.a.pk}", nace_codes="C25 99.99")
    assert code.status_code == 200 and "99.99" in code.content.decode()
    assert not PartnerRequest.objects.exists()


def _open_post(world, **fields):
    return PartnerRequest.objects.create(
        author=world.coord_a,
        partnership=world.a,
        title="Cold-chain logistics in Canada",
        competences="Cold chain",
        until=_today() + timedelta(days=10),
        **fields,
    )


def test_answers_reach_the_poster_who_sees_who_answered(
    client, world, django_capture_on_commit_callbacks
):
    post = _open_post(world)
    url = post.get_absolute_url()
    for user, text in (
        (world.manager_x, "Our members ship frozen food."),
        (world.coord_b, "Us too"),
    ):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"message": text}).status_code == 302
    assert [m.to for m in mail.outbox] == [[world.coord_a.email]] * 2
    client.force_login(world.coord_a)
    page = client.get(url).content.decode()
    assert "Our members ship frozen food." in page and "manager-x@example.org" in page
    assert "Us too" in page
    client.force_login(world.manager_x)
    page = client.get(url).content.decode()
    assert "Our members ship frozen food." in page and "Us too" not in page
    client.force_login(world.manager_a)
    page = client.get(url).content.decode()
    assert "frozen food" not in page and "Us too" not in page
    assert client.get(f"{API}{post.pk}/answers/").json() == []
    client.force_login(world.coord_a)
    assert len(client.get(f"{API}{post.pk}/answers/").json()) == 2


def test_one_answer_per_person_and_none_from_the_poster(client, world):
    post = _open_post(world)
    client.force_login(world.manager_x)
    client.post(post.get_absolute_url(), {"message": "First"})
    second = client.post(post.get_absolute_url(), {"message": "Second"})
    assert "already answered" in second.content.decode()
    client.force_login(world.coord_a)
    assert client.post(post.get_absolute_url(), {"message": "Me"}).status_code == 403
    assert PartnerRequestAnswer.objects.count() == 1


def test_a_closed_or_expired_post_takes_no_answer(client, world):
    post = _open_post(world)
    client.force_login(world.coord_a)
    client.post(reverse("matchmaking:partner_request_close", args=[post.pk]))
    post.refresh_from_db()
    assert post.state == "closed"
    expired = _open_post(world)
    PartnerRequest.objects.filter(pk=expired.pk).update(until=_today() - timedelta(days=1))
    expired.refresh_from_db()
    assert expired.state == "expired"
    client.force_login(world.manager_x)
    for closed in (post, expired):
        response = client.post(closed.get_absolute_url(), {"message": "Late"})
        assert response.status_code == 200 and "takes no answers" in response.content.decode()
        api = client.post(
            f"{API}{closed.pk}/answers/", {"message": "Late"}, content_type="application/json"
        )
        assert api.status_code == 400
    assert not PartnerRequestAnswer.objects.exists()


def test_the_list_shows_open_posts_and_filters(client, world):
    open_post = _open_post(world, countries=["CA"], nace_codes="49")
    closed = _open_post(world, closed_at=timezone.now())
    closed.title = "Closed one"
    closed.save()
    expired = _open_post(world)
    PartnerRequest.objects.filter(pk=expired.pk).update(
        until=_today() - timedelta(days=3), title="Expired one"
    )
    nobody = factories.user("reader@example.org")  # every signed-in user reads them
    client.force_login(nobody)
    page = client.get(reverse("matchmaking:partner_requests")).content.decode()
    assert open_post.title in page and "Closed one" not in page and "Expired one" not in page
    expired_page = client.get(reverse("matchmaking:partner_requests"), {"state": "expired"})
    assert "Expired one" in expired_page.content.decode()
    by_api = client.get(API, {"state": "open", "country": "CA", "nace": "H49"}).json()
    assert [p["title"] for p in by_api["results"]] == [open_post.title]
    assert client.get(API, {"competence": "cold"}).json()["count"] == 3
    assert client.get(API, {"nace": "bogus"}).status_code == 400
    client.logout()
    assert client.get(API).status_code == 401


def test_the_poster_edits_with_a_version_and_others_may_not(client, world):
    post = _open_post(world)
    client.force_login(world.coord_b)
    assert (
        client.get(reverse("matchmaking:partner_request_edit", args=[post.pk])).status_code == 403
    )
    patch = client.patch(f"{API}{post.pk}/", {"title": "x"}, content_type="application/json")
    assert patch.status_code == 403
    client.force_login(world.coord_a)
    etag = client.get(f"{API}{post.pk}/")["ETag"]
    ok = client.patch(
        f"{API}{post.pk}/",
        {"title": "Cold chain"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"{API}{post.pk}/", {"title": "Again"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    closed = client.post(f"{API}{post.pk}/close/", HTTP_IF_MATCH=ok["ETag"])
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_the_api_posts_once_per_idempotency_key(client, world):
    client.force_login(world.manager_a)
    body = {
        "cluster": world.cluster_a.pk,
        "title": "Printed electronics",
        "until": (_today() + timedelta(days=5)).isoformat(),
        "countries": ["US"],
    }
    first = client.post(
        API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="post-key-1"
    )
    assert first.status_code == 201, first.content
    again = client.post(
        API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="post-key-1"
    )
    assert again["Idempotent-Replayed"] == "true"
    assert PartnerRequest.objects.count() == 1
    both = client.post(
        API,
        {**body, "partnership": world.a.pk},
        content_type="application/json",
    )
    assert both.status_code in (400, 403)
