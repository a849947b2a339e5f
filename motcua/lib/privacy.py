"""Masking personal data (ID numbers, phone numbers) wherever it is not needed."""

from __future__ import annotations


def mask_personal(value: str, *, keep: int = 3) -> str:
    """Mask all but the last `keep` characters of an ID or phone number: 0912345678 → *******678."""
    text = (value or "").strip()
    if len(text) <= keep:
        return "*" * len(text)
    return "*" * (len(text) - keep) + text[-keep:]
