"""Catalogue API: procedures (public to every signed-in user once published) and fields."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.lib.api import ScopedReadOnlyViewSet
from motcua.procedures.api.serializers import (
    FieldSerializer,
    ProcedureDetailSerializer,
    ProcedureSerializer,
    ProcedureVersionSerializer,
)
from motcua.procedures.filtersets import ProcedureFilterSet
from motcua.procedures.models import Field, Procedure, ProcessStep
from motcua.units.models import Unit


class ProcedureViewSet(ScopedReadOnlyViewSet):
    """Procedures — thủ tục hành chính. Look one up by its code (codes contain dots)."""

    scoped_model = Procedure
    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = queryset.select_related("field").order_by("code")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "components",
                Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")),
                Prefetch("competent_units", queryset=Unit.objects.order_by("code", "valid_from")),
            )
        return queryset

    def get_serializer_class(self) -> type[ProcedureSerializer]:
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer

    @extend_schema(responses=ProcedureVersionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def versions(self, request: Request, code: str | None = None) -> Response:
        """The frozen versions of one procedure, newest first."""
        procedure = self.get_object()
        versions = procedure.versions.order_by("-number")
        return Response(ProcedureVersionSerializer(versions, many=True).data)


class FieldViewSet(ScopedReadOnlyViewSet):
    """Fields of procedures — lĩnh vực."""

    scoped_model = Field
    serializer_class = FieldSerializer
    lookup_field = "code"
    filterset_class = None
