"""The scoreboard as a spreadsheet and a PDF."""

import pytest
from django.conf import settings
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


UNUSUAL = "Przepływowych Yatırımcıları Čč źı"  # noqa: RUF001 - the real letters


def test_the_pdf_embeds_the_vendored_font_that_has_every_letter(client, world, plan):
    from reportlab.pdfbase.ttfonts import TTFont

    from evaluation import exports

    world.a.name = UNUSUAL
    world.a.save()
    plan["kpi"].name = UNUSUAL
    plan["kpi"].save()
    client.force_login(world.coord_a)
    pdf = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"])).content
    assert b"DejaVuSans" in pdf and b"DejaVuSans-Bold" in pdf
    assert b"Helvetica" not in pdf  # no text falls back to a core font without these letters
    # The vendored faces hold every letter of the names the portal loads (and the French
    # thousands separator).
    with open(settings.BASE_DIR / "partnerships" / "data" / "escp_partnerships.json") as data:
        letters = set(data.read()) | set(UNUSUAL) | {"\xa0", "\u202f"}
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font = TTFont("probe", str(exports.FONT_DIR / face))
        missing = {c for c in letters if ord(c) > 31 and ord(c) not in font.face.charToGlyph}
        assert not missing, (face, missing)
    assert (exports.FONT_DIR / "LICENSE").exists()


def _xlsx(content):
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def test_exports_show_labels_and_follow_the_language(client, world, plan):
    from decimal import Decimal

    from evaluation import services
    from tests import factories

    factories.outcome(world.a, kind="mou", counterpart_country="US", value=Decimal("630000.00"))
    services.recompute_scoreboard(world.a.pk)
    client.force_login(world.coord_a)
    url = reverse("evaluation:scoreboard_export", args=[world.a.pk, "xlsx"])

    english = _xlsx(client.get(url).content)
    board, totals = english.worksheets
    assert [c.value for c in board[2]][:4] == ["Objective", "KPI", "Unit", "Status"]
    assert board.cell(3, 4).value == "No data"  # the status label, not "no_data"
    summary = {row[0]: row[1] for row in totals.iter_rows(values_only=True)}
    assert summary["Value of outcomes (EUR)"] == 630000
    assert summary["Outcomes by kind: MoU or formal agreement"] == 1
    assert summary["Outcomes by country: United States of America"] == 1

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = _xlsx(client.get(url).content)
    board, totals = french.worksheets
    header = [c.value for c in board[2]]
    assert header[:4] == ["Objectif", "KPI", "Unité", "Statut"] and "Cible" in header
    assert board.title == "Tableau de résultats" and totals.title == "Totaux"
    labels = [row[0] for row in totals.iter_rows(values_only=True)]
    assert "Valeur des résultats (EUR)" in labels
    assert "Résultats par pays: États-Unis d'Amérique" in labels

    pdf = client.get(reverse("evaluation:scoreboard_export", args=[world.a.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
