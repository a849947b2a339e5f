"""The 766 index pages — chỉ số phục vụ người dân, doanh nghiệp (officer side, under /chi-so/).

`/chi-so/` shows a unit's groups and indicators for a calendar period, each with its formula
and window, and its numerator and denominator as links to the records behind them (the list's
length is the figure: both come from `motcua.index766.engine`); a twelve-month trend; the
portal's published score beside motcua's with the difference and the dossiers that explain
it. `/chi-so/xep-hang/` ranks the units of one level. The unit must be one the user may see:
a unit outside the scope is a 404, exactly like an unknown one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.dossiers.models import Dossier
from motcua.dossiers.tables import DossierTable
from motcua.index766 import indicators as ind
from motcua.index766.access import may_configure, may_see_index
from motcua.index766.engine import IndexResult, Value, compute_index, indicator_lists
from motcua.index766.mapping_views import _forbidden
from motcua.index766.models import PortalUnitMapping, PublishedFigure
from motcua.index766.progress import late_list
from motcua.lib.periods import Period, PeriodError, parse_period
from motcua.lib.scoping import visible_unit_ids
from motcua.stats.selectors import StatsError
from motcua.stats.views import period_label, unit_options
from motcua.units.models import Unit

PAGE_SIZE = 25
TREND_MONTHS = 12
MONTH_INPUT = re.compile(r"^\s*(?:(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2}))\s*$")
STATUS_LABELS = {
    ind.LIVE: _("Đã đối chiếu với số liệu Cổng công bố"),
    ind.DOC: _("Theo tài liệu hướng dẫn, chưa đối chiếu"),
    ind.ESTIMATED: _("Ước tính, chưa có văn bản chính thức"),
}
PARTS = {
    "numerator": _("Tử số"),
    "denominator": _("Mẫu số"),
    "late": _("Hồ sơ không đúng hạn (mẫu số trừ tử số)"),
    "unsynced": _("Hồ sơ chưa đồng bộ lên Cổng Dịch vụ công quốc gia"),
}


class PageError(Exception):
    """A request the page answers with a Vietnamese message and `status`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# -- reading the request ---------------------------------------------------------------------


def current_month(today: dt.date | None = None) -> str:
    """`2026-M08` for today's month (local time)."""
    day = today or timezone.localdate()
    return f"{day.year}-M{day.month:02d}"


def read_period(query: QueryDict) -> Period:
    """The calendar period of `period` (2026-M08, 2026-Q3, 2026) or `thang` (2026-08)."""
    raw = (query.get("period") or "").strip()
    month = (query.get("thang") or "").strip()
    if not raw and month:
        match = MONTH_INPUT.match(month)
        number = int(match["m"] or match["m2"]) if match else 0
        if match is None or not 1 <= number <= 12:
            raise PageError(
                gettext("Tháng «%(m)s» không hợp lệ: nhập tháng/năm, ví dụ 08/2026.") % {"m": month}
            )
        raw = f"{match['y'] or match['y2']}-M{number:02d}"
    try:
        return parse_period(raw or current_month(), calendar=True)
    except PeriodError:
        raise PageError(
            gettext(
                "Kỳ «%(p)s» không hợp lệ: dùng dạng 2026-M08 (tháng), 2026-Q3 (quý) "
                "hoặc 2026 (năm)."
            )
            % {"p": raw}
        ) from None


def period_code(period: Period) -> str:
    """The `period` parameter of a calendar period."""
    first, last = period.first, period.last
    if first.month == last.month:
        return f"{first.year}-M{first.month:02d}"
    if (first.month, last.month) == (1, 12):
        return str(first.year)
    if last.month - first.month == 2:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-H{1 if first.month == 1 else 2}"


def visible_unit(user: Any, code: str) -> Unit:
    """The unit `code` if the user may see it, else Http404 (like an unknown one)."""
    rows = Unit.objects.visible_to(user).filter(code=code) if code else Unit.objects.none()
    unit = rows.order_by("-valid_from").first()
    if unit is None:
        raise Http404(gettext("Không có đơn vị này, hoặc đơn vị không thuộc phạm vi bạn được xem."))
    return unit


def computed(user: Any, code: str, period: Period, *, by_unit: bool = False) -> IndexResult:
    """The index of a unit the user may see (Http404 otherwise)."""
    visible_unit(user, code)
    try:
        result = compute_index(code, period, by_unit=by_unit)
    except StatsError:
        raise Http404(gettext("Đơn vị không có trong kỳ đã chọn.")) from None
    visible = visible_unit_ids(user)
    if visible is not None and result.unit.pk not in visible:
        raise Http404(gettext("Không có đơn vị này, hoặc đơn vị không thuộc phạm vi bạn được xem."))
    return result


def params_of(code: str, period: Period) -> dict[str, str]:
    """The canonical query of a unit and period."""
    return {"unit": code, "period": period_code(period)}


def list_href(params: dict[str, str], indicator: str, part: str) -> str:
    """The records behind one figure."""
    query = {**params, "indicator": indicator, "part": part}
    return f"{reverse('index766:list')}?{urlencode(query)}"


# -- what a figure shows -----------------------------------------------------------------------


def number(value: float | Decimal | None) -> str:
    """A ratio or points in Vietnamese notation (78,38); "—" when there is none."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):.2f}"
    return text.replace(".", ",")


def signed(value: int) -> str:
    """'+2', '−1' (a real minus sign) or '0'."""
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


@dataclass
class IndicatorView:
    """One indicator as the page shows it."""

    code: str
    name: str
    formula: str
    window: str
    status: str
    value: Value
    numerator_href: str
    denominator_href: str
    note: str = ""

    @property
    def no_data(self) -> bool:
        """motcua does not record what this indicator needs."""
        return self.value.data == ind.NO_DATA

    @property
    def ratio_text(self) -> str:
        """'78,38%' or '—'."""
        ratio = self.value.ratio
        return "—" if ratio is None else f"{number(ratio)}%"

    @property
    def points_text(self) -> str:
        """'15,68 / 20' or '— / 20'."""
        return f"{number(self.value.points)} / {self.value.spec.max}"

    @property
    def threshold_text(self) -> str:
        """'đạt 80% được đủ điểm' when a threshold applies."""
        t = self.value.spec.threshold
        return gettext("đạt %(t)s%% được đủ điểm") % {"t": t} if t else ""


@dataclass
class GroupView:
    """One group with its indicators."""

    code: str
    name: str
    points: float
    max: int
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def points_text(self) -> str:
        """'15,68 / 20'."""
        return f"{number(self.points)} / {self.max}"


def group_views(result: IndexResult, params: dict[str, str]) -> list[GroupView]:
    """The groups of the unit's card with every indicator explained and linked."""
    card = result.total
    groups = []
    for group in ind.GROUPS:
        view = GroupView(group.code, gettext(group.name), card.group_points(group.code), group.max)
        for value in card.values.values():
            spec = value.spec
            if spec.group != group.code:
                continue
            if value.data == ind.NO_DATA:
                note = value.note or gettext(
                    "Chưa có dữ liệu: hệ thống chưa ghi nhận thông tin này."
                )
            elif value.data == ind.EMPTY:
                note = value.note or gettext(ind.ZERO_NOTES.get(spec.on_zero, ""))
            else:
                note = value.note
            view.indicators.append(
                IndicatorView(
                    code=spec.code,
                    name=gettext(spec.name),
                    formula=gettext(spec.formula),
                    window=gettext(spec.window),
                    status=str(STATUS_LABELS.get(spec.status, "")),
                    value=value,
                    numerator_href=list_href(params, spec.code, "numerator"),
                    denominator_href=list_href(params, spec.code, "denominator"),
                    note=note,
                )
            )
        groups.append(view)
    return groups


# -- the published figures beside motcua's ----------------------------------------------------


@dataclass
class Comparison:
    """The portal's published progress figures beside motcua's, for one unit and period."""

    published: PublishedFigure
    ours: Value
    late_href: str
    unsynced_href: str
    unsynced: int | None

    @property
    def received_diff(self) -> str:
        """motcua's denominator − the portal's received, signed ('+2', '−1', '0')."""
        return signed((self.ours.denominator or 0) - self.published.received)

    @property
    def on_time_diff(self) -> str:
        """motcua's numerator − the portal's on time, signed."""
        return signed((self.ours.numerator or 0) - self.published.on_time)

    @property
    def late_diff(self) -> str:
        """motcua's late − the portal's overdue, signed."""
        return signed(self.ours_late - self.published_late)

    @property
    def score_diff(self) -> str:
        """motcua's points − the portal's score, signed ('+0,25', '−1,10', '0,00')."""
        diff = Decimal(str(self.ours.points or 0)) - self.published.score
        sign = "+" if diff > 0 else ("−" if diff < 0 else "")
        return f"{sign}{number(abs(diff))}"

    @property
    def published_score_text(self) -> str:
        """'15,68'."""
        return number(self.published.score)

    @property
    def ours_late(self) -> int:
        """Dossiers motcua counts as not on time."""
        return (self.ours.denominator or 0) - (self.ours.numerator or 0)

    @property
    def published_late(self) -> int:
        """Dossiers the portal counts as overdue."""
        return self.published.received - self.published.on_time


def published_for(code: str, period: Period) -> PublishedFigure | None:
    """The portal's progress figure for the unit `code` in `period`, through the mapping."""
    ids = PortalUnitMapping.objects.filter(unit__code=code).values("portal_unit_id")
    return (
        PublishedFigure.objects.filter(
            portal_unit_id__in=ids, first_day=period.first, last_day=period.last, group="progress"
        )
        .order_by("-imported_at")
        .first()
    )


def unsynced_dossiers(result: IndexResult) -> QuerySet[Dossier] | None:
    """Counted dossiers the portal has not been told about (None without the national app)."""
    try:
        from motcua.national.selectors import synchronised_q
    except ImportError:  # pragma: no cover - the national app is installed with motcua
        return None
    _num, den = indicator_lists("progress.on_time", result.unit_ids, result.period)
    return den.exclude(synchronised_q())


def comparison(result: IndexResult, params: dict[str, str]) -> Comparison | None:
    """The comparison for the page's unit, or None when nothing was published or mapped."""
    published = published_for(result.unit.code, result.period)
    if published is None:
        return None
    unsynced = unsynced_dossiers(result)
    return Comparison(
        published,
        result.total.indicator("progress.on_time"),
        list_href(params, "progress.on_time", "late"),
        list_href(params, "progress.on_time", "unsynced"),
        unsynced.count() if unsynced is not None else None,
    )


# -- the trend -----------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    """One month of the trend."""

    period: Period
    points: float | None
    ratio: float | None
    denominator: int | None
    href: str

    @property
    def label(self) -> str:
        """'08/2026'."""
        return f"{self.period.first:%m/%Y}"

    @property
    def width(self) -> str:
        """The bar's width in percent of 100 points."""
        return f"{max(0.0, min(100.0, self.points or 0.0)):.1f}"

    @property
    def points_text(self) -> str:
        """'71,52'."""
        return number(self.points)

    @property
    def ratio_text(self) -> str:
        """'78,38%'."""
        return "—" if self.ratio is None else f"{number(self.ratio)}%"


def trend(code: str, period: Period, current: IndexResult) -> list[TrendPoint]:
    """The twelve calendar months ending with the period's last month, oldest first."""
    last = parse_period(f"{period.last.year}-M{period.last.month:02d}", calendar=True)
    months = [*last.previous(TREND_MONTHS - 1), last]
    points = []
    for month in months:
        if month == current.period:
            result: IndexResult | None = current
        else:
            try:
                result = compute_index(code, month)
            except StatsError:
                result = None
        value = result.total.indicator("progress.on_time") if result else None
        points.append(
            TrendPoint(
                month,
                result.total.points if result else None,
                value.ratio if value else None,
                value.denominator if value else None,
                f"{reverse('index766:index')}?{urlencode(params_of(code, month))}",
            )
        )
    return points


# -- pages -----------------------------------------------------------------------------------


def _form_context(user: Any, query: QueryDict) -> dict[str, Any]:
    options = unit_options(user)
    code = (query.get("unit") or "").strip() or (options[0].code if options else "")
    return {"unit_options": options, "unit_code": code}


@login_required
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    """A unit's 766 index for a period: groups, indicators, lists, trend, published beside."""
    user = request.user
    if not may_see_index(user):
        return _forbidden(request)
    context = _form_context(user, request.GET)
    code = context["unit_code"]
    try:
        period = read_period(request.GET)
    except PageError as exc:
        context["errors"] = [exc.message]
        return render(request, "index766/index.html", context, status=exc.status)
    if not code:
        context["errors"] = [gettext("Bạn chưa được giao đơn vị nào nên không có số liệu để xem.")]
        return render(request, "index766/index.html", context, status=400)
    result = computed(user, code, period)
    params = params_of(code, period)
    now = timezone.now()
    groups = group_views(result, params)
    context.update(
        {
            "result": result,
            "period": period,
            "period_label": period_label(period),
            "month_value": f"{period.last:%m/%Y}",
            "provisional": period.end > now,
            "now": now,
            "groups": groups,
            "progress": next(
                i for g in groups for i in g.indicators if i.code == "progress.on_time"
            ),
            "total_text": number(result.total.points),
            "missing": len(result.total.missing),
            "comparison": comparison(result, params),
            "trend": trend(code, period, result),
            "league_href": f"{reverse('index766:league')}?{urlencode(params)}",
            "json_href": f"/api/v1/index/services/?{urlencode(params)}",
            "may_configure": may_configure(user),
        }
    )
    return render(request, "index766/index.html", context)


def records_for(result: IndexResult, indicator: str, part: str) -> tuple[QuerySet[Any], int | None]:
    """The records behind one figure, and the figure itself (None for the explaining lists)."""
    value = result.total.values.get(indicator)
    if value is None or part not in PARTS:
        raise Http404(gettext("Không có số liệu này."))
    if part == "unsynced":
        rows = unsynced_dossiers(result)
        if rows is None or indicator != "progress.on_time":
            raise Http404(gettext("Không có số liệu này."))
        return rows, None
    if part == "late":
        if indicator != "progress.on_time":
            raise Http404(gettext("Không có số liệu này."))
        late = late_list(result.unit_ids, result.period.start, result.period.end)
        return late, (value.denominator or 0) - (value.numerator or 0)
    numerator, denominator = indicator_lists(indicator, result.unit_ids, result.period)
    if part == "numerator":
        return numerator, value.numerator
    return denominator, value.denominator


@login_required
@require_GET
def figure_records(request: HttpRequest) -> HttpResponse:
    """The dossiers (procedures, feedback items) behind one figure; their number is the figure."""
    user = request.user
    if not may_see_index(user):
        return _forbidden(request)
    indicator = (request.GET.get("indicator") or "").strip()
    part = (request.GET.get("part") or "").strip()
    code = (request.GET.get("unit") or "").strip()
    try:
        period = read_period(request.GET)
    except PageError as exc:
        return render(request, "index766/records.html", {"errors": [exc.message]}, status=400)
    result = computed(user, code, period)
    rows, figure = records_for(result, indicator, part)
    model = rows.model
    kind = {Dossier: "dossier"}.get(model, model._meta.model_name or "")
    if model is Dossier:
        rows = rows.filter(pk__in=Dossier.objects.visible_to(user).values("pk")).select_related(
            "procedure"
        )
    rows = rows.order_by("pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    spec = ind.SPEC[indicator]
    params = {k: v for k, v in request.GET.items() if k != "trang"}
    context: dict[str, Any] = {
        "result": result,
        "period_label": period_label(period),
        "indicator_name": gettext(spec.name),
        "formula": gettext(spec.formula),
        "window": gettext(spec.window),
        "part": part,
        "part_label": PARTS[part],
        "figure": figure,
        "hidden": (figure - page.paginator.count) if figure is not None else 0,
        "page": page,
        "kind": kind,
        "params": params,
        "page_query": urlencode(params),
        "tabs": [],
        "tab": "",
        "back_href": f"{reverse('index766:index')}?{urlencode(params_of(code, period))}",
    }
    if kind == "dossier":
        context["table"] = DossierTable(page.object_list)
    return render(request, "index766/records.html", context)


# -- the league table ------------------------------------------------------------------------


@dataclass
class LeagueRow:
    """One unit of the league table."""

    code: str
    name: str
    level: str
    points: float
    progress: Value
    dossiers: int
    published: PublishedFigure | None = None
    rank: int | None = None

    @property
    def points_text(self) -> str:
        """'71,52'."""
        return number(self.points)

    @property
    def ratio_text(self) -> str:
        """The progress ratio, '78,38%' or '—'."""
        ratio = self.progress.ratio
        return "—" if ratio is None else f"{number(ratio)}%"

    @property
    def published_text(self) -> str:
        """The portal's published progress score, '15,68' or '—'."""
        return number(self.published.score) if self.published else "—"


def rank_rows(rows: list[LeagueRow], minimum: int) -> list[LeagueRow]:
    """Rank rows with at least `minimum` dossiers by total points; ties share a rank (1, 2, 2, 4).

    Ranked rows come first in rank order, then the others by name.
    """
    eligible = [r for r in rows if r.dossiers >= minimum]
    eligible.sort(key=lambda r: (-Decimal(str(r.points)), r.name, r.code))
    previous: Decimal | None = None
    for position, row in enumerate(eligible, start=1):
        standing = Decimal(str(row.points))
        row.rank = position if standing != previous else eligible[position - 2].rank
        previous = standing
    others = sorted((r for r in rows if r.rank is None), key=lambda r: (r.name, r.code))
    return [*eligible, *others]


LEVEL_NAMES = {
    "department": _("Sở, ban, ngành"),
    "district": _("Cấp huyện"),
    "commune": _("Cấp xã"),
    "province": _("Cấp tỉnh"),
    "subunit": _("Đơn vị trực thuộc"),
}


@login_required
@require_GET
def league_page(request: HttpRequest) -> HttpResponse:
    """The units under one unit, of one level, ranked by their 766 score — bảng xếp hạng."""
    from django.conf import settings

    user = request.user
    if not may_see_index(user):
        return _forbidden(request)
    context = _form_context(user, request.GET)
    code = context["unit_code"]
    try:
        period = read_period(request.GET)
    except PageError as exc:
        context["errors"] = [exc.message]
        return render(request, "index766/league.html", context, status=exc.status)
    result = computed(user, code, period, by_unit=True)
    versions = {
        u.code: u.level
        for u in Unit.objects.filter(code__in=[r.code for r in result.rows]).order_by("valid_from")
    }
    levels = sorted({versions.get(r.code, "") for r in result.rows} - {""})
    level = (request.GET.get("cap") or "").strip()
    if level not in levels:
        level = levels[0] if len(levels) == 1 else ("commune" if "commune" in levels else "")
        level = level or (levels[0] if levels else "")
    published = _published_by_code([r.code for r in result.rows], period)
    rows = []
    for r in result.rows:
        if versions.get(r.code, "") != level:
            continue
        progress = r.card.indicator("progress.on_time")
        rows.append(
            LeagueRow(
                r.code,
                r.name,
                level,
                r.card.points,
                progress,
                progress.denominator or 0,
                published.get(r.code),
            )
        )
    minimum = settings.MOTCUA_INDEX_LEAGUE_MIN
    params = params_of(code, period)
    context.update(
        {
            "result": result,
            "period": period,
            "period_label": period_label(period),
            "month_value": f"{period.last:%m/%Y}",
            "rows": rank_rows(rows, minimum),
            "minimum": minimum,
            "levels": [(lv, LEVEL_NAMES.get(lv, lv)) for lv in levels],
            "level": level,
            "level_name": LEVEL_NAMES.get(level, ""),
            "params": params,
            "back_href": f"{reverse('index766:index')}?{urlencode(params)}",
            "has_published": any(r.published for r in rows),
            "progress_formula": gettext(ind.SPEC["progress.on_time"].formula),
        }
    )
    return render(request, "index766/league.html", context)


def _published_by_code(codes: list[str], period: Period) -> dict[str, PublishedFigure]:
    mapping = dict(
        PortalUnitMapping.objects.filter(unit__code__in=codes).values_list(
            "portal_unit_id", "unit__code"
        )
    )
    rows = PublishedFigure.objects.filter(
        portal_unit_id__in=list(mapping),
        first_day=period.first,
        last_day=period.last,
        group="progress",
    )
    return {mapping[r.portal_unit_id]: r for r in rows}
