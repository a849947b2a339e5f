"""Plain Vietnamese on the officer pages: no code, English word or internal key; durations in
working days and hours, the same figure on the queue and on the dossier page; the timeline in
sentences."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.assignment import assign_dossier
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_deadline
from motcua.dossiers.tables import deadline_badge
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401
from motcua.lib.durations import remaining_working_text
from motcua.people.choices import Role
from motcua.workcalendar.selectors import get_calendar

# What must never reach a Vietnamese officer page (its visible text, titles and placeholders).
LEAKS = {
    "internal key": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "arrow between codes": re.compile(r"→"),
    "event code": re.compile(r"\bdossier\.[a-z]"),
    "state or action code": re.compile(
        r"\b(draft|submitted|received|in_progress|resolved|returned|refused|withdrawn|stopped"
        r"|receive|process|approve|assign|export|configure|confirm|appraise|view|system"
        r"|holidays|none|null|true|false)\b"
    ),
}
# Not checked here yet: the action forms' date fields still ask for ISO instants
# ("YYYY-MM-DDTHH:MM"); the intake work turns them into `dd/mm/yyyy HH:MM` fields.
STATE_CODES = ("in_progress", "supplement_requested", "awaiting_payment")


class _Visible(HTMLParser):
    """Collects what a person reads: text outside scripts and styles, and titles/placeholders."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(unescape(" ".join(parser.parts)).split())


def leaks_in(text: str) -> list[str]:
    found = []
    for name, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 40)
            found.append(f"{name}: …{text[start : match.end() + 40]}…")
    return found


@pytest.fixture
def dossiers(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> dict:
    """One dossier in each state an officer meets during a day."""
    settings.MEDIA_ROOT = tmp_path
    sam = make_user("sam", (province.commune_a, Role.SPECIALIST), full_name="Lê Hồng Huyền")
    received = receive(people, province, procedure)
    working = in_progress(people, province, procedure, at=local(2025, 3, 3, 10))
    working = assign_dossier(
        dossier=working, assignee=sam, actor=people["dana"], at=local(2025, 3, 3, 11)
    )
    attach_file(
        dossier=working,
        actor=people["alice"],
        upload=SimpleUploadedFile("to-khai.txt", "Tờ khai".encode()),
        kind="component",
    )
    waiting = in_progress(people, province, procedure, at=local(2025, 3, 3, 12))
    services.request_supplement(
        dossier=waiting,
        actor=people["dana"],
        items=["Tờ khai"],
        reason="Thiếu chữ ký",
        at=local(2025, 3, 4, 9),
    )
    late = in_progress(people, province, procedure, at=local(2025, 3, 3, 13))
    services.issue_apology(
        dossier=late,
        actor=people["dana"],
        reason="Chờ xác minh",
        new_due=local(2025, 3, 20, 16),
        at=local(2025, 3, 10, 9),
    )
    done = in_progress(people, province, procedure, at=local(2025, 3, 3, 14))
    done = services.resolve_dossier(dossier=done, actor=people["dana"], at=local(2025, 3, 5, 9))
    returned = services.return_result(
        dossier=done, actor=people["alice"], recipient="Trần Văn Bình", at=local(2025, 3, 5, 10)
    )
    return {
        "received": received,
        "working": working,
        "waiting": waiting,
        "late": late,
        "returned": returned,
        "sam": sam,
    }


def test_officer_pages_speak_plain_vietnamese(people: dict, dossiers: dict) -> None:
    pages = ["/", "/ho-so/?q=tran+van+binh", "/ho-so/?q=khong+co+ai"]
    pages += [f"/ho-so/?tab={t}" for t in ("cua-toi", "cua-don-vi", "sap-den-han", "qua-han")]
    pages += ["/ho-so/?tab=cho-bo-sung"]
    pages += [f"/ho-so/{d.code}/" for d in dossiers.values() if isinstance(d, Dossier)]
    problems = []
    for user in (people["alice"], people["dana"], dossiers["sam"]):
        client = Client()
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            problems += [f"{user} {url} {leak}" for leak in leaks_in(text)]
            assert not any(code in text for code in STATE_CODES), url
            assert "receive view" not in text
    assert problems == [], "\n".join(problems)


def test_the_walk_would_catch_the_old_wording() -> None:
    """The checks above fail on what the pages used to show."""
    assert leaks_in("dossier.received → in_progress")
    assert leaks_in("Quyền thao tác: receive view")
    assert not leaks_in("Tiếp nhận hồ sơ — Nguyễn Thị An, 03/03/2025 09:00")


def test_home_page_names_the_rights_in_words(people: dict, dossiers: dict) -> None:
    client = Client()
    client.force_login(people["dana"])
    text = visible_text(client.get("/").content.decode())
    assert "Quyền thao tác: xem hồ sơ, số liệu xử lý hồ sơ phê duyệt, ký phân công" in text


def test_timeline_reads_as_sentences(people: dict, dossiers: dict, province: Province) -> None:
    client = Client()
    client.force_login(people["dana"])
    text = visible_text(client.get(f"/ho-so/{dossiers['waiting'].code}/").content.decode())
    assert "Tiếp nhận hồ sơ — Nguyễn Thị An, 03/03/2025 12:00" in text
    assert "Chuyển xử lý đến Ủy ban nhân dân xã Mỹ An — Nguyễn Thị An, 03/03/2025 12:00" in text
    assert "Yêu cầu bổ sung hồ sơ: Tờ khai — dana, 04/03/2025 09:00 Thiếu chữ ký" in text
    working = visible_text(client.get(f"/ho-so/{dossiers['working'].code}/").content.decode())
    assert "Giao xử lý cho Lê Hồng Huyền — dana, 03/03/2025 11:00" in working
    assert "Đính kèm tệp (thành phần hồ sơ) — Nguyễn Thị An," in working
    late = visible_text(client.get(f"/ho-so/{dossiers['late'].code}/").content.decode())
    assert "Xin lỗi và hẹn lại ngày trả kết quả: 20/03/2025 16:00 — dana, 10/03/2025 09:00" in late


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (2 * 480 + 3 * 60, "còn 2 ngày 3 giờ làm việc"),
        (-(480 + 2 * 60 + 15), "quá hạn 1 ngày 2 giờ làm việc"),
        (480, "còn 1 ngày làm việc"),
        (3 * 60 + 20, "còn 3 giờ 20 phút làm việc"),
        (-45, "quá hạn 45 phút làm việc"),
        (0, "còn 0 phút làm việc"),
    ],
)
def test_working_days_and_hours(minutes: int, text: str) -> None:
    assert remaining_working_text(minutes) == text


def test_queue_and_dossier_page_show_the_same_remaining_time(
    people: dict, dossiers: dict, province: Province
) -> None:
    """At the same instant the queue row and the dossier page give the same figure."""
    # Received Mon 03/03/2025 09:00 with 10 working days: due Mon 17/03 09:00; the day runs
    # 07:00–11:30 and 13:30–17:00 (8 hours).
    received = Dossier.objects.get(pk=dossiers["received"].pk)
    assert received.statutory_due == local(2025, 3, 17, 9)
    calendar = get_calendar(received.receiving_unit)
    cases = {
        # Wed 12/03 14:00 → Mon 17/03 09:00: 3 h + 8 h + 8 h + 2 h = 2 days 5 hours.
        local(2025, 3, 12, 14): "còn 2 ngày 5 giờ làm việc",
        # Mon 17/03 09:00 → Wed 19/03 10:00: 6 h + 8 h + 3 h = 2 days 1 hour late.
        local(2025, 3, 19, 10): "quá hạn 2 ngày 1 giờ làm việc",
    }
    client = Client()
    client.force_login(people["alice"])
    for instant, expected in cases.items():
        assert dossier_deadline(received, now=instant, calendar=calendar).remaining_text == expected
        assert deadline_badge(received, instant, calendar).text == expected
        with mock.patch("django.utils.timezone.now", return_value=instant):
            queue = visible_text(client.get("/ho-so/?tab=cua-don-vi").content.decode())
            page = visible_text(client.get(f"/ho-so/{received.code}/").content.decode())
        row = queue[queue.index(str(received.code)) :]
        assert expected in row[:400]
        assert expected[0].upper() + expected[1:] in page
