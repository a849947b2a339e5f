"""Sign-in budgets shared by the officer, citizen and admin sign-in pages.

Each sign-in post counts once against the client address (the page's own `Limit`); each
failed password counts once against the account name typed, whatever the address, so a
botnet spread over many addresses still gets `MOTCUA_SIGN_IN_ACCOUNT_FAILURES` tries per
account and window. Unknown names are counted like real ones: the answer never tells whether
an account exists.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings

from motcua.lib.ratelimit import Limit, hit_key, used_up


def account_limit() -> Limit:
    """Failed passwords per account name (settings MOTCUA_SIGN_IN_ACCOUNT_*)."""
    return Limit(
        scope="sign-in-account",
        count=int(getattr(settings, "MOTCUA_SIGN_IN_ACCOUNT_FAILURES", 10)),
        seconds=int(getattr(settings, "MOTCUA_SIGN_IN_ACCOUNT_WINDOW", 900)),
    )


def _account(name: str) -> str:
    return "account:" + unicodedata.normalize("NFC", name.strip()).casefold()


def account_locked(name: str) -> bool:
    """True when this account name has used up its failed sign-ins for now."""
    return bool(name.strip()) and used_up(account_limit(), _account(name))


def count_failure(name: str) -> None:
    """Count one failed sign-in (a wrong password or second-factor code) for the name."""
    if name.strip():
        hit_key(account_limit(), _account(name))
