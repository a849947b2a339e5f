"""Phone numbers and e-mail addresses of applicants: one normal form, so lookups match."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext

_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese numbers: 10 digits (mobile, 03x–09x) or 11 (landline 02xx), leading 0.
_PHONE = re.compile(r"0\d{9,10}")


def normalize_phone(text: str) -> str:
    """'+84 912.345.678' → '0912345678'; '' for blank; ValueError when it is not a number."""
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        return ""
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if not _PHONE.fullmatch(raw):
        raise ValueError(gettext("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
    return raw


def normalize_email(text: str) -> str:
    """Lower-cased e-mail address; '' for blank; ValueError when it is malformed."""
    value = (text or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(gettext("Địa chỉ thư điện tử không hợp lệ.")) from None
    return value


def looks_like_email(identifier: str) -> bool:
    """Whether a sign-in identifier is an e-mail address rather than a phone number."""
    return "@" in (identifier or "")
