from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "motcua.people"
    label = "people"
    verbose_name = "Người dùng và vai trò"

    def ready(self) -> None:
        from motcua.lib.scoping import register_policy, register_unit_scope
        from motcua.people.policy import can
        from motcua.people.scope import visible_unit_ids

        register_unit_scope(visible_unit_ids)
        register_policy(can)
