"""`motcua import catalogue`: the national exports kept whole, read back against the pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from motcua.lib.vntext import nfc
from motcua.procedures.catalogue_import import parse_components, parse_legal
from motcua.procedures.models import Procedure, ProcedureVersion
from motcua.procedures.services import ProcedureError, publish_procedure

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "tthc-catalogue-dvcqg"
PAGES = DATA / "raw" / "bo-tu-phap"
NAMED = ["1.002099", "1.000532", "2.002797", "1.014965", "2.000815", "1.000688"]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "catalogue", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def page(code: str) -> dict[str, str]:
    data = json.loads((PAGES / f"{code}.json").read_text(encoding="utf-8"))
    return {k: nfc(v).strip() if isinstance(v, str) else v for k, v in data.items()}


@pytest.mark.django_db(transaction=False)
def test_every_export_is_kept_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    assert DATA.is_dir(), f"{DATA} missing: clone shared/ beside the repository"
    code, out, err = run(str(DATA), "--rejects", str(tmp_path / "rejects.csv"))
    assert code == 0, err
    assert "imported 2642, updated 0, unchanged 0, set aside 0" in out
    assert Procedure.objects.count() == 2642
    reference = Procedure.objects.filter(is_reference=True)
    assert 1600 < reference.count() < 2642
    assert not Procedure.objects.published().exists()  # nothing offered before it is confirmed
    assert not Procedure.objects.filter(time_limit_confirmed=True).exists()
    # Every component and legal document of the 271 pages.
    for path in sorted(PAGES.glob("*.json")):
        data = page(path.stem)
        procedure = Procedure.objects.get(code=data["ma_thu_tuc"])
        expected = parse_components(data["thanh_phan_ho_so"])
        assert procedure.components.count() == len(expected), path.name
        legal, documents = parse_legal(data["can_cu_phap_ly"])
        assert procedure.legal_basis == legal.strip()
        assert procedure.legal_documents == documents
        assert procedure.portal_uuid == data["detail_url"].rsplit("/", 1)[-1]
    versions = ProcedureVersion.objects.count()
    code, out, _ = run(str(DATA), "--rejects", str(tmp_path / "rejects.csv"))
    assert code == 0
    assert "imported 0, updated 0, unchanged 2642, set aside 0" in out
    assert ProcedureVersion.objects.count() == versions
    assert not (tmp_path / "rejects.csv").exists()

    # Named procedures read back against their pages.
    for number in NAMED:
        source = page(number)
        procedure = Procedure.objects.get(code=number)
        assert procedure.name == source["ten_thu_tuc"].strip()
        assert procedure.publication_decision == source["so_quyet_dinh"]
        assert procedure.field is not None and procedure.field.name == source["linh_vuc"]
        names = [c.name for c in procedure.components.all()]
        assert names == [c["name"] for c in parse_components(source["thanh_phan_ho_so"])]
        for channel in procedure.channels_as_written:
            assert channel["channel"] in source["cach_thuc_thuc_hien"]
            assert channel["time"] in source["cach_thuc_thuc_hien"]
            assert channel["fee"] in source["cach_thuc_thuc_hien"]
        content = procedure.versions.get().data
        assert content["fee_as_written"] == procedure.fee_as_written
        assert content["time_limit_as_written"] == procedure.time_limit_as_written
    lawyers = Procedure.objects.get(code="1.002099")
    assert lawyers.levels == ["province"] and not lawyers.is_reference
    assert lawyers.executing_bodies == ["Sở Tư Pháp"]  # from the list: the page has none
    assert lawyers.time_limit_as_written == (
        "Trực tiếp: 5 Ngày; Trực tuyến: 7 Ngày; Dịch vụ bưu chính: 7 Ngày"
    )
    assert lawyers.time_limit_amount is None and not lawyers.time_limit_confirmed
    assert "5 Ngày" in lawyers.time_limit_text
    assert [c.name for c in lawyers.components.all()][:2] == [
        "Bản sao Giấy đăng ký hoạt động của tổ chức hành nghề luật sư thành lập chi nhánh",
        "Quyết định thành lập chi nhánh",
    ]
    assert [(c.originals, c.copies) for c in lawyers.components.all()][:2] == [(0, 1), (1, 0)]
    assert {"name": "Luật 20/2012/QH13", "number": "20/2012/QH13"} in lawyers.legal_documents
    assert lawyers.result_documents == [
        {
            "name": "Giấy đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
            "code": "KQ.G15.000093",
        }
    ]
    adoption = Procedure.objects.get(code="1.000532")
    assert adoption.levels == ["ministry"] and adoption.is_reference
    assert adoption.executing_bodies == ["Cục Hành chính tư pháp"]
    nationality = Procedure.objects.get(code="2.002797")
    assert nationality.is_reference and nationality.levels == ["ministry"]
    trustee = Procedure.objects.get(code="1.014965")
    assert trustee.components.get().form_name == "TP-QTV-03.docx"
    copies = Procedure.objects.get(code="2.000815")
    assert copies.levels == ["commune", "other"] and not copies.is_reference
    assert (
        copies.fee_as_written == "Trực tiếp: 2,000 Việt Nam Đồng(/trang); Trực tiếp: 10 USD(/bản)"
    )
    assert "Không có thông tin" in copies.time_limit_as_written
    licence = Procedure.objects.get(code="1.000688")
    assert "800,000 Việt Nam Đồng(áp dụng mức phí 400.000 đồng/hồ sơ" in licence.fee_as_written
    # A draft whose limit nobody confirmed, or a reference procedure, is never published.
    with pytest.raises(ProcedureError):
        publish_procedure(lawyers)
    with pytest.raises(ProcedureError):
        publish_procedure(adoption)
    bank = Procedure.objects.filter(issuing_body__contains="Ngân hàng").first()
    assert bank is not None and bank.is_reference and bank.levels


def _workbook(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS = [
    [
        "1.000001",
        " Thủ tục A ",
        "Bộ Tư pháp",
        "Sở Tư Pháp\nChủ tịch ủy ban nhân dân cấp tỉnh",
        "Luật sư",
    ],
    ["", "Không có mã", "Bộ Tư pháp", "Sở Tư Pháp", "Luật sư"],
    ["1.000002", "Thủ tục B", "Bộ Tư pháp", "Cục Con nuôi", "Nuôi con nuôi"],
    ["1.000001", "Trùng", "Bộ Tư pháp", "Sở Tư Pháp", "Luật sư"],
]


@pytest.mark.django_db
def test_rows_set_aside_are_reported_and_written_to_the_reject_file(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "list.xlsx", ROWS)
    code, out, err = run(str(source))
    assert code == 0, err
    assert "imported 2, updated 0, unchanged 0, set aside 2" in out
    with (tmp_path / "catalogue-rejects.csv").open(encoding="utf-8") as handle:
        rejects = list(csv.reader(handle))
    assert rejects[0] == ["file", "row", "code", "reason"]
    assert [(r[1], r[2]) for r in rejects[1:]] == [("4", ""), ("6", "1.000001")]
    first = Procedure.objects.get(code="1.000001")
    assert first.name == "Thủ tục A" and first.levels == ["province"] and not first.is_reference
    assert first.executing_bodies == ["Sở Tư Pháp", "Chủ tịch ủy ban nhân dân cấp tỉnh"]
    assert Procedure.objects.get(code="1.000002").is_reference


@pytest.mark.django_db
def test_strict_writes_nothing_when_a_row_is_set_aside(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "list.xlsx", ROWS)
    code, _, err = run(str(source), "--strict", "--rejects", str(tmp_path / "r.csv"))
    assert code == 1
    assert "--strict" in err
    assert not Procedure.objects.exists()
    assert (tmp_path / "r.csv").exists()
    good = _workbook(tmp_path / "good.xlsx", ROWS[:1])
    assert run(str(good), "--strict")[0] == 0
    assert Procedure.objects.count() == 1


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", ROWS[:1])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _, err = run(str(good), str(broken))
    assert code == 1
    assert "broken.xlsx: không đọc được tệp Excel" in err
    assert not Procedure.objects.exists()
    bad_json = tmp_path / "page.json"
    bad_json.write_text("{", encoding="utf-8")
    assert run(str(bad_json))[0] == 1
    assert run(str(tmp_path / "missing.xlsx"))[0] == 1
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    assert run(str(other))[0] == 2


@pytest.mark.django_db
def test_a_page_merges_into_its_list_row_and_the_page_wins(tmp_path: Path) -> None:
    source = _workbook(
        tmp_path / "list.xlsx",
        [["2.000815", "Tên cũ", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã", "Chứng thực"]],
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "2.000815.json").write_bytes((PAGES / "2.000815.json").read_bytes())
    assert run(str(source), str(tmp_path / "pages"))[0] == 0
    procedure = Procedure.objects.get(code="2.000815")
    assert procedure.name == page("2.000815")["ten_thu_tuc"]
    assert procedure.issuing_body == "Bộ Tư pháp"
    assert procedure.levels == ["commune", "other"]
    assert procedure.publication_decision == "3152/QĐ-BTP"


@pytest.mark.django_db
def test_the_officer_page_shows_the_national_wording(tmp_path: Path, people: dict) -> None:
    from django.test import Client

    (tmp_path / "pages").mkdir()
    for number in ("1.002099", "1.000532"):
        (tmp_path / "pages" / f"{number}.json").write_bytes((PAGES / f"{number}.json").read_bytes())
    assert run(str(tmp_path / "pages"))[0] == 0
    client = Client()
    client.force_login(people["adam"])
    lawyers = client.get("/danh-muc-thu-tuc/1.002099/").content.decode()
    assert "Cấp tỉnh" in lawyers and "chưa xác định" in lawyers
    assert "Thời hạn giải quyết chưa được xác nhận" in lawyers
    assert "5 Ngày" in lawyers and "50,000 Việt Nam Đồng" in lawyers
    assert "Giấy đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư" in lawyers
    assert "dichvucong.gov.vn/thu-tuc-hanh-chinh/019d9a35-0f40-774b-8263-4dc13f99a48e" in lawyers
    assert "thủ tục tham khảo" not in lawyers
    assert "Không thu phí" not in lawyers  # the fee is not known until someone confirms it
    adoption = client.get("/danh-muc-thu-tuc/1.000532/").content.decode()
    assert "Cấp bộ" in adoption and "thủ tục tham khảo" in adoption
    assert "Cục Hành chính tư pháp" in adoption
    # An officer who does not configure the catalogue never sees a draft or a reference one.
    officer = Client()
    officer.force_login(people["alice"])
    assert officer.get("/danh-muc-thu-tuc/1.000532/").status_code == 404


@pytest.mark.django_db
def test_a_configured_procedure_keeps_what_the_province_decided(tmp_path: Path) -> None:
    from motcua.procedures.tests.factories import make_procedure

    configured = make_procedure(
        "1.002099", name="Tên cũ", level="district", fee=50000, time_limit_amount=5
    )
    assert configured.published and configured.time_limit_confirmed
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "1.002099.json").write_bytes((PAGES / "1.002099.json").read_bytes())
    code, out, _ = run(str(tmp_path / "pages"))
    assert code == 0 and "updated 1" in out
    procedure = Procedure.objects.get(code="1.002099")
    assert procedure.name == page("1.002099")["ten_thu_tuc"]
    assert procedure.levels == ["province"] and procedure.level == "district"
    assert (procedure.fee, procedure.time_limit_amount, procedure.published) == (50000, 5, True)
    assert procedure.version == 2 and procedure.components.count() == 4
    assert Procedure.objects.published().filter(code="1.002099").exists()
