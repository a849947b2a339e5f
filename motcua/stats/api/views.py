"""`GET /api/v1/stats/dossiers/` and `/stats/feedback/`: the `motcua stats ...` JSON objects."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.lib.scoping import visible_unit_ids
from motcua.stats import feedback
from motcua.stats.params import ParamError, read_request
from motcua.stats.selectors import BREAKDOWNS, VIEWS, StatsError, dossier_statistics
from motcua.units.models import Unit

PARAMETERS = [
    OpenApiParameter("unit", str, required=True, description="Mã đơn vị, ví dụ DT"),
    OpenApiParameter("period", str, description="2023-Q3, 2023-M09, 2023-H1 hoặc 2023"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Ngày đầu (thay cho period)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ngày cuối (thay cho period)"),
    OpenApiParameter("calendar", bool, description="Kỳ theo lịch thay vì Nghị định 09/2019"),
    OpenApiParameter("by", str, enum=list(BREAKDOWNS), description="Chia theo"),
    OpenApiParameter("as_current", bool, description="Quy về đơn vị hiện nay"),
]
VIEW_PARAMETER = OpenApiParameter(
    "view",
    str,
    enum=list(VIEWS),
    description=(
        "handling (mặc định): theo cơ quan giải quyết; desk: theo nơi tiếp nhận (Biểu II.06a) — "
        "count by competent unit (default) or by receiving desk"
    ),
)


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes", "on"}


class DossierStatisticsView(APIView):
    """Dossier figures of a unit (with its subtree) for a period — thống kê hồ sơ."""

    @extend_schema(parameters=[*PARAMETERS, VIEW_PARAMETER], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        q = request.query_params
        try:
            req = read_request(
                unit=q.get("unit"),
                period=q.get("period"),
                date_from=q.get("from"),
                date_to=q.get("to"),
                calendar=_flag(request, "calendar"),
                by=q.get("by"),
                as_current=_flag(request, "as_current"),
                prefix="",
                view=q.get("view") or None,
            )
            stats = dossier_statistics(
                code=req.unit,
                period=req.period,
                by=req.by,
                as_current=req.as_current,
                view=req.view,
            )
        except ParamError as exc:
            raise ValidationError({exc.name: [exc.message]}) from None
        except StatsError as exc:
            raise ValidationError({"unit": [str(exc)]}) from None
        visible = visible_unit_ids(request.user)
        if visible is not None and stats.unit.pk not in visible:
            # Same answer as an unknown unit: nothing about units outside the scope leaks.
            raise ValidationError(
                {"unit": [f"unit {req.unit!r} does not exist in the period or is not yours"]}
            )
        return Response(stats.as_json())


FEEDBACK_PARAMETERS = [
    *(p for p in PARAMETERS if p.name != "by"),
    OpenApiParameter(
        "by",
        str,
        enum=list(feedback.BREAKDOWNS),
        description="Chia theo đơn vị hoặc cán bộ xử lý (kèm tỷ lệ và xếp hạng)",
    ),
]


class FeedbackStatisticsView(APIView):
    """Feedback figures of a unit (with its subtree) for a period — thống kê phản ánh, kiến nghị.

    The object of `motcua stats feedback --format json`, plus `questions` (quick answers,
    counted apart) and, with `by`, `rows` with rates and ranks.
    """

    @extend_schema(parameters=FEEDBACK_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        q = request.query_params
        visible = visible_unit_ids(request.user)
        try:
            req = read_request(
                unit=q.get("unit"),
                period=q.get("period"),
                date_from=q.get("from"),
                date_to=q.get("to"),
                calendar=_flag(request, "calendar"),
                by=q.get("by"),
                as_current=_flag(request, "as_current"),
                prefix="",
                breakdowns=feedback.BREAKDOWNS,
            )
        except ParamError as exc:
            raise ValidationError({exc.name: [exc.message]}) from None
        hidden = ValidationError(
            {"unit": [f"unit {req.unit!r} does not exist in the period or is not yours"]}
        )
        if visible is not None and not Unit.objects.filter(code=req.unit, pk__in=visible).exists():
            raise hidden  # same answer as an unknown unit: nothing outside the scope leaks
        try:
            stats = feedback.feedback_statistics(
                code=req.unit, period=req.period, by=req.by, as_current=req.as_current
            )
        except StatsError as exc:
            raise (
                hidden if visible is not None else ValidationError({"unit": [str(exc)]})
            ) from None
        if visible is not None and stats.unit.pk not in visible:
            raise hidden
        if req.by == "officer" and not feedback.may_rank_officers(request.user, stats.unit):
            raise PermissionDenied("figures by officer are for leaders (export right on the unit)")
        return Response(stats.as_json(questions=True))


TASK_PARAMETERS = [
    *(p for p in PARAMETERS if p.name not in {"by", "as_current"}),
    OpenApiParameter("by", str, enum=["unit", "issuer", "document"], description="Chia theo"),
    OpenApiParameter(
        "view",
        str,
        enum=["active", "assigned"],
        description="active (mặc định): nhiệm vụ đang thực hiện trong kỳ; assigned: giao trong kỳ",
    ),
    OpenApiParameter("issuer", str, description="Chỉ các cơ quan giao, ví dụ CP,TTg"),
]


class TaskStatisticsView(APIView):
    """Task figures of a unit (with its subtree) for a period — thống kê nhiệm vụ được giao.

    The object of `motcua stats tasks --format json` (and, with `by`, its `rows`).
    """

    @extend_schema(parameters=TASK_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        from motcua.assignments.counting import ACTIVE_VIEW
        from motcua.assignments.counting import VIEWS as TASK_VIEWS
        from motcua.stats import taskstats

        q = request.query_params
        view = q.get("view") or ACTIVE_VIEW
        if view not in TASK_VIEWS:
            raise ValidationError({"view": [f"{view!r} is not one of {', '.join(TASK_VIEWS)}"]})
        try:
            req = read_request(
                unit=q.get("unit"),
                period=q.get("period"),
                date_from=q.get("from"),
                date_to=q.get("to"),
                calendar=_flag(request, "calendar"),
                by=q.get("by"),
                prefix="",
                breakdowns=taskstats.BREAKDOWNS,
            )
        except ParamError as exc:
            raise ValidationError({exc.name: [exc.message]}) from None
        hidden = ValidationError(
            {"unit": [f"unit {req.unit!r} does not exist in the period or is not yours"]}
        )
        visible = visible_unit_ids(request.user)
        if visible is not None and not Unit.objects.filter(code=req.unit, pk__in=visible).exists():
            raise hidden  # same answer as an unknown unit: nothing outside the scope leaks
        issuers = tuple(i.strip() for i in (q.get("issuer") or "").split(",") if i.strip())
        try:
            stats = taskstats.task_statistics(
                code=req.unit, period=req.period, view=view, by=req.by, issuers=issuers
            )
        except StatsError as exc:
            raise (
                hidden if visible is not None else ValidationError({"unit": [str(exc)]})
            ) from None
        if visible is not None and stats.unit.pk not in visible:
            raise hidden
        return Response(stats.as_json())
