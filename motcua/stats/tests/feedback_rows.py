"""Feedback rows written directly (the fields feedback statistics read), for the stats tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from motcua.feedback.models import Feedback
from motcua.units.models import Unit

_codes = itertools.count(1)
RESOLVED = ("answer_approved", "published", "closed")


def make_item(
    unit: Unit,
    received: dt.datetime,
    *,
    state: str = "processing",
    finished: dt.datetime | None = None,
    due: dt.datetime | None = None,
    channel: str = "portal",
    subject: str = "",
    kind: str = "pakn",
    handler: Any = None,
    code: str = "",
) -> Feedback:
    """One item handled by `unit`; a resolved state stamps `resolved_at` = `finished`."""
    return Feedback.objects.create(
        code=code or f"PA-TEST-{next(_codes):05d}",
        kind=kind,
        state=state,
        channel=channel,
        subject=subject,
        title="Phản ánh về thời gian giải quyết",
        content="Nội dung phản ánh",
        contact_at=received,
        received_at=received,
        unit=unit,
        handler=handler,
        finished_at=finished,
        resolved_at=finished if state in RESOLVED else None,
        handle_due=due,
    )
