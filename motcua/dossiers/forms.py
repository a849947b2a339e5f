"""Forms of the officer workspace: walk-in receipt, one form per action, file upload.

Action forms are built from `actions.ACTION_PARAMS` (as the API serializers are); they only
parse. Whether an action is allowed, and which text is missing, is the services' answer,
turned into form errors by the views.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.actions import IDENTITY_CHOICES, Param, params_of
from motcua.dossiers.choices import Channel, Event, FileKind, SubmittedBy
from motcua.dossiers.components import ChecklistRow
from motcua.workcalendar import inputs

# What a date typed without a time means: an event happened at the current time (today) or at
# the start of office hours; a due date is the end of office hours (workcalendar DEFAULT_HOURS).
EVENT = "event"
DUE = "due"
_DAY_START = dt.time(7, 0)
_DAY_END = dt.time(17, 0)
INSTANT_PLACEHOLDER = "dd/mm/yyyy hh:mm"


class InstantInput(forms.TextInput):
    """A text box for `15/12/2026 16:00`; `web/picker.js` adds a calendar button."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": INSTANT_PLACEHOLDER,
            "data-picker": "datetime",
            "autocomplete": "off",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        """Instants are shown the Vietnamese way, in local time."""
        if isinstance(value, dt.datetime):
            return inputs.format_local_instant(value)
        return super().format_value(value)


class InstantField(forms.CharField):
    """An instant typed as `15/12/2026 16:00` (or `15/12/2026`, or ISO 8601), local time."""

    widget = InstantInput

    def __init__(self, *args: Any, date_only: str = EVENT, **kwargs: Any) -> None:
        self.date_only = date_only
        super().__init__(*args, **kwargs)

    def _time_for(self, day: dt.date) -> dt.time:
        if self.date_only == DUE:
            return _DAY_END
        now = timezone.localtime()
        return now.time().replace(second=0, microsecond=0) if day == now.date() else _DAY_START

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            return inputs.parse_local_instant(text, date_only=dt.time(0))
        except ValueError:
            raise forms.ValidationError(
                gettext(
                    "“%(text)s” không phải thời điểm hợp lệ: hãy nhập ngày/tháng/năm giờ:phút, "
                    "ví dụ 15/12/2026 16:00."
                )
                % {"text": text}
            ) from None

    def clean(self, value: Any) -> dt.datetime | None:
        """Parse, then give a date typed alone its sensible time of day."""
        instant = super().clean(value)
        text = " ".join(str(value or "").split())
        if instant is not None and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day = instant.date()
            instant = dt.datetime.combine(day, self._time_for(day), tzinfo=instant.tzinfo)
        return instant


class LinesField(forms.CharField):
    """One item per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _form_field(param: Param) -> forms.Field:
    label = param.label
    help_text = param.help
    if param.kind == "lines":
        return LinesField(label=label, help_text=help_text, required=False)
    if param.kind == "instant":
        date_only = DUE if param.name.endswith("due") else EVENT
        return InstantField(label=label, help_text=help_text, required=False, date_only=date_only)
    if param.kind == "unit":
        unit = forms.CharField(label=label, help_text=help_text, required=False, max_length=64)
        unit.widget.attrs["list"] = "units-in-scope"
        return unit
    if param.kind in {"amount", "number"}:
        return forms.IntegerField(
            label=label,
            help_text=help_text,
            required=False,
            min_value=1,
            error_messages={
                "invalid": _("Hãy nhập một số nguyên."),
                "min_value": _("Giá trị phải lớn hơn 0."),
            },
        )
    if param.kind == "flag":
        return forms.BooleanField(label=label, help_text=help_text, required=False)
    if param.kind == "choice":
        return forms.ChoiceField(
            label=label, help_text=help_text, choices=list(param.choices), required=False
        )
    widget = forms.Textarea(attrs={"rows": 2}) if param.kind == "longtext" else None
    return forms.CharField(label=label, help_text=help_text, required=False, widget=widget)


@functools.cache
def action_form(event: str) -> type[forms.Form]:
    """The form class of one action."""
    fields: dict[str, Any] = {p.name: _form_field(p) for p in params_of(event)}
    fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fields["__doc__"] = f"Form: {Event(event).label}."
    name = "".join(part.title() for part in event.split("_")) + "Form"
    return type(name, (forms.Form,), fields)


def required_names(event: str) -> set[str]:
    """Inputs marked as required (shown with an asterisk)."""
    return {p.name for p in params_of(event) if p.required}


class ReceiptForm(forms.Form):
    """Walk-in receipt at the desk — tiếp nhận hồ sơ trực tiếp.

    The procedure is chosen with the search box (its code travels in a hidden input); the
    papers handed in come from the checklist (`parse_checklist`).
    """

    procedure = forms.CharField(
        label=_("Thủ tục hành chính"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Cần chọn thủ tục hành chính.")},
    )
    receiving_unit = forms.ChoiceField(label=_("Nơi tiếp nhận"))
    name = forms.CharField(label=_("Họ tên người nộp"), max_length=255, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    owner_name = forms.CharField(
        label=_("Chủ hồ sơ (nếu khác người nộp)"), max_length=255, required=False
    )
    channel = forms.ChoiceField(
        label=_("Kênh nộp"), choices=Channel.choices, initial=Channel.DIRECT
    )
    submitted_by = forms.ChoiceField(
        label=pgettext_lazy("submitted by", "Người nộp"),
        choices=SubmittedBy.choices,
        initial=SubmittedBy.APPLICANT,
    )
    competent_unit = forms.CharField(
        label=_("Cơ quan giải quyết"),
        max_length=255,
        required=False,
        help_text=_("gõ tên đơn vị; để trống: theo thủ tục"),
    )
    received_at = InstantField(
        label=_("Thời điểm tiếp nhận"), required=False, help_text=_("để trống: bây giờ")
    )
    # 766 digitization facts (statistics.md §5.3): how the identity was checked, e-data store.
    identity_source = forms.ChoiceField(
        label=_("Xác thực danh tính"),
        choices=IDENTITY_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    edata_linked = forms.BooleanField(
        label=_("Đã liên kết kho dữ liệu điện tử của công dân"), required=False
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        receiving = self.fields["receiving_unit"]
        assert isinstance(receiving, forms.ChoiceField)
        receiving.choices = units
        receiving.error_messages.update(
            {
                "required": _("Cần chọn một giá trị."),
                "invalid_choice": _("Lựa chọn không hợp lệ."),
            }
        )
        # Another desk ranks (and allows) other procedures: search again when it changes.
        receiving.widget.attrs.update(
            {
                "hx-get": reverse("dossiers:receipt-procedures"),
                "hx-trigger": "change",
                "hx-target": "#procedure-results",
                "hx-include": "#procedure-q",
            }
        )
        self.fields["competent_unit"].widget.attrs["list"] = "units-in-scope"
        self.fields["id_number"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                # 12 digits typed: fill the empty applicant fields from their latest dossier.
                # POST (with the form's CSRF token): an ID number stays out of URLs and logs.
                "hx-post": reverse("dossiers:receipt-applicant"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#applicant-fill",
            }
        )

    def values(self) -> dict[str, Any]:
        """The cleaned data in the shape `actions.receive_walk_in` reads."""
        data = self.cleaned_data
        return {
            "procedure": data["procedure"],
            "receiving_unit": data["receiving_unit"],
            "channel": data["channel"],
            "submitted_by": data["submitted_by"],
            "competent_unit": data.get("competent_unit") or "",
            "received_at": data.get("received_at"),
            "identity_source": data.get("identity_source") or "",
            "edata_linked": bool(data.get("edata_linked")),
            "applicant": {
                key: data.get(key) or ""
                for key in ("name", "id_number", "phone", "email", "address", "owner_name")
            },
        }


def parse_checklist(data: Any, rows: list[ChecklistRow]) -> list[ChecklistRow]:
    """Read the ticks and counts typed in the component checklist back into its rows."""
    for row in rows:
        row.ticked = data.get(row.key) == "on"
        row.digitized = data.get(f"{row.key}-so-hoa") == "on"
        for field, suffix in (
            ("originals", "chinh"),
            ("certified_copies", "sao-ct"),
            ("copies", "sao"),
        ):
            text = (data.get(f"{row.key}-{suffix}") or "").strip()
            setattr(row, field, int(text) if text.isdigit() else (text or 0))
    return rows


# Where the services' field names land on the receipt form.
RECEIPT_FIELD_ALIASES = {"applicant_name": "name", "at": "received_at", "components": "procedure"}


class UploadForm(forms.Form):
    """Attach a file to the dossier."""

    upload = forms.FileField(
        label=_("Tệp"), error_messages={"required": _("Hãy chọn tệp."), "empty": _("Tệp rỗng.")}
    )
    kind = forms.ChoiceField(
        label=_("Loại tệp"), choices=FileKind.choices, initial=FileKind.COMPONENT
    )
    component_name = forms.CharField(
        label=_("Tên thành phần hồ sơ"), max_length=255, required=False
    )
    digitized = forms.BooleanField(label=_("Số hoá khi tiếp nhận"), required=False, initial=True)
    reused = forms.BooleanField(label=_("Tái sử dụng dữ liệu đã số hoá"), required=False)
    reuse_source = forms.CharField(label=_("Nguồn tái sử dụng"), max_length=255, required=False)
