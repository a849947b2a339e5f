"""After the result is returned by post: recording the delivery — phát bưu gửi kết quả.

`return_result` (services.py) stores how the result went out (`Dossier.delivery`) and, by
post, the consignment number. When the postal service reports the delivery, the desk records
its date here, with a timeline event, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.dossiers.choices import Delivery, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    ActionForbidden,
    DossierError,
    TransitionNotAllowed,
    _locked,
    _not_before_last_event,
    _now,
    _save,
    _units_of,
)
from motcua.people.policy import Action, can
from motcua.workcalendar.engine import to_local

POSTAL_DELIVERED = "dossier.postal_delivered"


def record_postal_delivery(
    *, dossier: Dossier, delivered_on: dt.date, actor: Any, at: dt.datetime | None = None
) -> Dossier:
    """Record the day the post delivered the result (once, after a postal return)."""
    at = _now(at)
    if not isinstance(delivered_on, dt.date) or isinstance(delivered_on, dt.datetime):
        raise DossierError("cần ghi ngày phát bưu gửi", field="delivered_on")
    with transaction.atomic():
        dossier = _locked(dossier)
        _not_before_last_event(dossier, at)
        if actor is not None and not any(
            can(actor, Action.RECEIVE, unit) for unit in _units_of(dossier)
        ):
            raise ActionForbidden("bạn không có quyền ghi nhận phát bưu gửi của hồ sơ này")
        if dossier.state != State.RETURNED or dossier.delivery != Delivery.POSTAL:
            raise TransitionNotAllowed(
                "chỉ ghi nhận ngày phát với hồ sơ đã trả kết quả qua bưu chính"
            )
        if dossier.postal_delivered_on is not None:
            raise TransitionNotAllowed(
                f"đã ghi nhận ngày phát {dossier.postal_delivered_on:%d/%m/%Y}"
            )
        if dossier.returned_at and delivered_on < to_local(dossier.returned_at).date():
            raise DossierError("ngày phát không được trước ngày gửi kết quả", field="delivered_on")
        if delivered_on > to_local(at).date():
            raise DossierError("ngày phát không được sau hôm nay", field="delivered_on")
        _save(dossier, dossier.lock_version, postal_delivered_on=delivered_on)
        user = actor if getattr(actor, "is_authenticated", False) else None
        DossierEvent.objects.create(
            dossier=dossier,
            kind=POSTAL_DELIVERED,
            at=at,
            actor=user,
            actor_name=user.get_username() if user else str(actor or "system"),
            unit=dossier.receiving_unit,
            from_state=dossier.state,
            to_state=dossier.state,
            note=dossier.postal_consignment,
            data={
                "delivered_on": delivered_on.isoformat(),
                "postal_consignment": dossier.postal_consignment,
            },
        )
        return dossier
