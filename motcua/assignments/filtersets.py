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

    issuer = django_filters.CharFilter(label=_("Cơ quan giao (mã)"), method="filter_issuer")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=TaskStatus.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("Quá hạn"), choices=YES_NO, method="filter_overdue"
    )
    q = django_filters.CharFilter(label=_("Tìm theo tên, mã, số văn bản"), method="filter_text")

    class Meta:
        model = Task
        fields: list[str] = []

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
    """The issuers a list may be filtered by."""
    return [(a.value, a.label) for a in Authority]
