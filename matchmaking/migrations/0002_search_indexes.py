"""The search's indexes on PostgreSQL: the full-text vector (GIN) and trigrams of the competences,
the skills (what value-chain stages are matched against) and the export markets, so that their
LIKE '%…%' filters read an index at a million profiles. Nothing happens on SQLite (the embedded
default), where the same queries read the table."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "matchmaking_findableprofile"
INDEXES = {
    "profile_search_vector": "USING gin (search_vector)",
    "profile_competence_trgm": "USING gin (competence_tags gin_trgm_ops)",
    "profile_skills_trgm": "USING gin (skills_text gin_trgm_ops)",
    "profile_markets_trgm": "USING gin (export_markets gin_trgm_ops)",
}


class PostgresOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [
        TrigramExtension(),
        PostgresOnlySQL(
            sql=[f"CREATE INDEX {name} ON {TABLE} {how}" for name, how in INDEXES.items()],
            reverse_sql=[f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
