"""`/api/v1/tasks/`: the tasks the user may see, and one POST route per lifecycle action.

Reads go through `Task.objects.visible_to(user)` (404 outside the scope, like a missing task);
every write calls its service: a refused move is 409, bad input 400 on its field, an action
the user's roles do not allow 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.assignments import services
from motcua.assignments.api.serializers import BODIES, TaskDetailSerializer, TaskSerializer
from motcua.assignments.models import Task
from motcua.assignments.permissions import may
from motcua.lib.api import ScopedReadOnlyViewSet


def _error(exc: services.TaskError) -> Response:
    if exc.status != 400:
        return Response({"detail": exc.message}, status=exc.status)
    return Response({exc.field or "non_field_errors": [exc.message]}, status=400)


class TaskViewSet(ScopedReadOnlyViewSet):
    """Tasks handed down — nhiệm vụ được giao. Look one up by its code."""

    scoped_model = Task
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        qs = queryset.select_related("document__issuer_unit", "lead_unit", "parent")
        qs = qs.prefetch_related("coordinating_units")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        issuer = self.request.query_params.get("issuer")
        if issuer:
            qs = qs.filter(document__issuer_authority=issuer) | qs.filter(
                document__issuer_unit__code=issuer
            )
        if self.action != "list":
            qs = qs.prefetch_related("events", "reports__unit")
        return qs.order_by("due_on", "code")

    def get_serializer_class(self) -> Any:
        return TaskSerializer if self.action == "list" else TaskDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _act(self, request: Request, name: str) -> Response:
        task = self.get_object()
        if not may(request.user, name, task):
            return Response({"detail": "Bạn không có quyền thực hiện thao tác này."}, status=403)
        body = BODIES[name](data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = request.user
        try:
            if name == "progress":
                services.report_progress(task=task, actor=user, **data)
            elif name == "complete":
                services.report_completion(task=task, actor=user, **data)
            elif name == "confirm":
                services.confirm_completion(task=task, actor=user, **data)
            elif name == "return":
                services.return_report(task=task, actor=user, **data)
            elif name == "cancel":
                services.cancel_task(task=task, actor=user, **data)
            else:
                services.extend_deadline(task=task, actor=user, **data)
        except services.TaskError as exc:
            return _error(exc)
        fresh = self.get_queryset().filter(pk=task.pk).first()
        if fresh is None:  # pragma: no cover - an action never takes a task out of scope
            raise Http404
        return Response(TaskDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=BODIES["progress"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, code: str | None = None) -> Response:
        """Báo cáo tiến độ (lead unit) or a coordinating unit's contribution."""
        return self._act(request, "progress")

    @extend_schema(request=BODIES["complete"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, code: str | None = None) -> Response:
        """Báo cáo hoàn thành, with evidence."""
        return self._act(request, "complete")

    @extend_schema(request=BODIES["confirm"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, code: str | None = None) -> Response:
        """Xác nhận hoàn thành (the issuer's tracking office)."""
        return self._act(request, "confirm")

    @extend_schema(request=BODIES["return"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, code: str | None = None) -> Response:
        """Trả lại báo cáo hoàn thành, with a reason."""
        return self._act(request, "return")

    @extend_schema(request=BODIES["cancel"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, code: str | None = None) -> Response:
        """Hủy nhiệm vụ, with the issuer's document."""
        return self._act(request, "cancel")

    @extend_schema(request=BODIES["extend"], responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, code: str | None = None) -> Response:
        """Gia hạn, with the issuer's decision; both dates kept."""
        return self._act(request, "extend")
