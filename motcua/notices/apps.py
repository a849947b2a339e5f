"""Notices to people outside the administration (e-mail, SMS, Zalo): an outbox and backends."""

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """The notices app — thông báo gửi người dân."""

    name = "motcua.notices"
    label = "notices"
    verbose_name = "Thông báo gửi người dân"
