"""Biểu 06/VPCP/KSTT: the worked example in every format, generated data, grouping, the command."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from motcua.conftest import Province
from motcua.documents.exporters import export, list_exporters
from motcua.documents.render import DocumentError
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.periods import parse_period
from motcua.reports.bieu06 import (
    TITLE,
    Bieu06,
    Line,
    TableDoesNotAddUp,
    build_bieu06,
    check_columns,
    layout_levels,
)
from motcua.reports.management.commands import report as report_command
from motcua.stats.figures import Figures

# statistics.md §3: the worked example's row, columns 3 … 13.
WORKED = [10, 3, 4, 3, 6, 1, 3, 2, 4, 3, 1]
FOOTNOTE = "(*) Cột 9 gồm cả 1 hồ sơ trả lại sau tiếp nhận và 1 hồ sơ rút, dừng giải quyết."
PERIOD_LINE = "Kỳ báo cáo: Tháng 03/2025 (từ ngày 15/02/2025 đến ngày 14/03/2025)"
HEADINGS = [
    "STT",
    "Lĩnh vực, công việc giải quyết theo cấp",
    "Số hồ sơ nhận giải quyết",
    "Số hồ sơ đã giải quyết",
    "Số hồ sơ đang giải quyết",
    "Tổng số",
    "Trong đó: Số mới tiếp nhận",
    "Trực tuyến",
    "Trực tiếp, dịch vụ bưu chính",
    "Số kỳ trước chuyển qua",
    "Trước hạn",
    "Đúng hạn (*)",
    "Quá hạn",
    "Trong hạn",
]
MARCH = ["--period", "2025-M03", "--unit", "DT"]


def report(*args: str) -> tuple[int, str, str]:
    """Run `motcua report dossiers ARGS`; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", "dossiers", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def stats_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", "dossiers", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def columns_from_json(data: dict[str, Any]) -> list[int]:
    """Biểu 06 columns 3 … 13 from the `motcua stats dossiers` contract (statistics.md §3)."""
    rec, res, other, pend = (
        data["received"],
        data["resolved"],
        data["closed_other"],
        data["pending"],
    )
    folded = other["refused"] + other["withdrawn"]
    return [
        rec["total"],
        rec["new_online"],
        rec["new_direct"] + rec["new_postal"],
        rec["carried_over"],
        res["total"] + folded,
        res["early"],
        res["on_time"] + folded,
        res["late"],
        pend["total"],
        pend["within_deadline"],
        pend["overdue"],
    ]


def xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    sheet = load_workbook(path).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def table_rows(rows: list[tuple[Any, ...]]) -> list[tuple[str, str, list[int]]]:
    """(number, label, columns 3 … 13) of every data row of the sheet (after '(13)')."""
    start = next(i for i, r in enumerate(rows) if r[12] == "(13)") + 1
    result = []
    for row in rows[start:]:
        if row[1] is None:
            break
        result.append((row[0] or "", row[1], list(row[2:13])))
    return result


def assert_adds_up(lines: list[tuple[str, str, list[int]]]) -> None:
    """Group rows = sum of their items, the total = sum of the groups, identities per row."""
    groups: list[tuple[list[int], list[list[int]]]] = []
    for number, label, values in lines:
        c = dict(zip(range(3, 14), values, strict=True))
        assert c[3] == c[4] + c[5] + c[6] == c[7] + c[11], label
        assert c[7] == c[8] + c[9] + c[10] and c[11] == c[12] + c[13], label
        if label == "Tổng cộng":
            assert [sum(col) for col in zip(*(g for g, _ in groups), strict=True)] == values
        elif re.fullmatch(r"[IVX]+", number):
            groups.append((values, []))
        else:
            groups[-1][1].append(values)
    for subtotal, items in groups:
        expected = [sum(col) for col in zip(*items, strict=True)] if items else [0] * 11
        assert subtotal == expected


# -- the worked example in every format ---------------------------------------------------------


def test_worked_example_xlsx(march: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bieu06.xlsx"
    code, stdout, _ = report(*MARCH, "--format", "xlsx", "--out", str(out))
    assert code == 0
    assert stdout.splitlines()[0] == str(out)
    assert "nhận 10, đã giải quyết 6 (trong đó 1 trả lại, 1 rút/dừng), đang giải quyết 4" in (
        stdout
    )
    rows = xlsx_rows(out)
    lines = table_rows(rows)
    total = next(values for _, label, values in lines if label == "Tổng cộng")
    assert total == WORKED
    assert all(type(v) is int for v in total)  # numbers, not text
    # before 2025-07-01: three levels; the example's dossiers are commune-level "Hộ tịch"
    assert [(n, label) for n, label, _ in lines] == [
        ("I", "Cấp tỉnh"),
        ("II", "Cấp huyện"),
        ("III", "Cấp xã"),
        ("1", "Hộ tịch"),
        ("", "Tổng cộng"),
    ]
    assert lines[2][2] == lines[3][2] == WORKED and lines[0][2] == [0] * 11
    assert_adds_up(lines)
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert FOOTNOTE in texts
    assert TITLE in texts and PERIOD_LINE in texts
    assert "Đơn vị tính: Số hồ sơ TTHC" in texts
    assert "Đơn vị báo cáo: Ủy ban nhân dân tỉnh Đồng Tháp" in texts
    assert {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"} <= set(texts)
    assert {"Người lập biểu", "Thủ trưởng đơn vị"} <= set(texts)
    assert set(HEADINGS) <= set(texts)


def test_xlsx_layout(march: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    assert report(*MARCH, "--format", "xlsx", "--out", str(out))[0] == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    merged = {str(r) for r in sheet.merged_cells.ranges}
    head = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    assert {
        f"A{head}:A{head + 2}",  # STT over three rows
        f"C{head}:F{head}",  # received
        f"G{head}:J{head}",  # resolved
        f"K{head}:M{head}",  # pending
        f"D{head + 1}:E{head + 1}",  # of which new
    } <= merged
    assert sheet.freeze_panes == f"C{head + 4}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    total = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "Tổng cộng")
    assert sheet.cell(total, 3).font.bold and sheet.cell(total, 3).font.name == "Times New Roman"
    assert sheet.cell(total, 3).border.left.style == "thin"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width


def test_worked_example_docx(march: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bieu06.docx"
    assert report(*MARCH, "--format", "docx", "--out", str(out))[0] == 0
    doc = Document(str(out))
    grid = next(t for t in doc.tables if len(t.columns) == 13)
    last = [c.text for c in grid.rows[-1].cells]
    assert last[1] == "Tổng cộng"
    assert [int(v) for v in last[2:]] == WORKED
    header = {c.text for row in grid.rows[:3] for c in row.cells}
    assert set(HEADINGS) <= header
    assert [c.text for c in grid.rows[3].cells] == [f"({n})" for n in range(1, 14)]
    paragraphs = [p.text for p in doc.paragraphs]
    assert TITLE in paragraphs and PERIOD_LINE in paragraphs and FOOTNOTE in paragraphs
    heading = {c.text for t in doc.tables[:1] for c in t.rows[0].cells}
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in h for h in heading)
    assert any("Độc lập - Tự do - Hạnh phúc" in h for h in heading)
    signatures = " ".join(c.text for c in doc.tables[-1].rows[0].cells)
    assert "Người lập biểu" in signatures and "Thủ trưởng đơn vị" in signatures
    assert re.search(r"Đồng Tháp, ngày \d\d tháng \d\d? năm \d{4}", signatures)
    section = doc.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)  # landscape
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_worked_example_pdf(march: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "bieu06.pdf"
    assert report(*MARCH, "--format", "pdf", "--out", str(out))[0] == 0
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Đồng Tháp" in text
    total = next(line for line in text.splitlines() if "Tổng cộng" in line)
    assert [int(n) for n in re.findall(r"\d+", total)] == WORKED
    flat = " ".join(text.split())
    assert "1 hồ sơ trả lại sau tiếp nhận" in flat and "1 hồ sơ rút, dừng giải quyết" in flat
    assert "Quý" not in flat and "Tháng 03/2025" in flat


def test_same_numbers_as_stats_json(march: dict[str, Any], tmp_path: Path) -> None:
    """The issue's acceptance criterion: one query, the same numbers in every format."""
    data = stats_json(*MARCH)
    out = tmp_path / "b.xlsx"
    assert report(*MARCH, "--format", "xlsx", "--out", str(out))[0] == 0
    rows = xlsx_rows(out)
    total = next(v for _, label, v in table_rows(rows) if label == "Tổng cộng")
    assert total == columns_from_json(data) == WORKED
    refused, withdrawn = data["closed_other"]["refused"], data["closed_other"]["withdrawn"]
    assert (
        f"(*) Cột 9 gồm cả {refused} hồ sơ trả lại sau tiếp nhận và {withdrawn} hồ sơ rút, "
        "dừng giải quyết." in [v for row in rows for v in row]
    )


def test_rows_by_unit(march: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    assert report(*MARCH, "--rows", "unit", "--format", "xlsx", "--out", str(out))[0] == 0
    lines = table_rows(xlsx_rows(out))
    assert [(n, label) for n, label, _ in lines] == [
        ("I", "Cấp tỉnh"),
        ("II", "Cấp huyện"),
        ("III", "Cấp xã"),
        ("1", "Ủy ban nhân dân xã Mỹ An"),
        ("", "Tổng cộng"),
    ]
    assert lines[3][2] == lines[-1][2] == WORKED


# -- generated data -------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", ["field", "unit"])
def test_generated_data_adds_up(mixed: dict[str, Any], tmp_path: Path, rows: str) -> None:
    out = tmp_path / f"{rows}.xlsx"
    args = ["--period", "2023-Q3", "--unit", "DT"]
    assert report(*args, "--rows", rows, "--format", "xlsx", "--out", str(out))[0] == 0
    lines = table_rows(xlsx_rows(out))
    assert_adds_up(lines)
    groups = [label for n, label, _ in lines if re.fullmatch(r"[IVX]+", n)]
    assert groups == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    items = {label for n, label, _ in lines if n.isdigit()}
    if rows == "field":
        assert items == {"Hộ tịch", "Đất đai", "Đầu tư"}
    else:
        assert "Văn phòng Ủy ban nhân dân tỉnh" in items and "Ủy ban nhân dân xã Mỹ An" in items
    total = lines[-1][2]
    assert total == columns_from_json(stats_json(*args))
    assert total[0] > 10 and total[4] > 0 and total[8] > 0  # the data covers every block
    table = build_bieu06(code="DT", period=parse_period("2023-Q3"), rows_by=rows)
    assert table.total.refused + table.total.withdrawn > 0 and table.footnote


def test_grouping_after_the_reform(province: Province, root: Any) -> None:
    assert layout_levels(parse_period("2025-H1")) == ("province", "district", "commune")
    assert layout_levels(parse_period("2025-Q4")) == ("province", "commune")
    commune = make_procedure("3.000001", units=[province.new_commune], amount=5)
    services.receive_dossier(
        actor=root,
        procedure=commune,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=local(2025, 10, 6, 9),
    )
    table = build_bieu06(code="DT", period=parse_period("2025-Q4"))
    assert [(line.number, line.label) for line in table.lines()] == [
        ("I", "Cấp tỉnh"),
        ("II", "Cấp xã"),
        ("1", "Hộ tịch"),
        ("", "Tổng cộng"),
    ]
    assert table.total.received == 1 and table.footnote == ""
    # a district-level dossier after the reform is never dropped: it gets its own group
    district = make_procedure("3.000002", units=[province.new_commune], amount=5, level="district")
    services.receive_dossier(
        actor=root,
        procedure=district,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=local(2025, 10, 7, 9),
    )
    table = build_bieu06(code="DT", period=parse_period("2025-Q4"), rows_by="unit")
    assert [line.label for line in table.lines() if line.kind == "group"] == [
        "Cấp tỉnh",
        "Cấp huyện",
        "Cấp xã",
    ]
    assert table.total.received == 2


# -- checks and footnote --------------------------------------------------------------------------


def test_footnote_and_mark_only_when_something_is_folded(province: Province) -> None:
    table = build_bieu06(code="DT", period=parse_period("2025-M03"))
    assert table.footnote == "" and table.total == Figures()
    assert ("Đúng hạn", 2, 9, 2, 1) in table.header_cells()
    table.total = Figures(withdrawn=2)
    assert table.footnote == "(*) Cột 9 gồm cả 2 hồ sơ rút, dừng giải quyết."
    assert ("Đúng hạn (*)", 2, 9, 2, 1) in table.header_cells()


def test_a_table_that_does_not_add_up_is_refused(march: dict[str, Any]) -> None:
    with pytest.raises(TableDoesNotAddUp, match="3 = 7 \\+ 11"):
        check_columns((10, 3, 4, 3, 6, 1, 3, 2, 5, 3, 2), "row")
    table = build_bieu06(code="DT", period=parse_period("2025-M03"))
    table.groups[0].items.append(Line("item", "1", "Thêm", Figures(new_online=1, overdue=1)))
    with pytest.raises(TableDoesNotAddUp, match="Cấp tỉnh"):
        table.check()


def test_provisional_figures_say_as_of(province: Province) -> None:
    period = parse_period("2026")  # window 15/12/2025 – 14/12/2026, not closed yet
    table = build_bieu06(code="DT", period=period)
    assert isinstance(table, Bieu06) and table.provisional
    assert table.as_of_line.startswith("Số liệu tạm tính đến ")
    assert table.as_of_line in table.heading_lines


# -- the command's contract -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-M03", "--unit", "DT", "--format", "xlsx"], "--out: an output file"),
        (["--period", "2025-M03", "--unit", "NOPE"], "unit 'NOPE' does not exist"),
        (["--period", "2025-Q5", "--unit", "DT"], "--period: '2025-Q5' is not a period"),
        (["--period", "2025-M03"], "--unit: a unit code is required"),
        (["--from", "2025-02-15", "--unit", "DT"], "--to: give --period, or both"),
        (["--from", "2025-02-30", "--to", "2025-03-14", "--unit", "DT"], "--from: '2025-02-30'"),
        ([*MARCH, "--rows", "procedure"], "--rows: 'procedure' is not one of field, unit"),
        ([*MARCH, "--format", "csv"], "--format: 'csv' is not one of xlsx, docx, pdf"),
    ],
)
def test_bad_arguments_exit_2_and_write_no_file(
    province: Province, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "bieu06.xlsx"
    extra = [] if message.startswith("--out") else ["--out", str(out)]
    code, stdout, err = report(*args, *extra)
    assert code == 2
    assert message in err
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_out_must_be_a_file_in_an_existing_folder(province: Province, tmp_path: Path) -> None:
    code, _, err = report(*MARCH, "--out", str(tmp_path / "missing" / "b.xlsx"))
    assert code == 2 and "--out: the folder" in err
    code, _, err = report(*MARCH, "--out", str(tmp_path))
    assert code == 2 and "is a folder" in err
    code, _, err = report(*MARCH, "--out", str(tmp_path / "b.txt"))
    assert code == 2 and "--format: give one of xlsx, docx, pdf" in err
    assert list(tmp_path.iterdir()) == []
    # the format is taken from the file name when --format is left out
    assert report(*MARCH, "--out", str(tmp_path / "b.docx"))[0] == 0
    assert Document(str(tmp_path / "b.docx")).tables


def test_a_failure_leaves_the_old_file_untouched(
    march: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b.pdf"
    out.write_bytes(b"old")

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise DocumentError("LibreOffice không tạo được PDF")

    monkeypatch.setattr(report_command, "render", broken)
    code, _, err = report(*MARCH, "--out", str(out))
    assert code == 1 and "LibreOffice" in err
    assert out.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [out]

    def inconsistent(**kwargs: Any) -> Bieu06:
        raise TableDoesNotAddUp("Cấp xã: 3 = 7 + 11 do not hold")

    monkeypatch.setattr(report_command, "build_bieu06", inconsistent)
    code, _, err = report(*MARCH, "--out", str(out))
    assert code == 1 and "do not add up" in err and "3 = 7 + 11" in err
    assert out.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [out]

    def no_rename(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report_command.os, "replace", no_rename)
    with pytest.raises(OSError, match="disk full"):
        report_command.write_atomically(out, b"new")
    assert out.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [out]


def test_exporter_is_registered(march: dict[str, Any]) -> None:
    assert "report.bieu06" in {e.identifier for e in list_exporters()}
    made = export("report.bieu06", {"unit": "DT", "period": "2025-M03", "rows": "unit"}, "xlsx")
    assert made.filename == "bieu06_DT_20250215-20250314.xlsx"
    assert made.content_type.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(made.data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert next(v for _, label, v in table_rows(rows) if label == "Tổng cộng") == WORKED
