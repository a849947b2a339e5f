"""`motcua import index-published`: the real Phú Thọ file, idempotence, bad input, exit codes."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.index766.choices import MappingMethod, PortalLevel
from motcua.index766.models import PortalUnitMapping, PublishedFigure
from motcua.index766.tests.phutho import PUBLISHED, build_phutho, published

pytestmark = pytest.mark.django_db


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `motcua import index-published …`; (exit status, out, err)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import", "index-published", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_the_real_file_reads_163_units_and_the_province_with_the_files_totals(capsys):
    status, out, err = run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    assert status == 0, err
    assert "đã đọc 163 đơn vị" in out
    assert "164 mới, 0 cập nhật, 0 không đổi" in out
    rows = PublishedFigure.objects.filter(period_code="2026-M08", group="progress")
    units = rows.exclude(portal_level=PortalLevel.ROOT)
    assert units.count() == 163
    assert units.filter(portal_level=PortalLevel.COMMUNE).count() == 148
    assert units.filter(portal_level=PortalLevel.PROVINCE).count() == 15
    assert sum(r.received for r in units) == 184513
    assert sum(r.on_time for r in units) == 144625
    assert sum(r.overdue or 0 for r in units) == 39888
    parent = rows.get(portal_level=PortalLevel.ROOT)
    assert (parent.portal_unit_code, parent.received, parent.on_time) == ("H44", 184513, 144625)
    assert parent.completed == 147765
    assert (parent.ratio, parent.score, parent.max_score) == (
        Decimal("78.38"),
        Decimal("15.68"),
        Decimal("20"),
    )
    assert parent.first_day.isoformat() == "2026-08-01"
    assert parent.last_day.isoformat() == "2026-08-31"
    # Each stored row equals the file's row, field by field.
    for row in published()["data"]["children"]:
        got = units.get(portal_unit_id=row["departmentId"])
        assert (got.portal_unit_code, got.portal_unit_name, got.received, got.on_time) == (
            row["departmentCode"],
            row["departmentName"],
            row["totalReceived"],
            row["totalOnTime"],
        )
        assert (got.overdue, got.ratio, got.score) == (
            row["totalOverdue"],
            Decimal(str(row["ratio"])),
            Decimal(str(row["score"])),
        )
    waiting = units.get(portal_unit_code="H44.13")  # Sở Ngoại vụ: 2 dossiers, both overdue
    assert (waiting.received, waiting.on_time, waiting.overdue, waiting.score) == (2, 0, 2, 0)
    assert "bằng số tổng của tỉnh" in out


def test_a_second_run_changes_nothing(capsys):
    run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    status, out, _err = run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    assert status == 0
    assert "0 mới, 0 cập nhật, 164 không đổi" in out
    assert PublishedFigure.objects.count() == 164
    assert PortalUnitMapping.objects.count() == 164


def test_a_corrected_figure_updates_its_row_only(tmp_path: Path, capsys):
    run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    data = published()
    row = data["data"]["children"][1]
    row["totalOnTime"] -= 1
    row["totalOverdue"] += 1
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    status, out, err = run(str(changed), "--period", "2026-M08", capsys=capsys)
    assert status == 0, err
    assert "0 mới, 1 cập nhật, 163 không đổi" in out
    assert "khác số tổng của tỉnh" in out  # the children no longer add up to the parent
    got = PublishedFigure.objects.get(portal_unit_id=row["departmentId"])
    assert got.on_time == row["totalOnTime"]


def test_the_period_is_required_and_checked_against_the_file(capsys):
    status, _out, err = run(str(PUBLISHED), capsys=capsys)
    assert status == 2 and "--period" in err
    status, _out, err = run(str(PUBLISHED), "--period", "2026-M07", capsys=capsys)
    assert status == 2 and "tháng 08" in err
    status, _out, err = run(str(PUBLISHED), "--period", "tháng 8", capsys=capsys)
    assert status == 2 and "không hợp lệ" in err
    assert not PublishedFigure.objects.exists()


def test_an_unreadable_file_exits_1(tmp_path: Path, capsys):
    status, _out, err = run(str(tmp_path / "none.json"), "--period", "2026-M08", capsys=capsys)
    assert status == 1 and "không đọc được" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"code": "OK",\n "data": {', encoding="utf-8")
    status, _out, err = run(str(broken), "--period", "2026-M08", capsys=capsys)
    assert status == 1 and "dòng 2" in err
    other = tmp_path / "other.json"
    other.write_text('{"code": "OK", "data": {"rows": []}}', encoding="utf-8")
    status, _out, err = run(str(other), "--period", "2026-M08", capsys=capsys)
    assert status == 1 and "data.children" in err
    assert not PublishedFigure.objects.exists()


def test_bad_rows_exit_2_naming_record_line_and_field_and_write_nothing(tmp_path, capsys):
    data = published()
    children = data["data"]["children"]
    children[4]["totalReceived"] = -3
    children[9]["departmentCode"] = ""
    children[20]["totalOnTime"] = children[20]["totalReceived"] + 5
    children[30]["departmentId"] = children[0]["departmentId"]
    path = tmp_path / "bad.json"
    # One record per line: record N is on line N + 1.
    text = json.dumps({**data, "data": {**data["data"], "children": []}}, ensure_ascii=False)
    body = ",\n".join(json.dumps(c, ensure_ascii=False) for c in children)
    path.write_text(text.replace('"children": []', '"children": [\n' + body + "\n]"), "utf-8")
    status, _out, err = run(str(path), "--period", "2026-M08", capsys=capsys)
    assert status == 2
    assert "bản ghi 5 (dòng 6, " in err and "totalReceived" in err
    assert "bản ghi 10 (dòng 11): departmentCode: thiếu hoặc rỗng" in err
    assert "bản ghi 21 (dòng 22" in err and "totalOnTime" in err
    assert "bản ghi 31 (dòng 32" in err and "đã có ở bản ghi 1" in err
    assert "không ghi gì" in err
    assert not PublishedFigure.objects.exists()
    assert not PortalUnitMapping.objects.exists()


def test_units_are_mapped_automatically_by_name_and_code(capsys):
    province = build_phutho()
    status, out, err = run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    assert status == 0, err
    mapped = PortalUnitMapping.objects.filter(unit__isnull=False)
    assert mapped.count() == 164, out
    root = PortalUnitMapping.objects.get(portal_unit_code="H44")
    assert root.unit == province and root.method == MappingMethod.NAME
    commune = PortalUnitMapping.objects.get(portal_unit_name="UBND Phường Việt Trì")
    assert commune.unit is not None and commune.unit.name == "Phường Việt Trì"
    suffixed = PortalUnitMapping.objects.get(portal_unit_name__startswith="UBND xã Lâm Thao")
    assert suffixed.unit is not None and suffixed.unit.name == "Xã Lâm Thao"
    health = PortalUnitMapping.objects.get(portal_unit_name="Sở Y tế - Tỉnh Phú Thọ")
    assert health.unit is not None and health.unit.name == "Sở Y tế"
    # Each motcua unit is one portal unit.
    assert len(set(mapped.values_list("unit_id", flat=True))) == 164
    assert ObjectChange.objects.filter(reason="ghép tự động").count() == 164
    assert "164 theo tên, 0 đã ghép từ trước, 0 chưa ghép" in out


def test_ambiguous_and_unknown_units_stay_unmapped_and_are_listed(capsys):
    province = build_phutho()
    from motcua.units.models import Unit

    # A second "Phường Việt Trì" under the province makes the name ambiguous.
    Unit.objects.create(code="X1", name="UBND phường Việt Trì", level="commune", parent=province)
    Unit.objects.filter(name="Sở Y tế").delete()
    status, out, _err = run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    assert status == 0
    viet_tri = PortalUnitMapping.objects.get(portal_unit_name="UBND Phường Việt Trì")
    health = PortalUnitMapping.objects.get(portal_unit_name="Sở Y tế - Tỉnh Phú Thọ")
    assert viet_tri.unit is None and health.unit is None
    assert "2 chưa ghép" in out
    assert "chưa ghép: H44.100 UBND Phường Việt Trì (nhiều đơn vị cùng tên" in out
    assert "Sở Y tế - Tỉnh Phú Thọ (không có đơn vị nào cùng mã hoặc cùng tên)" in out


def test_a_unit_whose_code_is_the_portal_code_is_mapped_by_code_and_kept(capsys):
    build_phutho()
    from motcua.units.models import Unit

    (code,) = [
        c["departmentCode"]
        for c in published()["data"]["children"]
        if c["departmentName"] == "Sở Y tế - Tỉnh Phú Thọ"
    ]
    Unit.objects.filter(name="Sở Y tế").update(code=code)
    run(str(PUBLISHED), "--period", "2026-M08", capsys=capsys)
    health = PortalUnitMapping.objects.get(portal_unit_name="Sở Y tế - Tỉnh Phú Thọ")
    assert health.method == MappingMethod.CODE
    assert health.unit is not None and health.unit.name == "Sở Y tế"
    # A correction by hand survives a re-import.
    other = Unit.objects.get(name="Sở Tài chính")
    PortalUnitMapping.objects.filter(unit=other).update(unit=None)
    PortalUnitMapping.objects.filter(pk=health.pk).update(unit=other, method=MappingMethod.MANUAL)
    call_command("import", "index-published", str(PUBLISHED), "--period", "2026-M08")
    health.refresh_from_db()
    assert health.unit == other and health.method == MappingMethod.MANUAL
