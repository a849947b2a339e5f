"""Dossier API: list and detail in scope, walk-in receipt, one route per action, deadline, files.

Every route reads the dossier through the scoped queryset of `ScopedReadOnlyViewSet`, so a
dossier of another unit answers 404 exactly like a missing one; every change goes through
the service of its event. Domain errors map to HTTP: `DossierError` 400 (on its field),
`ActionForbidden` 403, `TransitionNotAllowed` and `ConcurrentChange` 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.dossiers.actions import ACTION_PARAMS, EVENT_TO_SLUG, receive_walk_in, run_action
from motcua.dossiers.api.serializers import (
    AssignSerializer,
    DeadlineSerializer,
    DossierDetailSerializer,
    DossierFileSerializer,
    DossierSerializer,
    ErrorSerializer,
    PostalDeliverySerializer,
    ReceiptSerializer,
    UploadSerializer,
    action_serializer,
)
from motcua.dossiers.api.time_limits import CeilingSerializer, ClockStartSerializer
from motcua.dossiers.assignment import assign_dossier, find_assignee, take_dossier
from motcua.dossiers.choices import Event
from motcua.dossiers.files import attach_file, file_response
from motcua.dossiers.filtersets import DossierFilterSet
from motcua.dossiers.models import Dossier
from motcua.dossiers.results import record_postal_delivery
from motcua.dossiers.selectors import (
    LIST_RELATED,
    dossier_deadline,
    get_dossier_for_user,
    may_see_personal_data,
)
from motcua.dossiers.services import DossierError
from motcua.dossiers.time_limits import invoke_time_limit_ceiling, record_clock_start
from motcua.lib.api import ScopedReadOnlyViewSet

# Field names the services use that the API spells differently.
_FIELD_ALIASES = {"applicant_name": "applicant", "at": "received_at"}

_ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ: lỗi theo từng trường"),
    403: OpenApiResponse(ErrorSerializer, description="Không có quyền thực hiện thao tác"),
    404: OpenApiResponse(ErrorSerializer, description="Không có hồ sơ (hoặc ngoài phạm vi)"),
    409: OpenApiResponse(ErrorSerializer, description="Trạng thái không cho phép / xung đột"),
}


def domain_error_response(exc: DossierError, *, aliases: dict[str, str] | None = None) -> Response:
    """The HTTP answer to a domain error: 400 on its field, 403, or 409 with the message."""
    if exc.status == 400:
        field = exc.field or "non_field_errors"
        field = (aliases or {}).get(field, field)
        if field == "applicant":
            return Response({"applicant": {"name": [exc.message]}}, status=400)
        return Response({field: [exc.message]}, status=400)
    return Response({"detail": exc.message}, status=exc.status)


class DossierViewSet(ScopedReadOnlyViewSet):
    """Dossiers the user may see — hồ sơ TTHC. Look a dossier up by its code."""

    scoped_model = Dossier
    serializer_class = DossierSerializer
    filterset_class = DossierFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(*LIST_RELATED)

    def get_serializer_class(self) -> Any:
        return DossierDetailSerializer if self.action == "retrieve" else DossierSerializer

    def get_object(self) -> Dossier:
        """The dossier by code through the user's scope, with everything the detail shows."""
        return get_dossier_for_user(self.request.user, self.kwargs["code"], full=True)

    def _detail(self, dossier_or_code: Dossier | str, *, code_status: int = 200) -> Response:
        code = dossier_or_code if isinstance(dossier_or_code, str) else dossier_or_code.code
        try:
            fresh = get_dossier_for_user(self.request.user, code or "", full=True)
        except Http404:
            if isinstance(dossier_or_code, str):
                raise
            # The action moved the dossier out of the user's scope: show what the service returned.
            return Response(DossierSerializer(dossier_or_code).data, status=code_status)
        context = {
            "request": self.request,
            "personal_data": may_see_personal_data(self.request.user, fresh),
        }
        return Response(DossierDetailSerializer(fresh, context=context).data, status=code_status)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One dossier with its timeline, pauses, apologies, control slip and files."""
        return self._detail(self.kwargs["code"])

    @extend_schema(
        request=ReceiptSerializer,
        responses={201: DossierDetailSerializer, **_ERRORS},
        summary="Tiếp nhận hồ sơ trực tiếp (walk-in receipt)",
    )
    def create(self, request: Request) -> Response:
        """Receive a walk-in dossier at the desk: the code is issued and the clock starts."""
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            dossier = receive_walk_in(actor=request.user, values=dict(body.validated_data))
        except DossierError as exc:
            return domain_error_response(exc, aliases=_FIELD_ALIASES)
        return self._detail(dossier, code_status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DeadlineSerializer, 404: _ERRORS[404]})
    @action(detail=True, methods=["get"])
    def deadline(self, request: Request, code: str | None = None) -> Response:
        """Statutory and promised due, working minutes left, paused/overdue, explanation."""
        dossier = self.get_object()
        view = dossier_deadline(dossier, now=timezone.now())
        return Response(DeadlineSerializer(view).data)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: DossierFileSerializer, **_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="files",
        parser_classes=[MultiPartParser, FormParser],
    )
    def files(self, request: Request, code: str | None = None) -> Response:
        """Attach a file (multipart): type read from the bytes, size limit, no executables."""
        dossier = self.get_object()
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            item = attach_file(dossier=dossier, actor=request.user, **data)
        except DossierError as exc:
            return domain_error_response(exc)
        return Response(DossierFileSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="Nội dung tệp"),
            404: _ERRORS[404],
        }
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]+)")
    def download(self, request: Request, code: str | None = None, file_id: str = "") -> Any:
        """Download a file of a dossier in scope."""
        dossier = self.get_object()
        item = next((f for f in dossier.files.all() if f.pk == int(file_id)), None)
        if item is None:
            raise Http404
        return file_response(item)

    @extend_schema(
        request=PostalDeliverySerializer,
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary="Ghi nhận ngày phát bưu gửi kết quả",
    )
    @action(detail=True, methods=["post"], url_path="postal-delivery")
    def postal_delivery(self, request: Request, code: str | None = None) -> Response:
        """Record the day the post delivered a result returned by post (once)."""
        dossier = self.get_object()
        body = PostalDeliverySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            updated = record_postal_delivery(
                dossier=dossier,
                delivered_on=body.validated_data["delivered_on"],
                actor=request.user,
            )
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)

    @extend_schema(
        request=AssignSerializer,
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary="Giao hồ sơ cho công chức (giao lại: gọi lần nữa)",
    )
    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request: Request, code: str | None = None) -> Response:
        """Assign (or reassign) the dossier to an officer of the holding unit (username or id)."""
        dossier = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        officer = find_assignee(dossier, body.validated_data["assignee"])
        try:
            if officer is None:
                raise DossierError(
                    f"không có công chức “{body.validated_data['assignee']}” ở đơn vị giữ hồ sơ",
                    field="assignee",
                )
            updated = assign_dossier(
                dossier=dossier,
                assignee=officer,
                actor=request.user,
                note=body.validated_data.get("note", ""),
            )
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)

    @extend_schema(
        request=None,
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary="Nhận xử lý hồ sơ chưa giao",
    )
    @action(detail=True, methods=["post"], url_path="take")
    def take(self, request: Request, code: str | None = None) -> Response:
        """The signed-in officer of the holding unit takes an unassigned dossier."""
        dossier = self.get_object()
        try:
            updated = take_dossier(dossier=dossier, actor=request.user)
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)

    @extend_schema(
        request=ClockStartSerializer,
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary="Ghi nhận sự kiện bắt đầu tính thời hạn",
    )
    @action(detail=True, methods=["post"], url_path="clock-start")
    def clock_start(self, request: Request, code: str | None = None) -> Response:
        """Record the event the clock starts at ("kể từ ngày nhận được văn bản …")."""
        dossier = self.get_object()
        body = ClockStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            updated = record_clock_start(dossier, actor=request.user, **body.validated_data)
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)

    @extend_schema(
        request=CeilingSerializer,
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary="Áp dụng thời hạn giải quyết tối đa",
    )
    @action(detail=True, methods=["post"], url_path="ceiling")
    def ceiling(self, request: Request, code: str | None = None) -> Response:
        """Invoke the procedure's ceiling, once, with a reason, before the due has passed."""
        dossier = self.get_object()
        body = CeilingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            updated = invoke_time_limit_ceiling(dossier, actor=request.user, **body.validated_data)
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)

    def perform_action(self, request: Request, event: str) -> Response:
        """Parse the body of `event`, fetch the dossier in scope, call its service."""
        dossier = self.get_object()
        body = action_serializer(event)(data=request.data)
        if not body.is_valid():
            raise ValidationError(body.errors)
        try:
            updated = run_action(
                event, dossier=dossier, actor=request.user, values=dict(body.validated_data)
            )
        except DossierError as exc:
            return domain_error_response(exc)
        return self._detail(updated)


def _make_action(event: str) -> Any:
    slug = EVENT_TO_SLUG[event]

    def handler(self: DossierViewSet, request: Request, code: str | None = None) -> Response:
        return self.perform_action(request, event)

    handler.__name__ = f"action_{event}"
    handler.__doc__ = f"{Event(event).label} (`{event}`)."
    routed = action(detail=True, methods=["post"], url_path=f"actions/{slug}", url_name=slug)(
        handler
    )
    # After @action, which replaces the function's `kwargs` where the schema override lives:
    # applied before it, every action was documented with the list serializer as its body.
    return extend_schema(
        request=action_serializer(event),
        responses={200: DossierDetailSerializer, **_ERRORS},
        summary=Event(event).label,
        operation_id=f"dossiers_action_{event}",
    )(routed)


for _event in ACTION_PARAMS:
    setattr(DossierViewSet, f"action_{_event}", _make_action(str(_event)))
