"""Random follow codes for senders who gave only an e-mail — mã theo dõi phản ánh.

A sender with a phone or an ID number follows an item with its code and the last four digits
of that number; a sender who gave only an e-mail used to give four characters of the address,
which anyone who knows (or guesses) the address has. Such a sender now gets a random code of
`LENGTH` characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 2^49 choices:
shown on the confirmation page and written in every e-mail about the item.
"""

from __future__ import annotations

import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10


def new_follow_code() -> str:
    """A fresh random follow code (cryptographically random)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def follow_code_for(fields: dict[str, str]) -> str:
    """A follow code for a sender with an e-mail and neither phone nor ID number, else ""."""
    email_only = not fields.get("sender_phone") and not fields.get("sender_id_number")
    return new_follow_code() if fields.get("sender_email") and email_only else ""


def normalize(value: str) -> str:
    """As typed: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (value or "").upper() if ch not in " -")


def matches(typed: str, stored: str) -> bool:
    """True when `typed` is the stored follow code (constant-time comparison)."""
    return bool(stored) and hmac.compare_digest(normalize(typed).encode(), stored.encode())
