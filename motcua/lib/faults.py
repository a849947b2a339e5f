"""Fault points: where the kill tests hold a writing request open (issue 16 item 9).

`MOTCUA_FAULT_PAUSE=NAME:MARKER` in the environment makes the first process that reaches the
fault point `NAME` create the file `MARKER` (exclusively, holding its process id) and sleep
there, inside its transaction, so that a test can `kill -9` it half-way through a write. Every
later arrival finds the marker and passes. Without the variable, and always when
`MOTCUA_ENV=production`, a fault point does nothing. Only the operator's environment sets it:
no request, setting page or database row can.
"""

from __future__ import annotations

import os
import time

PAUSE_SECONDS = 20.0  # below gunicorn's 30 s worker timeout


def fault_point(name: str) -> None:
    """Pause here if `MOTCUA_FAULT_PAUSE` names this point and no process paused yet."""
    spec = os.environ.get("MOTCUA_FAULT_PAUSE", "")
    if not spec or os.environ.get("MOTCUA_ENV", "").strip().lower() == "production":
        return
    point, _, marker = spec.partition(":")
    if point != name or not marker:
        return
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(PAUSE_SECONDS)
