"""Catalogue values in words: money in đồng, step budgets in working time."""

from __future__ import annotations

from motcua.procedures.choices import MINUTES_PER, TimeLimitUnit

DAY_MINUTES = MINUTES_PER[TimeLimitUnit.WORKING_DAYS]


def format_dong(amount: int | None) -> str:
    """50000 → '50.000 đồng'; 0 → 'Không thu phí' (Vietnamese thousands separator '.')."""
    if not amount:
        return "Không thu phí"
    return f"{amount:,}".replace(",", ".") + " đồng"


def format_working_minutes(minutes: int | None) -> str:
    """A step budget in words: 720 → '1 ngày 4 giờ làm việc', 90 → '1 giờ 30 phút làm việc'."""
    if not minutes:
        return "0 phút"
    days, rest = divmod(minutes, DAY_MINUTES)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} ngày"] if days else []
    if hours:
        parts.append(f"{hours} giờ")
    if mins:
        parts.append(f"{mins} phút")
    return " ".join(parts) + " làm việc"
