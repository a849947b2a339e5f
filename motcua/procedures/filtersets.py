"""Filters shared by the catalogue pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.procedures.choices import OnlineLevel, ProcedureLevel
from motcua.procedures.models import Field, Procedure


class ProcedureFilterSet(django_filters.FilterSet):
    """Filter procedures by text (code or name, diacritics ignored), level, field, online level."""

    q = django_filters.CharFilter(method="filter_q", label=_("Mã hoặc tên thủ tục"))
    level = django_filters.ChoiceFilter(
        choices=ProcedureLevel.choices, label=_("Cấp thực hiện"), empty_label=_("Tất cả các cấp")
    )
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.all(),
        to_field_name="code",
        label=_("Lĩnh vực"),
        empty_label=_("Tất cả lĩnh vực"),
    )
    online_level = django_filters.ChoiceFilter(
        choices=OnlineLevel.choices, label=_("Mức độ trực tuyến"), empty_label=_("Tất cả")
    )
    published = django_filters.BooleanFilter(label=_("Đã công khai"))

    class Meta:
        model = Procedure
        fields = ["q", "level", "field", "online_level", "published"]

    def filter_q(self, queryset: QuerySet[Procedure], name: str, value: str) -> QuerySet[Procedure]:
        return queryset.search(value)  # type: ignore[attr-defined]
