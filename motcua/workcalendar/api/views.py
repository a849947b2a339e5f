"""Calendar API: the days of a year, and a due instant with its explanation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.workcalendar.api.serializers import (
    DayInfoSerializer,
    DaysQuerySerializer,
    DueQuerySerializer,
    DueSerializer,
)
from motcua.workcalendar.engine import CalendarError, compute_due
from motcua.workcalendar.selectors import get_calendar, get_unit_by_code


def _unit(request: Request, code: str, field: str) -> Any:
    if not code:
        return None
    unit = get_unit_by_code(code, user=request.user)
    if unit is None:
        raise ValidationError({field: [f"không tìm thấy đơn vị '{code}' (unknown unit)"]})
    return unit


class CalendarDaysView(APIView):
    """Non-working weekdays and worked Saturdays of a year — ngày nghỉ và ngày làm bù."""

    @extend_schema(
        parameters=[DaysQuerySerializer],
        responses=DayInfoSerializer(many=True),
        operation_id="calendar_days",
        tags=["calendar"],
    )
    def get(self, request: Request) -> Response:
        """List the year's notable days with their reasons."""
        query = DaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = _unit(request, (query.validated_data.get("unit") or "").strip(), "unit")
        days = get_calendar(unit).notable_days(query.validated_data["year"])
        return Response(DayInfoSerializer(days, many=True).data)


class CalendarDueView(APIView):
    """Compute a due instant — tính hạn xử lý (same contract as `motcua calendar due`)."""

    @extend_schema(
        parameters=[DueQuerySerializer],
        responses=DueSerializer,
        operation_id="calendar_due",
        tags=["calendar"],
    )
    def get(self, request: Request) -> Response:
        """Due instant, remaining budget if paused, and (with explain=1) the explanation."""
        query = DueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit = _unit(request, (data.get("unit_code") or "").strip(), "unit_code")
        try:
            result = compute_due(
                get_calendar(unit),
                data["start"],
                data["amount"],
                data["unit"],
                pauses=data["pause"],
                cutoff=data.get("cutoff"),
            )
        except CalendarError as exc:
            field = "pause" if data["pause"] else "start"
            raise ValidationError({field: [str(exc)]}) from None
        due = result.statutory_due
        payload = {
            "due": due.isoformat(timespec="seconds") if due else None,
            "start": result.start.isoformat(timespec="seconds"),
            "unit": result.unit,
            "amount": result.amount,
            "paused": result.paused,
            "remaining_minutes": result.remaining_minutes,
            "remaining_days": result.remaining_days,
            "explanation": result.explanation if data.get("explain") else [],
        }
        return Response(payload)
