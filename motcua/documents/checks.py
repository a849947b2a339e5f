"""`motcua manage check --deploy`: the signing keys named in the settings can be used.

Only with --deploy (no cost to ordinary commands) and only cheap checks: each PKCS#12 file
exists and its passphrase variable is set, and every trusted root file is readable. Opening
the PKCS#12 itself (a few hundred milliseconds of key derivation) is left to the first
signature, which reports a wrong passphrase in words.
"""

from __future__ import annotations

import os
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def signing_keys_usable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warnings for keys whose file or passphrase variable is missing, and unreadable roots."""
    from motcua.documents.signing import signing_keys, trust_root_paths

    try:
        keys = signing_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="motcua.E101")]
    found: list[checks.CheckMessage] = []
    for key in keys.values():
        if not key.pkcs12.is_file():
            found.append(
                checks.Warning(
                    f"MOTCUA_SIGNING_KEYS[{key.owner!r}]: no PKCS#12 file at {key.pkcs12}",
                    hint="result uploads of this unit will be refused until the file exists",
                    id="motcua.W101",
                )
            )
        if key.passphrase_env and key.passphrase_env not in os.environ:
            found.append(
                checks.Warning(
                    f"MOTCUA_SIGNING_KEYS[{key.owner!r}]: the passphrase variable "
                    f"{key.passphrase_env} is not set",
                    id="motcua.W102",
                )
            )
    if keys and not trust_root_paths():
        found.append(
            checks.Warning(
                "MOTCUA_SIGNING_KEYS is set but MOTCUA_SIGNING_TRUST_ROOTS is empty: "
                "every signature will show as not valid",
                id="motcua.W103",
            )
        )
    for path in trust_root_paths():
        if not path.is_file():
            found.append(
                checks.Warning(f"MOTCUA_SIGNING_TRUST_ROOTS: no file at {path}", id="motcua.W104")
            )
    return found
