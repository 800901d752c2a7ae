"""The scoreboard as a spreadsheet and a PDF."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_exports_open(client, world, plan):
    client.force_login(world.coord_a)
    pdf = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_markup_in_kpi_names_is_text_in_the_pdf(client, world, plan):
    plan["kpi"].name = "R&D <b>bold <font size=400>"
    plan["kpi"].save()
    client.force_login(world.coord_a)
    response = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
