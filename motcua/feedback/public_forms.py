"""Forms of the public feedback pages: send, follow up, supplement, closing survey, search.

They only parse and normalise input (NFC, digits of a phone number). Whether an item can be
received, supplemented or rated is the services' answer, turned into form errors by the views.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.feedback import followcode
from motcua.feedback.models import Category
from motcua.lib.vntext import nfc
from motcua.units.choices import UnitLevel
from motcua.units.models import Unit

_PHONE = re.compile(r"^\+?\d{9,12}$")
# Four digits of the phone, or (sender without a phone) four characters of the e-mail name.
_LAST4 = re.compile(r"^[0-9a-z._%+\-]{4}$")
# Feedback codes are PA-<province>-<YYMMDD>-<NNNN>; the check only rejects obvious junk.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{3,39}$")


def current_province(day: dt.date | None = None) -> Unit | None:
    """The province in force today (the root unit of level `province`)."""
    day = day or timezone.localdate()
    return (
        Unit.objects.valid_on(day)
        .filter(level=UnitLevel.PROVINCE, parent__isnull=True)
        .order_by("code")
        .first()
    )


def category_choices(province: Unit | None) -> list[tuple[str, str]]:
    """Active categories of the province as an indented tree (parents before children)."""
    if province is None:
        return []
    rows = list(Category.objects.filter(province__code=province.code, active=True))
    known = {row.pk for row in rows}
    children: dict[int | None, list[Category]] = {}
    for row in rows:
        # A child of an inactive parent is listed at the top level.
        parent = row.parent_id if row.parent_id in known else None
        children.setdefault(parent, []).append(row)
    choices: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in sorted(children.get(parent, []), key=lambda c: (c.order, c.name)):
            choices.append((str(row.pk), "— " * depth + row.name))
            walk(row.pk, depth + 1)

    walk(None, 0)
    return choices


def category_descendants(province: Unit | None, root: int) -> set[int]:
    """The category and every category below it."""
    if province is None:
        return {root}
    pairs = list(
        Category.objects.filter(province__code=province.code).values_list("pk", "parent_id")
    )
    result = {root}
    grew = True
    while grew:
        grew = False
        for pk, parent in pairs:
            if parent in result and pk not in result:
                result.add(pk)
                grew = True
    return result


def area_choices(province: Unit | None, day: dt.date | None = None) -> list[Any]:
    """Districts and communes of the province in force today, communes grouped by district."""
    if province is None:
        return []
    day = day or timezone.localdate()
    valid = Unit.objects.valid_on(day)
    districts = list(valid.filter(parent=province, level=UnitLevel.DISTRICT).order_by("name"))
    communes = list(
        valid.filter(
            parent_id__in=[province.pk, *(d.pk for d in districts)], level=UnitLevel.COMMUNE
        ).order_by("name")
    )
    choices: list[Any] = []
    direct = [(str(c.pk), c.name) for c in communes if c.parent_id == province.pk]
    if direct:
        choices.append((_("Xã, phường"), direct))
    for district in districts:
        below = [(str(c.pk), c.name) for c in communes if c.parent_id == district.pk]
        choices.append((district.name, [(str(district.pk), district.name), *below]))
    return choices


def _clean_text(value: str | None) -> str:
    return nfc(value or "")


class SubmitForm(forms.Form):
    """Send a feedback or recommendation from the portal — gửi phản ánh, kiến nghị."""

    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=255,
        error_messages={"required": _("Hãy nhập tiêu đề phản ánh.")},
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": _("Hãy nhập nội dung phản ánh, kiến nghị.")},
        help_text=_("Nêu rõ sự việc, thời gian, địa điểm, thủ tục hoặc cơ quan liên quan."),
    )
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    area = forms.ChoiceField(label=_("Địa bàn (xã, phường)"), required=False)
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"),
        max_length=40,
        required=False,
        help_text=_("Ghi mã hồ sơ nếu phản ánh về việc giải quyết một hồ sơ cụ thể."),
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=255, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Dùng 4 số cuối để tra cứu tình trạng xử lý."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước dùng thông tin cá nhân trên chỉ để xử lý và trả lời "
            "phản ánh này."
        ),
        error_messages={"required": _("Hãy xác nhận đồng ý về việc xử lý dữ liệu cá nhân.")},
    )

    def __init__(self, *args: Any, province: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [
            ("", _("— Chưa rõ, để cơ quan phân loại —")),
            *category_choices(province),
        ]
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("— Không gắn với địa bàn cụ thể —")), *area_choices(province)]

    def clean_title(self) -> str:
        """NFC, trimmed."""
        return _clean_text(self.cleaned_data.get("title"))

    def clean_content(self) -> str:
        """NFC, trimmed; whitespace alone is no content."""
        text = _clean_text(self.cleaned_data.get("content"))
        if not text:
            raise forms.ValidationError(_("Hãy nhập nội dung phản ánh, kiến nghị."))
        return text

    def clean_name(self) -> str:
        """NFC, trimmed."""
        return _clean_text(self.cleaned_data.get("name"))

    def clean_dossier_code(self) -> str:
        """Trimmed, upper case as codes are printed."""
        return (self.cleaned_data.get("dossier_code") or "").strip().upper()

    def clean_phone(self) -> str:
        """Digits only (spaces, dots and dashes dropped); 9 to 12 digits."""
        raw = (self.cleaned_data.get("phone") or "").strip()
        phone = re.sub(r"[\s.\-()]", "", raw)
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ (chỉ gồm chữ số, ví dụ 0912345678).")
            )
        return phone

    def category_obj(self) -> Category | None:
        """The chosen category row."""
        value = self.cleaned_data.get("category")
        return Category.objects.filter(pk=value).first() if value else None

    def area_obj(self) -> Unit | None:
        """The chosen district or commune."""
        value = self.cleaned_data.get("area")
        return Unit.objects.filter(pk=value).first() if value else None

    def sender(self) -> dict[str, str]:
        """The sender dict of `receive_feedback`."""
        data = self.cleaned_data
        return {"name": data["name"], "phone": data["phone"], "email": data["email"]}


class FollowForm(forms.Form):
    """Find one's own item: code + last four digits of the phone (or ID) number."""

    code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=40,
        error_messages={"required": _("Hãy nhập mã phản ánh.")},
        widget=forms.TextInput(attrs={"placeholder": "PA-DT-250301-0001", "autocomplete": "off"}),
    )
    last4 = forms.CharField(
        label=_("4 số cuối số điện thoại hoặc số định danh của người gửi, hoặc mã theo dõi"),
        help_text=_(
            "Nếu khi gửi chỉ khai thư điện tử: nhập mã theo dõi 10 ký tự ghi trên trang xác "
            "nhận và trong thư đã gửi cho bạn."
        ),
        max_length=14,
        min_length=4,
        error_messages={
            "required": _("Hãy nhập 4 số cuối."),
            "min_length": _("Hãy nhập đúng 4 ký tự."),
            "max_length": _("Hãy nhập 4 số cuối hoặc mã theo dõi 10 ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 12}),
    )

    def clean_code(self) -> str:
        """Trimmed, upper case."""
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if not _CODE.match(code):
            raise forms.ValidationError(_("Mã phản ánh không hợp lệ."))
        return code

    def clean_last4(self) -> str:
        """Four characters (digits of a phone, or of an e-mail name), or a follow code."""
        raw = self.cleaned_data.get("last4") or ""
        code = followcode.normalize(raw)
        if len(code) == followcode.LENGTH and set(code) <= set(followcode.ALPHABET):
            return code
        value = raw.strip().lower()
        if not _LAST4.match(value):
            raise forms.ValidationError(_("Hãy nhập đúng 4 ký tự."))
        return value


class SupplementForm(forms.Form):
    """The sender's supplement or clarification — bổ sung, làm rõ."""

    text = forms.CharField(
        label=_("Nội dung bổ sung, làm rõ"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": _("Hãy nhập nội dung bổ sung, làm rõ.")},
    )

    def clean_text(self) -> str:
        """NFC, trimmed; whitespace alone is nothing."""
        text = _clean_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(_("Hãy nhập nội dung bổ sung, làm rõ."))
        return text


class SurveyForm(forms.Form):
    """The closing question — bạn có hài lòng với kết quả xử lý không?"""

    satisfied = forms.TypedChoiceField(
        label=_("Bạn có hài lòng với kết quả xử lý không?"),
        choices=[("1", _("Hài lòng")), ("0", _("Không hài lòng"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn hài lòng hoặc không hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def clean_comment(self) -> str:
        """NFC, trimmed."""
        return _clean_text(self.cleaned_data.get("comment"))


class SearchForm(forms.Form):
    """Search the published answers, with or without diacritics."""

    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)

    def __init__(self, *args: Any, province: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("Tất cả lĩnh vực")), *category_choices(province)]
