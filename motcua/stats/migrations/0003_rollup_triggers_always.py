"""The roll-up's triggers fire in every session_replication_role (ENABLE ALWAYS).

Bulk loads turn PostgreSQL's per-row foreign-key checks off with `session_replication_role =
replica` and check the keys once per load instead (motcua.lib.bulkload, issue 16 item 8);
that role also skips ordinary triggers, and the roll-up must never be skipped. The table's
contents do not change: only the triggers are re-installed.
"""

from django.db import migrations


def reinstall(apps, schema_editor):
    from motcua.stats import rollup

    for statement in rollup.trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_rollup_finer_grains"),
    ]

    # Backwards: triggers that fire always are still correct for the older code.
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
