"""Exporters of the reports app (registered with `motcua.documents.exporters`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from motcua.documents.exporters import Exporter, ExportError, ExportFile, register
from motcua.documents.render import CONTENT_TYPES
from motcua.lib.periods import Period
from motcua.reports.bieu06 import ROWS_BY, build_bieu06
from motcua.reports.render import FORMATS, filename, render
from motcua.stats.params import ParamError, read_request
from motcua.stats.selectors import HANDLING_VIEW, StatsError


@register
class Bieu06Exporter(Exporter):
    """Biểu số 06/VPCP/KSTT of a unit for a period.

    params: `unit` (code); either `period` (a `Period`, or text such as "2023-Q3" with optional
    `calendar`) or `from`/`to` (YYYY-MM-DD); `rows` ("field" or "unit"), `as_current`,
    `view` ("handling" by default, or "desk": by receiving desk, Biểu II.06a),
    `issued_on` (the date printed above the signature; default today).
    """

    identifier = "report.bieu06"
    verbose_name = "Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết TTHC"
    formats = FORMATS

    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        """Build the table from the dossiers and render it."""
        self.check_format(fmt)
        unit = self.param(params, "unit")
        rows = params.get("rows") or "field"
        if rows not in ROWS_BY:
            raise ExportError(f"tham số “rows” phải là một trong: {', '.join(ROWS_BY)}")
        period = params.get("period")
        try:
            if isinstance(period, Period):
                chosen = period
            else:
                chosen = read_request(
                    unit=str(unit),
                    period=period,
                    date_from=params.get("from"),
                    date_to=params.get("to"),
                    calendar=bool(params.get("calendar")),
                    prefix="",
                ).period
            table = build_bieu06(
                code=str(unit).strip(),
                period=chosen,
                rows_by=rows,
                as_current=bool(params.get("as_current")),
                view=str(params.get("view") or HANDLING_VIEW),
            )
        except (ParamError, StatsError) as exc:
            raise ExportError(str(exc)) from None
        issued = params.get("issued_on")
        if issued is not None and not isinstance(issued, dt.date):
            try:
                issued = dt.date.fromisoformat(str(issued))
            except ValueError:
                raise ExportError("tham số “issued_on” phải là ngày dạng YYYY-MM-DD") from None
        data = render(table, fmt, issued_on=issued)
        return ExportFile(filename(table, fmt), CONTENT_TYPES[fmt], data)


# The periodic reform report (issue 15): registers `report.reform`.
from motcua.reports.reform import exporter as _reform  # noqa: E402, F401
