"""Vietnamese first, English second: every main page in both languages, and the catalogue.

The msgids are the Vietnamese texts themselves, so the Vietnamese pages must read exactly as
before; with the switcher's cookie the same pages read in English. The `.po` must be fully
translated, and the committed `.mo` must carry what the `.po` says (CI may lack gettext).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from motcua.conftest import Province
from motcua.dossiers.tests.factories import make_procedure
from motcua.dossiers.tests.test_api import receive
from motcua.units.models import Unit
from motcua.workcalendar import engine
from motcua.workcalendar.views import ENGINE_WORDS

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def signed_in(user: Any, english: bool) -> Client:
    client = Client()
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pages(people: dict, province: Province) -> dict[str, tuple[str, str, str]]:
    """url -> (an English text, its Vietnamese source, a second Vietnamese-only check)."""
    a = province.commune_a
    steps: list[tuple[str, Unit | None, int]] = [
        ("Tiếp nhận", a, 4),
        ("Thẩm định", a, 60),
        ("Phê duyệt", a, 16),
    ]
    procedure = make_procedure(units=[a], steps=steps)
    dossier = receive(people, province, procedure)
    return {
        "/": ("Your roles", "Vai trò của bạn", "Việc thường làm"),
        "/don-vi/": ("Unit tree on", "Cây đơn vị ngày", "Xem theo ngày"),
        "/lich/?year=2024": ("Working calendar for 2024", "Lịch làm việc năm 2024", "Tính hạn"),
        "/ho-so/": ("Filter dossiers", "Lọc hồ sơ", "Sắp đến hạn"),
        "/ho-so/tiep-nhan/": (
            "Receive a walk-in dossier",
            "Tiếp nhận hồ sơ trực tiếp",
            "Số định danh cá nhân",
        ),
        f"/ho-so/{dossier.code}/": (
            "Processing control slip",
            "Phiếu kiểm soát quá trình giải quyết",
            "Thông tin hồ sơ",
        ),
        "/danh-muc-thu-tuc/": (
            "Administrative procedure catalogue",
            "Danh mục thủ tục hành chính",
            "10 ngày làm việc",
        ),
        f"/danh-muc-thu-tuc/{procedure.code}/": (
            "Internal process",
            "Quy trình nội bộ",
            "Thành phần hồ sơ",
        ),
    }


def test_pages_in_english_with_the_cookie(pages: dict, people: dict) -> None:
    client = signed_in(people["alice"], english=True)
    for url, (english, vietnamese, other) in pages.items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"
        assert english in html, url
        assert vietnamese not in html, url
        assert other not in html, url
        assert '<html lang="en">' in html


def test_pages_in_vietnamese_without_the_cookie(pages: dict, people: dict) -> None:
    client = signed_in(people["alice"], english=False)
    for url, (english, vietnamese, other) in pages.items():
        html = client.get(url).content.decode()
        assert vietnamese in html and other in html, url
        assert english not in html, url
        assert '<html lang="vi">' in html


def test_english_pages_translate_python_strings(pages: dict, people: dict) -> None:
    """Choice labels, form labels, table headers, tabs and durations come from Python."""
    client = signed_in(people["alice"], english=True)
    queue = client.get("/ho-so/?tab=qua-han").content.decode()
    for text in ["Dossier code", "Due soon", "Awaiting supplement", "Overdue", "overdue by"]:
        assert text in queue, text
    for text in ["Mã hồ sơ", "Sắp đến hạn", "Chờ bổ sung", "quá hạn"]:
        assert text not in queue, text
    receipt = client.get("/ho-so/tiep-nhan/").content.decode()
    assert "Personal ID number" in receipt and "In person" in receipt
    assert "— choose a procedure —" in receipt and "Submitted by" in receipt
    dossier_url = next(u for u in pages if re.match(r"^/ho-so/[A-Z0-9]+-", u))
    page = client.get(dossier_url).content.decode()
    assert "Received" in page and "Đã tiếp nhận" not in page
    assert "Transfer for processing" in page and "Chuyển xử lý" not in page
    calendar = client.get("/lich/?year=2024").content.decode()
    assert "Public holiday" in calendar and "Ngày nghỉ lễ" not in calendar
    assert "Monday" in calendar and "Thứ Hai" not in calendar


def test_login_page_in_both_languages(db: None) -> None:
    vietnamese = Client().get("/dang-nhap/").content.decode()
    assert "Tên đăng nhập" in vietnamese and "Username" not in vietnamese
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/dang-nhap/").content.decode()
    assert "Username" in english and "Password" in english
    assert "Tên đăng nhập" not in english and "Mật khẩu" not in english


def test_switcher_sets_the_cookie(people: dict) -> None:
    client = signed_in(people["alice"], english=False)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Your roles" in client.get("/").content.decode()


def test_stored_texts_stay_vietnamese(province: Province) -> None:
    """What is stored with a procedure version and printed on papers is never translated."""
    procedure = make_procedure(units=[province.commune_a])
    with translation.override("en"):
        assert procedure.time_limit_text == "10 ngày làm việc"


def test_engine_words_are_in_the_catalogue() -> None:
    """The calendar page translates the engine's Vietnamese labels by value."""
    words = set(ENGINE_WORDS)
    assert set(engine.DAY_KIND_LABELS.values()) <= words
    assert set(engine.WEEKDAY_NAMES) <= words


# -- the catalogue ----------------------------------------------------------------------------


def _entries() -> list[dict[str, Any]]:
    text = PO.read_text(encoding="utf-8")
    entries = []
    for block in text.strip().split("\n\n")[1:]:
        flags: set[str] = set()
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, quoted = line.partition(" ")
                fields[key] = ast.literal_eval(quoted)
        entries.append({"flags": flags, **fields})
    return entries


def test_po_is_fully_translated() -> None:
    entries = _entries()
    assert len(entries) > 300
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            assert entry["msgstr[0]"] and entry["msgstr[1]"], entry["msgid"]
            assert "msgstr[2]" not in entry
        else:
            assert entry["msgstr"], entry["msgid"]
        # Placeholders survive translation.
        source = set(re.findall(r"%\(\w+\)s", entry["msgid"]))
        for key in ("msgstr", "msgstr[0]", "msgstr[1]"):
            if key in entry:
                assert set(re.findall(r"%\(\w+\)s", entry[key])) == source, entry["msgid"]
    header = PO.read_text(encoding="utf-8")
    assert '"Language: en\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def test_mo_matches_po() -> None:
    """The committed .mo carries every translation of the .po (recompile after editing)."""
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for entry in _entries():
        msgid = entry["msgid"]
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            if context is None:
                assert mo.ngettext(msgid, plural, 1) == entry["msgstr[0]"], msgid
                assert mo.ngettext(msgid, plural, 2) == entry["msgstr[1]"], msgid
            else:
                assert mo.npgettext(context, msgid, plural, 1) == entry["msgstr[0]"], msgid
                assert mo.npgettext(context, msgid, plural, 2) == entry["msgstr[1]"], msgid
        elif context is None:
            assert mo.gettext(msgid) == entry["msgstr"], msgid
        else:
            assert mo.pgettext(context, msgid) == entry["msgstr"], msgid
