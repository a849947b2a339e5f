"""The due-instant calculator form on the calendar page (GET)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.workcalendar import inputs
from motcua.workcalendar.engine import Pause, TimeUnit

UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: _("ngày làm việc"),
    TimeUnit.WORKING_HOURS: _("giờ làm việc"),
    TimeUnit.CALENDAR_DAYS: _("ngày theo lịch"),
    TimeUnit.CALENDAR_MONTHS: _("tháng theo lịch"),
    TimeUnit.SAME_DAY: _("trong ngày (giờ chốt)"),
}


class DueForm(forms.Form):
    """Receipt instant, time limit, pauses (one per line, FROM/TO) and cut-off."""

    start = forms.CharField(label=_("Tiếp nhận lúc"), help_text=_("ví dụ 2024-02-07T09:00"))
    amount = forms.CharField(label=_("Thời hạn"), required=False)
    time_unit = forms.ChoiceField(
        label=_("Đơn vị thời hạn"),
        choices=[(u.value, UNIT_LABELS[u]) for u in TimeUnit],
        initial=TimeUnit.WORKING_DAYS.value,
    )
    pauses = forms.CharField(
        label=_("Tạm dừng (mỗi dòng TỪ/ĐẾN)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cutoff = forms.CharField(label=_("Giờ chốt"), required=False, help_text=_("HH:MM, ví dụ 15:00"))

    def clean_start(self) -> dt.datetime:
        """ISO 8601 instant, local time if no offset."""
        try:
            return inputs.parse_instant(self.cleaned_data["start"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_pauses(self) -> list[Pause]:
        """One FROM/TO pause per line."""
        result = []
        for line in (self.cleaned_data.get("pauses") or "").splitlines():
            if line.strip():
                try:
                    result.append(inputs.parse_pause(line.strip()))
                except ValueError as exc:
                    raise forms.ValidationError(str(exc)) from None
        return result

    def clean_cutoff(self) -> dt.time | None:
        """HH:MM or empty."""
        text = self.cleaned_data.get("cutoff") or ""
        if not text.strip():
            return None
        try:
            return inputs.parse_cutoff(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        """The amount is required except for same-day limits."""
        data = super().clean() or {}
        unit = data.get("time_unit")
        if unit:
            try:
                data["amount"] = inputs.parse_amount(data.get("amount"), TimeUnit(unit))
            except ValueError as exc:
                self.add_error("amount", str(exc))
        return data
