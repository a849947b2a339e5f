"""Forms of the appointment pages: choosing desk, kind and day, then slot and contact details."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.portal.choices import AppointmentKind
from motcua.portal.slots import Slot, day_label
from motcua.units.models import Unit

# Kinds in the query string, in the citizen's words rather than internal codes.
KIND_SLUGS = {"tai-quay": AppointmentKind.COUNTER, "tai-nha": AppointmentKind.HOME}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}
# Service error fields → form fields.
FIELD_ALIASES = {"unit": "noi", "kind": "hinh_thuc", "start": "gio", "procedure": None}


def parse_day(text: str) -> dt.date | None:
    """'15/12/2026' (or '2026-12-15') → date; None when it is neither."""
    value = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 — a date, no time
        except ValueError:
            continue
    return None


class ChooseForm(forms.Form):
    """Step one (GET): where, how and which day."""

    noi = forms.ChoiceField(
        label=_("Nơi tiếp nhận"),
        error_messages={
            "required": _("Hãy chọn nơi tiếp nhận."),
            "invalid_choice": _("Nơi tiếp nhận không hợp lệ."),
        },
    )
    hinh_thuc = forms.ChoiceField(
        label=_("Hình thức"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn hình thức hẹn."),
            "invalid_choice": _("Nơi tiếp nhận này không tiếp nhận hồ sơ tại nhà."),
        },
    )
    ngay = forms.ChoiceField(
        label=_("Ngày hẹn"),
        error_messages={
            "required": _("Hãy chọn ngày hẹn."),
            "invalid_choice": _("Ngày này không còn nhận lịch hẹn; hãy chọn ngày khác."),
        },
    )

    def __init__(
        self,
        *args: Any,
        desks: list[Unit],
        kinds: list[AppointmentKind],
        days: list[dt.date],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.desks = {str(u.pk): u for u in desks}
        cast(forms.ChoiceField, self.fields["noi"]).choices = [
            ("", _("— Chọn nơi tiếp nhận —"))
        ] + [(str(u.pk), u.name) for u in desks]
        cast(forms.ChoiceField, self.fields["hinh_thuc"]).choices = [
            (SLUG_OF_KIND[k], k.label) for k in kinds
        ]
        cast(forms.ChoiceField, self.fields["ngay"]).choices = [("", _("— Chọn ngày —"))] + [
            (f"{d:%d/%m/%Y}", day_label(d)) for d in days
        ]

    def clean_noi(self) -> Unit:
        """The chosen desk."""
        return self.desks[self.cleaned_data["noi"]]

    def clean_hinh_thuc(self) -> str:
        """The internal kind."""
        return str(KIND_SLUGS[self.cleaned_data["hinh_thuc"]])

    def clean_ngay(self) -> dt.date:
        """The chosen day."""
        day = parse_day(self.cleaned_data["ngay"])
        if day is None:
            raise forms.ValidationError(_("Ngày hẹn không hợp lệ."))
        return day


class BookingForm(forms.Form):
    """Step two (POST): the slot and who comes."""

    gio = forms.ChoiceField(
        label=_("Giờ hẹn"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn một giờ còn chỗ."),
            "invalid_choice": _("Giờ này không còn chỗ; hãy chọn giờ khác."),
        },
    )
    name = forms.CharField(
        label=_("Họ và tên"),
        max_length=255,
        error_messages={"required": _("Cần nhập họ và tên người hẹn.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Để nơi tiếp nhận liên hệ, và để tra cứu hoặc huỷ lịch hẹn."),
        error_messages={"required": _("Cần nhập số điện thoại.")},
    )
    email = forms.CharField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        max_length=254,
        help_text=_("Nếu có, chúng tôi gửi thư xác nhận lịch hẹn."),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (không bắt buộc)"), required=False, max_length=20
    )
    address = forms.CharField(
        label=_("Địa chỉ tiếp nhận tại nhà"),
        required=False,
        max_length=255,
        help_text=_("Số nhà, đường, ấp/khóm, xã/phường — nơi cán bộ đến nhận hồ sơ."),
    )
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        cast(forms.ChoiceField, self.fields["gio"]).choices = [
            (s.value, s.label) for s in slots if s.free
        ]
        for name, auto in (
            ("name", "name"),
            ("phone", "tel"),
            ("email", "email"),
            ("address", "street-address"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = auto
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.input_type = "email"
        self.fields["id_number"].widget.attrs["inputmode"] = "numeric"

    def applicant(self) -> dict[str, str]:
        """The contact details as the service takes them."""
        data = self.cleaned_data
        return {k: data.get(k, "") for k in ("name", "phone", "email", "id_number", "address")}


class LookupForm(forms.Form):
    """Appointment code (`ma`) and the last four digits of the phone booked with (`so`)."""

    ma = forms.CharField(label=_("Mã lịch hẹn"), max_length=20, help_text=_("Ví dụ LH7K3QXM."))
    so = forms.RegexField(
        label=_("4 số cuối số điện thoại đã đặt lịch"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
    )
