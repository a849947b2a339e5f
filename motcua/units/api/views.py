"""Unit API: list, version by code and date, subtree as of a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.lib.api import ScopedReadOnlyViewSet
from motcua.units.api.serializers import TreeNodeSerializer, UnitDetailSerializer, UnitSerializer
from motcua.units.filtersets import UnitFilterSet
from motcua.units.models import Unit, valid_on_q
from motcua.units.selectors import subtree_as_of

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Ngày xem cây đơn vị (mặc định: hôm nay)"
)


def parse_as_of(request: Request) -> dt.date | None:
    """The `as_of` query parameter as a date, or None; 400 with the field named if malformed."""
    raw = request.query_params.get("as_of")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {"as_of": [f"'{raw}' không phải ngày hợp lệ (YYYY-MM-DD)."]}
        ) from None


class UnitViewSet(ScopedReadOnlyViewSet):
    """Units the user may see — đơn vị. Look a unit up by its code; `as_of` picks the version."""

    scoped_model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("parent").order_by("code", "valid_from")

    def get_serializer_class(self) -> type[UnitSerializer]:
        return UnitDetailSerializer if self.action in {"retrieve"} else UnitSerializer

    def get_object(self) -> Unit:
        day = parse_as_of(self.request)
        rows = self.get_queryset().filter(code=self.kwargs["code"])
        if day is not None:
            rows = rows.filter(valid_on_q(day))
        unit = rows.order_by(F("valid_from").desc(nulls_last=True)).first()
        if unit is None:
            raise Http404
        return unit

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        """One unit version with its successors and predecessors."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(parameters=[AS_OF], responses=TreeNodeSerializer)
    @action(detail=True, methods=["get"])
    def subtree(self, request: Request, code: str | None = None) -> Response:
        """The unit and its descendants as the tree stood on `as_of`."""
        day = parse_as_of(request) or timezone.localdate()
        unit = self.get_object()
        if not unit.is_valid_on(day):
            raise Http404
        node = subtree_as_of(unit, day)
        visible = set(Unit.objects.visible_to(request.user).values_list("pk", flat=True))
        _prune(node, visible)
        return Response(TreeNodeSerializer(node).data)


def _prune(node: object, visible: set[int]) -> None:
    node.children = [c for c in node.children if c.unit.pk in visible]  # type: ignore[attr-defined]
    for child in node.children:  # type: ignore[attr-defined]
        _prune(child, visible)
