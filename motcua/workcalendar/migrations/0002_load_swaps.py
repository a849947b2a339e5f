"""Load the shipped swap table (deadlines.md §2(a)) from workcalendar/data/swaps.csv."""

from django.db import migrations


def load_swaps(apps, schema_editor):
    from motcua.workcalendar.swaps import shipped_rows

    CalendarEntry = apps.get_model("workcalendar", "CalendarEntry")
    for row in shipped_rows():
        CalendarEntry.objects.update_or_create(
            date=row["date"],
            unit=None,
            defaults={
                "kind": row["kind"],
                "name": row["name"],
                "document": row["document"],
                "status": row["status"],
                "note": row["note"],
            },
        )


def unload_swaps(apps, schema_editor):
    from motcua.workcalendar.swaps import shipped_rows

    CalendarEntry = apps.get_model("workcalendar", "CalendarEntry")
    CalendarEntry.objects.filter(
        unit__isnull=True, date__in=[row["date"] for row in shipped_rows()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workcalendar", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_swaps, unload_swaps),
    ]
