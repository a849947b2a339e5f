"""Every write to the fields of procedures replaces the `fields` change token."""

from django.db import migrations

TABLES = ("procedures_field",)


def install(apps, schema_editor):
    from motcua.audit import stamps

    stamps.install(schema_editor, TABLES, stamps.FIELDS)


def uninstall(apps, schema_editor):
    from motcua.audit import stamps

    stamps.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0005_search_body"),
        ("audit", "0004_change_stamp"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
