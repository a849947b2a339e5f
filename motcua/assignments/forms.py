"""Forms of the task pages: progress and completion reports, decisions of the confirmer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProgressForm(forms.Form):
    """A progress report of the lead unit (or a coordinating unit's contribution)."""

    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(
        label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100, required=False
    )
    evidence = forms.CharField(
        label=_("Minh chứng (số, ký hiệu văn bản đã ban hành)"), required=False, max_length=500
    )
    file = forms.FileField(label=_("Tệp minh chứng"), required=False)
    reported_on = forms.DateField(
        label=_("Ngày báo cáo"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CompletionForm(ProgressForm):
    """The completion report: evidence required (text or file), checked by the service."""

    percent = None  # type: ignore[assignment]


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(
        label=_("Ngày xác nhận"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.CharField(label=_("Văn bản xác nhận (nếu có)"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    document = forms.CharField(label=_("Văn bản hủy nhiệm vụ của cơ quan giao"))
    reason = forms.CharField(label=_("Lý do"), required=False)


class ExtendForm(forms.Form):
    new_due = forms.DateField(label=_("Hạn mới"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label=_("Văn bản quyết định gia hạn"))
    reason = forms.CharField(label=_("Lý do"), required=False)


class PasteForm(forms.Form):
    """The text of an assigning letter, pasted to propose draft tasks."""

    number = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=64)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("Nội dung văn bản"), widget=forms.Textarea(attrs={"rows": 14}))
