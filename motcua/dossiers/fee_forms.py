"""The counts a procedure's fee needs at intake — số trang, số bản, số lượng.

Asked only when the fee is computed from them (per page, per item); the names of the fields
are `fee_pages`, `fee_copies` and `fee_items` on every form that asks (counter intake, portal).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.procedures.fees import (
    COPIES,
    ITEMS,
    MAX_COUNT,
    PAGES,
    counts_needed,
    item_word,
    spec_of,
)

FIELD_OF = {PAGES: "fee_pages", COPIES: "fee_copies", ITEMS: "fee_items"}


def _count_field(label: str, *, required: bool, initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        min_value=1,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={
            "required": _("Cần ghi số này để tính phí, lệ phí."),
            "invalid": _("Hãy ghi một số nguyên, ví dụ 3."),
            "min_value": _("Số này phải từ 1 trở lên."),
            "max_value": _("Số này quá lớn (tối đa %(limit_value)s)."),
        },
    )


class FeeCountsForm(forms.Form):
    """The counts the fee of `procedure` needs; no field at all when it needs none."""

    def __init__(self, data: Any = None, *, procedure: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.procedure = procedure
        spec = spec_of(procedure) if procedure is not None else {}
        needed = counts_needed(spec) if spec else []
        if PAGES in needed:
            self.fields["fee_pages"] = _count_field(
                gettext("Số trang của bản chính (để tính phí)"), required=True
            )
        if COPIES in needed:
            self.fields["fee_copies"] = _count_field(
                gettext("Số bản cần chứng thực"), required=True, initial=1
            )
        if ITEMS in needed:
            word = item_word(spec) or gettext("bản")
            self.fields["fee_items"] = _count_field(
                gettext("Số %(what)s (để tính phí)") % {"what": word}, required=True, initial=1
            )

    def counts(self) -> dict[str, int] | None:
        """The counts by name (`pages`, `copies`, `items`); None when none is needed."""
        if not self.fields:
            return None
        data = self.cleaned_data
        return {name: data[field] for name, field in FIELD_OF.items() if data.get(field)}
