"""The demo's Q3 2025 reform report (issue 15 item 9): built through the services, every
computed figure filled, the registers entered with evidence, in review, built once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.conftest import Province
from motcua.demo.reform import FLOWS, STOCKS, build_reform_report
from motcua.reports.choices import ReportState
from motcua.reports.models import RegisterEntry, Report
from motcua.reports.reform import services


@pytest.mark.django_db
def test_the_demo_report_is_filled_checked_and_in_review(province: Province) -> None:
    made = build_reform_report()
    report = Report.objects.get(pk=made["report"])
    assert (report.unit_code, report.period_code, report.state) == ("DT", "2025-Q3", "in_review")
    assert (report.period_from, report.period_to) == (dt.date(2025, 6, 15), dt.date(2025, 9, 14))
    assert report.reporting_task is not None
    assert report.reporting_task.due_on == dt.date(2025, 9, 20)
    figures: dict[str, Any] = {f["key"]: f for f in report.figures}
    computed = [f for f in figures.values() if f["source"].get("kind") not in ("register",)]
    # a rate over nothing stays empty (this test province has no dossiers); every count is there
    empty = {f["key"] for f in computed if f["value"] is None}
    assert computed and all(figures[k]["measure"] == "percent" for k in empty), empty
    assert {"dossiers.received", "dossiers.resolved", "dossiers.pending"} <= figures.keys()
    entries = RegisterEntry.objects.filter(unit__code="DT")
    assert entries.count() == len(STOCKS) + len(FLOWS) == made["registers"]
    assert all(e.evidence_reference and e.source == "demo" for e in entries)
    assert figures["budget.available"]["value"] == 2_162_500_000
    assert figures["inspections.done"]["window"]["from"] == "2025-06-15"
    assert report.findings == []  # the budget identities hold; no typed numbers
    texts = {s["key"]: s for s in services.in_memory(report).sections[1]["children"]}
    assert texts["II.3"]["text"] == "Biên chế được giao 1.968, có mặt 1.891 người."
    assert build_reform_report() == {}
    assert Report.objects.count() == 1 and RegisterEntry.objects.count() == made["registers"]
    approved = services.approve_report(report=report, actor=None)
    assert approved.state == ReportState.APPROVED


@pytest.mark.django_db
def test_no_demo_report_before_the_quarter_has_ended(province: Province) -> None:
    assert build_reform_report(today=dt.date(2025, 9, 10)) == {}
    assert not Report.objects.exists()
