"""Forms of the reform report's pages: generate a report, enter a register figure, import a
register file. They read input the way people type it ("Quý III/2023", "14/09/2023",
"184.027") and hand clean values to the services; they never write anything themselves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.lib.periods import ROMAN
from motcua.lib.vntext import nfc
from motcua.reports.reform.registers import REGISTER_KEYS

_ROMAN_NUMBER = {v.lower(): k for k, v in ROMAN.items()}
_QUARTER = re.compile(r"^(?:quý|quy|q)\s*(i{1,3}|iv|[1-4])\s*(?:/|năm|nam|-)\s*(\d{4})$")
_HALF = re.compile(r"^6\s*tháng\s*(đầu|cuối|dau|cuoi)\s*năm\s*(\d{4})$")
_MONTH = re.compile(r"^(?:tháng|thang)\s*(\d{1,2})\s*(?:/|năm|nam)\s*(\d{4})$")
_YEAR = re.compile(r"^(?:năm|nam)?\s*(\d{4})$")
_CODE = re.compile(r"^(\d{4})(?:-(q[1-4]|h[12]|m(?:0[1-9]|1[0-2])))?$")


def spoken_period(text: str) -> str:
    """The period code ("2023-Q3") of a period as people say it: "Quý III/2023", "quý 3/2023",
    "6 tháng đầu năm 2023", "Năm 2023", "Tháng 9/2023" (or the code itself); "" if unreadable."""
    raw = re.sub(r"\s+", " ", nfc(text or "").strip().lower())
    if match := _CODE.match(raw):
        return f"{match[1]}-{match[2].upper()}" if match[2] else match[1]
    if match := _QUARTER.match(raw):
        part = match[1]
        number = int(part) if part.isdigit() else _ROMAN_NUMBER[part]
        return f"{match[2]}-Q{number}"
    if match := _HALF.match(raw):
        return f"{match[2]}-H{1 if match[1] in ('đầu', 'dau') else 2}"
    if match := _MONTH.match(raw):
        month = int(match[1])
        return f"{match[2]}-M{month:02d}" if 1 <= month <= 12 else ""
    if match := _YEAR.match(raw):
        return match[1]
    return ""


def period_suggestions(today: dt.date) -> list[str]:
    """Periods people are likely to report now: this year's and last year's quarters, halves
    and years, newest first ("Quý III/2025", "6 tháng đầu năm 2025", "Năm 2024" ...)."""
    out: list[str] = []
    for year in (today.year, today.year - 1):
        out += [f"Quý {ROMAN[q]}/{year}" for q in (4, 3, 2, 1)]
        out += [f"6 tháng cuối năm {year}", f"6 tháng đầu năm {year}", f"Năm {year}"]
    return out


def typed_date(text: str) -> dt.date | None:
    """A date typed "14/09/2023" (or "2023-09-14"); None if unreadable."""
    raw = (text or "").strip()
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", raw)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


class GenerateReportForm(forms.Form):
    """ "Lập báo cáo": a unit in the user's scope, a period as people say it, a receiving body."""

    unit = forms.ChoiceField(label=_("Đơn vị báo cáo"))
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=40,
        help_text=_("Ví dụ: Quý III/2025, 6 tháng đầu năm 2025, Năm 2025"),
    )
    receiving_body = forms.CharField(
        label=_("Cơ quan nhận báo cáo (không bắt buộc)"), max_length=64, required=False
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["period"].widget.attrs.update({"list": "ky-bao-cao", "autocomplete": "off"})

    def clean_period(self) -> str:
        """The period's code, or a Vietnamese message naming the forms people use."""
        code = spoken_period(self.cleaned_data.get("period", ""))
        if not code:
            raise forms.ValidationError(
                gettext(
                    "Không đọc được kỳ báo cáo: hãy ghi như “Quý III/2025”, “6 tháng đầu năm "
                    "2025” hoặc “Năm 2025”."
                )
            )
        return code

    def clean_receiving_body(self) -> str:
        """The body as typed, NFC."""
        return nfc(self.cleaned_data.get("receiving_body", "")).strip()


def register_choices(keys: list[str] | None = None) -> list[tuple[str, str]]:
    """The hand-entered figures (label shown, key sent), those of `keys` when given."""
    return [
        (key, label)
        for key, (_kind, label, _measure) in REGISTER_KEYS.items()
        if keys is None or key in keys
    ]


class RegisterEntryForm(forms.Form):
    """One hand-entered figure of the report's unit with its date and evidence."""

    key = forms.ChoiceField(label=_("Số liệu"))
    value = forms.CharField(
        label=_("Giá trị"),
        max_length=2000,
        help_text=_("Số nguyên như 184.027; tỷ lệ như 90,55; danh sách thì ghi lời văn."),
    )
    as_of = forms.CharField(label=_("Số liệu tính đến ngày"), max_length=10)
    whole_period = forms.BooleanField(label=_("Số liệu của cả kỳ báo cáo"), required=False)
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False)
    evidence_reference = forms.CharField(
        label=_("Hoặc số, ký hiệu văn bản nguồn"), max_length=255, required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=1000, required=False)

    def __init__(
        self, *args: Any, keys: list[str] | None = None, first: dt.date, last: dt.date, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["key"].choices = register_choices(keys)  # type: ignore[attr-defined]
        self.first, self.last = first, last
        self.fields["as_of"].widget.attrs.update({"placeholder": "14/09/2023"})

    def clean_as_of(self) -> dt.date:
        """A date inside the report's window (the report reads only entries dated in it)."""
        day = typed_date(self.cleaned_data.get("as_of", ""))
        if day is None:
            raise forms.ValidationError(gettext("Hãy ghi ngày dạng 14/09/2023."))
        if not self.first <= day <= self.last:
            raise forms.ValidationError(
                gettext("Ngày số liệu phải trong kỳ báo cáo, từ %(first)s đến %(last)s.")
                % {"first": f"{self.first:%d/%m/%Y}", "last": f"{self.last:%d/%m/%Y}"}
            )
        return day


class RegisterImportForm(forms.Form):
    """A CSV/XLSX file of register entries (columns key, unit, as_of, value, ...)."""

    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))

    def clean_file(self) -> Any:
        """Only .csv and .xlsx files are read."""
        file = self.cleaned_data["file"]
        if not str(file.name).lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(gettext("Chỉ nhận tệp .csv hoặc .xlsx."))
        return file
