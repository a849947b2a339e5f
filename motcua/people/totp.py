"""Second factor (TOTP, django-otp) for officers and administrators — xác thực hai lớp.

Optional per user: the user starts an enrolment (an unconfirmed device and its secret), adds
it to an authenticator app (QR code or the secret as text) and confirms it with one code; from
then on every sign-in asks for the 6-digit code after the password. With
`MOTCUA_REQUIRE_TOTP_FOR_STAFF` on, Django admin users (`is_staff`) must enrol before they can
use anything. An administrator can reset a user's devices (audited) when a phone is lost.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change
from motcua.people.models import User

DEVICE_NAME = "motcua"


class SecondFactorError(Exception):
    """A refused second-factor step (→ form error / HTTP 400 or 409)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def must_enrol(user: Any) -> bool:
    """True for an admin user without a device while the setting makes TOTP mandatory."""
    return (
        bool(getattr(settings, "MOTCUA_REQUIRE_TOTP_FOR_STAFF", False))
        and bool(getattr(user, "is_staff", False))
        and confirmed_device(user) is None
    )


def start_enrolment(*, user: User, actor: Any) -> TOTPDevice:
    """The user's pending (unconfirmed) device, created with a fresh secret when none is."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if confirmed_device(locked) is not None:
            raise SecondFactorError(_("Tài khoản này đã bật xác thực hai lớp."), status=409)
        pending = TOTPDevice.objects.filter(user=locked, confirmed=False).order_by("pk").first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=locked, name=DEVICE_NAME, confirmed=False)
        return pending


def confirm_enrolment(*, user: User, token: str, actor: Any) -> TOTPDevice:
    """Confirm the pending device with a code from the app; audited."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        pending = (
            TOTPDevice.objects.select_for_update()
            .filter(user=locked, confirmed=False)
            .order_by("pk")
            .first()
        )
        if pending is None:
            raise SecondFactorError(_("Chưa bắt đầu bật xác thực hai lớp."), status=409)
        if not _valid_code(token) or not pending.verify_token(token.strip()):
            raise SecondFactorError(_("Mã xác thực không đúng hoặc đã hết hạn."))
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=locked, confirmed=False).delete()
        record_change(
            obj=locked,
            action=ChangeAction.UPDATE,
            actor=actor,
            before={"totp": False},
            after={"totp": True},
            source="web",
            reason=_("Bật xác thực hai lớp"),
        )
        return pending


def verify_code(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts `token` (each code once; throttled), else None."""
    device = confirmed_device(user)
    if device is None or not _valid_code(token):
        return None
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return locked if locked.verify_token(token.strip()) else None


def must_wait(user: Any) -> bool:
    """True while django-otp's throttle (1, 2, 4… seconds after each wrong code) holds."""
    device = confirmed_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def reset_second_factor(*, user: User, actor: Any, source: str = "admin", reason: str = "") -> int:
    """Remove every TOTP device of `user` (lost phone); audited. The number removed."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        removed, _detail = TOTPDevice.objects.filter(user=locked).delete()
        if removed:
            record_change(
                obj=locked,
                action=ChangeAction.UPDATE,
                actor=actor,
                before={"totp": True},
                after={"totp": False},
                source=source,
                reason=reason or _("Đặt lại xác thực hai lớp"),
            )
        return int(removed)


def _valid_code(token: str) -> bool:
    text = (token or "").strip()
    return len(text) == 6 and text.isascii() and text.isdigit()
