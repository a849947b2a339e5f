"""Every write to the calendar's overlay or working hours replaces the `calendar` token."""

from django.db import migrations

TABLES = ("workcalendar_calendarentry", "workcalendar_workinghours")


def install(apps, schema_editor):
    from motcua.audit import stamps

    stamps.install(schema_editor, TABLES, stamps.CALENDAR)


def uninstall(apps, schema_editor):
    from motcua.audit import stamps

    stamps.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("workcalendar", "0002_load_swaps"),
        ("audit", "0004_change_stamp"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
