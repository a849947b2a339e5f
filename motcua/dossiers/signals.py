"""Signals other apps listen to, so that the dossiers app never imports them (STYLE.md floors)."""

from django.dispatch import Signal

# Sent by the walk-in receipt view after a dossier was received, with `request` and
# `dossier`: the portal marks the appointment the walk-in came from as received.
walk_in_received = Signal()

# Sent by the dossier services' event writer for every timeline event of a state-changing
# service, with `dossier` and `event`, INSIDE the service's transaction: receivers write in
# the same transaction (the national portal outbox) and must not do any I/O.
state_changed = Signal()
