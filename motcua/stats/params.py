"""Reading a statistics request (period, unit, breakdown) the same way in the CLI and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.lib.periods import Period, PeriodError, custom_period, parse_period
from motcua.stats.selectors import BREAKDOWNS, HANDLING_VIEW, VIEWS


class ParamError(ValueError):
    """A bad parameter; `name` is the parameter as the caller wrote it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass
class StatsRequest:
    """A validated request."""

    period: Period
    unit: str
    by: str | None = None
    as_current: bool = False
    view: str = HANDLING_VIEW


def _date(name: str, raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ParamError(name, f"{raw!r} is not a date (YYYY-MM-DD)") from None


def read_request(
    *,
    unit: str | None,
    period: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    calendar: bool = False,
    by: str | None = None,
    as_current: bool = False,
    prefix: str = "--",
    breakdowns: tuple[str, ...] = BREAKDOWNS,
    view: str | None = None,
) -> StatsRequest:
    """Validate the parameters; `prefix` names them as the caller knows them (`--` or ``).

    `breakdowns` are the values `by` may take (dossiers by default; feedback has its own).
    `view` is "handling" (default: the competent unit's figures) or "desk" (by receiving desk).
    """
    if not unit:
        raise ParamError(f"{prefix}unit", "a unit code is required")
    if period and (date_from or date_to):
        raise ParamError(
            f"{prefix}period", f"give either {prefix}period or {prefix}from/{prefix}to"
        )
    if period:
        try:
            chosen = parse_period(period, calendar=calendar)
        except PeriodError as exc:
            raise ParamError(f"{prefix}period", str(exc)) from None
    elif date_from and date_to:
        first = _date(f"{prefix}from", date_from)
        last = _date(f"{prefix}to", date_to)
        if last < first:
            raise ParamError(f"{prefix}to", f"{last} is before {prefix}from {first}")
        chosen = custom_period(first, last)
    else:
        missing = f"{prefix}from" if not date_from else f"{prefix}to"
        raise ParamError(missing, f"give {prefix}period, or both {prefix}from and {prefix}to")
    if by is not None and by not in breakdowns:
        raise ParamError(f"{prefix}by", f"{by!r} is not one of {', '.join(breakdowns)}")
    if view is not None and view not in VIEWS:
        raise ParamError(f"{prefix}view", f"{view!r} is not one of {', '.join(VIEWS)}")
    return StatsRequest(chosen, unit.strip(), by, as_current, view or HANDLING_VIEW)
