"""How dates and instants are printed on Vietnamese papers (Decree 30/2020/NĐ-CP style)."""

from __future__ import annotations

import datetime as dt

from motcua.workcalendar.engine import to_local


def instant_text(t: dt.datetime | None, blank: str = "") -> str:
    """'09 giờ 00 phút, ngày 03/03/2025' in Vietnam time; `blank` when there is no instant."""
    if t is None:
        return blank
    local = to_local(t)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def short_instant(t: dt.datetime | None, blank: str = "") -> str:
    """'03/03/2025 09:00' in Vietnam time, for table cells."""
    if t is None:
        return blank
    return f"{to_local(t):%d/%m/%Y %H:%M}"


def date_text(day: dt.date | dt.datetime | None, blank: str = "") -> str:
    """'03/03/2025' (an instant is taken in Vietnam time)."""
    if day is None:
        return blank
    if isinstance(day, dt.datetime):
        day = to_local(day).date()
    return f"{day:%d/%m/%Y}"


def date_long(day: dt.date) -> str:
    """'ngày 03 tháng 3 năm 2025': day below 10 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
