"""The indicator table (XLSX)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_indicator_table_never_runs_formulas(client, world, plan):
    plan["kpi"].name = '=HYPERLINK("http://evil.example","click")'
    plan["kpi"].save()
    client.force_login(world.coord_a)
    response = client.get(reverse("strategy:indicators", args=[world.a.pk]))
    cell = load_workbook(io.BytesIO(response.content)).worksheets[0].cell(3, 3)
    assert cell.data_type == "s" and cell.value.startswith("'=")
