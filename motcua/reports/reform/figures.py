"""The computed figures of a periodic reform report (reports.md §3, first table).

Every figure comes from the selectors the statistics pages and commands use, never from a
second counting: the dossier figures are `motcua stats dossiers` (`dossier_statistics`), the
feedback figures `motcua stats feedback`, the task figures `motcua stats tasks`, the 766 index
`motcua index services`, the PAR Index the `par` results. Each figure has:

- `key` (stable, dotted: `dossiers.received`), `label` (Vietnamese), `value`;
- `window`: `kind` ("period": the report's data window; "calendar": the calendar window the
  766 index is published for; "as_of": a stock figure on a date; "year": a yearly figure),
  `from`/`to` or `as_of`, and `cutoff` (the instant the records were read);
- `source`: what records it counts (`records`) and where to see them (`url`: the
  click-through list of the statistics page with its filters).

The JSON contract of a figure is exactly those five keys (`Figure.as_json`); `measure`,
`numerator`, `denominator`, `decimals` and `rows` travel beside them for the checks and the
renderer (`Figure.full`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from motcua.lib.periods import CALENDAR, CUSTOM, TZ, Period
from motcua.stats.figures import rate

COUNT = "count"
PERCENT = "percent"
MONEY = "money"
SCORE = "score"
RANK = "rank"
TEXT = "text"
MEASURES = (COUNT, PERCENT, MONEY, SCORE, RANK, TEXT)


@dataclass
class Figure:
    """One figure of a report — số liệu."""

    key: str
    label: str
    value: Any
    window: dict[str, Any]
    source: dict[str, Any]
    measure: str = COUNT
    numerator: int | None = None
    denominator: int | None = None
    decimals: int | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The contract: `{"key", "label", "value", "window", "source"}`."""
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "window": self.window,
            "source": self.source,
        }

    def full(self) -> dict[str, Any]:
        """Everything (stored on the report, read by the checks and the renderer)."""
        return asdict(self)

    @classmethod
    def from_full(cls, data: dict[str, Any]) -> Figure:
        """Read back a `full()` dict."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def period_code(period: Period) -> str:
    """`2023-Q3`, `2023-M09`, `2023-H1`, `2023` for a named period; '' for a custom one."""
    if period.family == CUSTOM or not period.name:
        return ""
    last = period.last
    if period.name.startswith("Quý"):
        code = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
    elif period.name.startswith("Tháng"):
        code = f"{last.year}-M{last.month:02d}"
    elif period.name.startswith("6 tháng"):
        code = f"{last.year}-H{1 if last.month <= 6 else 2}"
    else:
        code = str(last.year)
    return code


def period_window(period: Period, cutoff: dt.datetime, kind: str = "period") -> dict[str, Any]:
    """The `window` of a figure over `period`."""
    return {
        "kind": kind,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "cutoff": cutoff.astimezone(TZ).isoformat(timespec="seconds"),
    }


def _params(code: str, period: Period) -> dict[str, str]:
    """The statistics pages' query for a unit and period (as `stats.views.base_params`)."""
    params = {"unit": code}
    named = period_code(period)
    if named:
        params["period"] = named
        if period.family == CALENDAR:
            params["calendar"] = "1"
    else:
        params["from"], params["to"] = period.first.isoformat(), period.last.isoformat()
    return params


def _url(name: str, query: dict[str, str], **kwargs: Any) -> str:
    try:
        path = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:  # pragma: no cover - every page named here is mounted
        return ""
    return f"{path}?{urlencode(query)}" if query else path


# -- dossiers (statistics.md §2; `motcua stats dossiers`) --------------------------------------

# key suffix → (stats figure of the click-through, Vietnamese label)
DOSSIER_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("received", "received", "Tổng số hồ sơ tiếp nhận (kỳ trước chuyển qua và mới tiếp nhận)"),
    ("carried_over", "carried_over", "Số hồ sơ từ kỳ trước chuyển qua"),
    ("new", "new", "Số hồ sơ mới tiếp nhận trong kỳ"),
    ("new_online", "new_online", "Số hồ sơ mới tiếp nhận trực tuyến"),
    ("new_direct", "new_direct", "Số hồ sơ mới tiếp nhận trực tiếp"),
    ("new_postal", "new_postal", "Số hồ sơ mới tiếp nhận qua dịch vụ bưu chính"),
    ("resolved", "resolved", "Số hồ sơ đã giải quyết"),
    ("early", "early", "Số hồ sơ giải quyết trước hạn"),
    ("on_time", "on_time", "Số hồ sơ giải quyết đúng hạn"),
    ("late", "late", "Số hồ sơ giải quyết quá hạn"),
    ("refused", "refused", "Số hồ sơ trả lại, từ chối giải quyết"),
    ("withdrawn", "withdrawn", "Số hồ sơ rút, dừng giải quyết"),
    ("pending", "pending", "Số hồ sơ đang giải quyết"),
    ("pending_in_time", "within_deadline", "Số hồ sơ đang giải quyết trong hạn"),
    ("pending_overdue", "overdue", "Số hồ sơ đang giải quyết quá hạn"),
)


def dossier_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """The dossier statistics of unit `code`: the same selector as `motcua stats dossiers`."""
    from motcua.stats.selectors import dossier_statistics

    stats = dossier_statistics(code=code, period=period, by="unit")
    total = stats.total
    values = {
        "received": total.received,
        "carried_over": total.carried_over,
        "new": total.new,
        "new_online": total.new_online,
        "new_direct": total.new_direct,
        "new_postal": total.new_postal,
        "resolved": total.resolved,
        "early": total.early,
        "on_time": total.on_time,
        "late": total.late,
        "refused": total.refused,
        "withdrawn": total.withdrawn,
        "pending": total.pending,
        "pending_in_time": total.within_deadline,
        "pending_overdue": total.overdue,
    }
    window = period_window(period, cutoff)
    params = _params(code, period)
    result = []
    for suffix, figure, label in DOSSIER_FIGURES:
        rows = []
        if suffix in ("received", "resolved", "pending") and len(stats.rows) > 1:
            rows = [
                {"key": r.key, "label": r.name, "value": getattr(r.figures, suffix)}
                for r in stats.rows
            ]
        result.append(
            Figure(
                f"dossiers.{suffix}",
                label,
                values[suffix],
                window,
                {
                    "kind": "computed",
                    "records": "Hồ sơ thủ tục hành chính (motcua stats dossiers)",
                    "url": _url("stats:dossiers", {**params, "figure": figure}),
                },
                rows=rows,
            )
        )
    result.append(
        _rate(
            "dossiers.online_share",
            "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến (%)",
            total.new_online,
            total.new,
            window,
            _url("stats:index", params),
        )
    )
    result.append(
        _rate(
            "dossiers.on_time_rate",
            "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn (%)",
            total.early + total.on_time,
            total.resolved,
            window,
            _url("stats:index", params),
        )
    )
    return result


def _rate(
    key: str, label: str, numerator: int, denominator: int, window: dict[str, Any], url: str
) -> Figure:
    """A percentage from counts with the project's one rounding rule (`stats.figures.rate`)."""
    return Figure(
        key,
        label,
        rate(numerator, denominator) if denominator else None,
        window,
        {"kind": "computed", "records": f"{numerator}/{denominator}", "url": url},
        measure=PERCENT,
        numerator=numerator,
        denominator=denominator,
        decimals=2,
    )


# -- procedures (the catalogue) ----------------------------------------------------------------

PROCEDURE_LEVELS = (
    ("province", "Số thủ tục hành chính cấp tỉnh"),
    ("district", "Số thủ tục hành chính cấp huyện"),
    ("commune", "Số thủ tục hành chính cấp xã"),
    ("other", "Số thủ tục hành chính của cơ quan khác"),
)


def procedure_figures(
    unit_ids: frozenset[int], period: Period, cutoff: dt.datetime
) -> list[Figure]:
    """Published procedures the units decide, in force at the period's end, by level; and
    those whose publication decision is dated in the period."""
    from motcua.procedures.models import Procedure

    last = period.last
    mine = Procedure.objects.published().filter(competent_units__in=unit_ids)
    in_force = mine.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=last)
    )
    levels: dict[str, int] = dict.fromkeys([lv for lv, _l in PROCEDURE_LEVELS], 0)
    for _pk, level in set(in_force.values_list("pk", "level")):
        levels[level if level in levels else "other"] += 1
    stock = {"kind": "as_of", "as_of": last.isoformat(), "cutoff": _iso(cutoff)}
    source = {
        "kind": "computed",
        "records": "Thủ tục hành chính đã công khai, còn hiệu lực, thuộc thẩm quyền đơn vị",
        "url": _url("procedures:list", {}),
    }
    result = [
        Figure(
            "procedures.total",
            "Tổng số thủ tục hành chính thuộc thẩm quyền",
            sum(levels.values()),
            stock,
            source,
        )
    ]
    result += [
        Figure(f"procedures.{level}", label, levels[level], stock, source)
        for level, label in PROCEDURE_LEVELS
    ]
    published = (
        mine.filter(
            publication_decision_date__gte=period.first, publication_decision_date__lte=last
        )
        .values("pk")
        .distinct()
        .count()
    )
    result.append(
        Figure(
            "procedures.published_in_period",
            "Số thủ tục hành chính được công bố trong kỳ",
            published,
            period_window(period, cutoff),
            {**source, "records": "Thủ tục có quyết định công bố ký trong kỳ"},
        )
    )
    return result


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(TZ).isoformat(timespec="seconds")


# -- feedback (feedback.md §8; `motcua stats feedback`) ----------------------------------------

FEEDBACK_FIGURES = (
    ("carried_over", "Số phản ánh, kiến nghị kỳ trước chuyển qua"),
    ("received", "Số phản ánh, kiến nghị tiếp nhận trong kỳ"),
    ("resolved", "Số phản ánh, kiến nghị đã giải quyết xong"),
    ("resolved_on_time", "Số phản ánh, kiến nghị giải quyết đúng hạn"),
    ("resolved_late", "Số phản ánh, kiến nghị giải quyết quá hạn"),
    ("forwarded", "Số phản ánh, kiến nghị chuyển cơ quan có thẩm quyền"),
    ("redirected", "Số phản ánh, kiến nghị hướng dẫn gửi nơi khác"),
    ("refused", "Số phản ánh, kiến nghị không xử lý"),
    ("open", "Số phản ánh, kiến nghị đang giải quyết"),
)


def feedback_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """PAKN figures of unit `code`: the selector of `motcua stats feedback`."""
    from motcua.stats.feedback import feedback_statistics

    total = feedback_statistics(code=code, period=period).total
    window = period_window(period, cutoff)
    params = _params(code, period)
    result = [
        Figure(
            f"feedback.{name}",
            label,
            int(getattr(total, name)),
            window,
            {
                "kind": "computed",
                "records": "Phản ánh, kiến nghị (motcua stats feedback)",
                "url": _url("stats:feedback-list", {**params, "figure": name}),
            },
        )
        for name, label in FEEDBACK_FIGURES
    ]
    result.append(
        _rate(
            "feedback.resolution_rate",
            "Tỷ lệ phản ánh, kiến nghị đã giải quyết (%)",
            total.resolved,
            total.in_competence,
            window,
            _url("stats:feedback", params),
        )
    )
    return result


# -- tasks (assignments.md §9; `motcua stats tasks`) and recurring reports -----------------------

TASK_LABELS = {
    "in_scope": "Tổng số nhiệm vụ được giao trong kỳ",
    "done_on_time": "Số nhiệm vụ hoàn thành đúng hạn",
    "done_late": "Số nhiệm vụ hoàn thành quá hạn",
    "reported_done": "Số nhiệm vụ đã báo cáo hoàn thành, chờ xác nhận",
    "in_progress_not_due": "Số nhiệm vụ đang thực hiện, chưa đến hạn",
    "overdue": "Số nhiệm vụ quá hạn chưa hoàn thành",
    "no_deadline": "Số nhiệm vụ không có thời hạn",
    "cancelled": "Số nhiệm vụ hủy, không thực hiện",
}


def task_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """Tasks by status (`motcua stats tasks`), and the recurring reports sent on time."""
    from motcua.assignments.choices import DeadlineKind
    from motcua.assignments.models import Task
    from motcua.stats.taskstats import counted_tasks, task_statistics

    stats = task_statistics(code=code, period=period)
    data = stats.total.as_json()
    window = period_window(period, cutoff)
    params = _params(code, period)
    result = [
        Figure(
            f"tasks.{name}",
            label,
            int(data[name]),
            window,
            {
                "kind": "computed",
                "records": "Nhiệm vụ được giao (motcua stats tasks)",
                "url": _url("stats:tasks-list", {**params, "figure": name}),
            },
        )
        for name, label in TASK_LABELS.items()
    ]
    result.append(
        _rate(
            "tasks.completion_rate",
            "Tỷ lệ nhiệm vụ đến hạn đã hoàn thành (%)",
            stats.total.due_done,
            stats.total.due_total,
            window,
            _url("stats:tasks", params),
        )
    )
    # Recurring reporting tasks (occurrences of a series): reports sent on time or late.
    _unit, counted = counted_tasks(code=code, period=period)
    recurring = set(
        Task.objects.filter(
            pk__in=[row["pk"] for row, _c, _d in counted],
            series__isnull=False,
            deadline_kind=DeadlineKind.RECURRING,
        ).values_list("pk", flat=True)
    )
    classes = [(row["code"], cls) for row, cls, _due in counted if row["pk"] in recurring]
    on_time = sorted(c for c, cls in classes if cls == "done_on_time")
    late = sorted(c for c, cls in classes if cls == "done_late")
    rest = sorted(c for c, cls in classes if cls not in ("done_on_time", "done_late"))
    for key, label, codes in (
        ("reports.due", "Số báo cáo định kỳ phải gửi trong kỳ", sorted(c for c, _ in classes)),
        ("reports.on_time", "Số báo cáo định kỳ gửi đúng hạn", on_time),
        ("reports.late", "Số báo cáo định kỳ gửi quá hạn", late),
        ("reports.not_sent", "Số báo cáo định kỳ chưa hoàn thành", rest),
    ):
        result.append(
            Figure(
                key,
                label,
                len(codes),
                window,
                {"kind": "computed", "records": "Nhiệm vụ báo cáo định kỳ", "tasks": codes},
            )
        )
    return result


def document_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """Reports of the unit issued through motcua in the period (with numbers and dates)."""
    from motcua.reports.models import Report

    issued = list(
        Report.objects.filter(
            unit_code=code, issued_on__gte=period.first, issued_on__lte=period.last
        )
        .exclude(number__isnull=True)
        .order_by("issued_on", "number")
    )
    return [
        Figure(
            "documents.issued",
            "Số văn bản (báo cáo) ban hành qua motcua trong kỳ",
            len(issued),
            period_window(period, cutoff),
            {
                "kind": "computed",
                "records": "Báo cáo đã ban hành",
                "documents": [
                    f"{r.number_and_symbol} ngày {r.issued_on:%d/%m/%Y}"
                    for r in issued
                    if r.issued_on
                ],
            },
        )
    ]


def compute_figures(code: str, period: Period, *, cutoff: dt.datetime) -> list[Figure]:
    """Every computed figure of unit `code` for `period`, read at `cutoff` (StatsError for an
    unknown unit)."""
    from motcua.stats.selectors import scope_of

    scope = scope_of(code, period)
    figures: list[Figure] = []
    figures += procedure_figures(scope.ids, period, cutoff)
    figures += dossier_figures(code, period, cutoff)
    figures += feedback_figures(code, period, cutoff)
    figures += task_figures(code, period, cutoff)
    figures += document_figures(code, period, cutoff)
    from motcua.reports.reform.index_figures import index766_figures, par_figures

    figures += par_figures(code, period, cutoff)
    figures += index766_figures(code, period, cutoff)
    return figures
