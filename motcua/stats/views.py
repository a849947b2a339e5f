"""The statistics page (thống kê hồ sơ), the dossiers behind each figure, and the trend chart.

The page reads its parameters with the same `read_request` as the CLI and the API, computes
the figures with `dossier_statistics` (the numbers of `motcua stats dossiers --format json`)
and links every figure to `dossiers_for_figure`, whose length is the figure. The unit must be
one the user may see; a unit outside the scope gets the same answer as an unknown one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.documents.signing import signing_note
from motcua.dossiers.models import Dossier
from motcua.dossiers.tables import DossierTable
from motcua.lib.periods import CALENDAR, CUSTOM, Period, PeriodError, parse_period
from motcua.lib.scoping import visible_unit_ids
from motcua.people.policy import Action, can
from motcua.people.scope import UnitGraph, current_graph
from motcua.stats.classification import FIGURES
from motcua.stats.figures import Figures
from motcua.stats.params import ParamError, StatsRequest, read_request
from motcua.stats.selectors import (
    BREAKDOWNS,
    DESK_VIEW,
    DIRECT_ROW,
    HANDLING_VIEW,
    NO_FIELD,
    Row,
    Statistics,
    StatsError,
    dossier_statistics,
    dossiers_for_figure,
    row_dossiers_q,
)
from motcua.units.models import Unit

PAGE_SIZE = 25
TREND_LENGTH = 6
PERIOD_SYNTAX = re.compile(r"^\s*(\d{4})(?:-(Q|M|H)(\d{1,2}))?\s*$")
LETTER_KIND = {"M": "month", "Q": "quarter", "H": "half", "": "year"}
KIND_LETTER = {kind: letter for letter, kind in LETTER_KIND.items()}
KINDS = (
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("half", _("6 tháng")),
    ("year", _("Năm")),
    ("custom", _("Tùy chọn (từ ngày – đến ngày)")),
)
NUMBER_RANGE = {"month": 12, "quarter": 4, "half": 2}
BREAKDOWN_LABELS = {
    "unit": _("Đơn vị"),
    "level": _("Cấp"),
    "field": _("Lĩnh vực"),
    "procedure": _("Thủ tục"),
}
# The two ways of counting a unit's dossiers (the switch above the figures table).
VIEW_LABELS = {
    HANDLING_VIEW: _("Theo cơ quan giải quyết"),
    DESK_VIEW: _("Theo nơi tiếp nhận"),
}
FIGURE_LABELS = {
    "received": _("Tổng số hồ sơ tiếp nhận"),
    "carried_over": _("Hồ sơ kỳ trước chuyển qua"),
    "new": _("Hồ sơ mới tiếp nhận"),
    "new_online": _("Hồ sơ mới tiếp nhận trực tuyến"),
    "new_direct": _("Hồ sơ mới tiếp nhận trực tiếp"),
    "new_postal": _("Hồ sơ mới tiếp nhận qua bưu chính"),
    "resolved": _("Hồ sơ đã giải quyết"),
    "early": _("Hồ sơ giải quyết trước hạn"),
    "on_time": _("Hồ sơ giải quyết đúng hạn"),
    "late": _("Hồ sơ giải quyết quá hạn"),
    "refused": _("Hồ sơ trả lại sau tiếp nhận"),
    "withdrawn": _("Hồ sơ rút, dừng giải quyết"),
    "pending": _("Hồ sơ đang giải quyết"),
    "within_deadline": _("Hồ sơ đang giải quyết trong hạn"),
    "overdue": _("Hồ sơ đang giải quyết quá hạn"),
    "finished": _("Hồ sơ đã kết thúc xử lý"),
}
# The columns of the figures table, grouped as in the JSON contract's blocks.
COLUMN_GROUPS: tuple[tuple[Any, tuple[tuple[str, Any], ...]], ...] = (
    (
        _("Hồ sơ tiếp nhận"),
        (
            ("received", _("Tổng số")),
            ("carried_over", _("Kỳ trước chuyển qua")),
            ("new", _("Mới tiếp nhận")),
            ("new_online", _("Trực tuyến")),
            ("new_direct", _("Trực tiếp")),
            ("new_postal", _("Bưu chính")),
        ),
    ),
    (
        _("Đã giải quyết"),
        (
            ("resolved", _("Tổng số")),
            ("early", _("Trước hạn")),
            ("on_time", _("Đúng hạn")),
            ("late", pgettext_lazy("resolved", "Quá hạn")),
        ),
    ),
    (_("Trả lại sau tiếp nhận"), (("refused", _("Trả lại sau tiếp nhận")),)),
    (_("Rút, dừng giải quyết"), (("withdrawn", _("Rút, dừng giải quyết")),)),
    (
        _("Đang giải quyết"),
        (
            ("pending", _("Tổng số")),
            ("within_deadline", _("Trong hạn")),
            ("overdue", _("Quá hạn")),
        ),
    ),
)
COLUMNS = tuple(figure for _group, columns in COLUMN_GROUPS for figure, _label in columns)
# The trend: (key, label, clickable figure or "" when the series is not a single figure).
TREND_SERIES = (
    ("received", pgettext_lazy("column", "Tiếp nhận"), "received"),
    ("resolved_on_time_or_early", _("Giải quyết trước và đúng hạn"), ""),
    ("late", _("Giải quyết quá hạn"), "late"),
    ("overdue", _("Đang giải quyết quá hạn"), "overdue"),
)


# -- reading the request ---------------------------------------------------------------------


@dataclass
class UnitOption:
    """A unit the user may choose: its code and the name of its latest version."""

    code: str
    name: str
    depth: int
    current: bool
    valid_to: dt.date | None = None
    # What the drop-down shows: the name, with its parent's when another unit bears it too.
    label: str = ""


@dataclass
class Choice:
    """What the form shows back: the user's choices, valid or not."""

    unit: str = ""
    kind: str = "quarter"
    year: str = ""
    number: str = ""
    calendar: bool = False
    date_from: str = ""
    date_to: str = ""
    by: str = ""
    as_current: bool = False
    view: str = HANDLING_VIEW

    @property
    def date_from_text(self) -> str:
        """The first day as the form shows it: dd/mm/yyyy."""
        return _day_text(self.date_from)

    @property
    def date_to_text(self) -> str:
        """The last day as the form shows it: dd/mm/yyyy."""
        return _day_text(self.date_to)


def _day_text(raw: str) -> str:
    try:
        return f"{dt.date.fromisoformat(raw):%d/%m/%Y}"
    except ValueError:
        return raw


def _page_date(raw: str) -> dt.date:
    """A day typed the Vietnamese way (15/12/2026) or as ISO (2026-12-15, in links)."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(raw)


def unit_options(user: Any) -> list[UnitOption]:
    """The unit codes `user` may see: units in force first, the top of their scope first."""
    graph = current_graph()
    today = timezone.localdate()
    latest: dict[str, Unit] = {}
    for unit in Unit.objects.visible_to(user).only("code", "name", "valid_from", "valid_to"):
        seen = latest.get(unit.code)
        if seen is None or _newer(unit, seen):
            latest[unit.code] = unit
    options = [
        UnitOption(code, u.name, _depth(graph, u.pk), u.is_valid_on(today), u.valid_to)
        for code, u in latest.items()
    ]
    # Units in force today first (a closed predecessor is history, not where one works).
    options.sort(key=lambda o: (not o.current, o.depth, o.code))
    _label(options, latest, graph)
    return options


def _label(options: list[UnitOption], latest: dict[str, Unit], graph: UnitGraph) -> None:
    """Name each option in words; "Xã Tân Phú" of three districts says whose it is."""
    names = Counter(o.name for o in options)
    parents = {o.code: graph.parent.get(latest[o.code].pk) for o in options if names[o.name] > 1}
    parent_names = dict(
        Unit.objects.filter(pk__in={p for p in parents.values() if p}).values_list("pk", "name")
    )
    for option in options:
        parent = parent_names.get(parents.get(option.code) or 0)
        option.label = f"{option.name} — {parent}" if parent else option.name


def _newer(a: Unit, b: Unit) -> bool:
    far = dt.date.max
    return (a.valid_to or far, a.valid_from or dt.date.min) > (
        b.valid_to or far,
        b.valid_from or dt.date.min,
    )


def _depth(graph: UnitGraph, pk: int) -> int:
    depth, seen = 0, {pk}
    while (up := graph.parent.get(pk)) is not None and up not in seen:
        seen.add(up)
        depth, pk = depth + 1, up
    return depth


def default_period(today: dt.date) -> tuple[str, str]:
    """The Decree 09 quarter whose window contains `today`, as (year, quarter)."""
    for year in (today.year, today.year + 1):
        for quarter in range(1, 5):
            period = parse_period(f"{year}-Q{quarter}")
            if period.first <= today <= period.last:
                return str(year), str(quarter)
    return str(today.year), str((today.month - 1) // 3 + 1)  # pragma: no cover


def _flag(query: QueryDict, name: str) -> bool:
    return query.get(name, "").lower() in {"1", "true", "yes", "on"}


def read_choice(query: QueryDict, options: list[UnitOption]) -> tuple[Choice, dict, list[str]]:
    """The user's choices, the `read_request` keywords they amount to, and Vietnamese errors."""
    choice = Choice(
        unit=(query.get("unit") or "").strip() or (options[0].code if options else ""),
        calendar=_flag(query, "calendar"),
        date_from=(query.get("from") or "").strip(),
        date_to=(query.get("to") or "").strip(),
        by=(query.get("by") or "").strip(),
        as_current=_flag(query, "as_current"),
        view=(query.get("view") or "").strip() or HANDLING_VIEW,
    )
    errors: list[str] = []
    period_text = (query.get("period") or "").strip()
    if period_text:
        match = PERIOD_SYNTAX.match(period_text)
        if match is None:
            errors.append(
                gettext(
                    "Kỳ báo cáo «%(p)s» không hợp lệ: dùng dạng 2023-Q3 (quý), 2023-M09 (tháng), "
                    "2023-H1 (6 tháng) hoặc 2023 (năm)."
                )
                % {"p": period_text}
            )
        else:
            choice.kind = LETTER_KIND[match.group(2) or ""]
            choice.year, choice.number = match.group(1), match.group(3) or ""
    elif query.get("kind"):
        choice.kind = query.get("kind", "")
        choice.year = (query.get("year") or "").strip()
        choice.number = (query.get("number") or "").strip()
    elif choice.date_from or choice.date_to:
        choice.kind = "custom"
    else:
        # Today's quarter; for a unit that has since closed, the quarter of its last day.
        day = timezone.localdate()
        option = next((o for o in options if o.code == choice.unit), None)
        if option is not None and option.valid_to is not None and option.valid_to < day:
            day = option.valid_to
        choice.year, choice.number = default_period(day)

    keywords: dict[str, Any] = {"calendar": choice.calendar}
    if choice.kind == "custom":
        keywords.update(_custom_dates(choice, errors))
    elif choice.kind in KIND_LETTER:
        period = _named_period(choice, errors)
        if period:
            keywords["period"] = period
    else:
        errors.append(gettext("Hãy chọn loại kỳ: tháng, quý, 6 tháng, năm hoặc tùy chọn."))
    if choice.by and choice.by not in BREAKDOWNS:
        errors.append(
            gettext("Không có cách chia «%(by)s»; chọn đơn vị, cấp, lĩnh vực hoặc thủ tục.")
            % {"by": choice.by}
        )
    if choice.view not in VIEW_LABELS:
        errors.append(
            gettext(
                "Không có cách đếm «%(v)s»; chọn theo cơ quan giải quyết hoặc theo nơi tiếp nhận."
            )
            % {"v": choice.view}
        )
    if not choice.unit:
        errors.append(gettext("Bạn chưa được giao đơn vị nào nên không có số liệu để xem."))
    return choice, keywords, errors


def _named_period(choice: Choice, errors: list[str]) -> str:
    if not choice.year.isdigit() or not 2000 <= int(choice.year) <= 2100:
        errors.append(
            gettext("Năm «%(y)s» không hợp lệ: nhập năm từ 2000 đến 2100.") % {"y": choice.year}
        )
        return ""
    if choice.kind == "year":
        choice.number = ""
        return choice.year
    top = NUMBER_RANGE[choice.kind]
    if not choice.number.isdigit() or not 1 <= int(choice.number) <= top:
        messages = {
            "month": gettext("Tháng phải là số từ 1 đến 12."),
            "quarter": gettext("Quý phải là số từ 1 đến 4."),
            "half": gettext("Chọn 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm)."),
        }
        errors.append(messages[choice.kind])
        return ""
    number = int(choice.number)
    choice.number = str(number)
    letter = KIND_LETTER[choice.kind]
    digits = f"{number:02d}" if letter == "M" else str(number)
    return f"{choice.year}-{letter}{digits}"


def _custom_dates(choice: Choice, errors: list[str]) -> dict[str, str]:
    dates: dict[str, dt.date] = {}
    for key, raw, label in (
        ("from", choice.date_from, gettext("Ngày đầu kỳ")),
        ("to", choice.date_to, gettext("Ngày cuối kỳ")),
    ):
        if not raw:
            errors.append(gettext("%(label)s: hãy nhập ngày.") % {"label": label})
            continue
        try:
            dates[key] = _page_date(raw)
        except ValueError:
            errors.append(
                gettext("%(label)s «%(d)s» không phải là ngày hợp lệ (dạng ngày/tháng/năm).")
                % {"label": label, "d": raw}
            )
    if len(dates) == 2 and dates["to"] < dates["from"]:
        errors.append(
            gettext("Ngày cuối kỳ (%(to)s) đứng trước ngày đầu kỳ (%(from)s).")
            % {"to": f"{dates['to']:%d/%m/%Y}", "from": f"{dates['from']:%d/%m/%Y}"}
        )
    if len(dates) < 2:
        return {}
    # Everything after the form (links, the API, the exports) speaks ISO.
    choice.date_from, choice.date_to = dates["from"].isoformat(), dates["to"].isoformat()
    return {"date_from": choice.date_from, "date_to": choice.date_to}


def validated_request(
    query: QueryDict, options: list[UnitOption]
) -> tuple[Choice, StatsRequest | None, list[str]]:
    """Read the query through `read_request` (the validation the CLI and the API share)."""
    choice, keywords, errors = read_choice(query, options)
    if errors:
        return choice, None, errors
    try:
        request = read_request(
            unit=choice.unit,
            by=choice.by or None,
            as_current=choice.as_current,
            prefix="",
            view=choice.view,
            **keywords,
        )
    except ParamError as exc:  # the checks above catch these first; never show English
        return choice, None, [gettext("Tham số «%(n)s» không hợp lệ.") % {"n": exc.name}]
    return choice, request, []


def not_visible_message(code: str) -> str:
    """One answer for an unknown unit and a unit outside the scope: nothing leaks."""
    return gettext(
        "Không có đơn vị «%(code)s» trong kỳ đã chọn, hoặc đơn vị này không thuộc phạm vi "
        "bạn được xem số liệu."
    ) % {"code": code}


def statistics_for_user(user: Any, request: StatsRequest, *, by: str | None) -> Statistics | None:
    """The statistics of `request`, or None when the unit is unknown or outside the scope."""
    visible = visible_unit_ids(user)
    if visible is not None and not Unit.objects.filter(code=request.unit, pk__in=visible).exists():
        return None
    try:
        stats = dossier_statistics(
            code=request.unit,
            period=request.period,
            by=by,
            as_current=request.as_current,
            view=request.view,
        )
    except StatsError:
        return None
    if visible is not None and stats.unit.pk not in visible:
        return None
    return stats


# -- links -----------------------------------------------------------------------------------


def period_code(period: Period) -> str:
    """`2023-Q3`, `2025-M03`, `2025-H1` or `2025` for a named period; "" for a custom one."""
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
    try:
        same = parse_period(code, calendar=period.family == CALENDAR) == period
    except PeriodError:  # pragma: no cover - every named period has a code
        same = False
    return code if same else ""


def base_params(request: StatsRequest, period: Period | None = None) -> dict[str, str]:
    """The canonical query of a request (the API takes the same one)."""
    period = period or request.period
    params = {"unit": request.unit}
    code = period_code(period)
    if code:
        params["period"] = code
        if period.family == CALENDAR:
            params["calendar"] = "1"
    else:
        params["from"], params["to"] = period.first.isoformat(), period.last.isoformat()
    if request.as_current:
        params["as_current"] = "1"
    if request.view != HANDLING_VIEW:
        params["view"] = request.view
    return params


def figure_href(params: dict[str, str], figure: str, *, by: str = "", row: str = "") -> str:
    """The click-through list of one figure (of one breakdown row when `row` is given)."""
    query = {**params, "figure": figure}
    if by:
        query.update({"by": by, "row": row})
    return f"{reverse('stats:dossiers')}?{urlencode(query)}"


# -- words in the active language -----------------------------------------------------------

# A period's Vietnamese name (`motcua.lib.periods`, also printed on the report papers), read
# back so the page can say it in the active language.
PERIOD_NAME = re.compile(
    r"^(?:Quý (?P<q>I|II|III|IV)/(?P<qy>\d{4})|Tháng (?P<m>\d{2})/(?P<my>\d{4})"
    r"|6 tháng (?P<h>đầu|cuối) năm (?P<hy>\d{4})|Năm (?P<y>\d{4}))$"
)


def period_name(period: Period) -> str:
    """'Quý III/2023' in the active language; "" for a custom period."""
    match = PERIOD_NAME.match(period.name)
    if match is None:
        return period.name
    if match["q"]:
        return gettext("Quý %(q)s/%(year)s") % {"q": match["q"], "year": match["qy"]}
    if match["m"]:
        return gettext("Tháng %(month)s/%(year)s") % {"month": match["m"], "year": match["my"]}
    if match["h"] == "đầu":
        return gettext("6 tháng đầu năm %(year)s") % {"year": match["hy"]}
    if match["h"]:
        return gettext("6 tháng cuối năm %(year)s") % {"year": match["hy"]}
    return gettext("Năm %(year)s") % {"year": match["y"]}


def period_label(period: Period) -> str:
    """`Period.label` in the active language: the name with its exact window."""
    if not period.name:
        return gettext("Từ ngày %(first)s đến ngày %(last)s") % {
            "first": f"{period.first:%d/%m/%Y}",
            "last": f"{period.last:%d/%m/%Y}",
        }
    return f"{period_name(period)} ({period.first:%d/%m/%Y}–{period.last:%d/%m/%Y})"


def row_name(stats: Statistics, row: Row) -> str:
    """A breakdown row's name; the words the selectors add are translated, names are data."""
    if stats.by == "field" and row.key == "" and row.name == NO_FIELD:
        return gettext(NO_FIELD)
    if stats.by == "unit" and row.name == DIRECT_ROW % {"name": stats.unit.name}:
        return gettext(DIRECT_ROW) % {"name": stats.unit.name}
    return row.name


# -- the statistics page ---------------------------------------------------------------------


@dataclass
class Cell:
    """One figure of the table, with the link to the dossiers behind it."""

    figure: str
    value: int
    href: str
    title: str


@dataclass
class RateCell:
    """A percentage: "—" when its denominator is 0."""

    key: str
    value: float | None

    @property
    def text(self) -> str:
        """The rate as printed (the one rounding rule happened in `Figures.blocks`)."""
        if self.value is None:
            return "—"
        return f"{formats.number_format(self.value, 2)}%"


@dataclass
class TableRow:
    """A line of the figures table: the total or one breakdown row."""

    key: str
    name: str
    cells: list[Cell]
    rates: list[RateCell]
    is_total: bool = False


def table_row(
    figures: Figures, name: str, params: dict[str, str], *, by: str = "", key: str = ""
) -> TableRow:
    """Cells of one row: every figure links to its list; rates follow §4's rounding rule."""
    cells = []
    for figure in COLUMNS:
        value = getattr(figures, figure)
        title = ngettext(
            "Xem danh sách %(n)s hồ sơ — %(what)s", "Xem danh sách %(n)s hồ sơ — %(what)s", value
        ) % {
            "n": value,
            "what": str(FIGURE_LABELS[figure]).lower(),
        }
        cells.append(Cell(figure, value, figure_href(params, figure, by=by, row=key), title))
    rates = figures.blocks()["rates"]
    return TableRow(
        key,
        name,
        cells,
        [
            RateCell("online_share", rates["online_share"] if figures.new else None),
            RateCell(
                "resolved_on_time_or_early",
                rates["resolved_on_time_or_early"] if figures.resolved else None,
            ),
        ],
        is_total=not by,
    )


@dataclass
class TrendPoint:
    """One period of the trend; `values` is None when the unit had no figures then."""

    period: Period
    values: dict[str, int] | None
    links: dict[str, str] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        """(value, link) per trend series; value None when there are no figures."""
        return [
            (self.values[key] if self.values else None, self.links.get(key, ""))
            for key, _label, _fig in TREND_SERIES
        ]

    @property
    def short_label(self) -> str:
        """'Quý III/2023', or the dates of a custom period (in the active language)."""
        p = self.period
        return period_name(p) or f"{p.first:%d/%m/%Y}–{p.last:%d/%m/%Y}"

    @property
    def label(self) -> str:
        """The period with its exact window, in the active language."""
        return period_label(self.period)


def trend_values(figures: Figures) -> dict[str, int]:
    """The trend series of one period."""
    return {
        "received": figures.received,
        "resolved_on_time_or_early": figures.early + figures.on_time,
        "late": figures.late,
        "overdue": figures.overdue,
    }


def trend(user: Any, request: StatsRequest, current: Statistics) -> list[TrendPoint]:
    """The last TREND_LENGTH periods of the same kind, oldest first, ending with the chosen one.

    Queries: one aggregate per earlier period (5) on top of the page's own figures (+1; the
    chosen period reuses the page's totals), plus the few queries of each period's unit scope
    (`scope_ids`: a reorganisation can change the scope between periods, so it is not
    shared). Each earlier period is checked against the user's scope like the chosen one: a
    period whose unit version the user may not see shows no figures.
    """
    points = []
    for period in [*request.period.previous(TREND_LENGTH - 1), request.period]:
        if period == request.period:
            figures: Figures | None = current.total
        else:
            earlier = StatsRequest(period, request.unit, None, request.as_current, request.view)
            stats = statistics_for_user(user, earlier, by=None)
            figures = stats.total if stats else None
        point = TrendPoint(period, trend_values(figures) if figures else None)
        if figures:
            params = base_params(request, period)
            point.links = {key: figure_href(params, fig) for key, _l, fig in TREND_SERIES if fig}
        points.append(point)
    return points


def trend_island(points: list[TrendPoint]) -> dict[str, Any]:
    """The data the chart script reads (json_script): labels and one series per figure."""
    return {
        "labels": [p.short_label for p in points],
        "periods": [{**p.period.as_json(), "label": p.label} for p in points],
        "series": [
            {
                "key": key,
                "label": str(label),
                "data": [p.values[key] if p.values else None for p in points],
            }
            for key, label, _fig in TREND_SERIES
        ],
    }


def _page_context(user: Any, query: QueryDict) -> tuple[dict[str, Any], int]:
    options = unit_options(user)
    choice, request, errors = validated_request(query, options)
    context: dict[str, Any] = {
        "choice": choice,
        "unit_options": options,
        "kinds": KINDS,
        "breakdowns": list(BREAKDOWN_LABELS.items()),
        "errors": errors,
        "stats": None,
    }
    if request is None:
        return context, 400
    stats = statistics_for_user(user, request, by=request.by)
    if stats is None:
        context["errors"] = [not_visible_message(request.unit)]
        return context, 400
    params = base_params(request)
    rows = [
        table_row(row.figures, row_name(stats, row), params, by=request.by or "", key=row.key)
        for row in stats.rows
    ]
    total_name = gettext("Tổng cộng: %(name)s") % {"name": stats.unit.name}
    rows.append(table_row(stats.total, total_name, params))
    points = trend(user, request, stats)
    now = timezone.now()
    same_query = {**params, **({"by": request.by} if request.by else {})}
    context.update(
        {
            "stats": stats,
            "period_label": period_label(stats.period),
            "rows": rows,
            "column_groups": COLUMN_GROUPS,
            "breakdown_label": BREAKDOWN_LABELS.get(request.by or "", ""),
            "provisional": stats.period.end > now,
            "now": now,
            "trend": points,
            "trend_series": TREND_SERIES,
            "trend_data": trend_island(points),
            "json_href": f"{reverse('api-stats-dossiers')}?" + urlencode(same_query),
            "views": view_switch(same_query, request.view),
            "view_label": VIEW_LABELS[request.view],
            "exports": export_links(user, stats, same_query),
            "pdf_signing": pdf_signing_note(user, stats),
        }
    )
    return context, 200


def view_switch(query: dict[str, str], current: str) -> list[dict[str, Any]]:
    """The two ways of counting, each a link to the same page with the other figures."""
    links = []
    for value, label in VIEW_LABELS.items():
        params = {k: v for k, v in query.items() if k != "view"}
        if value != HANDLING_VIEW:
            params["view"] = value
        links.append(
            {
                "value": value,
                "label": label,
                "href": f"{reverse('stats:index')}?{urlencode(params)}",
                "current": value == current,
            }
        )
    return links


EXPORT_FORMATS = (("xlsx", "Excel (XLSX)"), ("docx", "Word (DOCX)"), ("pdf", "PDF"))


def export_links(user: Any, stats: Statistics, query: dict[str, str]) -> list[tuple[str, str]]:
    """Biểu 06 of the page's unit, period and view in each format; none without the right."""
    if not can(user, Action.EXPORT, stats.unit):
        return []
    return [
        (label, f"{reverse('stats:bieu06', args=[fmt])}?{urlencode(query)}")
        for fmt, label in EXPORT_FORMATS
    ]


def pdf_signing_note(user: Any, stats: Statistics) -> str:
    """Whether the unit's Biểu 06 PDF is signed, and by whom (empty without the export right)."""
    if not can(user, Action.EXPORT, stats.unit):
        return ""
    return signing_note(stats.unit.code)


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Dossier figures of a unit for a period, each a link to its dossiers — thống kê hồ sơ."""
    context, status = _page_context(request.user, request.GET)
    return render(request, "stats/statistics.html", context, status=status)


# -- the dossiers behind a figure ------------------------------------------------------------


def row_condition(stats: Statistics, by: str, key: str) -> Q | None:
    """The dossiers of one breakdown row (the grouping `dossier_statistics` used), or None."""
    if by == "level":
        return Q(procedure__level=key)
    if by == "field":
        return Q(field__isnull=True) if key == "" else Q(field__code=key)
    if by == "procedure":
        return Q(procedure__code=key)
    if by == "unit":
        return row_dossiers_q(stats, key)
    return None


def _list_error(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "stats/dossier_list.html", context, status=status)


@login_required
@require_GET
def figure_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure, paginated; their number is the figure."""
    user = request.user
    figure = request.GET.get("figure", "")
    context: dict[str, Any] = {"errors": [], "figure": figure, "page": None}
    if figure not in FIGURES:
        context["errors"] = [
            gettext("Không có số liệu «%(f)s» để xem danh sách hồ sơ.") % {"f": figure}
        ]
        return _list_error(request, context, 400)
    _choice, req, errors = validated_request(request.GET, unit_options(user))
    if req is None:
        context["errors"] = errors
        return _list_error(request, context, 400)
    by = (request.GET.get("by") or "").strip()
    has_row = "row" in request.GET and by in BREAKDOWNS
    stats = statistics_for_user(user, req, by=by if has_row else None)
    if stats is None:
        context["errors"] = [not_visible_message(req.unit)]
        return _list_error(request, context, 404)
    figures = stats.total
    rows: QuerySet[Dossier] = dossiers_for_figure(stats, figure)
    name = ""
    if has_row:
        key = request.GET.get("row", "")
        found = next((r for r in stats.rows if r.key == key), None)
        condition = row_condition(stats, by, key)
        if found is None or condition is None:
            context["errors"] = [
                gettext("Không có dòng «%(k)s» trong bảng chia theo %(by)s.")
                % {"k": key, "by": str(BREAKDOWN_LABELS[by]).lower()}
            ]
            return _list_error(request, context, 404)
        figures, name = found.figures, row_name(stats, found)
        rows = rows.filter(condition)
    # The unit is visible, so its subtree's dossiers are; the intersection is kept for safety.
    rows = (
        rows.filter(pk__in=Dossier.objects.visible_to(user).values("pk"))
        .select_related("procedure")
        .order_by("received_at", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = {k: v for k, v in request.GET.items() if k != "trang"}
    back = {k: v for k, v in params.items() if k not in {"figure", "row"}}
    value = getattr(figures, figure)
    context.update(
        {
            "stats": stats,
            "period_label": period_label(stats.period),
            "figure_label": FIGURE_LABELS[figure],
            "figure_value": value,
            "hidden": value - page.paginator.count,
            "row_name": name,
            "page": page,
            "table": DossierTable(page.object_list),
            "params": params,
            "tabs": [],
            "tab": "",
            "back_href": f"{reverse('stats:index')}?{urlencode(back)}",
        }
    )
    return render(request, "stats/dossier_list.html", context)
