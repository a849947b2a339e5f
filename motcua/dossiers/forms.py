"""Forms of the officer workspace: walk-in receipt, one form per action, file upload.

Action forms are built from `actions.ACTION_PARAMS` (as the API serializers are); they only
parse. Whether an action is allowed, and which text is missing, is the services' answer,
turned into form errors by the views.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.actions import Param, params_of
from motcua.dossiers.choices import Channel, Event, FileKind, SubmittedBy
from motcua.workcalendar import inputs


class InstantField(forms.CharField):
    """An ISO 8601 instant; local time (Asia/Ho_Chi_Minh) when written without an offset."""

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            return inputs.parse_instant(text.replace(" ", "T", 1))
        except ValueError:
            raise forms.ValidationError(
                gettext("“%(text)s” không phải thời điểm hợp lệ (ví dụ 2025-03-20T16:00).")
                % {"text": text}
            ) from None


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
        instant = InstantField(label=label, help_text=help_text, required=False)
        instant.widget.attrs["placeholder"] = "YYYY-MM-DDTHH:MM"
        return instant
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
    """Walk-in receipt at the desk — tiếp nhận hồ sơ trực tiếp."""

    procedure = forms.ChoiceField(label=_("Thủ tục hành chính"))
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
        label=_("Cơ quan giải quyết (mã, để trống: theo thủ tục)"), max_length=64, required=False
    )
    received_at = InstantField(
        label=_("Thời điểm tiếp nhận"), required=False, help_text=_("để trống: bây giờ")
    )

    def __init__(
        self,
        *args: Any,
        procedures: list[tuple[str, str]],
        units: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        required = {
            "required": _("Cần chọn một giá trị."),
            "invalid_choice": _("Lựa chọn không hợp lệ."),
        }
        procedure = self.fields["procedure"]
        receiving = self.fields["receiving_unit"]
        assert isinstance(procedure, forms.ChoiceField)
        assert isinstance(receiving, forms.ChoiceField)
        procedure.choices = [("", _("— chọn thủ tục —")), *procedures]
        procedure.error_messages.update(required)
        receiving.choices = units
        receiving.error_messages.update(required)
        self.fields["competent_unit"].widget.attrs["list"] = "units-in-scope"

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
            "applicant": {
                key: data.get(key) or ""
                for key in ("name", "id_number", "phone", "email", "address", "owner_name")
            },
        }


# Where the services' field names land on the receipt form.
RECEIPT_FIELD_ALIASES = {"applicant_name": "name", "at": "received_at"}


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
