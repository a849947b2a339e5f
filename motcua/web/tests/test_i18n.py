"""Vietnamese first, English second: every main page in both languages, and the catalogue.

The msgids are the Vietnamese texts themselves, so the Vietnamese pages must read exactly as
before; with the switcher's cookie the same pages read in English. The `.po` must be fully
translated, and the committed `.mo` must carry what the `.po` says (CI may lack gettext).
"""

from __future__ import annotations

import ast
import gettext
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from motcua.conftest import Province
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_procedure
from motcua.dossiers.tests.test_api import receive
from motcua.lib.periods import custom_period, parse_period
from motcua.procedures.models import Field, Procedure
from motcua.stats.figures import Figures
from motcua.stats.selectors import DIRECT_ROW, NO_FIELD, Row, Statistics
from motcua.stats.tests.test_worked_example import march  # noqa: F401
from motcua.stats.views import period_label, row_name
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
    assert "Receiving unit" in receipt and "Submitted by" in receipt
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


# -- the statistics pages ---------------------------------------------------------------------

MARCH = "unit=C1&period=2025-M03"
# url -> (English texts, their Vietnamese sources): the figures page, its breakdowns, the list.
STATS_PAGES: dict[str, tuple[list[str], list[str]]] = {
    f"/thong-ke/?{MARCH}": (
        [
            "Dossier statistics",
            "Month 03/2025 (15/02/2025–14/03/2025)",
            "Decree 09/2019/NĐ-CP reporting window",
            "Dossiers received",
            "Carried over",
            "Resolved",
            "Early",
            "On time",
            ">Late<",
            "Returned after receipt",
            "Withdrawn or stopped",
            "Within deadline",
            "Overdue",
            "Early or on time",
            "42.86%",
            "Total: ",
            "Trend over the last 6 periods",
            "Month 10/2024",
            "Reporting period",
            "Show figures",
        ],
        [
            "Thống kê hồ sơ",
            "Tháng 03/2025 (15/02/2025–14/03/2025)",
            "kỳ chốt số liệu theo Nghị định 09/2019/NĐ-CP",
            "Hồ sơ tiếp nhận",
            "Kỳ trước chuyển qua",
            "Đã giải quyết",
            "Trước hạn",
            "Đúng hạn",
            "Trả lại sau tiếp nhận",
            "Rút, dừng giải quyết",
            "Trong hạn",
            "Quá hạn",
            "Trước và đúng hạn",
            "42,86%",
            "Tổng cộng: ",
            "Xu hướng 6 kỳ gần nhất",
            "Tháng 10/2024",
            "Kỳ báo cáo",
            "Xem số liệu",
        ],
    ),
    f"/thong-ke/?{MARCH}&by=level": (["Level", ">Commune<"], ["Cấp xã"]),
    "/thong-ke/?unit=C1&kind=custom&from=2025-02-15&to=2025-03-14": (
        ["From 15/02/2025 to 14/03/2025"],
        ["Từ ngày 15/02/2025 đến ngày 14/03/2025"],
    ),
    "/thong-ke/?unit=C1&period=2025-Q1&calendar=1": (
        ["Quarter I/2025 (01/01/2025–31/03/2025)", "calendar period"],
        ["Quý I/2025 (01/01/2025–31/03/2025)", "kỳ theo lịch"],
    ),
    f"/thong-ke/ho-so/?{MARCH}&figure=received": (
        [
            "Total dossiers received",
            "10 dossiers",
            "Month 03/2025 (15/02/2025–14/03/2025)",
            "Applicants' personal data is partly masked",
            "Back to the figures",
        ],
        [
            "Tổng số hồ sơ tiếp nhận",
            "10 hồ sơ",
            "Tháng 03/2025 (15/02/2025–14/03/2025)",
            "Thông tin cá nhân của người nộp được che bớt",
            "Về bảng số liệu",
        ],
    ),
    f"/thong-ke/ho-so/?{MARCH}&figure=late": (["Dossiers resolved late", "2 dossiers"], []),
}


def data_names() -> list[str]:
    """What the pages show as stored (names of units, procedures, fields and applicants), and
    the two words that stay Vietnamese on purpose: the language's own name and NĐ-CP."""
    names = [
        *Unit.objects.values_list("name", flat=True),
        *Procedure.objects.values_list("name", flat=True),
        *Field.objects.values_list("name", flat=True),
        *Dossier.objects.values_list("applicant_name", flat=True),
        "Tiếng Việt",
        "NĐ-CP",
    ]
    return sorted(set(names), key=len, reverse=True)


def untranslated(page: str) -> set[str]:
    """The words with Vietnamese letters left once the data is taken out of the page."""
    for name in data_names():
        page = page.replace(name, "")
    return {w for w in re.findall(r"\w+", page) if any(not c.isascii() for c in w)}


def test_statistics_pages_in_english_with_the_cookie(
    march: dict[str, Any],  # noqa: F811
    people: dict,
) -> None:
    client = signed_in(people["alice"], english=True)
    for url, (english, vietnamese) in STATS_PAGES.items():
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"
        assert '<html lang="en">' in page
        for text in english:
            assert text in page, (url, text)
        for text in vietnamese:
            assert text not in page, (url, text)
        # Everything else is wrapped: only data remains in Vietnamese.
        assert untranslated(page) == set(), url
    # The chart reads its labels from the JSON island: English too.
    page = client.get(f"/thong-ke/?{MARCH}").content.decode()
    island = re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', page)
    assert island is not None
    data = json.loads(island[1])
    assert data["labels"][0] == "Month 10/2024"
    assert data["periods"][-1]["label"] == "Month 03/2025 (15/02/2025–14/03/2025)"
    assert [s["label"] for s in data["series"]] == [
        "Received",
        "Resolved early or on time",
        "Resolved late",
        "In progress, overdue",
    ]


def test_statistics_pages_in_vietnamese_without_the_cookie(
    march: dict[str, Any],  # noqa: F811
    people: dict,
) -> None:
    client = signed_in(people["alice"], english=False)
    for url, (english, vietnamese) in STATS_PAGES.items():
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="vi">' in page
        for text in vietnamese:
            assert text in page, (url, text)
        for text in english:
            assert text not in page, (url, text)


def test_statistics_messages_in_english(
    march: dict[str, Any],  # noqa: F811
    people: dict,
) -> None:
    """Validation messages and the out-of-scope answer come from Python."""
    english = signed_in(people["alice"], english=True)
    vietnamese = signed_in(people["alice"], english=False)
    cases = [
        ("/thong-ke/?unit=C1&period=2025-Q5", "The quarter must be a number from 1 to 4."),
        ("/thong-ke/?unit=C1&period=march", "Invalid reporting period “march”"),
        ("/thong-ke/?unit=C1&kind=custom&from=2025-03-14", "Period end date: please enter"),
        (f"/thong-ke/?{MARCH}&by=tinh", "There is no breakdown “tinh”"),
        ("/thong-ke/?unit=C2&period=2025-M03", "There is no unit “C2” in the chosen period"),
        ("/thong-ke/ho-so/?unit=C1&period=2025-M03&figure=tre_han", "There is no figure"),
    ]
    for url, message in cases:
        response = english.get(url)
        page = response.content.decode()
        assert response.status_code == 400, url
        assert message in page, url
        assert untranslated(page) == set(), url
        assert message not in vietnamese.get(url).content.decode(), url


def test_statistics_words_added_to_data_are_translated(province: Province) -> None:
    """Period names and the words the breakdown adds to a row name (never the names)."""
    unit = province.old
    direct = Row(unit.code, DIRECT_ROW % {"name": unit.name}, Figures())
    by_unit = Statistics(parse_period("2025-M03"), unit, frozenset(), Figures(), "unit")
    by_field = Statistics(parse_period("2025-M03"), unit, frozenset(), Figures(), "field")
    no_field = Row("", NO_FIELD, Figures())
    named = Row("ho-tich", "Hộ tịch", Figures())
    assert row_name(by_unit, direct) == f"{unit.name} (trực tiếp)"
    assert row_name(by_field, no_field) == "Chưa phân lĩnh vực"
    with translation.override("en"):
        assert row_name(by_unit, direct) == f"{unit.name} (handled directly)"
        assert row_name(by_field, no_field) == "No field assigned"
        assert row_name(by_field, named) == "Hộ tịch"
        labels = [
            period_label(parse_period(code)).split(" (")[0]
            for code in ("2023-Q3", "2023-M09", "2023-H1", "2023-H2", "2023")
        ]
        assert labels == [
            "Quarter III/2023",
            "Month 09/2023",
            "First half of 2023",
            "Second half of 2023",
            "Year 2023",
        ]
    # Vietnamese: exactly `Period.label`, as on the report papers.
    for code in ("2023-Q3", "2023-M09", "2023-H1", "2023-H2", "2023"):
        period = parse_period(code)
        assert period_label(period) == period.label
    custom = custom_period(parse_period("2025-M03").first, parse_period("2025-M03").last)
    assert period_label(custom) == custom.label


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


PORTAL_PAGES = {
    "/thu-tuc/": ("Find an administrative procedure", "Tìm thủ tục hành chính"),
    "/tra-cuu/": ("Check a dossier’s status", "Tra cứu tình trạng hồ sơ"),
    "/phan-anh/": ("Answers to feedback", "Từ khóa"),
    "/phan-anh/gui/": ("Send feedback", "Gửi phản ánh"),
    "/phan-anh/tra-cuu/": ("Track the status of your feedback", "Mã phản ánh"),
    "/tai-khoan/dang-nhap/": ("Email or phone number", "Mật khẩu"),
    "/tai-khoan/dang-ky/": ("Create an account", "Họ và tên"),
    "/danh-gia/": ("Rate your satisfaction", "Mã hồ sơ"),
}


def test_portal_and_feedback_pages_in_both_languages(people: dict) -> None:
    """The citizens' pages and the officers' feedback pages switch language with the cookie."""
    english, vietnamese = Client(), Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url, (text_en, text_vi) in PORTAL_PAGES.items():
        html_en = english.get(url).content.decode()
        html_vi = vietnamese.get(url).content.decode()
        assert text_en in html_en and '<html lang="en"' in html_en, url
        assert text_vi not in html_en, url
        assert text_vi in html_vi and '<html lang="vi"' in html_vi, url
    officer = signed_in(people["alice"], english=True)
    for url, text_en in [
        ("/pakn/", "Feedback"),
        ("/pakn/tiep-nhan/", "Receive feedback"),
        ("/thong-ke/phan-anh/", "Feedback statistics"),
    ]:
        html = officer.get(url).content.decode()
        assert text_en in html, url
        for text_vi in ["Phản ánh, kiến nghị", "Tiếp nhận phản ánh", "Thống kê phản ánh"]:
            assert text_vi not in html, (url, text_vi)
