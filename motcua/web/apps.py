from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "motcua.web"
    label = "web"
    verbose_name = "Giao diện web"

    def ready(self) -> None:
        # Officers' idle timeout starts at sign-in (motcua/lib/idle.py).
        from django.contrib.auth.signals import user_logged_in

        from motcua.lib.idle import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="motcua-idle-clock")

        # The API's input rules and Vietnamese messages for every serializer are applied when
        # `motcua.lib.apiinput` is first imported (by the API's base view and serializers),
        # not here: a `motcua` command does not pay for importing Django REST framework.

        # Second factor (TOTP, issue 16): what a session owes is worked out at sign-in.
        from motcua.web import second_factor  # noqa: F401 (connects its user_logged_in receiver)
