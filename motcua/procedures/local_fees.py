"""Fees set locally — phí, lệ phí do Hội đồng nhân dân tỉnh quyết định: the province's
decision (number, date, amount) recorded on a procedure whose wording leaves the amount to it.

The decision lives in `Procedure.fee_spec["local_decision"]`; a catalogue re-import keeps it
(`fees.merge_local_decision`). Recording it is a catalogue change: versioned and logged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.lib.scoping import can
from motcua.lib.vntext import nfc
from motcua.procedures.fees import has_local
from motcua.procedures.models import Procedure
from motcua.procedures.services import ProcedureError, procedure_state, record_procedure_change

MAX_AMOUNT = 1_000_000_000


def record_local_fee_decision(
    procedure: Procedure,
    *,
    number: str,
    decided_on: dt.date,
    amount: int,
    actor: Any,
    source: str = "web",
) -> Procedure:
    """Record the Provincial People's Council's decision: its number, the date it applies
    from and the amount in đồng per dossier (0 = free); refused without `configure`."""
    if not can(actor, "configure"):
        raise ProcedureError(gettext("Bạn không có quyền cấu hình danh mục thủ tục."))
    number = nfc(number or "")
    if not number:
        raise ProcedureError(gettext("Cần ghi số của nghị quyết, quyết định."), field="number")
    if amount < 0 or amount > MAX_AMOUNT:
        raise ProcedureError(gettext("Mức thu không hợp lệ."), field="amount")
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        if not has_local(procedure.fee_spec or {}):
            raise ProcedureError(
                gettext("Phí, lệ phí của thủ tục này không do Hội đồng nhân dân tỉnh quyết định.")
            )
        before = procedure_state(procedure)
        procedure.fee_spec = {
            **procedure.fee_spec,
            "local_decision": {
                "number": number[:255],
                "date": decided_on.isoformat(),
                "amount": int(amount),
                "recorded_by": getattr(actor, "username", "") or "",
                "recorded_at": timezone.localtime().isoformat(timespec="seconds"),
            },
        }
        procedure.save(update_fields=["fee_spec", "updated_at"])
        record_procedure_change(
            procedure,
            before=before,
            actor=actor,
            source=source,
            reason=gettext("ghi nhận mức thu phí, lệ phí do Hội đồng nhân dân tỉnh quyết định"),
        )
    return procedure


class LocalFeeDecisionForm(forms.Form):
    """The decision as the officer reads it from the resolution."""

    number = forms.CharField(
        label=_("Số nghị quyết, quyết định"),
        max_length=255,
        help_text=_("Ví dụ: 12/2025/NQ-HĐND"),
        error_messages={"required": _("Cần ghi số của nghị quyết, quyết định.")},
    )
    decided_on = forms.CharField(
        label=_("Áp dụng từ ngày"),
        help_text=_("Ngày nghị quyết có hiệu lực, dạng 01/07/2025"),
        error_messages={"required": _("Cần ghi ngày áp dụng.")},
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "data-picker": "date"}),
    )
    amount = forms.IntegerField(
        label=_("Mức thu (đồng/hồ sơ)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=_("Ghi 0 nếu tỉnh quyết định miễn thu."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "required": _("Cần ghi mức thu."),
            "invalid": _("Hãy ghi mức thu bằng số đồng, ví dụ 8000."),
            "min_value": _("Mức thu không được âm."),
            "max_value": _("Mức thu quá lớn."),
        },
    )

    def clean_decided_on(self) -> dt.date:
        """A date typed the Vietnamese way (dd/mm/yyyy)."""
        value = (self.cleaned_data.get("decided_on") or "").strip()
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if match:
            try:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                pass
        raise forms.ValidationError(
            gettext("Hãy ghi ngày dạng ngày/tháng/năm, ví dụ 01/07/2025.")
        ) from None
