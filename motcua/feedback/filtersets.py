"""Filters of the feedback list, shared by the officer queue page and the API query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Func, Q, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.feedback.choices import (
    OPEN_STATES,
    Channel,
    Competence,
    FeedbackState,
    Kind,
    Subject,
)
from motcua.feedback.models import Category, Feedback
from motcua.lib.vntext import fold, nfc
from motcua.workcalendar.engine import TZ

YES_NO = (("true", _("Có")), ("false", _("Không")))

# Every Vietnamese letter with a diacritic, in both cases (NFC, as stored).
_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_MARKED += _MARKED.upper()
_BARE = "".join(fold(ch) if ch.islower() else fold(ch).upper() for ch in _MARKED)
_SQLITE_FOLD = "motcua_fold"


class Folded(Func):
    """SQL for `motcua.lib.vntext.fold(expression)`: no diacritics, đ→d, lower case.

    Neither database folds Vietnamese portably: PostgreSQL translates each marked letter to its
    bare one (then LOWER() meets only ASCII letters, whatever the collation); SQLite calls the
    Python `fold`, registered on the connection when the query is compiled.
    """

    function = "LOWER"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """LOWER(TRANSLATE(expr, marked, bare))."""
        return self.as_sql(
            compiler,
            connection,
            template=f"LOWER(TRANSLATE(%(expressions)s, '{_MARKED}', '{_BARE}'))",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """motcua_fold(expr), the Python function installed on this connection."""
        connection.ensure_connection()
        connection.connection.create_function(_SQLITE_FOLD, 1, _fold_or_none, deterministic=True)
        return self.as_sql(compiler, connection, function=_SQLITE_FOLD, **extra)


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(value)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


class FeedbackFilterSet(django_filters.FilterSet):
    """Filter feedback items by state, channel, labels, category, units, dates, lateness, text."""

    state = django_filters.ChoiceFilter(choices=FeedbackState.choices, label=_("Trạng thái"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Loại"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Kênh tiếp nhận"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("Loại nội dung"))
    competence = django_filters.ChoiceFilter(choices=Competence.choices, label=_("Thẩm quyền"))
    category = django_filters.CharFilter(field_name="category__code", label=_("Nhóm phản ánh (mã)"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("Đơn vị xử lý (mã đơn vị)"))
    intake_unit = django_filters.CharFilter(
        field_name="intake_unit__code", label=_("Nơi tiếp nhận (mã đơn vị)")
    )
    received_from = django_filters.DateFilter(
        method="filter_received_from", label=_("Tiếp nhận từ ngày")
    )
    received_to = django_filters.DateFilter(
        method="filter_received_to", label=_("Tiếp nhận đến ngày")
    )
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_overdue", label=_("Quá hạn xử lý")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Mã phản ánh hoặc tiêu đề"))

    class Meta:
        model = Feedback
        fields = [
            "state",
            "kind",
            "channel",
            "subject",
            "competence",
            "category",
            "unit",
            "intake_unit",
            "received_from",
            "received_to",
            "overdue",
            "q",
        ]

    def filter_received_from(
        self, queryset: QuerySet[Feedback], name: str, value: dt.date
    ) -> QuerySet[Feedback]:
        """Received on or after the local date."""
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_to(
        self, queryset: QuerySet[Feedback], name: str, value: dt.date
    ) -> QuerySet[Feedback]:
        """Received on or before the local date (the whole day included)."""
        return queryset.filter(received_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_overdue(
        self, queryset: QuerySet[Feedback], name: str, value: str
    ) -> QuerySet[Feedback]:
        """Open items whose 15-working-day handling limit has passed (or the others)."""
        late = Q(state__in=OPEN_STATES, handle_due__lt=timezone.now())
        return queryset.filter(late) if value == "true" else queryset.exclude(late)

    def filter_q(self, queryset: QuerySet[Feedback], name: str, value: str) -> QuerySet[Feedback]:
        """Part of the code, or words of the title with or without diacritics, any case."""
        text = fold(nfc(value))
        if not text:
            return queryset
        return queryset.alias(title_folded=Folded("title")).filter(
            Q(code__icontains=text) | Q(title_folded__contains=text)
        )


class CategoryFilterSet(django_filters.FilterSet):
    """Filter categories by province, parent and whether they are in use."""

    province = django_filters.CharFilter(field_name="province__code", label=_("Tỉnh (mã đơn vị)"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Nhóm cha (mã)"))
    active = django_filters.BooleanFilter(label=_("Đang dùng"))

    class Meta:
        model = Category
        fields = ["province", "parent", "active"]


def filter_params(data: Any) -> dict[str, Any]:
    """The filter values present in a query dict (to keep them across pages and tabs)."""
    names = FeedbackFilterSet.base_filters.keys()
    return {k: data.get(k) for k in names if data.get(k)}
