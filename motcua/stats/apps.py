from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
    verbose_name = "Thống kê"

    def ready(self) -> None:
        # A migration that rebuilds the dossier table (SQLite remakes it for many changes)
        # drops its triggers: re-install the roll-up's after every migrate (idempotent).
        post_migrate.connect(_reinstall_triggers, sender=self)


def _reinstall_triggers(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from motcua.stats import rollup

    connection = connections[using]
    tables = connection.introspection.table_names()
    if rollup.TABLE not in tables or rollup.SOURCE not in tables:
        return
    with connection.cursor() as cursor:
        for statement in rollup.trigger_sql(connection.vendor):
            cursor.execute(statement)
