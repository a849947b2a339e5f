"""Serializers of the calendar API: query parameters in, days and due instants out."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from motcua.lib.apiinput import CodeField
from motcua.workcalendar import inputs
from motcua.workcalendar.engine import TimeUnit


def _parsed(parser: Any, value: Any) -> Any:
    try:
        return parser(value)
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


class DaysQuerySerializer(serializers.Serializer):
    """?year=2026&unit=CODE"""

    year = CodeField(help_text="Năm, ví dụ 2026")
    unit = CodeField(required=False, allow_blank=True, help_text="Mã đơn vị (trống = lịch chung)")

    def validate_year(self, value: str) -> int:
        """A year between 1995 and 2100."""
        return int(_parsed(inputs.parse_year, value))


class DayInfoSerializer(serializers.Serializer):
    """A non-working weekday or a worked Saturday/Sunday, with its reason."""

    date = serializers.DateField()
    weekday = serializers.CharField(source="weekday_name", help_text="Thứ Hai … Chủ Nhật")
    working = serializers.BooleanField(help_text="true = ngày làm bù / làm việc")
    kind = serializers.CharField(
        help_text="weekend, holiday, compensatory, swapped_off, local_off, makeup, restored, "
        "ordinary"
    )
    kind_label = serializers.CharField(source="label", help_text="Nhãn tiếng Việt của loại ngày")
    name = serializers.CharField()
    document = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    unconfirmed = serializers.BooleanField()
    reason = serializers.SerializerMethodField()

    def get_reason(self, obj: Any) -> str:
        """One line: kind, name, document, [chưa xác nhận]."""
        return str(obj.reason())


class DueQuerySerializer(serializers.Serializer):
    """?start=...&amount=..&unit=working_days&pause=FROM/TO&cutoff=HH:MM&unit_code=..&explain=1"""

    start = CodeField(help_text="ISO 8601; không có múi giờ = giờ Việt Nam")
    amount = CodeField(required=False, allow_blank=True, help_text="Số nguyên dương")
    unit = serializers.ChoiceField(choices=[u.value for u in TimeUnit])
    pause = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="FROM/TO, lặp lại được; FROM/ = đang tạm dừng",
    )
    cutoff = CodeField(required=False, allow_blank=True, help_text="HH:MM")
    unit_code = CodeField(required=False, allow_blank=True)
    explain = serializers.BooleanField(required=False, default=False)

    def validate_start(self, value: str) -> Any:
        """ISO 8601 instant."""
        return _parsed(inputs.parse_instant, value)

    def validate_pause(self, value: list[str]) -> list[Any]:
        """Each FROM/TO."""
        return [_parsed(inputs.parse_pause, text) for text in value]

    def validate_cutoff(self, value: str) -> Any:
        """HH:MM or empty."""
        return _parsed(inputs.parse_cutoff, value) if value.strip() else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The amount is required except for same_day."""
        unit = TimeUnit(attrs["unit"])
        try:
            attrs["amount"] = inputs.parse_amount(attrs.get("amount"), unit)
        except ValueError as exc:
            raise serializers.ValidationError({"amount": [str(exc)]}) from None
        return attrs


class DueSerializer(serializers.Serializer):
    """A computed due instant."""

    due = serializers.DateTimeField(
        allow_null=True, help_text="Hạn xử lý (null khi hồ sơ đang tạm dừng)"
    )
    start = serializers.DateTimeField(
        help_text="Thời điểm bắt đầu tính (đã điều chỉnh vào giờ làm việc)"
    )
    unit = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True)
    paused = serializers.BooleanField()
    remaining_minutes = serializers.IntegerField(
        allow_null=True, help_text="Thời gian làm việc còn lại khi đang tạm dừng"
    )
    remaining_days = serializers.IntegerField(allow_null=True)
    explanation = serializers.ListField(child=serializers.CharField())
