"""Ten named procedures of the national catalogue read back against their source pages.

Every file of `../shared/data/tthc-catalogue-dvcqg` is imported (`national_catalogue`); each
field the import keeps is compared with the JSON page, read here by small helpers of this file
(never by the importer's parser) or stated literally as the page writes it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import openpyxl
import pytest

from motcua.procedures.models import Procedure
from motcua.procedures.tests.national import (  # noqa: F401 (fixture)
    DATA,
    national_catalogue,
    source_page,
)

NO_INFO = "Không có thông tin"

# code → what the page (or, where the page says nothing, the ministry's list) states.
EXPECTED: dict[str, dict[str, Any]] = {
    # Cấp tỉnh, Luật sư; limit per channel (5 days in person, 7 online or by post).
    "1.002099": {
        "levels": ["province"],
        "bodies": ["Sở Tư Pháp"],  # the page: "Không có thông tin"; the list: Sở Tư Pháp
        "reference": False,
        "results": [
            ("Giấy đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư", "KQ.G15.000093")
        ],
        "channels": [
            ("Trực tiếp", "5 Ngày"),
            ("Trực tuyến", "7 Ngày"),
            ("Dịch vụ bưu chính", "7 Ngày"),
        ],
        "fee_starts": "50,000 Việt Nam Đồng(áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025",
        "forms": [],
        "conditions": [""],
    },
    # Cấp bộ, Nuôi con nuôi; staged limit "50 ngày, trong đó …".
    "1.000532": {
        "levels": ["ministry"],
        "bodies": ["Cục Hành chính tư pháp"],
        "reference": True,
        "results": [
            ("Giấy phép hoạt động của tổ chức con nuôi nước ngoài tại Việt Nam", "KQ.G15.000001")
        ],
        "channels": [("Dịch vụ bưu chính", "50 Ngày"), ("Trực tiếp", "50 Ngày")],
        "fee_starts": "35,000,000 Việt Nam Đồng(35.000.000 đồng (ba mươi lăm triệu đồng)",
        "forms": ["6.nxincpgianhnsaiGPcatchcCNNNg.doc"],
        "conditions": [""],
    },
    # Cấp bộ, Quốc tịch; the cell "Trực tiếp1250 VNĐ" cannot be split with certainty.
    "2.002797": {
        "levels": ["ministry"],
        "bodies": ["Bộ Tư pháp", "Cơ quan đại diện Việt Nam ở nước ngoài"],  # from the list
        "reference": True,
        "results": [("Quyết định cho nhập quốc tịch Việt Nam của Chủ tịch nước", "KQ.G15.000048")],
        "channels": [("Trực tiếp", None)],
        "fee_starts": None,
        "forms": [],
        "conditions": [""],
    },
    # Cấp tỉnh, Quản tài viên; one component with its form.
    "1.014965": {
        "levels": ["province"],
        "bodies": ["Chủ tịch ủy ban nhân dân cấp tỉnh"],
        "reference": False,
        "results": [
            ("Quyết định thu hồi chứng chỉ hành nghề quản tài viên", "KQ.G15.000140"),
        ],
        "channels": [
            ("Trực tiếp", "15 Ngày làm việc"),
            ("Trực tuyến", "15 Ngày làm việc"),
            ("Dịch vụ bưu chính", "15 Ngày làm việc"),
        ],
        "fee_starts": "Miễn phí(Không quy định)",
        "forms": ["TP-QTV-03.docx"],
        "conditions": [""],
    },
    # Cấp xã + Cơ quan khác, Chứng thực; per page with a cap, and in USD.
    "2.000815": {
        "levels": ["commune", "other"],
        "bodies": ["Tổ chức hành nghề công chứng", "Cơ quan đại diện có thẩm quyền"],
        "reference": False,
        "results": [("Bản sao được chứng thực từ bản chính", "KQ.G15.000021")],
        "channels": [("Trực tiếp", NO_INFO), ("Trực tiếp", NO_INFO)],
        "fee_starts": "2,000 Việt Nam Đồng(/trang)",
        "forms": [],
        "conditions": [""],
    },
    # Cấp tỉnh, Luật sư; reduced fee for a dated window.
    "1.000688": {
        "levels": ["province"],
        "bodies": ["Chủ tịch ủy ban nhân dân cấp tỉnh"],
        "reference": False,
        "results": [("Chứng chỉ hành nghề luật sư", "KQ.G15.000102")],
        "channels": [
            ("Trực tuyến", "15 Ngày làm việc"),
            ("Dịch vụ bưu chính", "15 Ngày làm việc"),
            ("Trực tiếp", "15 Ngày làm việc"),
        ],
        "fee_starts": "800,000 Việt Nam Đồng(áp dụng mức phí 400.000 đồng/hồ sơ",
        "forms": ["01-PLIII-LS.docx"],
        "conditions": [""],
    },
    # Cấp xã, Hộ tịch; a bare "1" with no unit; components under conditional headings.
    "1.001193": {
        "levels": ["commune"],
        "bodies": ["Ủy ban nhân dân cấp xã"],  # from the list
        "reference": False,
        "results": [("Giấy khai sinh", "KQ.G15.000031")],
        "channels": [("Trực tuyến", "1"), ("Dịch vụ bưu chính", "1"), ("Trực tiếp", "1")],
        "fee_starts": "Miễn phí",
        "forms": [],
        "conditions": ["* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:", "* Lưu ý:", ""],
    },
    # Cấp bộ, Giám định tư pháp; laws cited with their year glued to the number.
    "1.001162": {
        "levels": ["ministry"],
        "bodies": ["Bộ trưởng"],
        "reference": True,
        "results": [("Quyết định miễn nhiệm giám định viên tư pháp (Bộ Tư pháp)", "KQ.G15.000201")],
        "channels": [("Trực tiếp", "10 Ngày")],
        "fee_starts": "Miễn phí",
        "forms": [],
        "conditions": [""],
        "legal_numbers": ["56/2020/QH14", "157/2020/NĐ-CP", "13/2012/QH13"],
    },
    # Cấp tỉnh, Hòa giải thương mại; two executing bodies, two result documents.
    "2.000515": {
        "levels": ["province"],
        "bodies": ["Sở Tư pháp", "Chủ tịch ủy ban nhân dân cấp tỉnh"],
        "reference": False,
        "results": [
            (
                "Quyết định thu hồi Giấy đăng ký hoạt động của Trung tâm hòa giải thương mại",
                "KQ.G15.000165",
            ),
            (
                "Quyết định thu hồi Giấy phép thành lập của Trung tâm hòa giải thương mại",
                "KQ.G15.000323",
            ),
        ],
        "channels": [
            ("Trực tuyến", "12 Ngày làm việc"),
            ("Dịch vụ bưu chính", "12 Ngày làm việc"),
            ("Trực tiếp", "12 Ngày làm việc"),
        ],
        "fee_starts": "Miễn phí",
        "forms": ["TP-HGTM-19.docx"],
        "conditions": [""],
    },
    # Cấp tỉnh + Cấp xã, Hộ tịch; no time limit given; conditional components.
    "2.000635": {
        "levels": ["province", "commune"],
        "bodies": ["Cơ quan quản lý cơ sở dữ liệu hộ tịch điện tử"],
        "reference": False,
        "results": [("Bản sao Trích lục hộ tịch, bản sao giấy khai sinh", "KQ.G15.000342")],
        "channels": [
            ("Trực tuyến", NO_INFO),
            ("Dịch vụ bưu chính", NO_INFO),
            ("Trực tiếp", NO_INFO),
        ],
        "fee_starts": "8,000 VNĐ",
        "forms": [],
        "conditions": ["* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:", "* Lưu ý:", ""],
    },
}

# ---- The structured readings, as the pages write them ----
# Time limit: channel → (amount, unit, cut-off); the stages' (amount, unit); the extension
# ceiling's (amount, unit); the problems that keep the limit a draft until an officer confirms.
CAL, WORK, SAME = "calendar_days", "working_days", "same_day"
BARE = "thời hạn chỉ ghi số, không ghi đơn vị"
NOT_STATED = "không có thông tin về thời hạn"
THREE = ("direct", "online", "postal")
EXPECTED_TIME_LIMITS: dict[str, dict[str, Any]] = {
    "1.002099": {
        "channels": {"direct": (5, CAL, None), "online": (7, CAL, None), "postal": (7, CAL, None)}
    },
    # "Trong thời hạn 50 ngày, trong đó: … 30 ngày …; … 15 ngày …; … 05 ngày …"
    "1.000532": {
        "channels": {"postal": (50, CAL, None), "direct": (50, CAL, None)},
        "stages": [(30, CAL), (15, CAL), (5, CAL)],
    },
    # "1" glued to "250 VNĐ": no unit; "… phức tạp … không quá 60 ngày" in the steps.
    "2.002797": {
        "channels": {"direct": (1, None, None)},
        "ceiling": (60, CAL),
        "problems": [BARE],
    },
    # 10 + 5 working days in the steps make the 15 of the cell.
    "1.014965": {
        "channels": dict.fromkeys(THREE, (15, WORK, None)),
        "stages": [(10, WORK), (5, WORK)],
    },
    "2.000815": {"channels": {"direct": (None, None, None)}, "problems": [NOT_STATED]},
    "1.000688": {"channels": dict.fromkeys(THREE, (15, WORK, None))},
    # "1" per channel; "nếu tiếp nhận hồ sơ sau 15 giờ …" in the steps: proposed, unconfirmed.
    "1.001193": {"channels": dict.fromkeys(THREE, (None, SAME, "15:00")), "problems": [BARE]},
    "1.001162": {"channels": {"direct": (10, CAL, None)}},
    "2.000515": {"channels": dict.fromkeys(THREE, (12, WORK, None))},
    "2.000635": {
        "channels": dict.fromkeys(THREE, (None, SAME, "15:00")),
        "problems": [NOT_STATED],
    },
}
# Fee: channel → its options (kind, currency, amount, per, tiers, cap, reductions).
REDUCED_2099 = [(25000, "2025-07-01", "2026-12-31")]
REDUCED_0688 = [(400000, "2025-07-01", "2026-12-31")]
FREE: tuple[Any, ...] = ("free", "VND", 0, "", [], None, [])
EXPECTED_FEES: dict[str, dict[str, list[tuple[Any, ...]]]] = {
    "1.002099": {key: [("fixed", "VND", 50000, "hồ sơ", [], None, REDUCED_2099)] for key in THREE},
    "1.000532": {
        key: [("per_item", "VND", 35000000, "lần gia hạn", [], None, [])]
        for key in ("direct", "postal")
    },
    "2.002797": {"direct": [("fixed", "VND", 250, "", [], None, [])]},
    "1.014965": {key: [FREE] for key in THREE},
    # "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa … 200.000
    # đồng/bản"; at a representative office abroad "10 USD/bản".
    "2.000815": {
        "direct": [
            ("per_page", "VND", 2000, "trang", [(3, 1000)], 200000, []),
            ("per_item", "USD", 10, "bản", [], None, []),
        ]
    },
    "1.000688": {key: [("fixed", "VND", 800000, "hồ sơ", [], None, REDUCED_0688)] for key in THREE},
    "1.001193": {key: [FREE] for key in THREE},
    "1.001162": {"direct": [FREE]},
    "2.000515": {key: [FREE] for key in THREE},
    "2.000635": {key: [("fixed", "VND", 8000, "", [], None, [])] for key in THREE},
}


def time_limit_reading(spec: dict[str, Any]) -> dict[str, Any]:
    ceiling = spec["ceiling"]
    return {
        "channels": {k: (v["amount"], v["unit"], v["cutoff"]) for k, v in spec["channels"].items()},
        "stages": [(s["amount"], s["unit"]) for s in spec["stages"]],
        "ceiling": (ceiling["amount"], ceiling["unit"]) if ceiling else None,
        "start_event": spec["start_event"],
        "problems": spec["problems"],
    }


def fee_reading(spec: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        channel: [
            (
                o["kind"],
                o["currency"],
                o["amount"],
                o["per"],
                [(t["from_page"], t["amount"]) for t in o["tiers"]],
                o["cap"],
                [(r["amount"], r["from"], r["to"]) for r in o["reductions"]],
            )
            for o in options
        ]
        for channel, options in spec["channels"].items()
    }


LEVEL_WORDS = {
    "Cấp bộ": "ministry",
    "Cấp tỉnh": "province",
    "Cấp huyện": "district",
    "Cấp xã": "commune",
    "Cơ quan khác": "other",
}


# ---- small readers of the page, independent of motcua.procedures.catalogue_import ----


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def squeeze(text: str) -> str:
    """Without any white space: the scraper's cells and our rows compared letter for letter."""
    return "".join(clean(text).split())


def page_levels(page: dict[str, Any]) -> list[str]:
    return [LEVEL_WORDS[part.strip()] for part in page["cap_thuc_hien"].split(",")]


def page_results(page: dict[str, Any]) -> list[tuple[str, str]]:
    """'<name>Mã: KQ.G15.000093' pairs, before the page footer ('Từ khóa…')."""
    text = clean(page["ket_qua_xu_ly"]).split("Từ khóa")[0]
    return [(clean(n), c) for n, c in re.findall(r"(.+?)Mã: ?(KQ\.G\d+\.\d{6})", text, re.S)]


def page_count_cells(page: dict[str, Any]) -> list[tuple[int, int]]:
    """The 'Số lượng' cells of the components table: (originals, copies)."""
    cells = []
    pattern = r"\d+ bản chính(?:, ?\d+ bản sao)?|\d+ bản sao"
    for cell in re.findall(pattern, page["thanh_phan_ho_so"]):
        originals = re.search(r"(\d+) bản chính", cell)
        copies = re.search(r"(\d+) bản sao", cell)
        cells.append((int(originals[1]) if originals else 0, int(copies[1]) if copies else 0))
    return cells


def page_uuid(page: dict[str, Any]) -> str:
    return page["detail_url"].rstrip("/").split("/")[-1]


def list_row(code: str) -> tuple[str, ...]:
    """The row of `code` in the Ministry of Justice's list export."""
    book = openpyxl.load_workbook(DATA / "lists" / "danh-sach-tthc-BoTuPhap.xlsx", read_only=True)
    try:
        for row in book.worksheets[0].iter_rows(min_row=3, values_only=True):
            if row[0] and str(row[0]).strip() == code:
                return tuple(clean(str(v or "")) for v in row[:5])
    finally:
        book.close()
    raise AssertionError(f"{code} is not in the list export")


@pytest.mark.django_db
def test_the_whole_catalogue_is_kept(national_catalogue: str) -> None:  # noqa: F811
    assert "imported 2642, updated 0, unchanged 0, set aside 0" in national_catalogue
    assert Procedure.objects.count() == 2642
    assert Procedure.objects.filter(code__in=list(EXPECTED)).count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(EXPECTED))
def test_a_named_procedure_reads_back_as_its_page(
    code: str,
    national_catalogue: str,  # noqa: F811
) -> None:
    page = source_page(code)
    expected = EXPECTED[code]
    procedure = Procedure.objects.select_related("field").get(code=code)
    _code, _name, list_issuer, _bodies, list_field = list_row(code)

    # Identity, classification, publication.
    assert procedure.name == clean(page["ten_thu_tuc"])
    assert procedure.levels == page_levels(page) == expected["levels"]
    assert procedure.field is not None and procedure.field.name == clean(page["linh_vuc"])
    assert procedure.field.name == list_field
    assert procedure.issuing_body == list_issuer == "Bộ Tư pháp"
    assert procedure.executing_bodies == expected["bodies"]
    assert procedure.applicants == clean(page["doi_tuong_thuc_hien"])
    assert procedure.publication_decision == clean(page["so_quyet_dinh"])
    # None of the ten pages writes the decision's date: none is invented.
    assert "ngày" not in page["so_quyet_dinh"] and procedure.publication_decision_date is None
    assert procedure.portal_uuid == page_uuid(page)
    assert procedure.is_reference is expected["reference"]
    assert procedure.published is False and procedure.time_limit_confirmed is False

    # Result documents with their codes.
    results = [(r["name"], r["code"]) for r in procedure.result_documents]
    assert results == page_results(page) == expected["results"]

    # Channels as written: every row, and together the whole flattened cell, letter for letter.
    rows = procedure.channels_as_written
    assert [r["channel"] for r in rows] == [c for c, _ in expected["channels"]]
    for row, (_, time) in zip(rows, expected["channels"], strict=True):
        if time is not None:
            assert row["time"] == time
    flattened = clean(page["cach_thuc_thuc_hien"]).removeprefix(
        "Hình thức nộpThời gianPhí, lệ phíMô tả"
    )
    rebuilt = "".join(r["channel"] + r["time"] + r["fee"] + r["description"] for r in rows)
    assert squeeze(rebuilt) == squeeze(flattened)
    if expected["fee_starts"] is not None:
        assert rows[0]["fee"].startswith(expected["fee_starts"])
    assert procedure.time_limit_as_written == "; ".join(
        f"{r['channel']}: {r['time'] or NO_INFO}" for r in rows
    )
    assert procedure.fee_as_written == "; ".join(
        f"{r['channel']}: {r['fee'] or NO_INFO}" for r in rows
    )
    # The time limit is never guessed from the wording.
    assert procedure.time_limit_amount is None

    # Components: one per 'Số lượng' cell, in the page's order, names as written.
    components = list(procedure.components.order_by("order"))
    assert [(c.originals, c.copies) for c in components] == page_count_cells(page)
    table = squeeze(page["thanh_phan_ho_so"])
    position = 0
    for component in components:
        found = table.find(squeeze(component.name), position)
        assert found >= 0, component.name
        position = found + len(squeeze(component.name))
    assert [c.form_name for c in components if c.form_name] == expected["forms"]
    conditions = list(dict.fromkeys(c.condition for c in components))
    assert conditions == expected["conditions"]
    for condition in conditions:
        assert squeeze(condition) in table

    # Legal basis: the section as written, every document's name and number from it.
    legal = clean(page["can_cu_phap_ly"]).removeprefix("Tên văn bản pháp lýMã văn bản").strip()
    assert procedure.legal_basis == legal
    assert procedure.legal_documents
    for document in procedure.legal_documents:
        assert squeeze(document["name"]) in squeeze(legal)
        assert document["number"] and document["number"] in legal
        assert re.fullmatch(r"\d+(\.\d+)?/(\d{4}/)?[A-ZĐ][A-ZĐ0-9\-]*", document["number"])
    if "legal_numbers" in expected:
        assert [d["number"] for d in procedure.legal_documents] == expected["legal_numbers"]

    # The frozen version carries the same wording.
    content = procedure.versions.get().data
    assert content["time_limit_as_written"] == procedure.time_limit_as_written
    assert content["fee_as_written"] == procedure.fee_as_written

    # Structured readings: every channel's limit and fee as the page writes them.
    expected_limit: dict[str, Any] = {
        "stages": [],
        "ceiling": None,
        "start_event": "",
        "problems": [],
    }
    expected_limit |= EXPECTED_TIME_LIMITS[code]
    assert time_limit_reading(procedure.time_limit_spec) == expected_limit
    assert procedure.time_limit_spec["as_written"] == procedure.time_limit_as_written
    assert fee_reading(procedure.fee_spec) == EXPECTED_FEES[code]
    assert content["time_limit_spec"] == procedure.time_limit_spec
    assert content["fee_spec"] == procedure.fee_spec
