"""Forms of the report's review, issue and sending steps (they parse; the services decide)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.lib.periods import TZ
from motcua.lib.vntext import nfc

# Authority words of Decree 30/2020 (reports.md §7.4): none, or the word before the title.
AUTHORITIES = (
    ("", _("Không ghi (người đứng đầu ký)")),
    ("KT.", _("KT. (cấp phó ký thay)")),
    ("TL.", _("TL. (ký thừa lệnh)")),
    ("TUQ.", _("TUQ. (ký thừa ủy quyền)")),
    ("TM.", _("TM. (thay mặt tập thể)")),
    ("Q.", _("Q. (quyền người đứng đầu)")),
)


def lines(text: str) -> list[str]:
    """One recipient per line: blank lines dropped, a leading "-" and a trailing ";" removed."""
    result = []
    for raw in nfc(text or "").splitlines():
        item = raw.strip().lstrip("-").strip().rstrip(";").strip()
        if item:
            result.append(item)
    return result


class ApproveForm(forms.Form):
    """Phê duyệt: a note, needed when the checks leave warnings."""

    note = forms.CharField(
        label=_("Ghi chú khi duyệt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi báo cáo còn cảnh báo: ghi rằng đã xem xét các cảnh báo."),
    )


class ReturnForm(forms.Form):
    """Trả lại: the reason."""

    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )


class IssueForm(forms.Form):
    """Ban hành: number and symbol, date, signer, authority, place, recipients (§6)."""

    number = forms.IntegerField(label=_("Số văn bản"), min_value=1)
    symbol = forms.CharField(
        label=_("Ký hiệu"), max_length=64, help_text=_("Ví dụ BC-UBND (viết hoa, không dấu cách).")
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        input_formats=["%d/%m/%Y"],
        help_text=_("Ví dụ 14/09/2023."),
        widget=forms.TextInput(attrs={"placeholder": "14/09/2023", "inputmode": "numeric"}),
    )
    authority = forms.ChoiceField(label=_("Quyền hạn ký"), choices=AUTHORITIES, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"), max_length=255, help_text=_("Ví dụ Phó Chủ tịch.")
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=150)
    place = forms.CharField(
        label=_("Địa danh"), max_length=64, required=False, help_text=_("Ví dụ Đồng Tháp.")
    )
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: UBND tỉnh (b/c); Sở Nội vụ; Lưu: VT, NC."),
    )

    def clean_recipients(self) -> list[str]:
        """The recipients, one per line."""
        items = lines(self.cleaned_data.get("recipients", ""))
        if not items:
            raise forms.ValidationError(_("Cần ít nhất một nơi nhận."))
        return items


class SendForm(forms.Form):
    """Gửi báo cáo: recipients and the sending time (typed "19/09/2023 10:00")."""

    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    sent_at = forms.DateTimeField(
        label=_("Thời điểm gửi"),
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y"],
        help_text=_("Ví dụ 19/09/2023 10:00; để trống là lúc này."),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "19/09/2023 10:00", "inputmode": "numeric"}),
    )

    def clean_recipients(self) -> list[str]:
        """The recipients, one per line."""
        items = lines(self.cleaned_data.get("recipients", ""))
        if not items:
            raise forms.ValidationError(_("Cần ít nhất một nơi nhận."))
        return items

    def clean_sent_at(self) -> dt.datetime | None:
        """The typed time read in Vietnam's time zone."""
        value: Any = self.cleaned_data.get("sent_at")
        if value is None:
            return None
        if timezone.is_naive(value):
            value = value.replace(tzinfo=TZ)
        return value.astimezone(TZ)
