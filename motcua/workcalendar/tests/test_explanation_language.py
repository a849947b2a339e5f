"""The clock's explanation stays Vietnamese text for the command line and the API, and renders
again in the reader's language on a page (every message goes through gettext)."""

from __future__ import annotations

from unittest import mock

from motcua.workcalendar.engine import WorkCalendar, compute_due, translated
from motcua.workcalendar.tests.support import at, pauses_of

# A stand-in catalogue: what an English .po would give for the messages used below.
ENGLISH = {
    "bắt đầu": "start",
    "thời hạn": "time limit",
    "tính": "counted",
    "bỏ qua": "skipped",
    "tạm dừng": "paused",
    "hạn": "due",
    "ngày làm việc": "working days",
    "nghỉ cuối tuần": "weekend",
    "T2": "Mon",
    "T3": "Tue",
    "T4": "Wed",
    "T5": "Thu",
    "T6": "Fri",
    "T7": "Sat",
    "CN": "Sun",
    "%(sign)s%(h)s giờ": "%(sign)s%(h)s h",
    "%(sign)s%(h)s giờ %(m)s phút": "%(sign)s%(h)s h %(m)s min",
    "%(sign)s%(m)s phút": "%(sign)s%(m)s min",
    "%(days)s  %(used)s%(detail)s  — còn %(left)s": "%(days)s  %(used)s%(detail)s  — %(left)s left",
    "tiếp nhận %(time)s, trong giờ làm việc": "received %(time)s, within working hours",
    "từ %(start)s đến %(end)s: thêm %(added)s làm việc%(note)s  — còn %(left)s": (
        "from %(start)s to %(end)s: %(added)s of working time added%(note)s  — %(left)s left"
    ),
}


def english(message: str) -> str:
    return ENGLISH.get(message, message)


def test_lines_keep_their_vietnamese_text(cal: WorkCalendar) -> None:
    result = compute_due(cal, at("2024-04-26T10:00"), 5, "working_days")
    assert result.explanation[1] == "thời hạn  5 ngày làm việc = 40 giờ"
    assert "T7 27/04, CN 28/04  nghỉ cuối tuần" in "\n".join(result.explanation)


def test_lines_render_in_the_active_language(cal: WorkCalendar) -> None:
    pauses = pauses_of(["2025-03-05T10:00/2025-03-10T10:00"])
    result = compute_due(cal, at("2025-03-03T09:00"), 10, "working_days", pauses=pauses)
    with mock.patch("motcua.workcalendar.engine.gettext", side_effect=english):
        lines = [translated(line) for line in result.explanation]
    assert lines[0] == "start: Mon 03/03/2025 09:00 (received 09:00, within working hours)"
    assert lines[1] == "time limit: 10 working days = 80 h"
    assert "counted: Mon 03/03  6 h  (09:00–11:30, 13:30–17:00)  — 74 h left" in lines
    assert "counted: Tue 04/03  8 h  — 66 h left" in lines
    paused = next(line for line in lines if line.startswith("paused:"))
    assert paused.startswith("paused: from Wed 05/03/2025 10:00 to Mon 10/03/2025 10:00: 24 h")
    assert paused.endswith("— 63 h left")
    assert "skipped: Sat 15/03, Sun 16/03  weekend" in lines
    assert "due: Thu 20/03/2025 09:00" in lines
    # Vietnamese (the source language) reads the same words, label and text.
    assert translated(result.explanation[1]) == "thời hạn: 10 ngày làm việc = 80 giờ"
