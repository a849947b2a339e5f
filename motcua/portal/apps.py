"""The citizens' portal: procedure lookup, online submission, status lookup, ratings."""

from typing import Any

from django.apps import AppConfig


def _walk_in_received(sender: Any, *, request: Any, dossier: Any, **kwargs: Any) -> None:
    from motcua.portal.desk_views import link_walk_in

    link_walk_in(request, dossier)


class PortalConfig(AppConfig):
    """The portal app."""

    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"

    def ready(self) -> None:
        """Listen for walk-in receipts: a booked appointment becomes the received dossier."""
        from motcua.dossiers.signals import walk_in_received

        walk_in_received.connect(_walk_in_received, dispatch_uid="portal.appointment_received")
