"""The intake page: procedure search by desk, checklist, applicant fill, prefill, page weight."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.people.choices import Role
from motcua.portal.tests.test_weight import asset_size, parse
from motcua.procedures.models import Procedure

SEARCH = "/ho-so/tiep-nhan/thu-tuc/"


@pytest.fixture
def desk(province: Province) -> Any:
    """A one-stop officer of the new commune N1 (in force today)."""
    return make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER), full_name="Lê Văn Tâm")


@pytest.fixture
def catalogue(province: Province) -> dict[str, Procedure]:
    communes = [province.new_commune, province.new_commune_2]
    return {
        "birth": make_procedure("1.001193", units=communes, name="Thủ tục đăng ký khai sinh"),
        "again": make_procedure("1.004884", units=communes, name="Thủ tục đăng ký lại khai sinh"),
        "mobile": make_procedure(
            "1.003583", units=communes, name="Thủ tục đăng ký khai sinh lưu động"
        ),
        "province": make_procedure(
            "2.000635",
            units=[province.new],
            level="province",
            name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        ),
        "expired": make_procedure(
            "2.000528",
            units=communes,
            name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài",
            valid_to=dt.date(2025, 6, 30),
        ),
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(html: str) -> list[str]:
    """Procedure codes in the order the result list shows them."""
    return re.findall(r"thu-tuc=([\d.]+)\"", html)


def test_search_finds_birth_registration_first_whatever_the_typing(
    desk: Any, catalogue: dict[str, Procedure]
) -> None:
    client = signed_in(desk)
    for typed in ["khai sinh", "KHAI SINH", "khai sinh", "Khai Sinh"]:
        html = client.get(SEARCH, {"q": typed}, HTTP_HX_REQUEST="true").content.decode()
        codes = listed(html)
        assert codes[0] == "1.001193", typed
        assert "<html" not in html  # a fragment
        assert "2.000635" not in codes  # a provincial procedure: not at a commune desk
        assert "2.000528" not in codes  # expired on 30/06/2025
        assert set(codes) == {"1.001193", "1.004884", "1.003583"}
    nothing = client.get(SEARCH, {"q": "hộ chiếu"}).content.decode()
    assert listed(nothing) == [] and "Không có thủ tục" in nothing


def test_search_puts_what_this_desk_received_most_first(
    desk: Any, province: Province, catalogue: dict[str, Procedure]
) -> None:
    now = timezone.now()
    for when in (now - dt.timedelta(days=3), now - dt.timedelta(days=40)):
        services.receive_dossier(
            actor=desk,
            procedure=catalogue["mobile"],
            receiving_unit=province.new_commune,
            applicant=APPLICANT,
            at=when,
        )
    # Another desk's receipts, and last year's, do not count for this desk.
    other = make_user("ut", (province.new_commune_2, Role.ONE_STOP_OFFICER))
    for _ in range(3):
        services.receive_dossier(
            actor=other,
            procedure=catalogue["again"],
            receiving_unit=province.new_commune_2,
            applicant=APPLICANT,
            at=now - dt.timedelta(days=1),
        )
    codes = listed(signed_in(desk).get(SEARCH, {"q": "khai sinh"}).content.decode())
    assert codes == ["1.003583", "1.001193", "1.004884"]
    codes_n2 = listed(signed_in(other).get(SEARCH, {"q": "khai sinh"}).content.decode())
    assert codes_n2[0] == "1.004884"


def test_without_javascript_the_search_lists_links_that_choose_the_procedure(
    desk: Any, catalogue: dict[str, Procedure]
) -> None:
    client = signed_in(desk)
    page = client.get("/ho-so/tiep-nhan/", {"q": "khai sinh"}).content.decode()
    assert listed(page)[0] == "1.001193"
    assert 'href="/ho-so/tiep-nhan/?thu-tuc=1.001193&amp;noi-tiep-nhan=N1"' in page
    chosen = client.get("/ho-so/tiep-nhan/?thu-tuc=1.001193&noi-tiep-nhan=N1").content.decode()
    assert '<input type="hidden" name="procedure" value="1.001193">' in chosen
    assert "Tờ khai đăng ký khai sinh" in chosen and "Thành phần hồ sơ đã nhận" in chosen
    # A procedure this desk does not receive is not chosen by a crafted link.
    outside = client.get("/ho-so/tiep-nhan/?thu-tuc=2.000635").content.decode()
    assert 'name="procedure" value="2.000635"' not in outside


def test_the_checklist_fragment_marks_conditional_components(
    desk: Any, catalogue: dict[str, Procedure]
) -> None:
    birth = catalogue["birth"]
    birth.components.create(order=2, name="Trường hợp ủy quyền: văn bản ủy quyền", originals=1)
    birth.components.create(order=3, name="Giấy tờ tùy thân", copies=2, required=False)
    html = (
        signed_in(desk)
        .get("/ho-so/tiep-nhan/thanh-phan/", {"thu-tuc": "1.001193"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    rows = re.findall(r"<tr>\s*<td.*?</tr>", html, flags=re.S)
    assert len(rows) == 3
    assert "có điều kiện" not in rows[0]
    assert "có điều kiện" in rows[1] and "có điều kiện" in rows[2]
    assert re.search(r'-sao" value="2"', rows[2])  # counts prefilled from the catalogue
    assert 'hx-swap-oob="true"' in html  # the result list is cleared


def test_receipt_stores_the_ticked_components(desk: Any, catalogue: dict[str, Procedure]) -> None:
    birth = catalogue["birth"]
    extra = birth.components.create(order=2, name="Giấy chứng sinh", originals=1)
    first = birth.components.get(order=1)
    response = signed_in(desk).post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": "1.001193",
            "receiving_unit": "N1",
            "name": "Trần Văn Bình",
            "channel": "direct",
            "submitted_by": "applicant",
            f"tp{extra.pk}": "on",
            f"tp{extra.pk}-chinh": "1",
            f"tp{extra.pk}-sao": "2",
            f"tp{extra.pk}-so-hoa": "on",
            f"tp{first.pk}-chinh": "1",  # not ticked: not handed in
        },
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert [(c.name, c.originals, c.copies, c.digitized) for c in d.components.all()] == [
        ("Giấy chứng sinh", 1, 2, True)
    ]


def test_receipt_without_a_ticked_component_is_refused_in_vietnamese(
    desk: Any, catalogue: dict[str, Procedure]
) -> None:
    response = signed_in(desk).post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": "1.001193",
            "receiving_unit": "N1",
            "name": "Trần Văn Bình",
            "channel": "direct",
            "submitted_by": "applicant",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cần đánh dấu ít nhất một thành phần hồ sơ đã nhận" in page
    assert 'name="procedure" value="1.001193"' in page  # the choice is kept
    assert Dossier.objects.count() == 0


def test_prefill_hook_opens_a_filled_form(desk: Any, catalogue: dict[str, Procedure]) -> None:
    page = (
        signed_in(desk)
        .get(
            "/ho-so/tiep-nhan/",
            {
                "thu-tuc": "1.001193",
                "ho-ten": "Nguyễn Thị Hoa",
                "so-dinh-danh": "087095009999",
                "dien-thoai": "0909000111",
                "email": "hoa@example.vn",
                "dia-chi": "Ấp 2, xã Tháp Mười",
                "noi-tiep-nhan": "N1",
            },
        )
        .content.decode()
    )
    for value in [
        'value="Nguyễn Thị Hoa"',
        'value="087095009999"',
        'value="0909000111"',
        'value="hoa@example.vn"',
        'value="Ấp 2, xã Tháp Mười"',
        '<option value="N1" selected>',
        'name="procedure" value="1.001193"',
    ]:
        assert value in page, value


def test_applicant_fill_comes_from_the_latest_visible_dossier_only(
    desk: Any, province: Province, catalogue: dict[str, Procedure]
) -> None:
    number = "087095001234"
    older = services.receive_dossier(
        actor=desk,
        procedure=catalogue["birth"],
        receiving_unit=province.new_commune,
        applicant={**APPLICANT, "id_number": number, "name": "Tên Cũ"},
        at=local(2025, 8, 4, 9),
    )
    latest = services.receive_dossier(
        actor=desk,
        procedure=catalogue["birth"],
        receiving_unit=province.new_commune,
        applicant={**APPLICANT, "id_number": number, "email": "binh@example.vn"},
        at=local(2025, 9, 4, 9),
    )
    other = make_user("ut", (province.new_commune_2, Role.ONE_STOP_OFFICER))
    services.receive_dossier(
        actor=other,
        procedure=catalogue["birth"],
        receiving_unit=province.new_commune_2,
        applicant={**APPLICANT, "id_number": "087095007777", "name": "Người Xã Khác"},
        at=local(2025, 9, 5, 9),
    )
    url = "/ho-so/tiep-nhan/nguoi-nop/"
    html = signed_in(desk).post(url, {"id_number": number}).content.decode()
    assert f"Đã điền từ hồ sơ {latest.code} ngày 04/09/2025." in html
    assert 'data-fill-name="Trần Văn Bình"' in html and str(older.code) not in html
    assert 'data-fill-email="binh@example.vn"' in html
    assert 'data-fill-phone="0912345678"' in html
    # Another commune's applicant is not revealed, nor anything for a partial number.
    assert signed_in(desk).post(url, {"id_number": "087095007777"}).content.strip() == b""
    assert signed_in(desk).post(url, {"id_number": "0870950012"}).content.strip() == b""
    mine = signed_in(other).post(url, {"id_number": "087095007777"}).content.decode()
    assert "Người Xã Khác" in mine
    assert signed_in(desk).get(url, {"id_number": number}).status_code == 405  # never in a URL


def test_the_desk_picker_offers_units_in_force_only_by_name(
    province: Province, catalogue: dict[str, Procedure]
) -> None:
    # An officer of the old commune C1 (dissolved 30/06/2025) who now works at N1.
    both = make_user(
        "hieu",
        (province.commune_a, Role.ONE_STOP_OFFICER),
        (province.new_commune, Role.ONE_STOP_OFFICER),
    )
    page = signed_in(both).get("/ho-so/tiep-nhan/").content.decode()
    select = re.search(r'<select name="receiving_unit".*?</select>', page, flags=re.S)
    assert select is not None
    assert '<option value="N1"' in select.group(
        0
    ) and "Ủy ban nhân dân xã Tháp Mười" in select.group(0)
    assert 'value="C1"' not in select.group(0) and "Mỹ An" not in select.group(0)


def test_competent_unit_is_picked_by_name_without_diacritics(
    desk: Any, province: Province, catalogue: dict[str, Procedure]
) -> None:
    first = catalogue["birth"].components.get()
    response = signed_in(desk).post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": "1.001193",
            "receiving_unit": "N1",
            "name": "Trần Văn Bình",
            "channel": "direct",
            "submitted_by": "applicant",
            "competent_unit": "uy ban nhan dan xa lap vo",
            f"tp{first.pk}": "on",
            f"tp{first.pk}-chinh": "1",
        },
    )
    assert response.status_code == 302
    assert Dossier.objects.get().competent_unit == province.new_commune_2


def test_intake_page_weighs_under_100_kb_and_has_no_huge_select(
    desk: Any, province: Province
) -> None:
    # The real catalogue holds 1,815 procedures: none of them may reach the page.
    for n in range(1200):
        Procedure.objects.create(
            code=f"9.{n:06d}", name=f"Thủ tục mẫu số {n}", level="commune", published=True
        )
    client = signed_in(desk)
    response = client.get("/ho-so/tiep-nhan/")
    html = response.content.decode()
    assert len(response.content) < 30 * 1024, len(response.content)
    for select in re.findall(r"<select.*?</select>", html, flags=re.S):
        assert select.count("<option") < 1000
    assert html.count("<option") < 100
    page = parse(html)
    assets = [asset_size(client, url) for url in page.assets]
    assert any("intake.js" in url for url in page.assets)
    # As served over a compressed connection: the page and every stylesheet and script.
    from django.contrib.staticfiles import finders

    compressed = len(gzip.compress(response.content))
    for url in page.assets:
        found = finders.find(url.removeprefix("/static/"))
        assert found
        with open(str(found), "rb") as handle:
            compressed += len(gzip.compress(handle.read()))
    assert compressed < 100 * 1024, (compressed, sum(assets))


def test_the_desk_counts_are_kept_ten_minutes(
    desk: Any, province: Province, catalogue: dict[str, Procedure]
) -> None:
    """Counting a year of receipts once per desk and 10 minutes, not on every keystroke."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.intake_views import _received_counts

    now = timezone.now()
    services.receive_dossier(
        actor=desk,
        procedure=catalogue["mobile"],
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=now - dt.timedelta(days=2),
    )
    with CaptureQueriesContext(connection) as first:
        counts = _received_counts(province.new_commune, now)
    assert counts == {catalogue["mobile"].pk: 1} and len(first) == 1
    with CaptureQueriesContext(connection) as again:
        assert _received_counts(province.new_commune, now) == counts
    assert len(again) == 0
