"""Search ranks on the whole national catalogue (2,642 procedures): certified copies before
banks and ships, birth registrations first, and nothing expired or reference offered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.conftest import Province
from motcua.lib.vntext import fold
from motcua.procedures.models import Procedure
from motcua.procedures.search import rank_procedures, receivable_at
from motcua.procedures.tests.national import national_catalogue  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("national_catalogue")
TODAY = dt.date(2026, 12, 7)


def ranked(text: str, queryset: object = None) -> list[Procedure]:
    return rank_procedures(queryset or Procedure.objects.all(), text)  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["cap ban sao", "cấp bản sao", "CẤP BẢN SAO"])
def test_cap_ban_sao_puts_a_certified_copy_first(text: str) -> None:
    found = ranked(text)
    first = found[0]
    assert first.code == "2.000908"  # "Thủ tục cấp bản sao từ sổ gốc"
    assert first.field is not None and first.field.name == "Chứng thực"
    # Every copy procedure of the province comes before any bank or ship procedure.
    local = [p for p in found if not p.is_reference and "cap ban sao" in fold(p.name)]
    foreign = [p for p in found if "ngan hang" in fold(p.name) or "tau bien" in fold(p.name)]
    assert {p.code for p in local} >= {"2.000908", "2.000635", "2.000942"}
    assert foreign, "the bank and ship procedures still match"
    assert max(found.index(p) for p in local) < min(found.index(p) for p in foreign)
    assert [p.code for p in found[:3]] == ["2.000908", "2.000635", "2.000942"]


@pytest.mark.django_db
def test_khai_sinh_puts_the_birth_registrations_first() -> None:
    found = ranked("khai sinh")
    assert found[0].code == "1.001193"  # Thủ tục đăng ký khai sinh
    assert all("dang ky" in fold(p.name) for p in found[:6])
    # The procedures that name birth only in their other text come after every name match.
    names = [i for i, p in enumerate(found) if "khai sinh" in fold(p.name)]
    texts = [i for i, p in enumerate(found) if "khai sinh" not in fold(p.name)]
    assert texts and max(names) < min(texts)
    # The result document counts: "giấy khai sinh" finds the registration whose result it is.
    birth = Procedure.objects.get(code="1.001193")
    assert "giay" not in fold(birth.name)
    assert birth in ranked("giấy khai sinh")


@pytest.mark.django_db
def test_no_reference_or_expired_procedure_is_offered(province: Province) -> None:
    # The province confirms and publishes what it receives; the rest stays as imported.
    Procedure.objects.filter(is_reference=False).update(published=True)
    copy = Procedure.objects.get(code="2.000815")
    copy.valid_to = dt.date(2025, 6, 30)  # "Chứng thực bản sao từ bản chính" has expired
    copy.save()
    Procedure.objects.get(code="2.000908").competent_units.add(province.new_commune)
    desk = receivable_at(Procedure.objects.all(), province.new_commune, TODAY)
    found = rank_procedures(desk, "chung thuc ban sao")
    assert found and all(not p.is_reference for p in found)
    assert "2.000815" not in {p.code for p in found}
    assert all(p.valid_to is None or p.valid_to >= TODAY for p in found)
    # The portal: no reference procedure, the expired one only when asked for, then last.
    page = Client().get("/thu-tuc/?q=cap+ban+sao").content.decode()
    assert "Thủ tục cấp bản sao từ sổ gốc" in page
    assert "tổ chức tài chính vi mô" not in page and "tàu biển" not in page
    expired = Client().get("/thu-tuc/?q=chung+thuc+ban+sao").content.decode()
    assert "Chứng thực bản sao từ bản chính giấy tờ" not in expired
    with_expired = Client().get("/thu-tuc/?q=chung+thuc+ban+sao&het_hieu_luc=1").content.decode()
    assert "Chứng thực bản sao từ bản chính giấy tờ" in with_expired


@pytest.mark.django_db
def test_the_portal_search_costs_the_same_few_queries_however_many_match() -> None:
    Procedure.objects.filter(is_reference=False).update(published=True)
    client = Client()
    counts = []
    for text in ("cap+ban+sao", "cap"):  # 6 and some 600 matches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/thu-tuc/?q={text}").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_officer_catalogue_ranks_its_search(people: dict) -> None:
    client = Client()
    client.force_login(people["adam"])  # configures the catalogue: sees drafts too
    page = client.get("/danh-muc-thu-tuc/?q=cap+ban+sao").content.decode()
    assert page.index("2.000908") < page.index("2.000942") < page.index("1.014769")
