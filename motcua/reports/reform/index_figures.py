"""Index figures of a reform report: the PAR Index result and lost points (par-index.md) and
the Decision 766 service index with the digitisation rates (statistics.md §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.lib.periods import CALENDAR, Period, PeriodError, parse_period
from motcua.reports.reform.figures import (
    PERCENT,
    RANK,
    SCORE,
    Figure,
    _iso,
    _url,
    period_code,
    period_window,
)


def par_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """The latest PAR Index result of the unit up to the period's year, and its lost points."""
    from motcua.par.choices import SetStatus
    from motcua.par.lost import lost_leaves
    from motcua.par.models import CriteriaSet
    from motcua.par.selectors import compute_results, load_inputs

    sets = (
        CriteriaSet.objects.filter(year__lte=period.last.year, criteria__scores__unit_code=code)
        .distinct()
        .order_by("-year", "-id")
    )
    # A published result first (the latest year); else the latest, labelled as not published.
    chosen = sorted(sets, key=lambda s: (s.status == SetStatus.PUBLISHED, s.year), reverse=True)
    if not chosen:
        return []
    criteria_set = chosen[0]
    inputs = load_inputs(criteria_set)
    results = compute_results(inputs)
    mine = next((r for r in results if r.unit == code), None)
    if mine is None:
        return []
    lost = lost_leaves(inputs, code)
    year = f"{criteria_set.year}"
    if criteria_set.status != SetStatus.PUBLISHED:
        year += " (kết quả chưa công bố)"
    window = {"kind": "year", "year": criteria_set.year, "cutoff": _iso(cutoff)}
    source = {
        "kind": "computed",
        "records": f"Kết quả Chỉ số CCHC năm {criteria_set.year} ({criteria_set.code})",
        "url": _url("par:unit", {}, set_code=criteria_set.code, unit_code=code),
    }
    index = float(mine.index) if mine.index is not None else None
    result = [
        Figure(
            "par.total",
            f"Điểm Chỉ số CCHC năm {year}",
            float(mine.total),
            window,
            source,
            measure=SCORE,
            decimals=2,
        ),
        Figure(
            "par.index",
            f"Chỉ số CCHC năm {year} (%)",
            index,
            window,
            source,
            measure=SCORE,
            decimals=2,
        ),
        Figure(
            "par.rank",
            f"Xếp hạng Chỉ số CCHC năm {year}",
            f"{mine.rank}/{len(results)}" if mine.rank else None,
            window,
            source,
            measure=RANK,
        ),
        Figure(
            "par.lost_points",
            f"Tổng số điểm bị mất (Chỉ số CCHC năm {year})",
            float(sum((leaf.lost for leaf in lost), Decimal(0))),
            window,
            {**source, "criteria": [leaf.code for leaf in lost]},
            measure=SCORE,
            decimals=2,
        ),
        Figure(
            "par.lost_criteria",
            f"Số tiêu chí bị mất điểm (Chỉ số CCHC năm {year})",
            len(lost),
            window,
            {**source, "criteria": [leaf.code for leaf in lost]},
        ),
    ]
    return result


INDEX766_RATES = (
    ("digitisation.digitised", "digitization.digitised", "Tỷ lệ hồ sơ được số hóa (%)"),
    ("digitisation.e_result", "digitization.e_result", "Tỷ lệ hồ sơ có kết quả điện tử (%)"),
)


def index766_figures(code: str, period: Period, cutoff: dt.datetime) -> list[Figure]:
    """The 766 service index over the calendar window of the period, and digitisation rates."""
    from motcua.index766.engine import compute_index
    from motcua.index766.views import list_href
    from motcua.stats.selectors import StatsError

    calendar = period
    named = period_code(period)
    if named and period.family != CALENDAR:
        try:
            calendar = parse_period(named, calendar=True)
        except PeriodError:  # pragma: no cover - every named period has a calendar twin
            calendar = period
    try:
        result = compute_index(code, calendar)
    except StatsError:
        # A unit closed before the calendar window began (a commune merged on 01/07/2025 has
        # a Decree 09 quarter from 15/06 but no calendar quarter): the 766 index, computed on
        # calendar periods, has nothing for it.
        return []
    window = period_window(calendar, cutoff, kind="calendar")
    words = f"từ {calendar.first:%d/%m/%Y} đến {calendar.last:%d/%m/%Y}"
    params = {"unit": code, "period": period_code(calendar)} if named else {"unit": code}
    figures = [
        Figure(
            "index766.points",
            f"Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766 ({words}), điểm/100",
            result.total.points,
            window,
            {
                "kind": "computed",
                "records": "Chỉ số 766 (motcua index services)",
                "url": _url("index766:index", params),
            },
            measure=SCORE,
            decimals=2,
        )
    ]
    for key, indicator, label in INDEX766_RATES:
        value = result.total.indicator(indicator)
        if value.ratio is None or not value.denominator:
            continue
        figures.append(
            Figure(
                key,
                f"{label[:-4]} ({words}) (%)",
                value.ratio,
                window,
                {
                    "kind": "computed",
                    "records": f"{value.numerator}/{value.denominator}",
                    "url": list_href(params, indicator, "numerator"),
                },
                measure=PERCENT,
                numerator=value.numerator,
                denominator=value.denominator,
                decimals=2,
            )
        )
    return figures
