"""Install motcua's default reform-report template (reports.md §2, motcua DECISION)."""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from motcua.reports.reform.templates import DEFAULT_CODE, DEFAULT_NAME, DEFAULT_SECTIONS

    template = apps.get_model("reports", "ReportTemplate")
    template.objects.get_or_create(
        code=DEFAULT_CODE, version=1, defaults={"name": DEFAULT_NAME, "sections": DEFAULT_SECTIONS}
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
