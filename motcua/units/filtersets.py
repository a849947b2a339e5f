"""Filters shared by the unit list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from motcua.units.choices import UnitKind, UnitLevel
from motcua.units.models import Unit, valid_on_q


class UnitFilterSet(django_filters.FilterSet):
    """Filter units by date, level, kind, parent code and name."""

    as_of = django_filters.DateFilter(method="filter_as_of", label="Hiệu lực vào ngày")
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="Mã đơn vị cấp trên")
    q = django_filters.CharFilter(method="filter_q", label="Tên hoặc mã")

    class Meta:
        model = Unit
        fields = ["as_of", "level", "kind", "parent", "q"]

    def filter_as_of(self, queryset: QuerySet[Unit], name: str, value: object) -> QuerySet[Unit]:
        return queryset.filter(valid_on_q(value))  # type: ignore[arg-type]

    def filter_q(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        from django.db.models import Q

        from motcua.lib.vntext import nfc

        text = nfc(value)
        return queryset.filter(Q(name__icontains=text) | Q(code__iexact=text))
