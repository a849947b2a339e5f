from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "motcua.console"
    label = "console"
    verbose_name = "Lệnh quản trị"
