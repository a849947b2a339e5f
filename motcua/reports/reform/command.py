"""`motcua report reform`: the periodic reform report of a unit for a period.

    motcua report reform --period 2023-Q3 --unit DT --format json --out F

`json` is `{"figures": [...], "findings": [...], "document": {...}}`: each figure
`{"key", "label", "value", "window", "source"}`, each finding `{"level", "message",
"figures"}`, and the renderer's `document` (sections, printed figures, registers, signer).
The figures are read live (a preview of the draft; nothing is written to the database).
`docx` and `pdf` are the report as a Decree 30/2020 paper (`paper.py`; the PDF through
LibreOffice), `xlsx` its figures appendix. Bad unit or period: a Vietnamese message and exit
2, no file written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from motcua.lib.commands import CommandFailure

PROG = "motcua report reform"
FORMATS = ("json", "docx", "pdf", "xlsx")


def add_reform_parser(sub: Any) -> None:
    """The `reform` subcommand's arguments."""
    reform = sub.add_parser(
        "reform", help="báo cáo cải cách hành chính định kỳ (periodic reform report)"
    )
    reform.add_argument("--unit", help="mã đơn vị, ví dụ DT (unit code)")
    reform.add_argument("--period", help="2023-Q3, 2023-H1, 2023 hoặc 2023-M09")
    reform.add_argument(
        "--calendar", action="store_true", help="kỳ theo lịch thay cho kỳ Nghị định 09"
    )
    reform.add_argument("--body", default="", help="cơ quan nhận báo cáo (chọn mẫu đề cương)")
    reform.add_argument(
        "--format", default="json", help="json, docx, pdf hoặc xlsx (phụ lục số liệu)"
    )
    reform.add_argument("--out", help="tệp kết quả (ghi nguyên khối)")


def run_reform(options: dict[str, Any], stdout: Any) -> None:
    """Build the report and write it; CommandFailure (exit 2) for bad arguments."""
    from motcua.reports.management.commands.report import write_atomically
    from motcua.reports.reform.build import build_report
    from motcua.reports.reform.services import ReportError, check_unit, read_period
    from motcua.reports.reform.templates import template_for

    fmt = str(options.get("format") or "json").lower()
    if fmt not in FORMATS:
        raise CommandFailure(
            f"{PROG}: --format: “{fmt}” không hợp lệ, dùng một trong {', '.join(FORMATS)}", code=2
        )
    raw_out = options.get("out")
    if not raw_out:
        raise CommandFailure(f"{PROG}: --out: cần tên tệp kết quả", code=2)
    out = Path(raw_out).expanduser()
    if out.is_dir() or not out.parent.is_dir():
        raise CommandFailure(f"{PROG}: --out: không ghi được vào “{raw_out}”", code=2)
    if not options.get("period"):
        raise CommandFailure(f"{PROG}: --period: cần kỳ báo cáo, ví dụ 2023-Q3", code=2)
    try:
        period = read_period(options["period"], calendar=bool(options.get("calendar")))
        code = check_unit(str(options.get("unit") or ""), period)
    except ReportError as exc:
        name = f"--{exc.field}: " if exc.field else ""
        raise CommandFailure(f"{PROG}: {name}{exc.message}", code=2) from None
    template = template_for(period.last.year, str(options.get("body") or ""))
    report = build_report(code, period, cutoff=timezone.now(), template=template)
    data = _render(report, fmt)
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise CommandFailure(f"{PROG}: --out: không ghi được “{out}”: {exc}", code=1) from None
    errors = sum(1 for f in report.findings if f["level"] == "error")
    warnings = len(report.findings) - errors
    stdout.write(str(out))
    stdout.write(
        f"{len(report.figures)} số liệu; kiểm tra: {errors} lỗi, {warnings} cảnh báo "
        f"({report.period.label})."
    )


def _render(report: Any, fmt: str) -> bytes:
    """The report in `fmt`: the JSON contract, or the paper (DOCX, PDF, XLSX appendix)."""
    if fmt == "json":
        return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()
    from motcua.documents import decree30
    from motcua.documents.render import DocumentError
    from motcua.reports.reform.paper import administrative_document

    paper = administrative_document(report.document())
    try:
        if fmt == "docx":
            return decree30.render_docx(paper)
        if fmt == "pdf":
            return decree30.render_pdf(paper)
        return decree30.appendix_xlsx(paper.appendices[0], document=paper)
    except DocumentError as exc:
        raise CommandFailure(f"{PROG}: --format {fmt}: {exc}", code=1) from None
