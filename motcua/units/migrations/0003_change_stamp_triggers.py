"""Every write to the units or their successions replaces the `units` change token."""

from django.db import migrations

TABLES = ("units_unit", "units_unitsuccession")


def install(apps, schema_editor):
    from motcua.audit import stamps

    stamps.install(schema_editor, TABLES, stamps.UNITS)


def uninstall(apps, schema_editor):
    from motcua.audit import stamps

    stamps.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_succession_official_wording"),
        ("audit", "0004_change_stamp"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
