"""Forms of the applicant's pages: registration, sign-in, the online dossier, payment.

Forms only parse and normalise (NFC names, one spelling of phones and e-mails). Whether an
account or a dossier can be created is the services' answer, turned into form errors by
the views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.files import UploadRefused
from motcua.lib.vntext import nfc
from motcua.portal.accounts import AccountError, normalize_id_number
from motcua.portal.contacts import normalize_email, normalize_phone
from motcua.portal.submission import ACCEPT_ATTRIBUTE, ComponentSlot, check_upload
from motcua.units.models import Unit


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None


def _email(value: str) -> str:
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None


def _id_number(value: str) -> str:
    try:
        return normalize_id_number(value)
    except AccountError as exc:
        raise forms.ValidationError(exc.message) from None


class RegisterForm(forms.Form):
    """Đăng ký tài khoản: full name, e-mail or phone (at least one), password twice; the
    personal ID number and address optionally (they prefill the online dossier form)."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số trên thẻ căn cước"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        """NFC, single spaces."""
        name = " ".join(nfc(self.cleaned_data["full_name"]).split())
        if not name:
            raise forms.ValidationError(gettext("Cần ghi họ và tên."))
        return name

    def clean_email(self) -> str:
        """Lower-cased address."""
        return _email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        """0xxxxxxxxx."""
        return _phone(self.cleaned_data["phone"])

    def clean_id_number(self) -> str:
        """12 digits, or "" when not given."""
        return _id_number(self.cleaned_data.get("id_number") or "")

    def clean_address(self) -> str:
        """NFC, single spaces."""
        return " ".join(nfc(self.cleaned_data.get("address") or "").split())

    def clean(self) -> dict[str, Any]:
        """At least one contact; the two passwords equal and strong enough."""
        data = super().clean() or {}
        contact_errors = self.has_error("email") or self.has_error("phone")
        if not data.get("email") and not data.get("phone") and not contact_errors:
            self.add_error(
                "email", gettext("Cần ghi địa chỉ thư điện tử hoặc số điện thoại (ít nhất một).")
            )
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("Hai mật khẩu không giống nhau."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(forms.Form):
    """Đăng nhập: e-mail or phone (or the demo user name) and password."""

    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SubmissionForm(forms.Form):
    """The online dossier of one procedure: receiving unit, applicant, one file per component."""

    receiving_unit = forms.ChoiceField(label=_("Nơi tiếp nhận hồ sơ"))
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"), max_length=254, required=False, widget=forms.EmailInput()
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    owner_name = forms.CharField(
        label=_("Chủ hồ sơ (nếu khác người nộp)"), max_length=255, required=False
    )

    def __init__(
        self,
        *args: Any,
        units: list[Unit],
        slots: list[ComponentSlot],
        details_editable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.details_editable = details_editable
        self.fields["receiving_unit"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(u.pk), u.name) for u in units
        ]
        if not details_editable:
            for name in ("receiving_unit", *self.detail_names):
                self.fields[name].required = False
                self.fields[name].disabled = True
        for slot in slots:
            self.fields[slot.field_name] = forms.FileField(
                label=slot.name,
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                error_messages={
                    "empty": gettext("tệp rỗng"),
                    "invalid": gettext("không đọc được tệp gửi lên"),
                    "missing": gettext("không nhận được tệp"),
                },
            )
        self.units = {str(u.pk): u for u in units}

    detail_names = ("name", "id_number", "phone", "email", "address", "owner_name")

    def clean_name(self) -> str:
        """NFC, single spaces."""
        return " ".join(nfc(self.cleaned_data.get("name") or "").split())

    def clean_phone(self) -> str:
        """0xxxxxxxxx."""
        return _phone(self.cleaned_data.get("phone") or "")

    def clean_email(self) -> str:
        """Lower-cased address."""
        return _email(self.cleaned_data.get("email") or "")

    def clean_id_number(self) -> str:
        """Digits only: 12 (CCCD) or 9 (old ID card)."""
        value = "".join((self.cleaned_data.get("id_number") or "").split())
        if value and (not value.isdigit() or len(value) not in (9, 12)):
            raise forms.ValidationError(gettext("Số định danh gồm 12 chữ số (hoặc 9 chữ số CMND)."))
        return value

    def clean(self) -> dict[str, Any]:
        """Each uploaded file passes the size and type checks."""
        data = super().clean() or {}
        for slot in self.slots:
            upload = data.get(slot.field_name)
            if upload:
                try:
                    check_upload(upload)
                except UploadRefused as exc:
                    self.add_error(slot.field_name, f"{upload.name}: {exc.message}")
        return data

    def receiving(self) -> Unit | None:
        """The chosen receiving unit (None when details are locked)."""
        if not self.details_editable:
            return None
        return self.units.get(self.cleaned_data.get("receiving_unit") or "")

    def applicant(self) -> dict[str, str]:
        """The applicant's details as the dossier services take them."""
        return {name: str(self.cleaned_data.get(name) or "") for name in self.detail_names}

    def uploads(self) -> dict[str, Any]:
        """Uploaded files by slot field name."""
        return {
            s.field_name: self.cleaned_data[s.field_name]
            for s in self.slots
            if self.cleaned_data.get(s.field_name)
        }
