"""The units CSV's optional `succession_kind`, `succession_note` and `legal_basis` columns.

What the official 2025 table says about each move ("Nhập toàn bộ", "Nhập một phần", kept,
renamed) and its legal basis travel with the successor links; today's files, without the
columns, keep working and never erase what an earlier file said.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.audit.models import ObjectChange
from motcua.conftest import make_user
from motcua.units.models import Unit, UnitSuccession
from motcua.units.tests.official_table import COMMUNE_BASIS, PROVINCE_BASIS, units_csv

SMALL = (
    "code,name,parent_code,level,valid_from,valid_to,successor_code,"
    "succession_kind,succession_note,legal_basis\n"
    "DT,Ủy ban nhân dân tỉnh Đồng Tháp,,province,,2025-06-30,DT,Nhập toàn bộ,,{province}\n"
    "DT,Ủy ban nhân dân tỉnh Đồng Tháp,,province,2025-07-01,,,,,\n"
    'C1,Xã Mỹ An,DT,commune,,2025-06-30,N1;N2,"{kinds}",{note},{commune}\n'
    "C2,Xã Mỹ Hòa,DT,commune,,2025-06-30,N2,kept,,\n"
    "C3,Xã Bình Thành,DT,commune,,2025-06-30,N3,  đổi TÊN ,Đổi tên thành xã Bình Thành mới,\n"
    "N1,Xã Tháp Mười,DT,commune,2025-07-01,,,,,\n"
    "N2,Xã Thanh Mỹ,DT,commune,2025-07-01,,,,,\n"
    "N3,Xã Bình Thành,DT,commune,2025-07-01,,,,,\n"
)


def small(**values: str) -> str:
    defaults = {
        "province": PROVINCE_BASIS,
        "commune": COMMUNE_BASIS,
        # a wording with a comma, quoted as a spreadsheet writes it
        "kinds": "Nhập một phần diện tích;Nhập một phần diện tích, toàn bộ dân số",
        "note": "ấp Mỹ Thới",
    }
    return SMALL.format(**{**defaults, **values})


def write(tmp_path: Path, text: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "units", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def link(pred: str, succ: str) -> UnitSuccession:
    return UnitSuccession.objects.get(predecessor__code=pred, successor__code=succ)


@pytest.mark.django_db
def test_the_official_table_keeps_each_moves_wording_and_legal_basis(tmp_path: Path) -> None:
    code, out, err = run_import(write(tmp_path, units_csv()))
    assert code == 0, err
    assert "433 created" in out and "310 successor links created" in out
    links = UnitSuccession.objects.all()
    # 308 rows of the table (3 old communes in two parts) and the two old provinces.
    assert Counter(x.kind for x in links) == {"merge": 304, "split": 6}
    assert Counter(x.kind_text for x in links) == {"Nhập toàn bộ": 304, "Nhập một phần": 6}
    assert Counter(x.legal_basis for x in links) == {COMMUNE_BASIS: 308, PROVINCE_BASIS: 2}
    # Phú Thuận B went in two parts to Long Phú Thuận (principal) and Tân Long.
    principal = link("DT.870.29995", "DT.29992")
    other = link("DT.870.29995", "DT.30154")
    assert (principal.kind, principal.is_principal) == ("split", True)
    assert (other.kind_label, other.is_principal) == ("Nhập một phần", False)
    assert link("TG", "DT").kind_label == "Nhập toàn bộ"


@pytest.mark.django_db
def test_codes_and_wordings_per_successor(tmp_path: Path) -> None:
    code, _, err = run_import(write(tmp_path, small()))
    assert code == 0, err
    first, second = link("C1", "N1"), link("C1", "N2")
    assert (first.kind, first.kind_text) == ("split", "Nhập một phần diện tích")
    assert (second.kind, second.kind_text) == ("split", "Nhập một phần diện tích, toàn bộ dân số")
    assert first.note == second.note == "ấp Mỹ Thới"
    assert first.legal_basis == COMMUNE_BASIS
    kept = link("C2", "N2")
    assert (kept.kind, kept.kind_text, kept.kind_label) == ("kept", "", "Giữ nguyên")
    renamed = link("C3", "N3")
    assert (renamed.kind, renamed.kind_text) == ("rename", "đổi TÊN")
    assert renamed.note == "Đổi tên thành xã Bình Thành mới"


@pytest.mark.django_db
def test_todays_files_keep_working_and_never_erase_what_was_said(tmp_path: Path) -> None:
    plain = write(tmp_path, units_csv(succession_columns=False), "plain.csv")
    full = write(tmp_path, units_csv(), "full.csv")
    code, out, _ = run_import(plain)
    assert code == 0 and "310 successor links created" in out
    links = UnitSuccession.objects.all()
    assert Counter(x.kind for x in links) == {"merge": 304, "split": 6}  # as before
    assert {x.kind_text for x in links} == {""} and {x.legal_basis for x in links} == {""}
    # The same units with the official wording: every link updated and logged.
    logged = ObjectChange.objects.count()
    code, out, _ = run_import(full)
    assert code == 0 and "310 successor links updated" in out
    assert ObjectChange.objects.count() == logged + 310
    change = ObjectChange.objects.filter(action="update").order_by("-pk").first()
    assert change is not None
    before, after = change.before or {}, change.after or {}
    assert before["legal_basis"] == ""
    assert after["legal_basis"] in {COMMUNE_BASIS, PROVINCE_BASIS}
    # Today's file again: the links keep the wording and the legal basis.
    code, out, _ = run_import(plain)
    assert code == 0 and "updated" not in out.split("unchanged")[1]
    assert ObjectChange.objects.count() == logged + 310
    assert link("DT.870.29995", "DT.30154").kind_text == "Nhập một phần"
    assert link("DT.870.29995", "DT.30154").legal_basis == COMMUNE_BASIS


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kinds": "Nhập đại"}, "line 4: succession_kind 'Nhập đại' of C1 is not one of"),
        ({"kinds": "merge;split;kept"}, "line 4: succession_kind of C1 has 3 values for 2"),
        ({"province": "x" * 256}, "line 2: legal_basis of DT is longer than 255 characters"),
    ],
)
@pytest.mark.django_db
def test_bad_succession_columns_abort_with_the_line_and_write_nothing(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    code, _, err = run_import(write(tmp_path, small(**values)))
    assert code == 1
    assert message in err
    assert (Unit.objects.count(), UnitSuccession.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_wording_without_a_successor_is_refused(tmp_path: Path) -> None:
    text = small().replace(
        "N3,Xã Bình Thành,DT,commune,2025-07-01,,,,,",
        "N3,Xã Bình Thành,DT,commune,2025-07-01,,,kept,,",
    )
    code, _, err = run_import(write(tmp_path, text))
    assert code == 1
    assert (
        "line 9: N3 has succession_kind, succession_note or legal_basis but no successor_code"
        in err
    )


@pytest.mark.django_db
def test_the_unit_page_and_the_api_show_the_move_and_its_basis(tmp_path: Path) -> None:
    assert run_import(write(tmp_path, units_csv()))[0] == 0
    root = make_user("root", is_superuser=True, is_staff=True)
    client = APIClient()
    client.force_login(root)
    page = client.get("/don-vi/DT.30154/").content.decode()
    assert "Kế thừa từ" in page and "Xã Phú Thuận B" in page
    assert "Nhập một phần" in page and COMMUNE_BASIS in page
    old = client.get("/don-vi/DT.870.29995/").content.decode()
    assert "Xã Long Phú Thuận" in old and "kế thừa chính" in old
    data = client.get("/api/v1/units/DT.870.29995/").json()
    moves = {m["successor"]: m for m in data["successors"]}
    assert moves["DT.30154"]["kind"] == "split"
    assert moves["DT.30154"]["kind_label"] == "Nhập một phần"
    assert moves["DT.30154"]["legal_basis"] == COMMUNE_BASIS
    assert moves["DT.29992"]["is_principal"] is True
