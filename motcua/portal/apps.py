"""The citizens' portal: procedure lookup, online submission, status lookup, ratings."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The portal app."""

    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"
