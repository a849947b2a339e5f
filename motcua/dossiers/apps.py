from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        """A change of the working calendar recomputes open dossiers' due instants (jobs.py)."""
        from motcua.dossiers.jobs import on_calendar_changed
        from motcua.workcalendar.signals import calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="dossiers.recompute_dues")
