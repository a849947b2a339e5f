"""Signals of the working calendar, so that it never imports the apps that use it (STYLE.md).

`calendar_changed` is sent by every write in `services.py`, INSIDE its transaction, with
`since` (the earliest date the change can move a due instant; None: any, e.g. working hours)
and `reason` (a Vietnamese description for the timeline). The dossiers app enqueues the
recomputation of open dossiers after the commit (`motcua/dossiers/jobs.py`).
"""

from django.dispatch import Signal

calendar_changed = Signal()
