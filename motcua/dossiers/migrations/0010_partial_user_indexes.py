"""Index entries only for rows that have an account; no LIKE index on the dossier code.

A legacy import writes a million dossiers without an assignee or an applicant account and a
million events without an actor: three B-tree entries per row that no query reads (a query for
one officer's dossiers, `assignee_id = X`, uses a partial index `WHERE assignee_id IS NOT
NULL` just as well). On PostgreSQL Django also gave the unique `code` a second index with
`varchar_pattern_ops`, for `LIKE 'prefix%'`, which no dossier query uses (the search box reads
the trigram index of `search_text`); it is dropped. Issue 16 item 8, docs/performance.md.

The old indexes are dropped by name (Django's own names) without rebuilding the tables: an
AlterField on SQLite rebuilds the table and would drop the statistics roll-up's triggers with
it. A later AlterField of `code` recreates the LIKE index (Django drops it "IF EXISTS" first).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (model, column) of the foreign keys whose full index becomes a partial one
FULL = [("dossier", "assignee_id"), ("dossier", "applicant_user_id"), ("dossierevent", "actor_id")]


def _full_index_names(apps, schema_editor):
    for model_name, column in FULL:
        table = apps.get_model("dossiers", model_name)._meta.db_table
        yield table, column, schema_editor._create_index_name(table, [column])


def drop_full_indexes(apps, schema_editor):
    qn = schema_editor.quote_name
    for _table, _column, name in _full_index_names(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {qn(name)}")
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("dossiers", "dossier")._meta.db_table
        like = schema_editor._create_index_name(table, ["code"], suffix="_like")
        schema_editor.execute(f"DROP INDEX IF EXISTS {qn(like)}")


def create_full_indexes(apps, schema_editor):
    qn = schema_editor.quote_name
    for table, column, name in _full_index_names(apps, schema_editor):
        schema_editor.execute(f"CREATE INDEX {qn(name)} ON {qn(table)} ({qn(column)})")
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("dossiers", "dossier")._meta.db_table
        like = schema_editor._create_index_name(table, ["code"], suffix="_like")
        schema_editor.execute(
            f"CREATE INDEX {qn(like)} ON {qn(table)} ({qn('code')} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_step_widens_scope"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="applicant_user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="công chức được giao",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossierevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_full_indexes, create_full_indexes)],
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("assignee__isnull", False)),
                fields=["assignee"],
                name="dossier_assignee",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("applicant_user__isnull", False)),
                fields=["applicant_user"],
                name="dossier_applicant_user",
            ),
        ),
        migrations.AddIndex(
            model_name="dossierevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)),
                fields=["actor"],
                name="dossier_event_actor",
            ),
        ),
    ]
