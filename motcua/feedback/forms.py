"""Forms of the officer's feedback workspace: intake (hotline, counter, letter, e-mail) and one
form per action on the item's page.

Forms only parse. Whether an action is allowed, and which text is missing or unacceptable, is
the services' answer, turned into form errors by the views.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import InstantField
from motcua.feedback.choices import Channel, Competence, Subject
from motcua.feedback.models import Category
from motcua.lib.vntext import nfc

# Channels an officer logs by hand; the portals, apps and partners file their own.
INTAKE_CHANNELS = (Channel.HOTLINE, Channel.COUNTER, Channel.LETTER, Channel.EMAIL)

REQUIRED = {"required": _("Trường này là bắt buộc.")}
CHOICE_ERRORS = {
    "required": _("Cần chọn một giá trị."),
    "invalid_choice": _("Lựa chọn không hợp lệ."),
}


class TextField(forms.CharField):
    """A text input, NFC-normalised and stripped."""

    def to_python(self, value: Any) -> str:
        """The NFC form of the text."""
        return nfc(super().to_python(value) or "")


def long_text(label: Any, *, required: bool = False, rows: int = 3, **kw: Any) -> TextField:
    """A textarea field."""
    return TextField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=REQUIRED,
        **kw,
    )


def unit_code(label: Any, *, help_text: Any = "") -> TextField:
    """A unit code box backed by the page's datalist of units."""
    field = TextField(label=label, required=False, max_length=64, help_text=help_text)
    field.widget.attrs["list"] = "units-in-scope"
    return field


class DurationField(forms.CharField):
    """A call duration written minutes:seconds (also h:mm:ss, or whole minutes) → seconds."""

    pattern = re.compile(r"^(?:(\d+):)?(\d+):([0-5]\d)$")

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        """Seconds, or None when empty."""
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        if text.isdigit():
            return int(text) * 60
        match = self.pattern.match(text)
        if match is None:
            raise forms.ValidationError(
                gettext("Thời lượng ghi theo phút:giây, ví dụ 3:45 (“%(text)s” không hợp lệ).")
                % {"text": text}
            )
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int | None) -> str:
    """'3:45' (minutes:seconds), or '' when there is no duration."""
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def local_now_text() -> str:
    """Now in Vietnam time as the instant inputs expect it."""
    return f"{timezone.localtime():%Y-%m-%dT%H:%M}"


def category_choices() -> list[tuple[str, str]]:
    """Active categories, parents before children (one query)."""
    rows = Category.objects.filter(active=True).select_related("parent")
    result = [("", str(_("— chọn nhóm —")))]
    for c in rows.order_by("province_id", "order", "code"):
        name = f"{c.parent.name} › {c.name}" if c.parent_id and c.parent else c.name
        result.append((str(c.pk), name))
    return result


def answer_field() -> TextField:
    """The answer given on the spot (filled from a standard answer with HTMX)."""
    return long_text(
        _("Nội dung trả lời ngay"),
        rows=5,
        help_text=_("chỉ dùng với nút “Trả lời ngay”; có thể chọn câu trả lời mẫu của nhóm"),
    )


class QuickAnswerForm(forms.Form):
    """The answer box alone: the fragment HTMX swaps in when a standard answer is chosen."""

    answer = answer_field()


class IntakeForm(forms.Form):
    """Intake of a hotline call, a counter visit, a letter or an e-mail — tiếp nhận PAKN.

    Two ways out: "Tiếp nhận" logs the item for handling; "Trả lời ngay" logs a question and
    its answer and closes it in one step (`answer_on_the_spot`).
    """

    intake_unit = forms.ChoiceField(
        label=_("Nơi tiếp nhận"), required=False, error_messages=CHOICE_ERRORS
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(c.value, c.label) for c in INTAKE_CHANNELS],
        initial=Channel.HOTLINE,
        error_messages=CHOICE_ERRORS,
    )
    contact_at = InstantField(
        label=_("Thời điểm liên hệ"), required=False, help_text=_("để trống: bây giờ")
    )
    call_duration = DurationField(
        label=_("Thời lượng cuộc gọi"),
        required=False,
        help_text=_("phút:giây, ví dụ 3:45"),
    )
    sender_name = TextField(label=_("Họ tên người phản ánh"), max_length=255, required=False)
    sender_phone = TextField(label=_("Số điện thoại"), max_length=20, required=False)
    sender_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    sender_id_number = TextField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    sender_address = TextField(label=_("Địa chỉ"), max_length=255, required=False)
    title = TextField(label=_("Tiêu đề"), max_length=255, error_messages=REQUIRED)
    content = long_text(_("Nội dung phản ánh, kiến nghị, câu hỏi"), required=True, rows=5)
    category = forms.ChoiceField(
        label=_("Nhóm phản ánh"), required=False, error_messages=CHOICE_ERRORS
    )
    area = unit_code(_("Địa bàn (mã đơn vị)"), help_text=_("nơi xảy ra sự việc; để định tuyến"))
    dossier_code = TextField(label=_("Mã hồ sơ liên quan"), max_length=40, required=False)
    procedure_code = TextField(label=_("Mã thủ tục liên quan"), max_length=32, required=False)
    repeat_of_code = TextField(
        label=_("Phản ánh lại của (mã phản ánh)"), max_length=40, required=False
    )
    repeat_dissatisfied = forms.BooleanField(
        label=_("Phản ánh lại vì chưa hài lòng với trả lời trước"), required=False
    )
    answer = answer_field()

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        intake = self.fields["intake_unit"]
        category = self.fields["category"]
        assert isinstance(intake, forms.ChoiceField)
        assert isinstance(category, forms.ChoiceField)
        intake.choices = units
        category.choices = category_choices()
        # Choosing a category offers its standard answers (HTMX swaps the list in).
        category.widget.attrs.update(
            {
                "hx-get": reverse("feedback:standard_answers"),
                "hx-trigger": "change",
                "hx-target": "#standard-answers",
            }
        )
        self.fields["content"].error_messages = {
            "required": _("Hãy ghi nội dung phản ánh, kiến nghị.")
        }
        self.fields["title"].error_messages = {"required": _("Hãy ghi tiêu đề.")}

    def clean_intake_unit(self) -> str:
        """The chosen unit; the only one on offer when none was sent."""
        value = self.cleaned_data.get("intake_unit") or ""
        choices = [str(c[0]) for c in self.fields["intake_unit"].choices]  # type: ignore[attr-defined]
        if not value and len(choices) == 1:
            return choices[0]
        if not value:
            raise forms.ValidationError(gettext("Cần chọn nơi tiếp nhận."))
        return value

    def sender(self) -> dict[str, str]:
        """The sender's contact details as the services take them."""
        data = self.cleaned_data
        return {
            key: data.get(f"sender_{key}") or ""
            for key in ("name", "phone", "email", "id_number", "address")
        }


# Where the services' field names land on the intake form.
INTAKE_FIELD_ALIASES = {
    "name": "sender_name",
    "phone": "sender_phone",
    "email": "sender_email",
    "id_number": "sender_id_number",
    "address": "sender_address",
    "sender": "sender_phone",
    "contact": "sender_phone",
    "call_duration_seconds": "call_duration",
    "repeat_of": "repeat_of_code",
    "dossier": "dossier_code",
    "procedure": "procedure_code",
    "at": "contact_at",
}


# -- action forms on the item's page --------------------------------------------------------

# Where the services' field names land on the action forms.
ACTION_FIELD_ALIASES = {"answer_official": "official", "answer_public": "public"}


class ActionForm(forms.Form):
    """Base of every action form: the version the page was built from, and an optional instant."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    at = InstantField(label=_("Thời điểm"), required=False, help_text=_("để trống: bây giờ"))

    # Inputs shown with an asterisk.
    required_names: frozenset[str] = frozenset()

    def __init__(
        self, *args: Any, handlers: list[tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["at"].widget.attrs["placeholder"] = "YYYY-MM-DDTHH:MM"
        # Keep the instant last, after the action's own inputs.
        self.order_fields([n for n in self.fields if n not in {"at", "lock_version"}])

    def values(self) -> dict[str, Any]:
        """The cleaned data without the lock version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}


class ClassifyForm(ActionForm):
    """Classify — phân loại: subject, competence, category, area and links."""

    subject = forms.ChoiceField(
        label=_("Loại nội dung"),
        choices=[("", _("— chưa phân loại —")), *Subject.choices],
        required=False,
    )
    competence = forms.ChoiceField(
        label=_("Thẩm quyền"),
        choices=[("", _("— chưa phân loại —")), *Competence.choices],
        required=False,
    )
    category = forms.ChoiceField(label=_("Nhóm phản ánh"), required=False)
    area = unit_code(_("Địa bàn (mã đơn vị)"))
    dossier_code = TextField(label=_("Mã hồ sơ liên quan"), max_length=40, required=False)
    procedure_code = TextField(label=_("Mã thủ tục liên quan"), max_length=32, required=False)
    officer_name = TextField(label=_("Cán bộ bị phản ánh"), max_length=150, required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", pgettext_lazy("no change", "— giữ nguyên —"))] + [
            c for c in category_choices() if c[0]
        ]


class AssignForm(ActionForm):
    """Assign — phân công người xử lý, hoặc giao đơn vị khác trong hệ thống xử lý."""

    handler = forms.ChoiceField(
        label=_("Người xử lý"),
        required=False,
        help_text=_("để trống cả hai ô: bạn nhận xử lý"),
    )
    unit = unit_code(
        _("Giao đơn vị xử lý khác trong tỉnh (mã đơn vị)"), help_text=_("để trống: giữ nguyên")
    )

    def __init__(
        self, *args: Any, handlers: list[tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ChoiceField)
        handler.choices = [("", "—"), *(handlers or [])]


class ReasonForm(ActionForm):
    """An action whose only input is a written reason."""

    reason = long_text(_("Lý do"), required=True)
    required_names = frozenset({"reason"})


class RefuseForm(ReasonForm):
    """Refuse — không tiếp nhận xử lý (with a written reason)."""

    reason = long_text(_("Lý do không tiếp nhận xử lý"), required=True)


class ForwardForm(ActionForm):
    """Forward to the competent body — chuyển cơ quan có thẩm quyền."""

    to_unit = unit_code(
        _("Chuyển đến đơn vị trong hệ thống (mã đơn vị)"),
        help_text=_("hoặc ghi tên cơ quan ngoài hệ thống ở ô dưới"),
    )
    to_body = TextField(label=_("Cơ quan ngoài hệ thống"), max_length=255, required=False)
    reason = long_text(_("Lý do chuyển"), required=True)
    required_names = frozenset({"reason"})

    def clean(self) -> dict[str, Any]:
        """Exactly one destination."""
        data = super().clean() or {}
        if bool(data.get("to_unit")) == bool(data.get("to_body")):
            raise forms.ValidationError(
                gettext(
                    "Hãy chọn một đơn vị trong hệ thống hoặc ghi tên một cơ quan ngoài hệ thống."
                )
            )
        return data


class RedirectForm(ActionForm):
    """Redirect a complaint or denunciation — hướng dẫn sang thủ tục khiếu nại, tố cáo."""

    target = TextField(
        label=_("Nơi hướng dẫn đến"),
        max_length=255,
        required=False,
        help_text=_("ví dụ: Ban Tiếp công dân tỉnh"),
    )
    reason = long_text(_("Lý do"), required=True)
    required_names = frozenset({"reason"})


class RequestSupplementForm(ActionForm):
    """Ask the sender to supplement or clarify — yêu cầu bổ sung, làm rõ."""

    request = long_text(_("Nội dung cần bổ sung, làm rõ"), required=True)
    required_names = frozenset({"request"})


class RecordSupplementForm(ActionForm):
    """Record what the sender supplied (by phone, at the desk, by letter) — ghi nhận bổ sung."""

    text = long_text(_("Nội dung người phản ánh bổ sung"), required=True)
    required_names = frozenset({"text"})


class StartProcessingForm(ActionForm):
    """Start handling — bắt đầu xử lý, optionally naming the handler."""

    handler = forms.ChoiceField(label=_("Người xử lý"), required=False)

    def __init__(
        self, *args: Any, handlers: list[tuple[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ChoiceField)
        handler.choices = [("", _("— tôi xử lý —")), *(handlers or [])]


class DraftAnswerForm(ActionForm):
    """Draft the answer — dự thảo trả lời: the official text and the public version."""

    official = long_text(_("Văn bản trả lời người phản ánh"), required=True, rows=6)
    public_title = TextField(
        label=_("Tiêu đề công khai"),
        max_length=255,
        required=False,
        help_text=_("câu hỏi như công chúng đọc, không có thông tin cá nhân"),
    )
    public = long_text(
        _("Nội dung trả lời công khai"),
        required=True,
        rows=6,
        help_text=_("bỏ họ tên, số điện thoại, số định danh, địa chỉ dưới cấp xã"),
    )
    required_names = frozenset({"official", "public"})


class RejectAnswerForm(ActionForm):
    """Send the draft back — trả lại dự thảo trả lời (with a reason)."""

    reason = long_text(_("Lý do trả lại dự thảo"), required=True)
    required_names = frozenset({"reason"})


class ApproveAnswerForm(ActionForm):
    """Approve the answer — phê duyệt trả lời (leader), optionally not for publication."""

    do_not_publish = forms.BooleanField(label=_("Không công khai trả lời này"), required=False)
    do_not_publish_reason = long_text(
        _("Lý do không công khai"), help_text=_("bắt buộc khi chọn không công khai")
    )


class EmptyActionForm(ActionForm):
    """An action with no input but the optional instant (publish, close)."""
