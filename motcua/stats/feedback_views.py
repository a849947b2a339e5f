"""The feedback statistics page (thống kê phản ánh, kiến nghị) and the items behind each figure.

The page reads the unit and period like the dossier page (`motcua.stats.views`), computes the
figures with `feedback_statistics` (the numbers of `motcua stats feedback --format json`),
shows the identity, the breakdowns by unit and by officer with their rates and ranks, and
links every figure to `feedback_for_figure`, whose length is the figure. Only units the user
may see: a unit outside the scope gets the same answer as an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.feedback.choices import Channel, Subject
from motcua.feedback.models import Feedback
from motcua.lib.scoping import visible_unit_ids
from motcua.stats.feedback import (
    BREAKDOWNS,
    FIGURES,
    UNASSIGNED,
    UNCLASSIFIED,
    FeedbackFigures,
    FeedbackRow,
    FeedbackStatistics,
    broken_down,
    channel_figure,
    feedback_for_figure,
    feedback_statistics,
    may_rank_officers,
    row_condition,
    subject_figure,
)
from motcua.stats.params import StatsRequest
from motcua.stats.selectors import DIRECT_ROW, StatsError
from motcua.stats.views import (
    KINDS,
    PAGE_SIZE,
    base_params,
    not_visible_message,
    period_label,
    unit_options,
    validated_request,
)
from motcua.units.models import Unit

FIGURE_LABELS = {
    "carried_over": _("Kỳ trước chuyển qua"),
    "received": _("Tiếp nhận trong kỳ"),
    "counted": _("Tổng số phản ánh, kiến nghị phải xử lý"),
    "resolved": _("Đã giải quyết xong"),
    "resolved_on_time": _("Giải quyết xong đúng hạn"),
    "resolved_late": _("Giải quyết xong trễ hạn"),
    "forwarded": _("Chuyển cơ quan có thẩm quyền"),
    "redirected": _("Hướng dẫn sang thủ tục khiếu nại, tố cáo"),
    "refused": _("Không tiếp nhận xử lý"),
    "open": _("Đang xử lý"),
    "open_in_time": _("Đang xử lý trong hạn"),
    "open_overdue": _("Đang xử lý quá hạn"),
    "in_competence": _("Thuộc thẩm quyền xử lý"),
    "questions": _("Hỏi đáp trả lời ngay (tính riêng)"),
}
# The two sides of the identity, in the order the page prints them.
INTAKE_SIDE = ("carried_over", "received")
OUTCOME_SIDE = (
    "resolved",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
)
# The columns of the breakdown tables.
ROW_COLUMNS = (
    "counted",
    "carried_over",
    "received",
    "resolved_on_time",
    "resolved_late",
    "forwarded",
    "redirected",
    "refused",
    "open_in_time",
    "open_overdue",
)
COLUMN_LABELS = {
    "counted": _("Tổng số"),
    "carried_over": _("Kỳ trước"),
    "received": pgettext_lazy("column", "Tiếp nhận"),
    "resolved_on_time": _("Giải quyết đúng hạn"),
    "resolved_late": _("Giải quyết trễ hạn"),
    "forwarded": _("Chuyển"),
    "redirected": _("Hướng dẫn KN, TC"),
    "refused": _("Không tiếp nhận"),
    "open_in_time": _("Đang trong hạn"),
    "open_overdue": _("Đang quá hạn"),
}
BREAKDOWN_TITLES = {"unit": _("Theo đơn vị"), "officer": _("Theo cán bộ xử lý")}


def figure_label(figure: str) -> str:
    """What a figure is called on the page and above its list, in the active language."""
    kind, _sep, key = figure.partition(":")
    if kind == "channel":
        return gettext("Tiếp nhận qua kênh %(channel)s") % {"channel": Channel(key).label}
    if kind == "subject":
        what = gettext("Chưa phân loại") if key == UNCLASSIFIED else str(Subject(key).label)
        return gettext("Tiếp nhận theo loại nội dung: %(subject)s") % {"subject": what}
    return str(FIGURE_LABELS[figure])


def _without_by(query: QueryDict) -> QueryDict:
    """The query without `by`: the dossier validation knows only dossier breakdowns."""
    copy = query.copy()
    copy.pop("by", None)
    return copy


def feedback_for_user(
    user: Any, request: StatsRequest, *, by: str | None
) -> FeedbackStatistics | None:
    """The feedback statistics of `request`, or None when the unit is unknown or not visible."""
    visible = visible_unit_ids(user)
    if visible is not None and not Unit.objects.filter(code=request.unit, pk__in=visible).exists():
        return None
    try:
        stats = feedback_statistics(
            code=request.unit, period=request.period, by=by, as_current=request.as_current
        )
    except StatsError:
        return None
    if visible is not None and stats.unit.pk not in visible:
        return None
    return stats


def list_href(params: dict[str, str], figure: str, *, by: str = "", row: str = "") -> str:
    """The click-through list of one figure (of one breakdown row when `by` is given)."""
    query = {**params, "figure": figure}
    if by:
        query.update({"by": by, "row": row})
    return f"{reverse('stats:feedback-list')}?{urlencode(query)}"


def row_name(stats: FeedbackStatistics, row: FeedbackRow) -> str:
    """A breakdown row's name; the words the selectors add are translated, names are data."""
    if stats.by == "officer" and row.key == "" and row.name == UNASSIGNED:
        return gettext(UNASSIGNED)
    if stats.by == "unit" and row.name == DIRECT_ROW % {"name": stats.unit.name}:
        return gettext(DIRECT_ROW) % {"name": stats.unit.name}
    return row.name


# -- the page --------------------------------------------------------------------------------


@dataclass
class Cell:
    """One figure with the link to the items behind it."""

    figure: str
    label: str
    value: int
    href: str
    short: str = ""  # the row header under a heading that already says what is counted

    @property
    def title(self) -> str:
        """The link's tooltip."""
        return ngettext(
            "Xem danh sách %(n)s phản ánh — %(what)s",
            "Xem danh sách %(n)s phản ánh — %(what)s",
            self.value,
        ) % {"n": self.value, "what": self.label.lower()}


@dataclass
class Rate:
    """A rate beside the two counts it comes from; "—" when the denominator is 0."""

    key: str
    label: str
    value: float | None
    numerator: int
    denominator: int

    @property
    def text(self) -> str:
        """The rate as printed (rounded once, in `FeedbackFigures.rates`)."""
        if self.value is None:
            return "—"
        return f"{formats.number_format(self.value, 2)}%"


def rates_of(figures: FeedbackFigures) -> list[Rate]:
    """The resolution and 766-style on-time rates with their counts (feedback.md §8)."""
    values = figures.rates()
    return [
        Rate(
            "resolution",
            gettext("Tỷ lệ giải quyết"),
            values["resolution"],
            figures.resolved,
            figures.in_competence,
        ),
        Rate(
            "on_time",
            gettext("Tỷ lệ đúng hạn (Quyết định 766)"),
            values["on_time"],
            figures.resolved_on_time + figures.open_in_time,
            figures.in_competence,
        ),
    ]


def cell(
    figures: FeedbackFigures, figure: str, params: dict[str, str], *, by: str = "", row: str = ""
) -> Cell:
    """The figure's value and link."""
    return Cell(
        figure,
        figure_label(figure),
        figures.value(figure),
        list_href(params, figure, by=by, row=row),
    )


@dataclass
class BreakdownRow:
    """A line of a breakdown table: counts, rates beside them, and the rank."""

    key: str
    name: str
    cells: list[Cell]
    rates: list[Rate]
    rank: int | None


@dataclass
class Breakdown:
    """One breakdown table (by unit or by officer)."""

    by: str
    title: str
    rows: list[BreakdownRow]


def breakdown(stats: FeedbackStatistics, params: dict[str, str]) -> Breakdown:
    """The table of `stats.rows`, every count a link to its items."""
    by = stats.by or ""
    rows = [
        BreakdownRow(
            row.key,
            row_name(stats, row),
            [cell(row.figures, f, params, by=by, row=row.key) for f in ROW_COLUMNS],
            rates_of(row.figures),
            row.rank,
        )
        for row in stats.rows
    ]
    return Breakdown(by, str(BREAKDOWN_TITLES[by]), rows)


def _page_context(user: Any, query: QueryDict) -> tuple[dict[str, Any], int]:
    options = unit_options(user)
    choice, request, errors = validated_request(_without_by(query), options)
    context: dict[str, Any] = {
        "choice": choice,
        "unit_options": options,
        "kinds": KINDS,
        "breakdowns": [],
        "form_action": reverse("stats:feedback"),
        "errors": errors,
        "stats": None,
    }
    if request is None:
        return context, 400
    by_unit = feedback_for_user(user, request, by="unit")
    if by_unit is None:
        context["errors"] = [not_visible_message(request.unit)]
        return context, 400
    total = by_unit.total
    params = base_params(request)
    shown = [breakdown(by_unit, params)]
    if may_rank_officers(user, by_unit.unit):
        shown.append(breakdown(broken_down(by_unit, "officer"), params))
    now = timezone.now()
    context.update(
        {
            "stats": by_unit,
            "total": total,
            "period_label": period_label(by_unit.period),
            "provisional": by_unit.period.end > now,
            "now": now,
            "intake": [cell(total, f, params) for f in INTAKE_SIDE],
            "outcomes": [cell(total, f, params) for f in OUTCOME_SIDE],
            "resolved_split": [
                cell(total, f, params) for f in ("resolved_on_time", "resolved_late")
            ],
            "counted": cell(total, "counted", params),
            "rates": rates_of(total),
            "by_channel": [
                replace(cell(total, channel_figure(value), params), short=str(label))
                for value, label in Channel.choices
            ],
            "by_subject": [
                replace(cell(total, subject_figure(value), params), short=str(label))
                for value, label in [*Subject.choices, (UNCLASSIFIED, _("Chưa phân loại"))]
            ],
            "questions": cell(total, "questions", params),
            "breakdowns_shown": shown,
            "columns": [(f, COLUMN_LABELS[f]) for f in ROW_COLUMNS],
            "ranking_min": by_unit.ranking_min,
            "json_href": f"{reverse('api-stats-feedback')}?{urlencode(params)}",
            "dossiers_href": f"{reverse('stats:index')}?{urlencode(params)}",
        }
    )
    return context, 200


@login_required
@require_GET
def feedback_page(request: HttpRequest) -> HttpResponse:
    """Feedback figures of a unit for a period, each a link to its items."""
    context, status = _page_context(request.user, request.GET)
    return render(request, "stats/feedback_statistics.html", context, status=status)


# -- the items behind a figure ---------------------------------------------------------------


def detail_href(code: str) -> str:
    """The officer page of an item (`feedback:detail`; the literal path until it exists)."""
    try:
        return reverse("feedback:detail", kwargs={"code": code})
    except NoReverseMatch:
        return f"/pakn/{code}/"


def _list_error(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "stats/feedback_list.html", context, status=status)


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    """The items behind one figure, paginated; their number is the figure."""
    user = request.user
    figure = request.GET.get("figure", "")
    context: dict[str, Any] = {"errors": [], "figure": figure, "page": None}
    if figure not in FIGURES:
        context["errors"] = [
            gettext("Không có số liệu «%(f)s» để xem danh sách phản ánh.") % {"f": figure}
        ]
        return _list_error(request, context, 400)
    _choice, req, errors = validated_request(_without_by(request.GET), unit_options(user))
    if req is None:
        context["errors"] = errors
        return _list_error(request, context, 400)
    by = (request.GET.get("by") or "").strip()
    has_row = "row" in request.GET and by in BREAKDOWNS
    stats = feedback_for_user(user, req, by=by if has_row else None)
    if stats is None:
        context["errors"] = [not_visible_message(req.unit)]
        return _list_error(request, context, 404)
    if has_row and by == "officer" and not may_rank_officers(user, stats.unit):
        context["errors"] = [gettext("Số liệu theo cán bộ chỉ dành cho lãnh đạo.")]
        return _list_error(request, context, 403)
    figures = stats.total
    items = feedback_for_figure(stats, figure)
    name = ""
    if has_row:
        key = request.GET.get("row", "")
        found = next((r for r in stats.rows if r.key == key), None)
        condition = row_condition(stats, by, key)
        if found is None or condition is None:
            context["errors"] = [
                gettext("Không có dòng «%(k)s» trong bảng %(by)s.")
                % {"k": key, "by": str(BREAKDOWN_TITLES[by]).lower()}
            ]
            return _list_error(request, context, 404)
        figures, name = found.figures, row_name(stats, found)
        items = items.filter(condition)
    # The unit is visible, so are its subtree's items; the intersection is kept for safety.
    items = (
        items.filter(pk__in=Feedback.objects.visible_to(user).values("pk"))
        .select_related("unit", "handler")
        .order_by("received_at", "pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = {k: v for k, v in request.GET.items() if k != "trang"}
    back = {k: v for k, v in params.items() if k not in {"figure", "row", "by"}}
    value = figures.value(figure)
    context.update(
        {
            "stats": stats,
            "period_label": period_label(stats.period),
            "figure_label": figure_label(figure),
            "figure_value": value,
            "hidden": value - page.paginator.count,
            "row_name": name,
            "page": page,
            "items": [(item, detail_href(item.code)) for item in page.object_list],
            "params": params,
            "back_href": f"{reverse('stats:feedback')}?{urlencode(back)}",
        }
    )
    return render(request, "stats/feedback_list.html", context)
