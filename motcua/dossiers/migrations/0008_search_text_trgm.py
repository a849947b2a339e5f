"""The queue's search box on PostgreSQL: a GIN trigram index (pg_trgm) on the folded
`search_text`, so that the `LIKE '%word%'` of every word typed (a dossier code, a name with or
without diacritics, a phone number) is served by an index instead of a scan of the officer's
whole scope (1.6 s at 1,000,000 dossiers, docs/performance.md). SQLite runs the same query on a
scan: the migration is a no-op there."""

from django.db import migrations

INDEX = "dossiers_dossier_search_text_trgm"


def create_index(apps, schema_editor):
    """PostgreSQL: pg_trgm (a trusted extension) and the GIN trigram index."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    """Undo `create_index` (the extension stays: the catalogue's search uses it too)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_drop_redundant_indexes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
