"""`GET /api/v1/index/services/`: the object of `motcua index services --format json`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.index766.engine import compute_index
from motcua.index766.params import IndexParamError, read_index_request
from motcua.lib.scoping import visible_unit_ids
from motcua.stats.selectors import StatsError

PARAMETERS = [
    OpenApiParameter("unit", str, required=True, description="Mã đơn vị, ví dụ H44 (unit code)"),
    OpenApiParameter(
        "period",
        str,
        description="2026-M08, 2026-Q3, 2026-H1 hoặc 2026, luôn theo lịch (calendar windows)",
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Ngày đầu (thay cho period)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ngày cuối (thay cho period)"),
    OpenApiParameter(
        "by", str, enum=["unit"], description="unit: một dòng cho mỗi đơn vị cấp dưới (rows)"
    ),
]


class IndexServicesView(APIView):
    """The Decision 766 service index of a unit for a period — chỉ số phục vụ (Quyết định 766).

    Groups `transparency`, `progress`, `digitization`, `online`, `payment`, `satisfaction`;
    each indicator with numerator, denominator, ratio (%), points, max and status (`live`,
    `doc`, `estimated`); `data` is `ok`, `empty` (zero denominator) or `no_data`. A unit
    outside the user's scope is answered like an unknown one (404).
    """

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        q = request.query_params
        try:
            req = read_index_request(
                unit=q.get("unit"),
                period=q.get("period"),
                date_from=q.get("from"),
                date_to=q.get("to"),
                by=q.get("by") or None,
                prefix="",
            )
        except IndexParamError as exc:
            raise ValidationError({exc.name: [exc.message]}) from None
        hidden = NotFound(f"không có đơn vị {req.unit!r} trong kỳ hoặc ngoài phạm vi được xem")
        try:
            result = compute_index(req.unit, req.period, by_unit=req.by_unit)
        except StatsError:
            raise hidden from None
        visible = visible_unit_ids(request.user)
        if visible is not None and result.unit.pk not in visible:
            raise hidden  # same answer as an unknown unit: nothing outside the scope leaks
        return Response(result.as_json())
