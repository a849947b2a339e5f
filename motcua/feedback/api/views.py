"""Feedback API: list and detail in scope, intake, one route per action, timeline, categories.

Every route reads the item through the scoped queryset of `ScopedReadOnlyViewSet`, so an item
of another unit answers 404 exactly like a missing one; every change goes through the one
service of its action. Domain errors map to HTTP: `FeedbackError` 400 (on its field),
`ActionForbidden` 403, `TransitionNotAllowed` and `ConcurrentChange` 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.dossiers.api.serializers import ErrorSerializer
from motcua.feedback import services
from motcua.feedback.api.lookups import (
    category_by_code,
    default_intake_unit,
    unit_by_code,
    user_by_username,
)
from motcua.feedback.api.serializers import (
    ActionSerializer,
    ApproveAnswerSerializer,
    AssignSerializer,
    CategorySerializer,
    ClassifySerializer,
    DraftAnswerSerializer,
    EntrySerializer,
    FeedbackDetailSerializer,
    FeedbackSerializer,
    ForwardSerializer,
    HandlerSerializer,
    IntakeSerializer,
    RecordSupplementSerializer,
    RedirectSerializer,
    RefuseSerializer,
    RejectAnswerSerializer,
    RequestSupplementSerializer,
)
from motcua.feedback.filtersets import CategoryFilterSet, FeedbackFilterSet
from motcua.feedback.models import Category, Feedback, FeedbackEntry
from motcua.feedback.selectors import province_of
from motcua.feedback.services import FeedbackError
from motcua.lib.api import ScopedReadOnlyViewSet
from motcua.lib.vntext import nfc
from motcua.units.models import Unit

LIST_RELATED = ("category", "area", "intake_unit", "unit", "handler")
DETAIL_RELATED = (
    *LIST_RELATED,
    "logged_by",
    "dossier",
    "procedure",
    "officer",
    "repeat_of",
    "forwarded_from",
    "forwarded_to_unit",
    "answer_drafted_by",
    "answer_approved_by",
)

_ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ: lỗi theo từng trường"),
    403: OpenApiResponse(ErrorSerializer, description="Không có quyền thực hiện thao tác"),
    404: OpenApiResponse(ErrorSerializer, description="Không có phản ánh (hoặc ngoài phạm vi)"),
    409: OpenApiResponse(ErrorSerializer, description="Trạng thái không cho phép / xung đột"),
}

SENDER_FIELDS = ("name", "phone", "email", "id_number", "address")


def domain_error_response(exc: FeedbackError, *, aliases: dict[str, str] | None = None) -> Response:
    """The HTTP answer to a domain error: 400 on its field, 403, or 409 with the message."""
    if exc.status != 400:
        return Response({"detail": exc.message}, status=exc.status)
    name = exc.field or "non_field_errors"
    name = (aliases or {}).get(name, name)
    if name.startswith("sender_"):
        # The service names sender_phone, sender_email ...; the body nests them under "sender".
        return Response({"sender": {name.removeprefix("sender_"): [exc.message]}}, status=400)
    return Response({name: [exc.message]}, status=400)


# The instant of an intake is `received_at` in the body; the services call every instant `at`.
INTAKE_ALIASES = {"at": "received_at"}


def _day(at: dt.datetime | None) -> dt.date:
    """The local date unit codes are read on: that of the instant given, else today."""
    return timezone.localtime(at).date() if at is not None else timezone.localdate()


def receive_from_values(*, actor: Any, values: dict[str, Any]) -> Feedback:
    """Log an item from parsed intake values: codes become units, categories and links.

    The intake unit is looked up only among the units the actor may see, so a unit outside
    the scope answers exactly like an unknown one.
    """
    day = _day(values.get("received_at"))
    code = values.get("intake_unit") or ""
    if code:
        visible = Unit.objects.visible_to(actor)
        intake = unit_by_code(code, field="intake_unit", on=day, among=visible)
    else:
        intake = default_intake_unit(actor)
    unit = unit_by_code(values["unit"], field="unit", on=day) if values.get("unit") else None
    area = unit_by_code(values["area"], field="area", on=day) if values.get("area") else None
    category = None
    if values.get("category"):
        category = category_by_code(values["category"], province=province_of(intake).code)
    sender = {k: nfc(str((values.get("sender") or {}).get(k) or "")) for k in SENDER_FIELDS}
    return services.receive_feedback(
        actor=actor,
        channel=values["channel"],
        kind=values.get("kind") or "pakn",
        title=nfc(values["title"]),
        content=nfc(values["content"]),
        sender=sender,
        intake_unit=intake,
        unit=unit,
        category=category,
        area=area,
        subject=values.get("subject") or "",
        contact_at=values.get("contact_at"),
        at=values.get("received_at"),
        call_duration_seconds=values.get("call_duration_seconds"),
        dossier_code=values.get("dossier_code") or "",
        procedure_code=values.get("procedure_code") or "",
        repeat_of_code=values.get("repeat_of_code") or "",
        repeat_dissatisfied=bool(values.get("repeat_dissatisfied")),
    )


# -- the actions ----------------------------------------------------------------------------


def _texts(*names: str) -> Callable[[Feedback, dict[str, Any]], dict[str, Any]]:
    def build(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
        return {name: nfc(values.get(name) or "") for name in names}

    return build


def _unit(values: dict[str, Any], name: str) -> Unit | None:
    """The unit whose code is `values[name]`, as it stood on the action's day (None if blank)."""
    code = values.get(name) or ""
    return unit_by_code(code, field=name, on=_day(values.get("at"))) if code else None


def _forward(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    to_unit = _unit(values, "to_unit")
    return {
        "reason": nfc(values["reason"]),
        "to_unit": to_unit,
        "to_body": nfc(values.get("to_body") or ""),
    }


def _handler(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    name = values.get("handler") or ""
    return {"handler": user_by_username(name, field="handler") if name else None}


def _assign(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    kwargs = _handler(feedback, values)
    # Neither handler nor unit: the actor takes the item (services.assign_feedback).
    kwargs["unit"] = _unit(values, "unit")
    return kwargs


def _classify(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    """Only the labels sent are passed (None tells the service to keep the current value)."""
    kwargs: dict[str, Any] = {}
    for name in ("subject", "competence", "dossier_code", "procedure_code", "officer_name"):
        if name in values:
            kwargs[name] = nfc(values[name] or "")
    if values.get("category"):
        kwargs["category"] = category_by_code(
            values["category"], province=province_of(feedback.unit).code
        )
    if values.get("area"):
        kwargs["area"] = _unit(values, "area")
    if values.get("officer"):
        kwargs["officer"] = user_by_username(values["officer"], field="officer")
    return kwargs


def _approve(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "do_not_publish": bool(values.get("do_not_publish")),
        "do_not_publish_reason": nfc(values.get("do_not_publish_reason") or ""),
    }


def _nothing(feedback: Feedback, values: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class FeedbackAction:
    """One route /actions/<slug>/: its service, request body and how values become kwargs."""

    slug: str
    service: str
    body: type[serializers.Serializer]
    build: Callable[[Feedback, dict[str, Any]], dict[str, Any]]
    summary: str
    # Field names the service uses that the body spells differently.
    aliases: dict[str, str] = field(default_factory=dict)


ACTIONS: tuple[FeedbackAction, ...] = (
    FeedbackAction(
        "refuse", "refuse_feedback", RefuseSerializer, _texts("reason"), "Từ chối tiếp nhận xử lý"
    ),
    FeedbackAction(
        "forward", "forward_feedback", ForwardSerializer, _forward, "Chuyển cơ quan có thẩm quyền"
    ),
    FeedbackAction(
        "redirect",
        "redirect_feedback",
        RedirectSerializer,
        _texts("reason", "target"),
        "Hướng dẫn sang khiếu nại, tố cáo",
    ),
    FeedbackAction(
        "request-supplement",
        "request_supplement",
        RequestSupplementSerializer,
        _texts("request"),
        "Yêu cầu bổ sung, làm rõ",
    ),
    FeedbackAction(
        "record-supplement",
        "record_supplement",
        RecordSupplementSerializer,
        _texts("text"),
        "Ghi nhận bổ sung, làm rõ",
    ),
    FeedbackAction(
        "start-processing", "start_processing", HandlerSerializer, _handler, "Bắt đầu xử lý"
    ),
    FeedbackAction("classify", "classify_feedback", ClassifySerializer, _classify, "Phân loại"),
    FeedbackAction("assign", "assign_feedback", AssignSerializer, _assign, "Phân công xử lý"),
    FeedbackAction(
        "draft-answer",
        "draft_answer",
        DraftAnswerSerializer,
        _texts("official", "public", "public_title"),
        "Dự thảo trả lời",
        {"answer_official": "official", "answer_public": "public"},
    ),
    FeedbackAction(
        "reject-answer",
        "reject_answer",
        RejectAnswerSerializer,
        _texts("reason"),
        "Không phê duyệt dự thảo trả lời",
    ),
    FeedbackAction(
        "approve-answer",
        "approve_answer",
        ApproveAnswerSerializer,
        _approve,
        "Phê duyệt trả lời",
    ),
    FeedbackAction("publish", "publish_feedback", ActionSerializer, _nothing, "Công khai kết quả"),
    FeedbackAction("close", "close_feedback", ActionSerializer, _nothing, "Đóng phản ánh"),
)


class FeedbackViewSet(ScopedReadOnlyViewSet):
    """Feedback items the user may see — phản ánh, kiến nghị. Look one up by its code."""

    scoped_model = Feedback
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "list":
            return queryset.select_related(*LIST_RELATED)
        return queryset.select_related(*DETAIL_RELATED).prefetch_related(
            Prefetch("events", queryset=FeedbackEntry.objects.select_related("unit")),
            Prefetch("forwards", queryset=Feedback.objects.only("pk", "code", "forwarded_from")),
        )

    def get_serializer_class(self) -> Any:
        return FeedbackDetailSerializer if self.action != "list" else FeedbackSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def get_object(self) -> Feedback:
        """The item by code through the user's scope (404 outside it, like a missing one)."""
        code = (self.kwargs.get("code") or "").strip().upper()
        item = self.get_queryset().filter(code=code).first() if code else None
        if item is None:
            raise Http404(gettext("không tìm thấy phản ánh"))
        return item

    def _detail(self, item: Feedback, *, code_status: int = 200) -> Response:
        """The item as the user now sees it; reduced if the change took it out of scope."""
        context = self.get_serializer_context()
        fresh = self.get_queryset().filter(pk=item.pk).first()
        if fresh is None:
            return Response(FeedbackSerializer(item, context=context).data, status=code_status)
        return Response(FeedbackDetailSerializer(fresh, context=context).data, status=code_status)

    @extend_schema(responses={200: FeedbackDetailSerializer, 404: _ERRORS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One item with its content, links, answer and timeline."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=IntakeSerializer,
        responses={201: FeedbackDetailSerializer, **_ERRORS},
        summary="Tiếp nhận phản ánh, kiến nghị",
    )
    def create(self, request: Request) -> Response:
        """Log an item (officer at intake, or a partner channel account with RECEIVE there)."""
        body = IntakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            item = receive_from_values(actor=request.user, values=dict(body.validated_data))
        except FeedbackError as exc:
            return domain_error_response(exc, aliases=INTAKE_ALIASES)
        return self._detail(item, code_status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: EntrySerializer(many=True), 404: _ERRORS[404]}, filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def events(self, request: Request, code: str | None = None) -> Response:
        """The item's timeline, oldest first — nhật ký xử lý."""
        item = self.get_object()
        return Response(EntrySerializer(item.events.all(), many=True).data)

    def perform_action(self, request: Request, spec: FeedbackAction) -> Response:
        """Parse the body, fetch the item in scope, check the version seen, call the service."""
        item = self.get_object()
        body = spec.body(data=request.data)
        if not body.is_valid():
            raise ValidationError(body.errors)
        values = dict(body.validated_data)
        seen = values.pop("lock_version", None)
        if seen is not None and seen != item.lock_version:
            message = gettext("phản ánh vừa được người khác cập nhật; hãy tải lại và thử lại")
            return Response({"detail": message}, status=status.HTTP_409_CONFLICT)
        service: Any = getattr(services, spec.service)
        try:
            kwargs = spec.build(item, values)
            at = values.get("at")
            result = service(feedback=item, actor=request.user, at=at, **kwargs)
        except FeedbackError as exc:
            return domain_error_response(exc, aliases=spec.aliases)
        # forward_feedback returns the new item at the competent unit: answer with this one.
        if not isinstance(result, Feedback) or result.pk != item.pk:
            result = item
        return self._detail(result)


def _make_action(spec: FeedbackAction) -> Any:
    name = spec.slug.replace("-", "_")

    def handler(self: FeedbackViewSet, request: Request, code: str | None = None) -> Response:
        return self.perform_action(request, spec)

    handler.__name__ = f"action_{name}"
    handler.__doc__ = f"{spec.summary} (`{spec.service}`)."
    documented = extend_schema(
        request=spec.body,
        responses={200: FeedbackDetailSerializer, **_ERRORS},
        summary=spec.summary,
        operation_id=f"feedback_action_{name}",
        filters=False,
    )(handler)
    return action(
        detail=True,
        methods=["post"],
        url_path=f"actions/{spec.slug}",
        url_name=spec.slug,
        filterset_class=None,
        pagination_class=None,
    )(documented)


for _spec in ACTIONS:
    setattr(FeedbackViewSet, f"action_{_spec.slug.replace('-', '_')}", _make_action(_spec))


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The category tree — lĩnh vực phản ánh (configuration, readable by every signed-in user)."""

    queryset = Category.objects.select_related("province", "parent")
    serializer_class = CategorySerializer
    filterset_class = CategoryFilterSet
