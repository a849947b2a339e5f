"""Finding procedures by name: every word matched, diacritics and case ignored, best first."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from motcua.conftest import Province
from motcua.dossiers.tests.factories import make_procedure
from motcua.procedures.models import Field, Procedure
from motcua.procedures.search import rank_procedures, receivable_at

TODAY = dt.date(2026, 12, 7)


def catalogue(province: Province) -> dict[str, Procedure]:
    """Birth registration and its neighbours, at commune and province level."""
    communes = [province.new_commune, province.new_commune_2]
    made = {
        "birth": make_procedure("1.001193", units=communes, name="Thủ tục đăng ký khai sinh"),
        "again": make_procedure("1.004884", units=communes, name="Thủ tục đăng ký lại khai sinh"),
        "foreign": make_procedure(
            "1.000110",
            units=communes,
            name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
        ),
        "scattered": make_procedure(
            "2.000986",
            units=communes,
            name="Liên thông thủ tục sinh hoạt và khai báo tạm trú",
        ),
        "copy": make_procedure(
            "2.000635",
            units=[province.new],
            level="province",
            name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        ),
        "expired": make_procedure(
            "2.000528",
            units=communes,
            name="Thủ tục đăng ký khai sinh (cấp huyện cũ)",
            valid_to=dt.date(2025, 6, 30),
        ),
    }
    return made


def codes(rows: list[Procedure]) -> list[str]:
    return [p.code for p in rows]


def test_phrase_before_scattered_words_and_shortest_first(province: Province) -> None:
    made = catalogue(province)
    found = codes(rank_procedures(Procedure.objects.all(), "khai sinh"))
    assert found[0] == made["birth"].code
    # The words side by side come before the same words scattered in the name.
    assert found.index(made["scattered"].code) > found.index(made["foreign"].code)
    assert set(found) >= {made["again"].code, made["copy"].code, made["scattered"].code}


def test_without_diacritics_and_in_capitals_the_same(province: Province) -> None:
    catalogue(province)
    everything = Procedure.objects.all()
    expected = codes(rank_procedures(everything, "khai sinh"))
    assert codes(rank_procedures(everything, "KHAI SINH")) == expected
    assert codes(rank_procedures(everything, "Khai  Sinh ")) == expected
    assert codes(rank_procedures(everything, "đăng ký khai sinh"))[0] == "1.001193"
    assert codes(rank_procedures(everything, "dang ky khai sinh"))[0] == "1.001193"
    assert rank_procedures(everything, "   ") == []


def test_the_desk_s_most_received_come_first_within_the_phrase_matches(
    province: Province,
) -> None:
    made = catalogue(province)
    counts = {made["again"].pk: 7, made["foreign"].pk: 2}
    found = codes(rank_procedures(Procedure.objects.all(), "khai sinh", counts=counts))
    assert found[:3] == [made["again"].code, made["foreign"].code, made["birth"].code]
    # Received often but matching only scattered words: still after every phrase match.
    counts = {made["scattered"].pk: 50}
    found = codes(rank_procedures(Procedure.objects.all(), "khai sinh", counts=counts))
    assert found[-1] == made["scattered"].code


def test_the_code_typed_exactly_comes_first(province: Province) -> None:
    made = catalogue(province)
    assert codes(rank_procedures(Procedure.objects.all(), "1.004884"))[0] == made["again"].code


def test_a_commune_desk_receives_commune_procedures_in_force(province: Province) -> None:
    made = catalogue(province)
    unpublished = make_procedure("1.009999", units=[province.new_commune], name="Khai sinh nháp")
    Procedure.objects.filter(pk=unpublished.pk).update(published=False)
    future = make_procedure(
        "1.008888",
        units=[province.new_commune],
        name="Khai sinh mới",
        valid_from=TODAY.replace(year=2027),
    )
    desk = receivable_at(Procedure.objects.all(), province.new_commune, TODAY)
    found = set(desk.values_list("code", flat=True))
    assert made["birth"].code in found and made["again"].code in found
    assert made["copy"].code not in found  # a provincial procedure
    assert made["expired"].code not in found  # no longer in force
    assert unpublished.code not in found and future.code not in found
    # The provincial level receives provincial procedures, not the communes' ones.
    at_province = set(
        receivable_at(Procedure.objects.all(), province.new, TODAY).values_list("code", flat=True)
    )
    assert made["copy"].code in at_province and made["birth"].code not in at_province


def test_the_portal_catalogue_ranks_its_search(province: Province) -> None:
    catalogue(province)
    page = Client().get("/thu-tuc/?q=KHAI+SINH").content.decode()
    first = page.index("<strong>Thủ tục đăng ký khai sinh</strong>")
    assert first < page.index("<strong>Thủ tục đăng ký lại khai sinh</strong>")
    assert "Liên thông thủ tục sinh hoạt" in page  # scattered words still match


def test_name_matches_before_other_text_and_in_order_before_scattered(
    province: Province,
) -> None:
    field = Field.objects.create(code="chung-thuc", name="Chứng thực")
    made = {
        # "ban sao" only in its result document, "cap" in its name.
        "text": make_procedure(
            "2.000001",
            units=[province.new],
            name="Cấp giấy xác nhận",
            result_documents=[{"name": "Bản sao giấy xác nhận", "code": "KQ.G15.000001"}],
        ),
        "scattered": make_procedure(
            "2.000002", units=[province.new], name="Sao y bản chính khi cấp giấy"
        ),
        "in_order": make_procedure(
            "2.000003", units=[province.new], name="Cấp lại bản sao giấy tờ"
        ),
        "phrase": make_procedure("2.000004", units=[province.new], name="Cấp bản sao từ sổ gốc"),
    }
    made["phrase"].field = field
    made["phrase"].save()
    found = codes(rank_procedures(Procedure.objects.all(), "cap ban sao"))
    assert found == [made[k].code for k in ("phrase", "in_order", "scattered", "text")]
    # Found by the field's name alone: a text match.
    assert codes(rank_procedures(Procedure.objects.all(), "chung thuc")) == ["2.000004"]


def test_the_province_s_procedures_before_reference_ones(province: Province) -> None:
    bank = make_procedure(
        "1.014769", units=[province.new], name="Thủ tục cấp bản sao Giấy phép từ sổ gốc"
    )
    Procedure.objects.filter(pk=bank.pk).update(is_reference=True, published=False)
    own = make_procedure(
        "2.000908", units=[province.new], name="Thủ tục cấp bản sao từ sổ gốc đối với tổ chức xyz"
    )
    found = codes(rank_procedures(Procedure.objects.all(), "cap ban sao"))
    assert found == [own.code, bank.code]
    # Never offered: the published catalogue leaves it out.
    assert codes(rank_procedures(Procedure.objects.published(), "cap ban sao")) == [own.code]


def test_search_body_follows_the_procedure_s_published_text(province: Province) -> None:
    procedure = make_procedure("2.000005", units=[province.new], name="Đăng ký hoạt động")
    procedure.executing_bodies = ["Sở Tư pháp"]
    procedure.applicants = "Công dân Việt Nam"
    procedure.save()
    procedure.refresh_from_db()
    assert procedure.search_body == "ho tich | so tu phap | cong dan viet nam"
    assert codes(rank_procedures(Procedure.objects.all(), "SỞ TƯ PHÁP")) == ["2.000005"]
