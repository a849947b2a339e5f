"""A unit's PAR Index across the years beside the other indices it watches (§7, seed 003).

Rows are indices, columns years: the PAR Index motcua computed from each set the unit was
scored in (index and rank among the set's units), the published PAR Index when imported,
then SIPAS, PAPI, PCI, PGI, DTI and DDCI as imported (`motcua par import-indices`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from motcua.par.choices import OtherIndex
from motcua.par.models import CriteriaSet, LeafScore, OtherIndexValue, SurveyScore
from motcua.par.selectors import set_results


@dataclass
class HistoryRow:
    """One index across the years: year → (value, "rank/out of") as shown."""

    key: str
    label: str
    title: str = ""
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass
class History:
    """The table of one unit: its years, oldest first, and one row per index with data."""

    years: list[int]
    rows: list[HistoryRow]

    @property
    def table(self) -> list[tuple[HistoryRow, list[tuple[int, tuple[str, str] | None]]]]:
        """Each row with its cells aligned on the years: (year, (value, rank) or None)."""
        return [(row, [(y, row.cells.get(y)) for y in self.years]) for row in self.rows]

    def row(self, key: str) -> HistoryRow | None:
        """The row of an index key (`computed`, `PAR`, `SIPAS` …)."""
        return next((r for r in self.rows if r.key == key), None)


def _value(value: Decimal | None) -> str:
    """An index value as published, up to 4 decimals, Vietnamese comma (0,5826; 82,66)."""
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _rank(rank: int | None, out_of: int | None) -> str:
    if rank is None:
        return ""
    return f"{rank}/{out_of}" if out_of else str(rank)


def unit_history(unit_code: str) -> History:
    """The unit's history table (empty rows are left out)."""
    from motcua.par.views import number

    rows: list[HistoryRow] = []
    computed = HistoryRow(
        "computed",
        gettext("Chỉ số CCHC (bộ tiêu chí)"),
        gettext("Chỉ số CCHC tính theo bộ tiêu chí; hạng trong các đơn vị cùng bộ"),
    )
    set_ids = set(
        LeafScore.objects.filter(unit_code=unit_code).values_list(
            "criterion__criteria_set_id", flat=True
        )
    ) | set(
        SurveyScore.objects.filter(unit_code=unit_code).values_list("criteria_set_id", flat=True)
    )
    for criteria_set in CriteriaSet.objects.filter(pk__in=set_ids).order_by("year", "code"):
        results = set_results(criteria_set)
        mine = next((r for r in results if r.unit == unit_code), None)
        if mine is not None and criteria_set.year not in computed.cells:
            computed.cells[criteria_set.year] = (number(mine.index), _rank(mine.rank, len(results)))
    if computed.cells:
        rows.append(computed)
    imported: dict[str, HistoryRow] = {}
    for value in OtherIndexValue.objects.filter(unit_code=unit_code).order_by("year"):
        row = imported.setdefault(
            value.index,
            HistoryRow(
                value.index,
                gettext("Chỉ số CCHC (công bố)") if value.index == OtherIndex.PAR else value.index,
                str(OtherIndex(value.index).label),
            ),
        )
        row.cells[value.year] = (_value(value.value), _rank(value.rank, value.out_of))
    rows.extend(imported[i] for i in OtherIndex.values if i in imported)
    years = sorted({year for row in rows for year in row.cells})
    return History(years=years, rows=rows)
