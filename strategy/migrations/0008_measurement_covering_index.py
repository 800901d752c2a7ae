"""A covering index for the recompute's read of the values (grouped by KPI and period, with
their status, value, partner and time of report): on PostgreSQL it is answered from the index
alone. Other databases keep the indexes they have."""

from django.db import migrations

INDEX = "measurement_kpi_period_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON strategy_measurement (kpi_id, period_end) "
            "INCLUDE (status, value, reported_at, partner_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("strategy", "0007_kpi_breakdowns_and_parts")]

    operations = [migrations.RunPython(create, drop)]
