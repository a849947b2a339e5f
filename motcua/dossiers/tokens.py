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


def rating_token(dossier: Dossier) -> str:
    """The signed token of `dossier` for its rating link (URL-safe)."""
    if dossier.pk is None:
        raise ValueError("an unsaved dossier has no rating token")
    return signing.dumps(dossier.pk, salt=RATING_SALT)


def dossier_for_token(token: str, *, max_age: int | None = None) -> Dossier:
    """The dossier a rating token names; `InvalidRatingToken` if forged, expired or unknown.

    Drafts are never rated nor shown, so a token of a draft is refused like a forged one.
    """
    try:
        pk = signing.loads(str(token or ""), salt=RATING_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        raise InvalidRatingToken("liên kết đánh giá không hợp lệ", field="token") from None
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise InvalidRatingToken("liên kết đánh giá không hợp lệ", field="token")
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
