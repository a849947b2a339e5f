from django.apps import AppConfig


class Index766Config(AppConfig):
    name = "motcua.index766"
    verbose_name = "Chỉ số phục vụ (Quyết định 766)"
    default_auto_field = "django.db.models.BigAutoField"
