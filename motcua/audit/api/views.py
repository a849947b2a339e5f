"""Change-log API (read-only, for administrators)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers

from motcua.audit.models import ObjectChange
from motcua.lib.api import ScopedReadOnlyViewSet


class ObjectChangeSerializer(serializers.ModelSerializer):
    """One change-log row."""

    model = serializers.CharField(source="content_type.model")

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "at",
            "actor_name",
            "source",
            "action",
            "model",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
        ]


class ObjectChangeFilterSet(django_filters.FilterSet):
    """Filter the change log by model, object, action and time."""

    model = django_filters.CharFilter(field_name="content_type__model")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = ObjectChange
        fields = ["model", "object_id", "action", "source", "since"]


class ObjectChangeViewSet(ScopedReadOnlyViewSet):
    """Configuration changes — nhật ký thay đổi cấu hình."""

    scoped_model = ObjectChange
    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("content_type")
