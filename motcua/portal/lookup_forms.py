"""Forms of the public look-up pages: dossier status by code + four digits, and the rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import RATING_SCALE_MAX, RatingCriterion
from motcua.lib.vntext import nfc

SCORE_PREFIX = "diem_"
COMMENT_MAX = 2000

# Words for the points of the scale when it has five ([unconfirmed] scale, dossiers.md §12).
SCALE_WORDS = {
    1: _("Rất kém"),
    2: _("Kém"),
    3: _("Trung bình"),
    4: _("Tốt"),
    5: _("Rất tốt"),
}


class DossierLookupForm(forms.Form):
    """Dossier code (`ma`) and the last four digits of the applicant's phone or ID (`so`)."""

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=80,
        help_text=_("In trên giấy tiếp nhận và hẹn trả kết quả, ví dụ 000.00.06.H56-231027-0361."),
    )
    so = forms.RegexField(
        label=_("4 số cuối điện thoại hoặc số định danh cá nhân của người nộp"),
        # ASCII digits only: `\d` would also take "١٢٣٤", which the look-up cannot compare.
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
    )

    def clean_ma(self) -> str:
        """Codes carry no spaces; applicants paste them with some."""
        return "".join(nfc(self.cleaned_data["ma"]).split())


def score_field_name(criterion: str) -> str:
    """The form field of one criterion: 'diem_convenience'."""
    return f"{SCORE_PREFIX}{criterion}"


class RatingForm(forms.Form):
    """Overall satisfied / not satisfied, each criterion on the scale (optional), a comment.

    `token` is the signed rating token (`motcua.dossiers.tokens`); the page never trusts a
    dossier named in the form. Any posted score field that names no criterion makes the form
    invalid (a forged post), as does a score outside the scale.
    """

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    satisfied = forms.TypedChoiceField(
        label=_("Nhìn chung, ông/bà có hài lòng với việc giải quyết hồ sơ này không?"),
        choices=[("1", _("Hài lòng")), ("0", _("Không hài lòng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn Hài lòng hoặc Không hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến khác (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    open_feedback = forms.BooleanField(
        label=_(
            "Gửi ý kiến này thành phản ánh, kiến nghị để cơ quan giải quyết hồ sơ xem xét và "
            "trả lời"
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = [(str(n), str(n)) for n in range(1, RATING_SCALE_MAX + 1)]
        for criterion in RatingCriterion:
            self.fields[score_field_name(criterion.value)] = forms.TypedChoiceField(
                label=criterion.label,
                choices=points,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Điểm phải từ 1 đến %(max)s.") % {"max": RATING_SCALE_MAX}
                },
            )

    def clean(self) -> dict[str, Any]:
        """Refuse score fields that name no criterion."""
        cleaned = super().clean() or {}
        known = {score_field_name(c) for c in RatingCriterion.values}
        posted = {k for k in (self.data or {}) if k.startswith(SCORE_PREFIX)}
        if posted - known:
            raise forms.ValidationError(_("Tiêu chí đánh giá không hợp lệ."), code="forged")
        if cleaned.get("open_feedback"):
            if cleaned.get("satisfied") is not False:
                self.add_error(
                    "open_feedback",
                    _("Chỉ gửi phản ánh kèm đánh giá khi ông/bà không hài lòng."),
                )
            elif not cleaned.get("comment"):
                self.add_error(
                    "comment", _("Hãy ghi nội dung ông/bà không hài lòng để cơ quan trả lời.")
                )
        return cleaned

    def clean_comment(self) -> str:
        """NFC, trimmed."""
        return nfc(self.cleaned_data.get("comment") or "")

    @property
    def scores(self) -> dict[str, int]:
        """The answered criteria of a valid form: code → score."""
        result = {}
        for criterion in RatingCriterion.values:
            value = self.cleaned_data.get(score_field_name(criterion))
            if value is not None:
                result[criterion] = int(value)
        return result

    def criteria(self) -> list[dict[str, Any]]:
        """Per criterion, the bound field and its points, for a fieldset/legend per group."""
        groups = []
        for criterion in RatingCriterion:
            bound = self[score_field_name(criterion.value)]
            value = str(bound.value() or "")
            points = [
                {
                    "value": str(n),
                    "id": f"{bound.auto_id}_{n}",
                    "words": SCALE_WORDS.get(n, "") if RATING_SCALE_MAX == 5 else "",
                    "checked": value == str(n),
                }
                for n in range(1, RATING_SCALE_MAX + 1)
            ]
            groups.append({"field": bound, "label": criterion.label, "points": points})
        return groups
