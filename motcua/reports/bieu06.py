"""Biểu số 06/VPCP/KSTT: the table model (statistics.md §3), built from the counting rules.

One query groups the counted dossiers of a unit's scope by procedure level and by field (or by
handling unit); every cell of every row comes from the same leaf counts as `motcua stats
dossiers`, so the two always agree. Refused and withdrawn dossiers have no column in the
official table: they are folded into column 9 ("đúng hạn") and counted in a footnote.

Rows are grouped by level: before 2025-07-01 "Cấp tỉnh" (departments), "Cấp huyện", "Cấp
xã"; from that day (two-tier local government) "Cấp tỉnh", "Cấp xã". A level outside the
period's layout still gets its group when it has dossiers (e.g. district-level dossiers still
open after the reform), so nothing is ever left out of the total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from motcua.lib.periods import TZ, Period
from motcua.lib.rowcount import count_rows
from motcua.people.scope import current_graph
from motcua.procedures.models import Field
from motcua.stats.classification import LEAVES, annotate_days, counts, leaf_conditions
from motcua.stats.figures import Figures
from motcua.stats.selectors import HANDLING_VIEW, counted_dossiers, current_map, scope_of
from motcua.units.models import Unit

FORM_CODE = "06/VPCP/KSTT"
TITLE = (
    "BIỂU SỐ 06/VPCP/KSTT — TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH "
    "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
TOTAL_LABEL = "Tổng cộng"
NO_FIELD = "Chưa phân lĩnh vực"

# First day of two-tier local government (no district level; statistics.md §3, units.md).
TWO_TIER_FROM = dt.date(2025, 7, 1)
LEVEL_ORDER = ("province", "district", "commune")
LEVEL_LABELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
ROWS_BY = ("field", "unit")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# Column headings, 1-based columns; (text, row, column, rows spanned, columns spanned).
# Row 4 of the header numbers the columns (1) … (13).
HEADER_ROWS = 3
COLUMNS = 13
HEADER_CELLS: tuple[tuple[str, int, int, int, int], ...] = (
    ("STT", 1, 1, 3, 1),
    ("Lĩnh vực, công việc giải quyết theo cấp", 1, 2, 3, 1),
    ("Số hồ sơ nhận giải quyết", 1, 3, 1, 4),
    ("Số hồ sơ đã giải quyết", 1, 7, 1, 4),
    ("Số hồ sơ đang giải quyết", 1, 11, 1, 3),
    ("Tổng số", 2, 3, 2, 1),
    ("Trong đó: Số mới tiếp nhận", 2, 4, 1, 2),
    ("Số kỳ trước chuyển qua", 2, 6, 2, 1),
    ("Tổng số", 2, 7, 2, 1),
    ("Trước hạn", 2, 8, 2, 1),
    ("Đúng hạn", 2, 9, 2, 1),
    ("Quá hạn", 2, 10, 2, 1),
    ("Tổng số", 2, 11, 2, 1),
    ("Trong hạn", 2, 12, 2, 1),
    ("Quá hạn", 2, 13, 2, 1),
    ("Trực tuyến", 3, 4, 1, 1),
    ("Trực tiếp, dịch vụ bưu chính", 3, 5, 1, 1),
)
FOLDED_COLUMN = 9  # "Đúng hạn": also counts refused and withdrawn dossiers


class TableDoesNotAddUp(AssertionError):
    """A row breaks a column identity, or a total is not the sum of its rows."""


def columns_of(f: Figures) -> tuple[int, ...]:
    """Columns 3 … 13 of a row (statistics.md §3), refused and withdrawn folded into 7 and 9."""
    return (
        f.received,  # 3
        f.new_online,  # 4
        f.new_direct + f.new_postal,  # 5
        f.carried_over,  # 6
        f.finished,  # 7 = resolved + refused + withdrawn
        f.early,  # 8
        f.on_time + f.refused + f.withdrawn,  # 9
        f.late,  # 10
        f.pending,  # 11
        f.within_deadline,  # 12
        f.overdue,  # 13
    )


def check_columns(values: tuple[int, ...], where: str) -> None:
    """Column identities 3 = 4+5+6; 3 = 7+11; 7 = 8+9+10; 11 = 12+13."""
    c = dict(zip(range(3, 14), values, strict=True))
    broken = [
        text
        for text, ok in (
            ("3 = 4 + 5 + 6", c[3] == c[4] + c[5] + c[6]),
            ("3 = 7 + 11", c[3] == c[7] + c[11]),
            ("7 = 8 + 9 + 10", c[7] == c[8] + c[9] + c[10]),
            ("11 = 12 + 13", c[11] == c[12] + c[13]),
        )
        if not ok
    ]
    if broken:
        raise TableDoesNotAddUp(f"{where}: {', '.join(broken)} do not hold for {values}")


def _sum(parts: list[Figures]) -> Figures:
    return sum(parts, Figures())


def _check_sum(total: Figures, parts: list[Figures], where: str) -> None:
    if _sum(parts) != total:
        raise TableDoesNotAddUp(f"{where}: the total {total} ≠ the sum of its rows {_sum(parts)}")


@dataclass(frozen=True)
class Line:
    """One printed row: `kind` is 'item', 'group' (a level subtotal) or 'total'."""

    kind: str
    number: str
    label: str
    figures: Figures

    @property
    def values(self) -> tuple[int, ...]:
        """Columns 3 … 13."""
        return columns_of(self.figures)


@dataclass
class Group:
    """The rows of one level and their subtotal."""

    level: str
    label: str
    items: list[Line]
    figures: Figures


@dataclass
class Bieu06:
    """The whole table with its heading; built by `build_bieu06`, rendered by `render`."""

    period: Period
    unit: Unit
    rows_by: str
    groups: list[Group]
    total: Figures
    as_current: bool = False
    computed_at: dt.datetime = field(default_factory=timezone.now)
    view: str = HANDLING_VIEW

    title = TITLE
    unit_of_count = UNIT_OF_COUNT

    @property
    def period_line(self) -> str:
        """'Kỳ báo cáo: Quý III/2023 (từ ngày 15/06/2023 đến ngày 14/09/2023)'."""
        if self.period.name:
            return f"Kỳ báo cáo: {self.period.name} ({self.period.in_words})"
        return f"Kỳ báo cáo: {self.period.in_words}"

    @property
    def unit_line(self) -> str:
        """The reporting unit (and a note when history is re-aggregated onto today's units)."""
        line = f"Đơn vị báo cáo: {self.unit.name}"
        if self.as_current:
            line += " (số liệu quy về đơn vị hành chính hiện nay)"
        if self.view != HANDLING_VIEW:
            line += " — số liệu theo nơi tiếp nhận hồ sơ (Biểu II.06a)"
        return line

    @property
    def provisional(self) -> bool:
        """Computed before the period's window closed (statistics.md §1: labelled 'as of')."""
        return self.computed_at < self.period.end

    @property
    def as_of_line(self) -> str:
        """'Số liệu tạm tính đến 10 giờ 05 phút, ngày 24/11/2026' when provisional, else ''."""
        if not self.provisional:
            return ""
        local = self.computed_at.astimezone(TZ)
        return (
            f"Số liệu tạm tính đến {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y} "
            "(kỳ báo cáo chưa kết thúc)"
        )

    @property
    def heading_lines(self) -> list[str]:
        """What is printed under the title, before the table."""
        lines = [self.period_line, self.unit_line]
        if self.as_of_line:
            lines.append(self.as_of_line)
        return lines

    @property
    def refused(self) -> int:
        return self.total.refused

    @property
    def withdrawn(self) -> int:
        return self.total.withdrawn

    @property
    def footnote(self) -> str:
        """'(*) Cột 9 gồm cả 1 hồ sơ trả lại sau tiếp nhận và 1 hồ sơ rút, dừng giải quyết.'"""
        parts = []
        if self.refused:
            parts.append(f"{self.refused} hồ sơ trả lại sau tiếp nhận")
        if self.withdrawn:
            parts.append(f"{self.withdrawn} hồ sơ rút, dừng giải quyết")
        if not parts:
            return ""
        return f"(*) Cột {FOLDED_COLUMN} gồm cả {' và '.join(parts)}."

    def column_heading(self, text: str, column: int) -> str:
        """A heading cell's text; column 9 carries the footnote mark when there is one."""
        if column == FOLDED_COLUMN and self.footnote:
            return f"{text} (*)"
        return text

    def header_cells(self) -> list[tuple[str, int, int, int, int]]:
        """The multi-row header: (text, row, column, rows spanned, columns spanned)."""
        return [
            (self.column_heading(text, col), row, col, rs, cs)
            for text, row, col, rs, cs in HEADER_CELLS
        ]

    def lines(self) -> list[Line]:
        """Every printed row in order: each level subtotal then its items, the grand total last."""
        result: list[Line] = []
        for index, group in enumerate(self.groups):
            result.append(Line("group", ROMAN[index], group.label, group.figures))
            result.extend(group.items)
        result.append(Line("total", "", TOTAL_LABEL, self.total))
        return result

    def check(self) -> Bieu06:
        """Every total is the sum of its rows and every row satisfies the column identities."""
        for group in self.groups:
            _check_sum(group.figures, [i.figures for i in group.items], group.label)
        _check_sum(self.total, [g.figures for g in self.groups], TOTAL_LABEL)
        for line in self.lines():
            line.figures.check()
            check_columns(line.values, f"{line.number} {line.label}".strip())
        return self

    @property
    def summary(self) -> str:
        """One line for the terminal."""
        t = self.total
        return (
            f"Biểu {FORM_CODE} — {self.unit.name} ({self.unit.code}) — {self.period.label}: "
            f"nhận {t.received}, đã giải quyết {t.finished} (trong đó {t.refused} trả lại, "
            f"{t.withdrawn} rút/dừng), đang giải quyết {t.pending}"
        )


def grouped_counts(queryset: QuerySet, period: Period, columns: tuple[str, ...]) -> list[dict]:
    """Leaf counts per combination of `columns` (like `counts`, which takes one column)."""
    conditions = leaf_conditions(period)
    rows = annotate_days(queryset).filter(conditions["_counted"])
    aggregates = {leaf: count_rows(conditions[leaf]) for leaf in LEAVES}
    return list(rows.values(*columns).annotate(**aggregates).order_by(*columns))


def layout_levels(period: Period) -> tuple[str, ...]:
    """The level groups always printed for `period` (by the last day of its window)."""
    if period.last >= TWO_TIER_FROM:
        return ("province", "commune")
    return LEVEL_ORDER


def _field_labels(ids: set[Any]) -> dict[Any, str]:
    names: dict[Any, str] = dict(
        Field.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "name")
    )
    return {i: names.get(i, NO_FIELD) if i is not None else NO_FIELD for i in ids}


def _unit_keys(ids: set[Any], as_current: bool) -> dict[Any, tuple[str, str]]:
    """Handling unit id → (code, name) of the row it is counted in (today's unit if current)."""
    target: dict[Any, Any] = {i: i for i in ids}
    if as_current:
        mapping = current_map(current_graph())
        target = {i: mapping.get(i, i) for i in ids}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[t for t in target.values() if t])}
    # one row per unit code; the name of its latest version
    latest: dict[str, Unit] = {}
    for unit in units.values():
        known = latest.get(unit.code)
        if known is None or (unit.valid_from or dt.date.min) > (known.valid_from or dt.date.min):
            latest[unit.code] = unit
    result = {}
    for i, t in target.items():
        found = units.get(t)
        result[i] = (found.code, latest[found.code].name) if found else ("", "Chưa xác định đơn vị")
    return result


def build_bieu06(
    *,
    code: str,
    period: Period,
    rows_by: str = "field",
    as_current: bool = False,
    view: str = HANDLING_VIEW,
) -> Bieu06:
    """The Biểu 06 table of unit `code` (with its subtree) for `period`, checked.

    `view="desk"` counts the dossiers received at the units' desks (Biểu II.06a) instead of
    those they handle; with `rows_by="unit"` the rows are then the receiving desks.
    """
    if rows_by not in ROWS_BY:
        raise ValueError(f"rows_by {rows_by!r}: use one of {', '.join(ROWS_BY)}")
    scope = scope_of(code, period, as_current=as_current)
    unit = scope.unit
    queryset = counted_dossiers(scope, view)
    column = "field_id" if rows_by == "field" else "handling_unit"
    raw = grouped_counts(queryset, period, ("procedure__level", column))

    if rows_by == "field":
        labels = _field_labels({r[column] for r in raw})
        key_of = {k: (labels[k], labels[k]) for k in labels}
    else:
        key_of = _unit_keys({r[column] for r in raw}, as_current)

    per_level: dict[str, dict[tuple[str, str], Figures]] = defaultdict(dict)
    for row in raw:
        figures = Figures.from_row(row)
        if figures.received == 0:
            continue
        key = key_of[row[column]]
        items = per_level[row["procedure__level"]]
        items[key] = items.get(key, Figures()) + figures

    levels = list(layout_levels(period))
    levels += [lv for lv in LEVEL_ORDER if lv in per_level and lv not in levels]
    levels = sorted(levels, key=LEVEL_ORDER.index)
    levels += sorted(lv for lv in per_level if lv not in LEVEL_ORDER)  # unknown values, if any
    groups = []
    for level in levels:
        items = per_level.get(level, {})
        ordered = sorted(items.items(), key=lambda kv: (kv[0][1].casefold(), kv[0][0]))
        lines = [
            Line("item", str(n), label, figures)
            for n, ((_, label), figures) in enumerate(ordered, start=1)
        ]
        groups.append(
            Group(level, LEVEL_LABELS.get(level, level), lines, _sum([i.figures for i in lines]))
        )
    total = _sum([g.figures for g in groups])
    # The same figures `motcua stats dossiers` prints, from an independent aggregate.
    overall = Figures.from_row(counts(queryset, period)[0])
    if overall != total:
        raise TableDoesNotAddUp(f"{TOTAL_LABEL}: rows add up to {total}, the unit has {overall}")
    return Bieu06(period, unit, rows_by, groups, total, as_current, view=view).check()
