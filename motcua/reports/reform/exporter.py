"""Exporter `report.reform` (registered through `motcua/reports/documents.py`): the reform
report as JSON — an issued report's frozen snapshot, a stored draft, or a live preview.

params: `report` (a `Report` or its id) — or `unit` and `period` ("2023-Q3") for a preview.
DOCX and PDF are added when the Decree 30 renderer is wired (`--format docx|pdf`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from motcua.documents.exporters import Exporter, ExportError, ExportFile, register
from motcua.reports.choices import ISSUED_STATES

JSON_TYPE = "application/json"


@register
class ReformReportExporter(Exporter):
    """Báo cáo cải cách hành chính định kỳ (JSON)."""

    identifier = "report.reform"
    verbose_name = "Báo cáo cải cách hành chính định kỳ"
    formats = ("json",)

    def render(self, params: Mapping[str, Any], fmt: str) -> ExportFile:
        """The contract `{"figures", "findings", "document"}` of the report asked for."""
        from motcua.reports.models import Report
        from motcua.reports.reform.build import build_report
        from motcua.reports.reform.services import (
            ReportError,
            check_unit,
            in_memory,
            read_period,
        )
        from motcua.reports.reform.templates import template_for

        self.check_format(fmt)
        wanted = params.get("report")
        if wanted not in (None, ""):
            if isinstance(wanted, Report):
                report: Report | None = wanted
            elif str(wanted).isdigit():
                report = Report.objects.filter(pk=int(str(wanted))).first()
            else:
                report = None
            if report is None:
                raise ExportError("không có báo cáo này")
            if report.state in ISSUED_STATES:
                snapshot = report.snapshot
                data = {
                    "figures": snapshot.data["figures"],
                    "findings": snapshot.data["findings"],
                    "document": snapshot.data["report"],
                    "content_hash": snapshot.content_hash,
                }
            else:
                data = in_memory(report).as_json()
            name = f"bao-cao-cchc-{report.unit_code}-{report.period_code or report.pk}.json"
        else:
            try:
                period = read_period(str(self.param(params, "period")))
                code = check_unit(str(self.param(params, "unit")), period)
            except ReportError as exc:
                raise ExportError(exc.message) from None
            template = template_for(period.last.year, str(params.get("body") or ""))
            data = build_report(code, period, cutoff=timezone.now(), template=template).as_json()
            name = f"bao-cao-cchc-{code}-{params['period']}.json"
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return ExportFile(name, JSON_TYPE, body)
