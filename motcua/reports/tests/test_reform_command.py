"""`motcua report reform --period 2023-Q3 --unit DT --format json --out F` (the contract)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from motcua.conftest import Province
from motcua.reports.models import Report


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", "reform", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def stats(what: str, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", what, *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_json_contract_equals_stats_for_the_same_unit_and_period(
    mixed: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "bao-cao.json"
    code, out, _err = run(
        "--period", "2023-Q3", "--unit", "DT", "--format", "json", "--out", str(target)
    )
    assert code == 0, out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data) >= {"figures", "findings"}
    for figure in data["figures"]:
        assert set(figure) == {"key", "label", "value", "window", "source"}
    for item in data["findings"]:
        assert set(item) == {"level", "message", "figures"} and item["level"] in (
            "error",
            "warning",
        )
    values = {f["key"]: f["value"] for f in data["figures"]}
    dossiers = stats("dossiers", "--period", "2023-Q3", "--unit", "DT")
    assert dossiers["received"]["total"] > 0
    assert values["dossiers.received"] == dossiers["received"]["total"]
    assert values["dossiers.resolved"] == dossiers["resolved"]["total"]
    assert values["dossiers.pending"] == dossiers["pending"]["total"]
    assert values["dossiers.carried_over"] == dossiers["received"]["carried_over"]
    assert values["dossiers.new_online"] == dossiers["received"]["new_online"]
    assert values["dossiers.refused"] == dossiers["closed_other"]["refused"]
    assert values["dossiers.online_share"] == dossiers["rates"]["online_share"]
    feedback = stats("feedback", "--period", "2023-Q3", "--unit", "DT")
    assert values["feedback.received"] == feedback["received"]
    tasks = stats("tasks", "--period", "2023-Q3", "--unit", "DT")
    assert values["tasks.in_scope"] == tasks["in_scope"]
    buffer = io.StringIO()
    call_command("index", "services", "--period", "2023-Q3", "--unit", "DT", stdout=buffer)
    index = json.loads(buffer.getvalue())
    assert values["index766.points"] == index["total"]["points"]
    window = next(f["window"] for f in data["figures"] if f["key"] == "index766.points")
    assert (window["kind"], window["from"], window["to"]) == (
        "calendar",
        index["from"],
        index["to"],
    )
    received = next(f for f in data["figures"] if f["key"] == "dossiers.received")
    assert received["label"] == "Tổng số hồ sơ tiếp nhận (kỳ trước chuyển qua và mới tiếp nhận)"
    assert received["window"]["from"] == "2023-06-15" and received["window"]["to"] == "2023-09-14"
    assert received["window"]["cutoff"].endswith("+07:00")
    assert received["source"]["url"].startswith("/thong-ke/ho-so/?")
    assert (
        "figure=received" in received["source"]["url"]
        and "period=2023-Q3" in received["source"]["url"]
    )
    # computed figures are consistent with themselves: no error finding
    assert [f for f in data["findings"] if f["level"] == "error"] == []
    # the renderer's part: sections numbered I … V and the appendix, Vietnamese headings
    sections = data["document"]["sections"]
    assert [s["number"] for s in sections] == ["I", "II", "III", "IV", "V", ""]
    assert sections[3]["heading"] == "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2023"
    printed = {f["key"]: f["printed"] for f in data["document"]["figures"]}
    assert (
        printed["dossiers.online_share"].endswith("%") and "," in printed["dossiers.online_share"]
    )
    assert Report.objects.count() == 0  # a preview: nothing written


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--period", "2023-Q3", "--unit", "XX"), "không có đơn vị mã “XX”"),
        (("--period", "2023-Q5", "--unit", "DT"), "kỳ báo cáo “2023-Q5” không hợp lệ"),
        (("--unit", "DT"), "cần kỳ báo cáo"),
        (("--period", "2023-Q3", "--unit", "DT", "--format", "odt"), "“odt” không hợp lệ"),
    ],
)
def test_bad_arguments_exit_2_and_write_nothing(
    province: Province, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    target = tmp_path / "x.json"
    code, _out, err = run(*args, "--out", str(target))
    assert code == 2
    assert words in err
    assert not target.exists()
    assert Report.objects.count() == 0


def test_docx_prints_every_figure_in_decree_30_format(
    mixed: dict[str, Any], tmp_path: Path
) -> None:
    """The DOCX passes the Decree 30 checker and prints every figure of the JSON, Vietnamese
    number format included (184.027; 51,20%)."""
    import docx

    from motcua.documents.decree30_check import check_decree30

    target, as_json = tmp_path / "bao-cao.docx", tmp_path / "bao-cao.json"
    base = ("--period", "2023-Q3", "--unit", "DT")
    assert run(*base, "--format", "json", "--out", str(as_json))[0] == 0
    code, _out, err = run(*base, "--format", "docx", "--out", str(target))
    assert code == 0, err
    content = target.read_bytes()
    assert check_decree30(content) == []
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "BÁO CÁO" in text and "Công tác cải cách hành chính quý III năm 2023" in text
    assert "(Số liệu tính từ 15/06/2023 đến 14/09/2023)" in text
    printed = json.loads(as_json.read_text(encoding="utf-8"))["document"]["figures"]
    assert printed
    for figure in printed:
        assert figure["label"] in cells, figure["key"]
        value = figure["printed"].removesuffix(" đồng")
        assert value in cells, (figure["key"], value)
    received = next(f for f in printed if f["key"] == "dossiers.received")
    assert received["printed"] == f"{received['value']:,}".replace(",", ".")


def test_pdf_keeps_every_diacritic(mixed: dict[str, Any], tmp_path: Path) -> None:
    import subprocess
    import unicodedata

    target = tmp_path / "bao-cao.pdf"
    code, _out, err = run(
        "--period", "2023-Q3", "--unit", "DT", "--format", "pdf", "--out", str(target)
    )
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = unicodedata.normalize("NFC", text)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Nơi nhận",
        "Phụ lục",
        "Tỷ lệ hồ sơ có kết quả điện tử",
    ):
        assert words in text, words


def test_a_commune_merged_mid_quarter_gets_its_report(province: Province, tmp_path: Path) -> None:
    """C1 closed on 30/06/2025: its Decree 09 quarter (15/06–14/09) exists, its calendar quarter
    (the 766 index's) does not — the report is made without the 766 figures."""
    target = tmp_path / "c1.json"
    code, _out, err = run(
        "--period", "2025-Q3", "--unit", "C1", "--format", "json", "--out", str(target)
    )
    assert code == 0, err
    keys = {f["key"] for f in json.loads(target.read_text(encoding="utf-8"))["figures"]}
    assert "dossiers.received" in keys
    assert not any(k.startswith("index766.") for k in keys)
