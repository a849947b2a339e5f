"""Filters of the dossier list, shared by the work queue page and the API query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.stamps import FIELDS, StampedCache, tokens
from motcua.dossiers.choices import RECEIVED_OPEN_STATES, Channel, State
from motcua.dossiers.models import ClockPause, Dossier
from motcua.lib import fastwidgets
from motcua.lib.vntext import fold
from motcua.procedures.models import Field
from motcua.workcalendar.engine import TZ

YES_NO = (("true", _("Có")), ("false", _("Không")))
# Widgets rendered without the template engine (motcua/lib/fastwidgets.py): the filter form is
# on every queue page (issue 16, docs/performance.md).
TEXT = {"widget": fastwidgets.TextInput}
DATE = {"widget": fastwidgets.DateInput}
SELECT = {"widget": fastwidgets.Select}


_FIELD_CHOICES = StampedCache()


def field_choices() -> list[tuple[str, str]]:
    """(code, name) of every field of procedures, by name: read once per process while the
    table's change token stays the same (`motcua.audit.stamps`)."""
    return _FIELD_CHOICES.get(
        "fields",
        tokens(FIELDS),
        lambda: list(Field.objects.order_by("name").values_list("code", "name")),
    )


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


class DossierFilterSet(django_filters.FilterSet):
    """Filter dossiers by state, channel, catalogue, units, dates, lateness and text."""

    state = django_filters.ChoiceFilter(choices=State.choices, label=_("Trạng thái"), **SELECT)
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Kênh nộp"), **SELECT)
    # A code box, not a <select>: 1,800 procedures made every queue page render 2,000
    # options (docs/performance.md, queue).
    procedure = django_filters.CharFilter(
        field_name="procedure__code", label=_("Thủ tục (mã)"), **TEXT
    )
    field = django_filters.ChoiceFilter(
        field_name="field__code",
        choices=lambda: field_choices(),
        label=_("Lĩnh vực (mã)"),
        **SELECT,
    )
    receiving_unit = django_filters.CharFilter(
        field_name="receiving_unit__code", label=_("Nơi tiếp nhận (mã đơn vị)"), **TEXT
    )
    competent_unit = django_filters.CharFilter(
        field_name="competent_unit__code", label=_("Cơ quan giải quyết (mã đơn vị)"), **TEXT
    )
    current_unit = django_filters.CharFilter(
        field_name="current_unit__code", label=_("Đơn vị đang giữ (mã đơn vị)"), **TEXT
    )
    received_from = django_filters.DateFilter(
        method="filter_received_from", label=_("Tiếp nhận từ ngày"), **DATE
    )
    received_to = django_filters.DateFilter(
        method="filter_received_to", label=_("Tiếp nhận đến ngày"), **DATE
    )
    due_before = django_filters.DateFilter(
        method="filter_due_before", label=_("Hạn giải quyết trước ngày"), **DATE
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_overdue", label=_("Quá hạn"), **SELECT
    )
    paused = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_paused", label=_("Đang tạm dừng tính thời hạn"), **SELECT
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Tìm theo mã hồ sơ, họ tên, số điện thoại hoặc số định danh"),
        **TEXT,
    )

    class Meta:
        model = Dossier
        fields = [
            "state",
            "channel",
            "procedure",
            "field",
            "receiving_unit",
            "competent_unit",
            "current_unit",
            "received_from",
            "received_to",
            "due_before",
            "overdue",
            "paused",
            "q",
        ]

    def filter_received_from(
        self, queryset: QuerySet[Dossier], name: str, value: dt.date
    ) -> QuerySet[Dossier]:
        """Received on or after the local date."""
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_to(
        self, queryset: QuerySet[Dossier], name: str, value: dt.date
    ) -> QuerySet[Dossier]:
        """Received on or before the local date (the whole day included)."""
        return queryset.filter(received_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_due_before(
        self, queryset: QuerySet[Dossier], name: str, value: dt.date
    ) -> QuerySet[Dossier]:
        """Statutory due before the start of the local date."""
        return queryset.filter(statutory_due__lt=_start_of(value))

    def filter_overdue(
        self, queryset: QuerySet[Dossier], name: str, value: str
    ) -> QuerySet[Dossier]:
        """Open, received dossiers whose statutory due has passed (or the others)."""
        late = Q(state__in=RECEIVED_OPEN_STATES, statutory_due__lt=timezone.now())
        return queryset.filter(late) if value == "true" else queryset.exclude(late)

    def filter_paused(
        self, queryset: QuerySet[Dossier], name: str, value: str
    ) -> QuerySet[Dossier]:
        """Dossiers with an open clock pause (supplement, payment), or the others."""
        open_pause = Exists(
            ClockPause.objects.filter(dossier_id=OuterRef("pk"), closed_at__isnull=True)
        )
        return queryset.filter(open_pause) if value == "true" else queryset.exclude(open_pause)

    def filter_q(self, queryset: QuerySet[Dossier], name: str, value: str) -> QuerySet[Dossier]:
        """Code, applicant or owner name, phone or ID number: every folded word must match."""
        return search_dossiers(queryset, value)


def search_dossiers(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers whose folded `search_text` holds every word of `text` ("le hong huyen",
    "TRƯƠNG", "0912", the last digits of an ID number), whatever the case and diacritics."""
    for word in fold(text or "").split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def filter_params(data: Any) -> dict[str, Any]:
    """The filter values present in a query dict (to keep them across pages and tabs)."""
    names = DossierFilterSet.base_filters.keys()
    return {k: data.get(k) for k in names if data.get(k)}
