"""Where SMS and Zalo notices go: a console, a folder, or a gateway named in the settings.

`MOTCUA_SMS_BACKEND` and `MOTCUA_ZALO_BACKEND` each take `console` (print to standard
output), `file` (one text file per notice in `MOTCUA_NOTICES_DIR`), `off` (no notice on that
channel) or the dotted path of a class with a `send(notice)` method — the real SMS gateway
or Zalo ZNS client. E-mail always goes through `django.core.mail` (`EMAIL_BACKEND`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from motcua.notices.choices import NoticeChannel
from motcua.notices.models import Notice

OFF = "off"


class Backend(Protocol):
    """Sends one notice; raises on failure."""

    def send(self, notice: Notice) -> None:
        """Deliver `notice` (its raw `address` is set) or raise."""


def _text(notice: Notice) -> str:
    return (
        f"Kênh: {notice.get_channel_display()}\n"
        f"Người nhận: {notice.recipient}\n"
        f"Tham chiếu: {notice.reference}\n"
        f"Tiêu đề: {notice.subject}\n\n"
        f"{notice.body}\n"
    )


class ConsoleBackend:
    """Print the notice (masked recipient) to standard output — for development."""

    def send(self, notice: Notice) -> None:
        """Print it."""
        sys.stdout.write(_text(notice) + "-" * 72 + "\n")
        sys.stdout.flush()


class FileBackend:
    """Write each notice to its own text file in `MOTCUA_NOTICES_DIR` — for demos and tests."""

    def send(self, notice: Notice) -> None:
        """Write `<created>-<id>-<channel>.txt`."""
        folder = Path(settings.MOTCUA_NOTICES_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{notice.created_at:%Y%m%d-%H%M%S}-{notice.pk}-{notice.channel}.txt"
        (folder / name).write_text(_text(notice), encoding="utf-8")


class EmailBackend:
    """E-mail through `django.core.mail`."""

    def send(self, notice: Notice) -> None:
        """Send the message to the raw address."""
        send_mail(notice.subject, notice.body, None, [notice.address])


_NAMED: dict[str, type] = {"console": ConsoleBackend, "file": FileBackend}


def backend_name(channel: str) -> str:
    """The configured backend of `channel` (`off` when the channel is not used)."""
    if channel == NoticeChannel.EMAIL:
        return "email"
    if channel == NoticeChannel.SMS:
        return str(settings.MOTCUA_SMS_BACKEND)
    if channel == NoticeChannel.ZALO:
        return str(settings.MOTCUA_ZALO_BACKEND)
    return OFF


def get_backend(channel: str) -> Backend | None:
    """The backend instance for `channel`, or None when the channel is switched off."""
    name = backend_name(channel)
    if name == OFF:
        return None
    if name == "email":
        return EmailBackend()
    cls = _NAMED.get(name) or import_string(name)
    backend: Backend = cls()
    return backend
