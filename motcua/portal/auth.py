"""Sign-in of applicant accounts by e-mail or phone number plus password.

Listed in `AUTHENTICATION_BACKENDS` after Django's `ModelBackend` (officers sign in by user
name there). This backend only ever answers for users that have an `ApplicantProfile`, so
an officer's account cannot be reached through a phone number or e-mail address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from motcua.portal.contacts import looks_like_email, normalize_email, normalize_phone
from motcua.portal.models import ApplicantProfile

BACKEND = "motcua.portal.auth.ApplicantBackend"


def find_applicant(identifier: str) -> ApplicantProfile | None:
    """The applicant profile whose e-mail or phone is `identifier` (any usual spelling)."""
    try:
        if looks_like_email(identifier):
            email = normalize_email(identifier)
            return (
                ApplicantProfile.objects.select_related("user").filter(email=email).first()
                if email
                else None
            )
        phone = normalize_phone(identifier)
    except ValueError:
        return None
    if not phone:
        return None
    return ApplicantProfile.objects.select_related("user").filter(phone=phone).first()


class ApplicantBackend(ModelBackend):
    """E-mail or phone + password, for applicant accounts only."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """The applicant whose e-mail or phone is `username`, if the password matches."""
        if not username or password is None:
            return None
        profile = find_applicant(username)
        if profile is None:
            # Spend the time of a password check anyway, so that timing does not tell
            # whether an account exists (as ModelBackend does).
            get_user_model()().set_password(password)
            return None
        user = profile.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
