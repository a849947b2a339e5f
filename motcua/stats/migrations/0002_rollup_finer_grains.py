"""Weeks of the month, quarters and decades in the roll-up (issue 16 item 8).

The schema is unchanged (`grain` is a number); the triggers now add every flow to six grains
(rollup.GRAINS) and the reader sums the fewest buckets (rollup.read_plan): re-install the
triggers and recompute the table from the dossiers, as `motcua stats rebuild-rollup` does.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from motcua.stats import rollup

    rollup.rebuild(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_dossier_rollup"),
    ]

    operations = [
        # Backwards: the older reader sums days, months and years only; the extra rows it
        # never reads are harmless, and its own rebuild-rollup drops them.
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
