"""Plain-text rendering of the index (`motcua index services --format table`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.index766.engine import Card, IndexResult
from motcua.index766.indicators import GROUPS, NO_DATA, SPEC


def _num(value: float | int | None) -> str:
    return "—" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))


def _card_lines(card: Card) -> list[str]:
    out = []
    for group in GROUPS:
        out.append(f"  {_(group.name)}: {card.group_points(group.code):.2f}/{group.max}")
        for value in card.values.values():
            if value.spec.group != group.code:
                continue
            spec = SPEC[value.code]
            figure = (
                _("chưa có dữ liệu")
                if value.data == NO_DATA
                else f"{value.numerator}/{value.denominator} = {_num(value.ratio)}%"
            )
            out.append(
                f"    {_(spec.name)}: {figure} → {_num(value.points)}/{spec.max} "
                f"[{spec.status}]" + (f" ({value.note})" if value.note else "")
            )
    return out


def as_table(result: IndexResult) -> str:
    """The unit's card, then one line per row (code, name, points, on-time ratio)."""
    out = [
        _("Chỉ số phục vụ (Quyết định 766) — %(label)s") % {"label": result.period.label},
        _("Đơn vị: %(name)s (%(code)s)") % {"name": result.unit.name, "code": result.unit.code},
        _("Tổng điểm: %(points).2f/100") % {"points": result.total.points},
        *_card_lines(result.total),
    ]
    if result.rows:
        out += ["", f"{_('Mã'):<12} {_('Đơn vị'):<48} {_('Điểm'):>8} {_('Tiến độ'):>10}"]
        for row in result.rows:
            name = row.name if len(row.name) <= 48 else row.name[:47] + "…"
            progress = row.card.indicator("progress.on_time")
            out.append(
                f"{row.code:<12} {name:<48} {row.card.points:>8.2f} {_num(progress.ratio):>9}%"
            )
    return "\n".join(out)
