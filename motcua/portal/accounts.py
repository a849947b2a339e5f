"""Writes of applicant accounts: registration, and linking a verified identity to an account."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.lib.vntext import nfc
from motcua.portal.contacts import normalize_email, normalize_phone
from motcua.portal.models import ApplicantProfile

if TYPE_CHECKING:
    from motcua.people.models import User
    from motcua.portal.identity import VerifiedIdentity


class AccountError(Exception):
    """An account that cannot be created; `field` names the bad input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _new_username() -> str:
    # Applicants sign in by e-mail or phone; the user name is an opaque handle only.
    model = get_user_model()
    while True:
        name = f"cd-{secrets.token_hex(5)}"
        if not model.objects.filter(username=name).exists():
            return name


def normalize_id_number(value: str) -> str:
    """The personal ID number (số định danh cá nhân, CCCD) as 12 digits; "" when not given.

    Spaces and dots people type between digit groups are dropped; anything else that is
    not exactly 12 digits raises AccountError.
    """
    text = "".join(ch for ch in nfc(value or "") if not ch.isspace() and ch not in ".-")
    if text and not (len(text) == 12 and text.isascii() and text.isdigit()):
        raise AccountError(gettext("Số định danh cá nhân gồm đúng 12 chữ số."), field="id_number")
    return text


def _check_free(phone: str, email: str) -> None:
    if email and ApplicantProfile.objects.filter(email=email).exists():
        raise AccountError(
            gettext("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác."), field="email"
        )
    if phone and ApplicantProfile.objects.filter(phone=phone).exists():
        raise AccountError(
            gettext("Số điện thoại này đã được dùng cho một tài khoản khác."), field="phone"
        )


def register_applicant(
    *,
    full_name: str,
    password: str | None,
    email: str = "",
    phone: str = "",
    id_number: str = "",
    address: str = "",
    username: str = "",
    verified_via: str = "password",
    assurance_level: int = 1,
    e_id_subject: str = "",
) -> User:
    """Create an applicant account (user + profile); e-mail or phone, at least one, unique."""
    name = nfc(full_name or "")
    if not name:
        raise AccountError(gettext("Cần ghi họ và tên."), field="full_name")
    try:
        email = normalize_email(email)
    except ValueError as exc:
        raise AccountError(str(exc), field="email") from None
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        raise AccountError(str(exc), field="phone") from None
    id_number = normalize_id_number(id_number)
    address = " ".join(nfc(address or "").split())[:255]
    if not email and not phone and not e_id_subject:
        raise AccountError(
            gettext("Cần ghi địa chỉ thư điện tử hoặc số điện thoại (ít nhất một)."), field="email"
        )
    _check_free(phone, email)
    model = get_user_model()
    try:
        with transaction.atomic():
            user = model(
                username=username or _new_username(),
                full_name=name[:150],
                email=email,
                phone=phone,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            ApplicantProfile.objects.create(
                user=user,
                phone=phone,
                email=email,
                id_number=id_number,
                address=address,
                verified_via=verified_via,
                assurance_level=assurance_level,
                e_id_subject=e_id_subject,
                verified_at=timezone.now() if e_id_subject else None,
            )
    except IntegrityError:
        # Two registrations with the same contact at the same instant: one wins.
        _check_free(phone, email)
        raise
    return user


def link_identity(identity: VerifiedIdentity) -> User:
    """The applicant account of a verified identity; created at the first sign-in.

    An identity from an external provider (national e-ID) is matched on the provider's
    stable subject; its details refresh the profile, so the ID number and name come from
    the identity system rather than from what the applicant typed.
    """
    profile = (
        ApplicantProfile.objects.select_related("user")
        .filter(verified_via=identity.provider, e_id_subject=identity.subject)
        .first()
    )
    if profile is None:
        return register_applicant(
            full_name=identity.full_name,
            password=None,
            email=identity.email if not _taken("email", identity.email) else "",
            phone=identity.phone if not _taken("phone", identity.phone) else "",
            id_number=_provider_id_number(identity.id_number),
            verified_via=identity.provider,
            assurance_level=identity.level,
            e_id_subject=identity.subject,
        )
    changes: dict[str, object] = {
        "assurance_level": identity.level,
        "verified_at": timezone.now(),
    }
    if _provider_id_number(identity.id_number):
        changes["id_number"] = _provider_id_number(identity.id_number)
    ApplicantProfile.objects.filter(pk=profile.pk).update(**changes)
    user = profile.user
    if identity.full_name and nfc(identity.full_name) != user.full_name:
        user.full_name = nfc(identity.full_name)[:150]
        user.save(update_fields=["full_name"])
    return user


def _taken(field: str, value: str) -> bool:
    try:
        value = normalize_email(value) if field == "email" else normalize_phone(value)
    except ValueError:
        return True  # a malformed contact from a provider is dropped, not stored
    return bool(value) and ApplicantProfile.objects.filter(**{field: value}).exists()


def _provider_id_number(value: str) -> str:
    try:
        return normalize_id_number(value)
    except AccountError:
        return ""  # a malformed number from a provider is dropped, not stored
