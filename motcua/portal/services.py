"""Portal writes that span two domains: a rating that also opens a feedback item.

The dossier and feedback services stay the only places that write their rows; this module
only runs them together in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import rate_dossier
from motcua.feedback.choices import Channel, Subject
from motcua.feedback.models import Feedback
from motcua.feedback.services import receive_feedback
from motcua.units.models import Unit
from motcua.units.selectors import current_units_of


def _handling_unit(dossier: Dossier, day: dt.date) -> Unit:
    """The unit that decided the dossier, else the one that received it, or their successor
    in force on `day` (a commune dissolved in the 2025 reform answers through its successor)."""
    candidates = [u for u in (dossier.competent_unit, dossier.receiving_unit) if u is not None]
    for unit in candidates:
        if unit.is_valid_on(day):
            return unit
    for unit in candidates:
        for successor in current_units_of(unit):
            if successor.is_valid_on(day):
                return successor
    return dossier.receiving_unit


def rate_dossier_on_portal(
    *,
    dossier: Dossier,
    satisfied: bool,
    scores: dict[str, int],
    comment: str,
    via: str,
    actor: Any = None,
    open_feedback: bool = False,
    at: dt.datetime | None = None,
) -> tuple[Any, Feedback | None]:
    """Record the rating; when the applicant asks, also open a feedback item about the handling.

    dossiers.md §12: a dissatisfied rating can open a feedback item. It is linked to the
    dossier and its procedure, about conduct, handled by the unit that decided the dossier.
    Either both are written or neither (a feedback error undoes the rating).
    """
    at = at or timezone.now()
    with transaction.atomic():
        rating = rate_dossier(
            dossier=dossier,
            satisfied=satisfied,
            scores=scores,
            comment=comment,
            via=via,
            actor=actor,
            at=at,
        )
        if not open_feedback:
            return rating, None
        item = receive_feedback(
            channel=Channel.PORTAL,
            title=f"Không hài lòng với việc giải quyết hồ sơ {dossier.code}",
            content=comment,
            sender={
                "name": dossier.applicant_name,
                "phone": dossier.applicant_phone,
                "email": dossier.applicant_email,
                "id_number": dossier.applicant_id_number,
            },
            unit=_handling_unit(dossier, timezone.localdate(at)),
            province=None,
            subject=Subject.CONDUCT,
            sender_user=dossier.applicant_user,
            dossier_code=dossier.code or "",
            procedure_code=dossier.procedure.code,
            at=at,
        )
        return rating, item
