"""Filters of the task list: issuer, status, lead unit, overdue, text."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.assignments.choices import Authority, TaskStatus
from motcua.assignments.models import Task

YES_NO = (("true", _("Có")), ("false", _("Không")))


class TaskFilterSet(django_filters.FilterSet):
    """The tracking office's filters."""

    issuer = django_filters.ChoiceFilter(
        label=_("Cơ quan giao"), method="filter_issuer", empty_label=_("Tất cả")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=TaskStatus.choices, empty_label=_("Tất cả")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Quá hạn"), choices=YES_NO, method="filter_overdue", empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(label=_("Tìm theo tên, mã, số văn bản"), method="filter_text")

    class Meta:
        model = Task
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["issuer"].extra["choices"] = issuer_choices()

    def filter_issuer(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        value = value.strip()
        if value in Authority.values:
            return qs.filter(document__issuer_authority=value)
        return qs.filter(document__issuer_unit__code=value)

    def filter_overdue(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        today = timezone.localdate()
        late = Q(status__in=["not_started", "in_progress", "reported_done"], due_on__lt=today)
        return qs.filter(late) if value == "true" else qs.exclude(late)

    def filter_text(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        value = value.strip()
        return qs.filter(
            Q(title__icontains=value)
            | Q(code__icontains=value)
            | Q(document__number__icontains=value)
        )


def issuer_choices() -> list[tuple[str, Any]]:
    """The issuers a list may be filtered by: the Government, the PM, and issuing units."""
    from motcua.assignments.models import SourceDocument

    units = (
        SourceDocument.objects.filter(issuer_unit__isnull=False)
        .values_list("issuer_unit__code", "issuer_unit__name")
        .distinct()
        .order_by("issuer_unit__name")
    )
    seen: dict[str, str] = {}
    for code, name in units:
        seen.setdefault(code, name)
    return [(a.value, a.label) for a in Authority] + list(seen.items())
