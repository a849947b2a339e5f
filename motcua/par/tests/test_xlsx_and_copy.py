"""Importing a set from XLSX (same columns, line numbers in errors) and copying last year's set
(`motcua par copy-set`, the Department of Home Affairs' button), all or nothing."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from motcua.audit.models import ObjectChange
from motcua.par.importers import SET_HEADER, SET_OPTIONAL
from motcua.par.models import CriteriaSet
from motcua.par.tests.process_support import staff  # noqa: F401
from motcua.par.tests.support import par

pytestmark = pytest.mark.django_db
Cap = pytest.CaptureFixture[str]

ROWS: list[list[Any]] = [
    ["1", "", "Công tác chỉ đạo, điều hành CCHC", 10.5, "", "", "", ""],
    ["1.1", "1", "Kế hoạch CCHC", 9.25, "", "", "Kế hoạch năm", ""],
    ["1.2", "1", "Báo cáo về kiểm soát TTHC", 1.25, "timeliness", '{"late_fraction": 0.5}', "", ""],
    ["3", "", "Cải cách thủ tục hành chính", 2, "", "", "", ""],
    [
        "3.1",
        "3",
        "Tỷ lệ hồ sơ đúng hạn",
        2,
        "bands",
        '{"bands": [{"ge": 95, "points": 2}, {"ge": 80, "lt": 95, "points": 1}]}',
        "",
        "dossiers_on_time",
    ],
]


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(SET_HEADER + SET_OPTIONAL)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def import_xlsx(capsys: Cap, path: Path, code: str = "QNG-SO-2022") -> tuple:
    return par(
        capsys,
        "import-set",
        str(path),
        "--code",
        code,
        "--year",
        "2022",
        "--unit-type",
        "department",
        "--survey-max",
        "33.5",
    )


def test_a_set_imports_from_xlsx_with_its_numbers_rules_and_data_sources(
    capsys: Cap, tmp_path: Path
) -> None:
    status, out, err = import_xlsx(capsys, xlsx(tmp_path / "bo.xlsx", ROWS))
    assert status == 0, err
    assert "5 criteria in 2 fields" in out
    s = CriteriaSet.objects.get(code="QNG-SO-2022")
    leaf = s.criteria.get(code="3.1")
    assert (leaf.max_points, leaf.rule, leaf.data_source) == (D("2"), "bands", "dossiers_on_time")
    assert leaf.params["bands"][0] == {"ge": 95, "points": 2}
    assert s.criteria.get(code="1.1").max_points == D("9.25")
    assert s.criteria.get(code="1.1").evidence_requirement == "Kế hoạch năm"


def test_a_bad_xlsx_row_names_its_spreadsheet_row_and_writes_nothing(
    capsys: Cap, tmp_path: Path
) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][3] = "abc"  # row 4 of the sheet
    rows[4][4] = "guess"  # row 6
    status, _out, err = import_xlsx(capsys, xlsx(tmp_path / "bo.xlsx", rows))
    assert status == 1
    assert "line 4: max_points: expected a number" in err
    assert "line 6: rule 'guess' is unknown" in err
    assert not CriteriaSet.objects.exists()
    (tmp_path / "not.xlsx").write_bytes(b"plain text")
    status, _out, err = import_xlsx(capsys, tmp_path / "not.xlsx")
    assert status == 1 and "is not an XLSX workbook" in err


def test_copy_set_copies_the_tree_into_a_new_draft_all_or_nothing(
    capsys: Cap, tmp_path: Path
) -> None:
    assert import_xlsx(capsys, xlsx(tmp_path / "bo.xlsx", ROWS))[0] == 0
    old = CriteriaSet.objects.get(code="QNG-SO-2022")
    old.bonus_cap = D("2")
    old.status = "published"
    old.save()
    status, out, err = par(
        capsys, "copy-set", "--from", "QNG-SO-2022", "--code", "QNG-SO-2023", "--year", "2023"
    )
    assert status == 0, err
    assert "QNG-SO-2023: 5 criteria copied from QNG-SO-2022" in out
    new = CriteriaSet.objects.get(code="QNG-SO-2023")
    assert (new.year, new.status, new.survey_max, new.bonus_cap) == (
        2023,
        "draft",
        D("33.5"),
        D("2"),
    )

    def tree(s: CriteriaSet) -> list[tuple]:
        return [
            (
                c.code,
                c.parent.code if c.parent else "",
                c.name,
                c.max_points,
                c.rule,
                c.params,
                c.data_source,
                c.level,
            )
            for c in s.criteria.select_related("parent").order_by("order")
        ]

    assert tree(new) == tree(old)
    assert ObjectChange.objects.filter(reason="Sao chép từ bộ tiêu chí QNG-SO-2022").count() == 1
    # the code exists: refused, nothing written
    status, _out, err = par(
        capsys, "copy-set", "--from", "QNG-SO-2022", "--code", "QNG-SO-2023", "--year", "2024"
    )
    assert status == 1 and "Đã có bộ tiêu chí QNG-SO-2023" in err
    assert CriteriaSet.objects.get(code="QNG-SO-2023").year == 2023
    status, _out, err = par(
        capsys, "copy-set", "--from", "NOPE", "--code", "QNG-SO-2024", "--year", "2024"
    )
    assert status == 2 and CriteriaSet.objects.count() == 2


def test_home_affairs_copies_a_set_with_a_button(
    capsys: Cap,
    tmp_path: Path,
    staff: dict,  # noqa: F811
) -> None:
    assert import_xlsx(capsys, xlsx(tmp_path / "bo.xlsx", ROWS))[0] == 0
    hana = Client()
    hana.force_login(staff["hana"])
    page = hana.get("/chi-so-cchc/QNG-SO-2022/quy-trinh/").content.decode()
    assert 'value="QNG-SO-2023"' in page and "Sao chép bộ tiêu chí" in page
    url = "/chi-so-cchc/QNG-SO-2022/quy-trinh/sao-chep/"
    response = hana.post(url, {"ma_bo": "QNG-SO-2023", "nam": "2023"})
    assert response.status_code == 302 and response["Location"].endswith("/QNG-SO-2023/quy-trinh/")
    assert CriteriaSet.objects.get(code="QNG-SO-2023").criteria.count() == 5
    again = hana.post(url, {"ma_bo": "QNG-SO-2023", "nam": "2023"})
    assert again.status_code == 400 and "Đã có bộ tiêu chí QNG-SO-2023" in again.content.decode()
    sam = Client()
    sam.force_login(staff["sam"])
    assert sam.post(url, {"ma_bo": "X-2024", "nam": "2024"}).status_code == 404
    assert not CriteriaSet.objects.filter(code="X-2024").exists()
