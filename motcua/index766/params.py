"""Reading an index request (unit, period) the same way in the CLI and the API.

The period syntax is that of `motcua stats dossiers` (`2026-M08`, `2026-Q3`, `2026-H1`,
`2026`, or a from/to pair of dates), always read as calendar windows: the 766 index is
published by calendar month, quarter and year (statistics.md §5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.lib.periods import Period, PeriodError, custom_period, parse_period


class IndexParamError(ValueError):
    """A bad parameter; `name` is the parameter as the caller wrote it, `message` Vietnamese."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class IndexRequest:
    unit: str
    period: Period
    by_unit: bool = False


def _date(name: str, raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise IndexParamError(
            name, _("%(raw)r không phải là ngày (YYYY-MM-DD)") % {"raw": raw}
        ) from None


def read_index_request(
    *,
    unit: str | None,
    period: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    by: str | None = None,
    prefix: str = "--",
) -> IndexRequest:
    """Validate the parameters (Vietnamese messages); `prefix` is `--` (CLI) or `` (API)."""
    if not unit or not unit.strip():
        raise IndexParamError(f"{prefix}unit", _("cần mã đơn vị, ví dụ H44"))
    if period and (date_from or date_to):
        raise IndexParamError(
            f"{prefix}period",
            _("chỉ dùng %(p)speriod hoặc %(p)sfrom/%(p)sto, không dùng cả hai") % {"p": prefix},
        )
    if period:
        try:
            chosen = parse_period(period, calendar=True)
        except PeriodError:
            raise IndexParamError(
                f"{prefix}period",
                _(
                    "kỳ %(raw)r không hợp lệ: dùng 2026-M08, 2026-Q3, 2026-H1, 2026 "
                    "hoặc %(p)sfrom/%(p)sto"
                )
                % {"raw": period, "p": prefix},
            ) from None
    elif date_from and date_to:
        first = _date(f"{prefix}from", date_from)
        last = _date(f"{prefix}to", date_to)
        if last < first:
            raise IndexParamError(
                f"{prefix}to",
                _("ngày cuối %(last)s trước ngày đầu %(first)s") % {"last": last, "first": first},
            )
        chosen = custom_period(first, last)
    else:
        raise IndexParamError(
            f"{prefix}period",
            _("cần %(p)speriod, hoặc cả %(p)sfrom và %(p)sto") % {"p": prefix},
        )
    if by not in (None, "", "unit"):
        raise IndexParamError(
            f"{prefix}by", _("%(by)r không hợp lệ: chỉ chia theo unit (đơn vị)") % {"by": by}
        )
    return IndexRequest(unit.strip(), chosen, by == "unit")
