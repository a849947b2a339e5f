"""Vietnamese text helpers: NFC normalisation and diacritic-insensitive folding."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Normalise to Unicode NFC and trim, as every stored Vietnamese string must be."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Fold for search and sorting: no diacritics, đ→d, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
