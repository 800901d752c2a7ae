"""The scale generator: the row counts it promises, the same data on a second run, and
synthetic rows that the portal reads like any other."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from escp_portal.devtools.scale import counts, targets
from partnerships.models import ClusterOrganisation, Member, Partnership
from strategy.models import Measurement
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
SCALE = 0.5  # 5 partnerships, 100 clusters, 5,000 members, 100 KPIs, 25,000 values, ...


def test_the_generator_reaches_its_targets_once_and_the_pages_read_the_data(client, world):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    out = io.StringIO()
    call_command("generate_scale", "--scale", str(SCALE), stdout=out)
    want = targets(SCALE)
    got = counts()
    # Values are one per KPI, month and partner: the test partnerships have too few partners
    # for all of them, and the command says so.
    assert 0 < got.pop("measurements") < want.pop("measurements")
    assert "only " in out.getvalue() and "values fit" in out.getvalue()
    assert all(got[name] >= want[name] for name in want), (got, want)
    got = counts()

    call_command("generate_scale", "--scale", str(SCALE), stdout=io.StringIO())
    assert counts() == got  # a second run adds nothing

    # The portal reads the synthetic rows like any other.
    synthetic = Partnership.objects.filter(acronym__startswith="SYN").first()
    assert client.get(f"/partnerships/{synthetic.pk}/").status_code == 200
    member = Member.objects.filter(name__startswith="Synthetic member").first()
    assert member.is_sme in (True, False)  # the generated columns were computed
    assert Measurement.objects.filter(kpi__name__startswith="Synthetic").exists()
    # New rows after COPY get fresh ids (the sequences were moved on).
    assert ClusterOrganisation.objects.create(name="After", country="BE").pk > max(
        ClusterOrganisation.objects.exclude(name="After").values_list("pk", flat=True)
    )


def test_a_scale_outside_0_to_100_is_refused():
    with pytest.raises(CommandError, match="percentage"):
        call_command("generate_scale", "--scale", "150")


def test_the_partnership_filter_does_not_list_every_cluster_but_names_the_chosen_one(client, world):
    """With tens of thousands of clusters a drop-down of them all made the page megabytes."""
    extra = [
        ClusterOrganisation.objects.create(name=f"Unlisted {i}", country="FI") for i in range(30)
    ]
    page = client.get("/partnerships/").content.decode()
    assert "Unlisted 7" not in page
    chosen = client.get(f"/partnerships/?cluster={world.cluster_a.pk}").content.decode()
    assert f'Partner cluster: <a href="/clusters/{world.cluster_a.pk}/">' in chosen
    assert world.a.acronym in chosen and world.b.acronym not in chosen
    assert client.get(f"/partnerships/?cluster={extra[0].pk}").status_code == 200
