"""The national portal synchronisation app — đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia."""

from __future__ import annotations

from django.apps import AppConfig


class NationalConfig(AppConfig):
    """Outbox of dossier state changes and their delivery to the national portal."""

    name = "motcua.national"
    label = "national"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Listen to the dossiers' state changes (the dossiers app never imports this one)."""
        from motcua.dossiers.signals import state_changed
        from motcua.national.services import record_state_change

        state_changed.connect(record_state_change, dispatch_uid="national.outbox")
