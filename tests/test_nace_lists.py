"""Lists of NACE codes (a funding call's sectors, a partner search's): a searchable field on the
page, which takes codes or their titles and keeps the text each model keeps; a wrong code is
named on the page and at the API, and nothing is saved."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from funding.models import FundingCall
from matchmaking.models import PartnerRequest

pytestmark = pytest.mark.django_db

PICKED = "C Manufacturing; 62.01 Computer programming activities"


def _call(**fields):
    return {
        "programme": "Horizon Europe",
        "title": "Robots for food plants",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "topics": "robots",
        **fields,
    }


def _post(**fields):
    return {
        "title": "A supplier of barrier coatings",
        "competences": "Barrier coatings",
        "countries": ["JP"],
        "until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **fields,
    }


def nace_input(page: str) -> str:
    return re.search(r'<input[^>]*name="nace_codes"[^>]*>', page)[0]


@pytest.mark.parametrize(
    "user, url",
    [
        ("officer", reverse("funding:call_add")),
        ("coord_a", reverse("matchmaking:partner_request_add")),
    ],
)
def test_the_field_suggests_nace_codes(client, world, user, url):
    client.force_login(getattr(world, user))
    field = nace_input(client.get(url).content.decode())
    assert 'data-choices="/choices/nace/' in field
    assert 'data-choices-multiple="true"' in field


def test_a_call_takes_picked_titles_and_keeps_the_codes(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("funding:call_add"), _call(nace_codes=PICKED))
    assert response.status_code == 302, response.content.decode()[:2000]
    call = FundingCall.objects.get()
    assert call.nace_codes == "C, 62.01"
    # Edited later, the field shows the codes with their titles.
    field = nace_input(client.get(reverse("funding:call_edit", args=[call.pk])).content.decode())
    assert "62.01 Computer programming activities" in field and "C Manufacturing" in field
    # Sent back unchanged, the codes stay as they were.
    value = re.search(r'value="([^"]*)"', field)[1]
    data = _call(nace_codes=value.replace("&amp;", "&"))
    assert client.post(reverse("funding:call_edit", args=[call.pk]), data).status_code == 302
    call.refresh_from_db()
    assert call.nace_codes == "C, 62.01"


def test_a_call_with_a_wrong_code_is_refused_on_the_page(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("funding:call_add"), _call(nace_codes="C; 62.01; 99.99"))
    assert response.status_code == 200
    assert "99.99" in response.content.decode().split('name="nace_codes"')[1]
    assert not FundingCall.objects.exists()


def test_a_call_with_a_wrong_code_is_refused_at_the_api(client, world):
    _instance, token = AuthToken.objects.create(user=world.officer)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    url = "/api/v1/funding-calls/"
    refused = client.post(url, _call(nace_codes="C, Z, 99.99"), "application/json", **auth)
    assert refused.status_code == 400, refused.content
    assert "Z, 99.99" in " ".join(refused.json()["errors"]["nace_codes"]), refused.json()
    assert not FundingCall.objects.exists()
    kept = client.post(url, _call(nace_codes="c 6201, 62.01"), "application/json", **auth)
    assert kept.status_code == 201, kept.content
    assert FundingCall.objects.get().nace_codes == "C, 62.01"


def test_a_partner_search_keeps_codes_with_spaces(client, world):
    client.force_login(world.coord_a)
    data = _post(posted_for=f"p{world.a.pk}", nace_codes=PICKED)
    response = client.post(reverse("matchmaking:partner_request_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PartnerRequest.objects.get().nace_codes == "C 62.01"


def test_a_title_that_names_no_code_lists_close_ones(client, world):
    client.force_login(world.coord_a)
    data = _post(posted_for=f"p{world.a.pk}", nace_codes="computer programming")
    response = client.post(reverse("matchmaking:partner_request_add"), data)
    assert response.status_code == 200
    assert "Did you mean" in response.content.decode()
    assert not PartnerRequest.objects.exists()
