"""Confirming a procedure's time limit — xác nhận thời hạn giải quyết.

The catalogue import reads the published wording into a proposal (`time_limits.py`) and
leaves the procedure a draft. An officer who configures the catalogue confirms the proposal
or corrects it (amount and unit per channel, same-day cut-off, ceiling, start event); the
confirmed spec becomes the procedure's, its single limit is the in-person channel's, and a
new procedure version is frozen and change-logged. Only then can it be published.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from motcua.lib.scoping import can
from motcua.procedures.choices import TimeLimitUnit
from motcua.procedures.models import Procedure
from motcua.procedures.services import ProcedureError, publish_procedure, save_procedure
from motcua.procedures.time_limits import (
    CHANNEL_LABELS,
    CHANNEL_ORDER,
    SPEC_VERSION,
    parse_cutoff,
)

_CUTOFF = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def unconfirmed_procedures() -> Any:
    """Procedures of the province whose limit nobody has confirmed yet (reference ones aside)."""
    return Procedure.objects.filter(time_limit_confirmed=False, is_reference=False).order_by("code")


def _reading(value: dict[str, Any], key: str) -> dict[str, Any]:
    where = CHANNEL_LABELS.get(key, "Thời hạn tối đa")
    unit = (value.get("unit") or "").strip()
    if unit not in TimeLimitUnit.values:
        raise ProcedureError(f"{where}: hãy chọn đơn vị thời hạn", field=f"{key}-unit")
    amount = value.get("amount")
    cutoff = (value.get("cutoff") or "").strip() or None
    if unit == TimeLimitUnit.SAME_DAY:
        amount = None
        if cutoff and not _CUTOFF.match(cutoff):
            raise ProcedureError(f"{where}: giờ chốt phải dạng 15:00", field=f"{key}-cutoff")
        if cutoff:
            cutoff = f"{parse_cutoff(cutoff):%H:%M}"
    else:
        cutoff = None
        try:
            amount = int(str(amount))
        except (TypeError, ValueError):
            amount = 0
        if amount <= 0:
            raise ProcedureError(
                f"{where}: thời hạn phải là số nguyên dương", field=f"{key}-amount"
            )
    return {"amount": amount, "unit": unit, "cutoff": cutoff}


def clean_spec(proposal: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The confirmed spec: the officer's `answer` (channels, ceiling, start event) over the
    `proposal`'s wording; ProcedureError on the first bad value."""
    channels: dict[str, Any] = {}
    proposed = (proposal or {}).get("channels") or {}
    for key in CHANNEL_ORDER:
        if key not in (answer.get("channels") or {}):
            continue
        reading = _reading(answer["channels"][key], key)
        reading["as_written"] = (proposed.get(key) or {}).get("as_written", "")
        channels[key] = reading
    if not channels:
        raise ProcedureError("cần thời hạn của ít nhất một hình thức nộp", field="channels")
    ceiling = None
    raw = answer.get("ceiling") or {}
    if raw.get("amount") not in (None, "", 0, "0"):
        ceiling = _reading(raw, "ceiling")
        if ceiling["unit"] == TimeLimitUnit.SAME_DAY:
            raise ProcedureError("thời hạn tối đa không thể là “trong ngày”", field="ceiling-unit")
        ceiling["condition"] = (raw.get("condition") or "").strip()
        ceiling["as_written"] = ((proposal or {}).get("ceiling") or {}).get("as_written", "")
    start_event = (answer.get("start_event") or "").strip()[:255]
    return {
        **{k: v for k, v in (proposal or {}).items() if k not in {"channels", "problems"}},
        "version": SPEC_VERSION,
        "source": "officer",
        "channels": channels,
        "ceiling": ceiling,
        "start_event": start_event,
        "stages": list((proposal or {}).get("stages") or []),
        "problems": [],
    }


def confirm_time_limit(
    procedure: Procedure,
    *,
    actor: Any,
    answer: dict[str, Any],
    publish: bool = False,
    reason: str = "",
) -> Procedure:
    """Confirm (or correct) the procedure's limit; a new version, change-logged; optionally
    published (receivable) in the same transaction."""
    if actor is not None and not can(actor, "configure"):
        raise ProcedureError("bạn không có quyền cấu hình danh mục thủ tục")
    spec = clean_spec(procedure.time_limit_spec or {}, answer)
    main = next(spec["channels"][k] for k in CHANNEL_ORDER if k in spec["channels"])
    with transaction.atomic():
        locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
        updated, _ = save_procedure(
            locked,
            code=locked.code,
            actor=actor,
            source="web",
            reason=reason or "xác nhận thời hạn giải quyết",
            time_limit_spec=spec,
            time_limit_amount=main["amount"],
            time_limit_unit=main["unit"],
            same_day_cutoff=parse_cutoff(main["cutoff"]),
            time_limit_confirmed=True,
        )
        if publish and not updated.published:
            publish_procedure(updated, actor=actor, source="web")
    return updated
