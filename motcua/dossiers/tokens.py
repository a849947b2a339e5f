"""Signed rating links — liên kết đánh giá: who holds the token may rate that one dossier.

The token is a `django.core.signing` value of the dossier's primary key (salted, so that no
other signed value of the project can stand in for it). It carries no personal data and no
expiry: a receipt may be kept for months before the result is returned. Holding it lets a
person rate the dossier once, after its result was returned (`services.rate_dossier`); it
shows nothing about the dossier beyond its code and procedure.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core import signing

from motcua.dossiers.choices import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import DossierError

RATING_SALT = "motcua.dossiers.rating"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class InvalidRatingToken(DossierError):
    """The token was not signed by this installation, or names no dossier (HTTP 400)."""

    status = 400


def _signer() -> signing.Signer:
    return signing.Signer(salt=RATING_SALT)


def rating_token(dossier: Dossier) -> str:
    """The signed token of `dossier` for its rating link (URL-safe).

    No timestamp: the token printed in a paper's QR code is the same every time the paper is
    generated, and it stays valid as long as the dossier exists (one rating only, anyway).
    """
    if dossier.pk is None:
        raise ValueError("an unsaved dossier has no rating token")
    return _signer().sign(str(dossier.pk))


def dossier_for_token(token: str) -> Dossier:
    """The dossier a rating token names; `InvalidRatingToken` if forged or unknown.

    Drafts are never rated nor shown, so a token of a draft is refused like a forged one.
    """
    try:
        value = _signer().unsign(str(token or ""))
    except signing.BadSignature:
        raise InvalidRatingToken("liên kết đánh giá không hợp lệ", field="token") from None
    if not value.isdigit():
        raise InvalidRatingToken("liên kết đánh giá không hợp lệ", field="token")
    pk = int(value)
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_unit")
        .exclude(state=State.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise InvalidRatingToken("liên kết đánh giá không hợp lệ", field="token")
    return dossier


def rating_url(dossier: Dossier) -> str:
    """The public rating link of `dossier`: MOTCUA_PUBLIC_URL/danh-gia/<token>/."""
    base = (getattr(settings, "MOTCUA_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/danh-gia/{quote(rating_token(dossier), safe=':')}/"
