"""A dossier's fee — phí, lệ phí của hồ sơ: computed on the day of receipt from its counts.

`receive_dossier` calls `fee_fields` inside its transaction; the result is frozen on the dossier
(`fee_amount` in đồng, None when unknown, foreign or not yet decided locally; `fee_detail` with
the counts, the option of the procedure it was computed under and the Vietnamese breakdown),
so that editing the procedure later never changes what the receipt promised.
"""

from __future__ import annotations

from typing import Any

from motcua.dossiers.models import Dossier
from motcua.procedures.fees import compute_fee, legacy_spec
from motcua.workcalendar.engine import to_local


def frozen_spec(dossier: Dossier) -> dict[str, Any]:
    """The fee spec of the procedure version the dossier was received under."""
    data = dossier.procedure_version.data if dossier.procedure_version_id else {}
    data = data or {}
    spec = data.get("fee_spec") or {}
    if spec.get("channels"):
        return dict(spec)
    if "fee" in data:  # a version frozen before fee specs existed
        return legacy_spec(int(data.get("fee") or 0))
    return {}


def fee_fields(dossier: Dossier, counts: dict[str, Any] | None) -> dict[str, Any]:
    """`fee_amount` and `fee_detail` for a dossier being received (ValueError: bad counts).

    Counts not given are those the applicant declared at submission (`fee_detail['counts']`).
    """
    if counts is None:
        counts = dict((dossier.fee_detail or {}).get("counts") or {})
    spec = frozen_spec(dossier) or dossier.procedure
    on = to_local(dossier.received_at).date() if dossier.received_at else None
    result = compute_fee(spec, channel=dossier.channel, counts=counts, on=on)
    return {"fee_amount": result.amount, "fee_detail": result.as_detail()}


def fee_line(dossier: Dossier) -> str:
    """The fee as printed: '5.000 đ (3 trang: 2 × 2.000 đ + 1 × 1.000 đ = 5.000 đ)'."""
    detail = dossier.fee_detail or {}
    if not detail:
        detail = compute_fee(
            frozen_spec(dossier) or dossier.procedure, channel=dossier.channel
        ).as_detail()
        detail["breakdown"] = ""  # no counts were recorded: the rate only
    text = str(detail.get("text") or "")
    breakdown = str(detail.get("breakdown") or "").rstrip(".")
    if breakdown and breakdown != text and detail.get("status") not in {"free", "unknown"}:
        return f"{text} ({breakdown})"
    return text
