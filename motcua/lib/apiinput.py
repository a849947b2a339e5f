"""The API's input rules, in one place for every serializer, path code and filter.

- Numbers, dates, instants, times and durations refuse digits outside 0–9 (Arabic-Indic
  “٣”, full-width “３”, …): Python and Django would read them as other numbers.
- Instants refuse a missing time zone: “2026-12-07T08:00:00” is ambiguous between the desk's
  clock and UTC; “2026-12-07T08:00:00+07:00” is not.
- DRF's own field messages are said in Vietnamese.

`harden_serializer_fields()` applies the rules to DRF's field classes themselves (called once
when this module is first imported, by every module that serves the API), so every
serializer of every app, present or future, follows them; `CodeField` is the field for codes;
`StrictFilterBackend` checks the query string of list operations; `ScopedReadOnlyViewSet`
(motcua/lib/api.py) checks the codes in the path.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, serializers

ASCII_DIGITS_MESSAGE = _(
    "Chỉ dùng chữ số 0–9 thông thường, không dùng chữ số của bảng chữ khác (như “٣” hay “３”)."
)
TIMEZONE_MESSAGE = _("Thời điểm phải có múi giờ, ví dụ 2026-12-07T08:00:00+07:00")

# DRF's own field messages, said in Vietnamese (DRF ships almost no Vietnamese translation).
FIELD_MESSAGES: dict[type[serializers.Field], dict[str, Any]] = {
    serializers.Field: {
        "required": _("Trường này là bắt buộc."),
        "null": _("Trường này không được để trống."),
    },
    serializers.CharField: {
        "invalid": _("Giá trị phải là một chuỗi ký tự."),
        "blank": _("Trường này không được để trống."),
        "max_length": _("Tối đa {max_length} ký tự."),
        "min_length": _("Tối thiểu {min_length} ký tự."),
    },
    serializers.EmailField: {"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    serializers.BooleanField: {"invalid": _("Giá trị phải là true hoặc false.")},
    serializers.IntegerField: {
        "invalid": _("Giá trị phải là một số nguyên."),
        "max_value": _("Giá trị không được lớn hơn {max_value}."),
        "min_value": _("Giá trị không được nhỏ hơn {min_value}."),
        "max_string_length": _("Chuỗi số quá dài."),
    },
    serializers.FloatField: {
        "invalid": _("Giá trị phải là một số."),
        "max_value": _("Giá trị không được lớn hơn {max_value}."),
        "min_value": _("Giá trị không được nhỏ hơn {min_value}."),
        "max_string_length": _("Chuỗi số quá dài."),
        "overflow": _("Số quá lớn."),
    },
    serializers.DecimalField: {
        "invalid": _("Giá trị phải là một số."),
        "max_value": _("Giá trị không được lớn hơn {max_value}."),
        "min_value": _("Giá trị không được nhỏ hơn {min_value}."),
        "max_string_length": _("Chuỗi số quá dài."),
    },
    serializers.DateTimeField: {
        "invalid": _("Thời điểm không đúng định dạng, ví dụ 2026-12-07T08:00:00+07:00."),
        "date": _("Cần một thời điểm (ngày và giờ), không phải chỉ một ngày."),
        "make_aware": _("Thời điểm không tồn tại ở múi giờ “{timezone}”."),
        "overflow": _("Thời điểm nằm ngoài khoảng cho phép."),
    },
    serializers.DateField: {
        "invalid": _("Ngày không đúng định dạng, ví dụ 2026-12-07."),
        "datetime": _("Cần một ngày, không phải một thời điểm."),
    },
    serializers.TimeField: {"invalid": _("Giờ không đúng định dạng, ví dụ 08:00.")},
    serializers.ChoiceField: {"invalid_choice": _("“{input}” không phải một lựa chọn hợp lệ.")},
    serializers.MultipleChoiceField: {
        "not_a_list": _("Cần một danh sách, không phải “{input_type}”."),
        "empty": _("Cần chọn ít nhất một giá trị."),
    },
    serializers.ListField: {
        "not_a_list": _("Cần một danh sách, không phải “{input_type}”."),
        "empty": _("Danh sách không được rỗng."),
        "min_length": _("Danh sách cần ít nhất {min_length} phần tử."),
        "max_length": _("Danh sách có nhiều nhất {max_length} phần tử."),
    },
    serializers.DictField: {"not_a_dict": _("Cần một đối tượng, không phải “{input_type}”.")},
    serializers.JSONField: {"invalid": _("Giá trị phải là JSON hợp lệ.")},
    serializers.FileField: {
        "required": _("Chưa gửi tệp nào."),
        "invalid": _("Không đọc được tệp: hãy gửi dạng multipart/form-data."),
        "no_name": _("Không xác định được tên tệp."),
        "empty": _("Tệp rỗng."),
        "max_length": _("Tên tệp tối đa {max_length} ký tự."),
    },
    serializers.Serializer: {"invalid": _("Dữ liệu không hợp lệ: cần một đối tượng JSON.")},
    serializers.ListSerializer: {
        "not_a_list": _("Cần một danh sách, không phải “{input_type}”."),
        "empty": _("Danh sách không được rỗng."),
    },
}

# Fields that read digits: numbers, dates, instants, times and durations.
DIGIT_FIELDS: tuple[type[serializers.Field], ...] = (
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DecimalField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
)


def has_foreign_digits(value: Any) -> bool:
    """Whether a text holds a digit other than 0–9 (Arabic-Indic “٣”, full-width “３”, …).

    Python's int(), Django's date parsing and DRF read such digits as numbers, so a code or
    a date typed in another script would silently pass as a different value.
    """
    return isinstance(value, str) and any(c.isdigit() and not c.isascii() for c in value)


def is_naive_instant(value: Any) -> bool:
    """Whether a text is a date-time with no offset (2026-12-07T08:00:00, no Z nor +07:00)."""
    if not isinstance(value, str):
        return False
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return False
    return parsed is not None and timezone.is_naive(parsed)


def _strict(original: Any, *, instant: bool) -> Any:
    @functools.wraps(original)
    def to_internal_value(self: serializers.Field, data: Any) -> Any:
        if has_foreign_digits(data):
            raise serializers.ValidationError(str(ASCII_DIGITS_MESSAGE), code="foreign_digits")
        if instant and is_naive_instant(data):
            raise serializers.ValidationError(str(TIMEZONE_MESSAGE), code="naive_instant")
        return original(self, data)

    to_internal_value.motcua_strict = True  # type: ignore[attr-defined]
    return to_internal_value


def harden_serializer_fields() -> None:
    """Give every DRF field, in every serializer, the API's input rules (idempotent).

    Numbers, dates and instants refuse digits outside 0–9; instants refuse a missing time
    zone; DRF's messages are said in Vietnamese. Called once at start-up (`WebConfig.ready`).
    """
    for field_class, messages in FIELD_MESSAGES.items():
        own = field_class.__dict__.get("default_error_messages")
        if own is None:
            field_class.default_error_messages = own = {}
        own.update(messages)
    for field_class in DIGIT_FIELDS:
        original = field_class.__dict__.get("to_internal_value")
        if original is None or getattr(original, "motcua_strict", False):
            continue
        instant = issubclass(field_class, serializers.DateTimeField)
        field_class.to_internal_value = _strict(original, instant=instant)  # type: ignore[method-assign]


class CodeField(serializers.CharField):
    """A code (thủ tục, đơn vị, hồ sơ): plain text, but no digits outside 0–9."""

    def to_internal_value(self, data: Any) -> str:
        """The code, refused when it carries digits of another script."""
        if has_foreign_digits(data):
            raise serializers.ValidationError(str(ASCII_DIGITS_MESSAGE), code="foreign_digits")
        return str(super().to_internal_value(data))


# Filters read as free text (searches): every other filter is a code, number, date or choice.
FREE_TEXT_LOOKUPS = {"icontains", "contains", "search", "iexact_unaccent"}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter for the API: codes, numbers and dates with foreign digits, and
    instants without a time zone, answer 400 on their parameter."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        """Check the query string against the view's filters, then filter as usual."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors: dict[str, list[str]] = {}
            for name, flt in filterset_class.base_filters.items():
                if flt.lookup_expr in FREE_TEXT_LOOKUPS or name in {"q", "search"}:
                    continue
                instant = issubclass(flt.field_class, forms.DateTimeField)
                for value in request.query_params.getlist(name):
                    if has_foreign_digits(value):
                        errors[name] = [str(ASCII_DIGITS_MESSAGE)]
                    elif instant and is_naive_instant(value):
                        errors[name] = [str(TIMEZONE_MESSAGE)]
            if errors:
                raise serializers.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, refusing a page number written with digits of another script."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        """Check `?page=` (Django's paginator would read “３” as 3), then paginate."""
        if has_foreign_digits(request.query_params.get(self.page_query_param)):
            raise serializers.ValidationError({self.page_query_param: [str(ASCII_DIGITS_MESSAGE)]})
        return super().paginate_queryset(queryset, request, view)


# Every module that serves the API imports this one (the base viewset in `lib/api.py`, the
# serializers, the default filter backend and paginator in settings): the rules apply before
# the first API request, without importing DRF into every `motcua` command (issue 16).
harden_serializer_fields()
