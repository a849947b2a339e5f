"""Fees as written: the real pages read into `fee_spec`, the worked examples computed, the
import keeping the spec, the local decision, and the pages showing unknown as unknown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from motcua.audit.models import ObjectChange
from motcua.conftest import Province, make_user
from motcua.people.choices import Role
from motcua.procedures.catalogue_import import import_catalogue, parse_channels
from motcua.procedures.fees import compute_fee, counts_needed, parse_fee, parse_fee_rows
from motcua.procedures.local_fees import record_local_fee_decision
from motcua.procedures.models import Procedure
from motcua.procedures.services import ProcedureError

PAGES = Path(__file__).resolve().parents[4] / "shared" / "data" / "tthc-catalogue-dvcqg" / "raw"
PAGES = PAGES / "bo-tu-phap"
PAGE_PER_PAGE = "2.000815"
PAGE_REDUCED = "1.000688"
PAGE_PER_CHANNEL = "1.002099"
PAGE_FREE = "1.014965"
PAGE_PER_ITEM = "2.001016"  # 50.000 đồng/văn bản
PAGE_USD = "1.003213"  # 150 USD
PAGE_LOCAL = "1.000094"  # Hội đồng nhân dân tỉnh quyết định
PAGE_UNKNOWN = "1.002544"  # Không có thông tin
NAMED = [
    PAGE_PER_PAGE,
    PAGE_REDUCED,
    PAGE_PER_CHANNEL,
    PAGE_FREE,
    PAGE_PER_ITEM,
    PAGE_USD,
    PAGE_LOCAL,
    PAGE_UNKNOWN,
]


def spec_of_page(code: str) -> dict[str, Any]:
    data = json.loads((PAGES / f"{code}.json").read_text(encoding="utf-8"))
    return parse_fee_rows(parse_channels(data["cach_thuc_thuc_hien"]))


def options(spec: dict[str, Any], channel: str) -> list[dict[str, Any]]:
    return spec["channels"][channel]


# ------------------------------------------------------------------------- parser, real pages


def test_per_page_with_tiers_and_cap_and_the_representative_office_in_usd() -> None:
    spec = spec_of_page(PAGE_PER_PAGE)
    assert list(spec["channels"]) == ["direct"]  # the page only states the desk
    commune, abroad = options(spec, "direct")
    assert commune["kind"] == "per_page" and commune["currency"] == "VND"
    assert commune["amount"] == 2000 and commune["per"] == "trang"
    assert commune["tiers"] == [{"from_page": 3, "amount": 1000}]
    assert (commune["cap"], commune["cap_per"]) == (200000, "bản")
    assert commune["place"] == "Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng"
    assert not commune["abroad"]
    assert "2,000 Việt Nam Đồng(/trang)" in commune["as_written"]
    assert abroad["kind"] == "per_item" and abroad["currency"] == "USD"
    assert (abroad["amount"], abroad["per"], abroad["abroad"]) == (10, "bản", True)
    assert spec["kind"] == "mixed"
    assert counts_needed(spec, "direct") == ["pages", "copies"]


def test_dated_reduction_with_its_legal_document_on_every_channel() -> None:
    spec = spec_of_page(PAGE_REDUCED)
    assert spec["kind"] == "fixed"
    for channel in ("direct", "online", "postal"):
        (option,) = options(spec, channel)
        assert option["amount"] == 800000 and option["per"] == "hồ sơ"
        assert option["reductions"] == [
            {
                "amount": 400000,
                "from": "2025-07-01",
                "to": "2026-12-31",
                "legal_document": "Thông tư số 64/2025/TT-BTC",
            }
        ]
        assert not option["doubtful"]


def test_1_002099_reduced_fee_on_its_three_channels() -> None:
    spec = spec_of_page(PAGE_PER_CHANNEL)
    assert set(spec["channels"]) == {"direct", "online", "postal"}
    for channel in spec["channels"]:
        (option,) = options(spec, channel)
        assert (option["kind"], option["amount"]) == ("fixed", 50000)
        assert option["reductions"][0]["amount"] == 25000


def test_free_page_is_free_on_every_channel() -> None:
    spec = spec_of_page(PAGE_FREE)
    assert spec["kind"] == "free"
    assert [o["kind"] for opts in spec["channels"].values() for o in opts] == ["free"] * 3
    assert compute_fee(spec, channel="online").amount == 0


def test_per_item_usd_local_and_unknown_pages() -> None:
    item = spec_of_page(PAGE_PER_ITEM)
    assert {
        (o["kind"], o["amount"], o["per"]) for opts in item["channels"].values() for o in opts
    } == {("per_item", 50000, "văn bản")}
    usd = spec_of_page(PAGE_USD)
    assert {(o["currency"], o["amount"]) for opts in usd["channels"].values() for o in opts} == {
        ("USD", 150)
    }
    local = spec_of_page(PAGE_LOCAL)
    assert local["kind"] == "local"
    unknown = spec_of_page(PAGE_UNKNOWN)
    assert unknown["kind"] == "unknown"
    assert len(unknown["channels"]) == 3


def test_a_base_amount_missing_its_zeros_is_not_charged_but_the_dated_amount_is() -> None:
    option = parse_fee(
        "50 VNĐ((áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày "
        "31/12/2026 theo Thông tư số 64/2025/TT-BTC))"
    )
    assert option["doubtful"]
    spec = {"channels": {"direct": [option]}}
    assert compute_fee(spec, channel="direct", on=dt.date(2026, 12, 31)).amount == 25000
    after = compute_fee(spec, channel="direct", on=dt.date(2027, 1, 1))
    assert after.amount is None and after.status == "doubtful"
    assert "thấp bất thường" in after.breakdown


# ------------------------------------------------------------------------ worked examples


@pytest.mark.parametrize(
    ("pages", "amount", "sentence"),
    [
        (1, 2000, "1 trang: 1 × 2.000 đ = 2.000 đ."),
        (2, 4000, "2 trang: 2 × 2.000 đ = 4.000 đ."),
        (3, 5000, "3 trang: 2 × 2.000 đ + 1 × 1.000 đ = 5.000 đ."),
        (
            250,
            200000,
            "250 trang: 2 × 2.000 đ + 248 × 1.000 đ = 252.000 đ, tối đa 200.000 đ một bản: "
            "200.000 đ.",
        ),
    ],
)
def test_certified_copy_per_page(pages: int, amount: int, sentence: str) -> None:
    result = compute_fee(
        spec_of_page(PAGE_PER_PAGE),
        channel="direct",
        counts={"pages": pages},
        on=dt.date(2026, 12, 7),
    )
    assert (result.status, result.amount, result.breakdown) == ("computed", amount, sentence)


def test_certified_copy_of_two_copies_doubles_the_capped_copy() -> None:
    result = compute_fee(
        spec_of_page(PAGE_PER_PAGE), channel="direct", counts={"pages": 3, "copies": 2}
    )
    assert result.amount == 10000
    assert result.breakdown.endswith("; 2 bản × 5.000 đ = 10.000 đ.")


def test_per_page_without_pages_is_not_guessed() -> None:
    result = compute_fee(spec_of_page(PAGE_PER_PAGE), channel="direct", counts={})
    assert (result.status, result.amount) == ("counts_missing", None)
    assert "số trang" in result.breakdown


def test_reduction_applies_until_its_last_day_then_the_usual_amount() -> None:
    spec = spec_of_page(PAGE_REDUCED)
    inside = compute_fee(spec, channel="direct", on=dt.date(2026, 12, 30))
    assert inside.amount == 400000
    assert "31/12/2026 theo Thông tư số 64/2025/TT-BTC" in inside.breakdown
    assert "mức thường 800.000 đ" in inside.breakdown
    after = compute_fee(spec, channel="direct", on=dt.date(2027, 1, 1))
    assert (after.amount, after.breakdown) == (800000, "800.000 đ.")
    before = compute_fee(spec, channel="online", on=dt.date(2025, 6, 30))
    assert before.amount == 800000


def test_per_item_times_three() -> None:
    result = compute_fee(spec_of_page(PAGE_PER_ITEM), channel="direct", counts={"items": 3})
    assert result.amount == 150000
    assert result.breakdown == "3 văn bản × 50.000 đ = 150.000 đ."


def test_foreign_currency_gives_no_amount_in_dong() -> None:
    result = compute_fee(spec_of_page(PAGE_USD), channel="online")
    assert result.amount is None
    assert result.currency_amounts == {"USD": 150}
    assert result.text == "150 USD"
    assert "không quy đổi sang đồng" in result.breakdown
    abroad = compute_fee(
        {"channels": {"direct": options(spec_of_page(PAGE_PER_PAGE), "direct")[1:]}},
        channel="direct",
        counts={"items": 2},
    )
    assert (abroad.amount, abroad.currency_amounts) == (None, {"USD": 20})


def test_unknown_is_none_and_said_unknown_never_free() -> None:
    result = compute_fee(spec_of_page(PAGE_UNKNOWN), channel="direct")
    assert (result.status, result.amount) == ("unknown", None)
    assert result.text == "Chưa có thông tin về phí, lệ phí"
    assert "Không thu phí" not in result.text and "Miễn phí" not in result.text


def test_local_fee_needs_the_provinces_decision_in_force_on_the_day() -> None:
    spec = spec_of_page(PAGE_LOCAL)
    assert compute_fee(spec, channel="direct").amount is None
    spec["local_decision"] = {"number": "12/2025/NQ-HĐND", "date": "2025-07-10", "amount": 8000}
    before = compute_fee(spec, channel="direct", on=dt.date(2025, 7, 9))
    assert (before.status, before.amount) == ("local_missing", None)
    result = compute_fee(spec, channel="direct", on=dt.date(2025, 7, 10))
    assert result.amount == 8000
    assert result.breakdown == (
        "8.000 đ theo 12/2025/NQ-HĐND ngày 10/07/2025 của Hội đồng nhân dân tỉnh."
    )


def test_bad_counts_are_refused_in_vietnamese() -> None:
    spec = spec_of_page(PAGE_PER_PAGE)
    for bad in ({"pages": 0}, {"pages": "ba"}, {"pages": -2}):
        with pytest.raises(ValueError, match="số lượng"):
            compute_fee(spec, channel="direct", counts=bad)


# ---------------------------------------------------------------------------------- import


@pytest.mark.django_db
def test_import_keeps_every_spec_and_the_fee_integer_stays_meaningful(province: Province) -> None:
    import_catalogue([str(PAGES / f"{code}.json") for code in NAMED])
    for code in NAMED:
        procedure = Procedure.objects.get(code=code)
        assert procedure.fee_spec == spec_of_page(code), code
    fees = dict(Procedure.objects.filter(code__in=NAMED).values_list("code", "fee"))
    assert fees == {
        PAGE_PER_PAGE: 0,
        PAGE_REDUCED: 800000,
        PAGE_PER_CHANNEL: 50000,
        PAGE_FREE: 0,
        PAGE_PER_ITEM: 0,
        PAGE_USD: 0,
        PAGE_LOCAL: 0,
        PAGE_UNKNOWN: 0,
    }


@pytest.mark.django_db
def test_reimport_keeps_the_local_decision_and_a_configured_fee(province: Province) -> None:
    admin = make_user("adam", (province.new, Role.ADMINISTRATOR))
    paths = [str(PAGES / f"{code}.json") for code in (PAGE_LOCAL, PAGE_REDUCED)]
    import_catalogue(paths)
    local = Procedure.objects.get(code=PAGE_LOCAL)
    record_local_fee_decision(
        local, number="12/2025/NQ-HĐND", decided_on=dt.date(2025, 7, 10), amount=8000, actor=admin
    )
    reduced = Procedure.objects.get(code=PAGE_REDUCED)
    Procedure.objects.filter(pk=reduced.pk).update(fee=700000, time_limit_confirmed=True)
    # The wording changes on the national page: the spec follows, the province's facts stay.
    import_catalogue(paths)
    local.refresh_from_db()
    assert local.fee_spec["local_decision"]["amount"] == 8000
    assert local.fee_spec["channels"] == spec_of_page(PAGE_LOCAL)["channels"]
    reduced.refresh_from_db()
    assert reduced.fee == 700000
    assert reduced.fee_spec == spec_of_page(PAGE_REDUCED)


@pytest.mark.django_db
def test_local_decision_is_logged_versioned_and_refused_without_configure(
    province: Province,
) -> None:
    import_catalogue([str(PAGES / f"{code}.json") for code in (PAGE_LOCAL, PAGE_FREE)])
    local = Procedure.objects.get(code=PAGE_LOCAL)
    version = local.version
    desk = make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER))
    with pytest.raises(ProcedureError, match="không có quyền"):
        record_local_fee_decision(
            local, number="1/NQ", decided_on=dt.date(2025, 1, 1), amount=1, actor=desk
        )
    admin = make_user("adam", (province.new, Role.ADMINISTRATOR))
    with pytest.raises(ProcedureError, match="không do Hội đồng nhân dân tỉnh"):
        record_local_fee_decision(
            Procedure.objects.get(code=PAGE_FREE),
            number="1/NQ",
            decided_on=dt.date(2025, 1, 1),
            amount=1,
            actor=admin,
        )
    record_local_fee_decision(
        local, number="12/2025/NQ-HĐND", decided_on=dt.date(2025, 7, 10), amount=8000, actor=admin
    )
    local.refresh_from_db()
    assert local.version == version + 1
    assert (
        local.versions.get(number=local.version).data["fee_spec"]["local_decision"]["number"]
        == "12/2025/NQ-HĐND"
    )
    change = ObjectChange.objects.filter(object_id=str(local.pk)).order_by("-id").first()
    assert change is not None and change.actor_id == admin.pk


# ----------------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_pages_show_unknown_as_unknown_and_the_structure_beside_the_wording(
    province: Province,
) -> None:
    import_catalogue([str(PAGES / f"{code}.json") for code in (PAGE_UNKNOWN, PAGE_PER_PAGE)])
    Procedure.objects.filter(code__in=[PAGE_UNKNOWN, PAGE_PER_PAGE]).update(
        published=True, is_reference=False
    )
    officer = make_user("adam", (province.new, Role.ADMINISTRATOR))
    client = Client()
    client.force_login(officer)
    for url in (f"/danh-muc-thu-tuc/{PAGE_UNKNOWN}/", f"/thu-tuc/{PAGE_UNKNOWN}/"):
        html = client.get(url).content.decode()
        assert "Chưa có thông tin về phí, lệ phí" in html, url
        assert "Không thu phí" not in html, url
    officer_list = client.get("/danh-muc-thu-tuc/", {"q": PAGE_UNKNOWN}).content.decode()
    assert "Chưa có thông tin về phí, lệ phí" in officer_list
    html = client.get(f"/thu-tuc/{PAGE_PER_PAGE}/").content.decode()
    assert "2.000 đồng/trang" in html
    assert "từ trang thứ 3: 1.000 đồng/trang" in html
    assert "tối đa 200.000 đồng/bản" in html
    assert "Tại cơ quan đại diện: 10 USD/bản" in html
    assert "Nguyên văn:" in html and "2,000 Việt Nam Đồng(/trang)" in html


@pytest.mark.django_db
def test_local_decision_form_for_configure_users_only(province: Province) -> None:
    import_catalogue([str(PAGES / f"{PAGE_LOCAL}.json")])
    url = f"/danh-muc-thu-tuc/{PAGE_LOCAL}/phi-dia-phuong/"
    admin = make_user("adam", (province.new, Role.ADMINISTRATOR))
    client = Client()
    client.force_login(admin)
    detail = client.get(f"/danh-muc-thu-tuc/{PAGE_LOCAL}/").content.decode()
    assert url in detail
    bad = client.post(url, {"number": "", "decided_on": "31/02/2025", "amount": "-5"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Cần ghi số của nghị quyết, quyết định." in text
    assert "Hãy ghi ngày dạng ngày/tháng/năm" in text
    assert "Mức thu không được âm." in text
    assert "local_decision" not in Procedure.objects.get(code=PAGE_LOCAL).fee_spec
    ok = client.post(
        url, {"number": "12/2025/NQ-HĐND", "decided_on": "10/07/2025", "amount": "8000"}
    )
    assert ok.status_code == 302
    decision = Procedure.objects.get(code=PAGE_LOCAL).fee_spec["local_decision"]
    assert (decision["number"], decision["date"], decision["amount"]) == (
        "12/2025/NQ-HĐND",
        "2025-07-10",
        8000,
    )
    shown = client.get(f"/danh-muc-thu-tuc/{PAGE_LOCAL}/").content.decode()
    assert "tỉnh đã quyết định: 8.000 đồng (12/2025/NQ-HĐND ngày 10/07/2025)" in shown
    desk = make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER))
    client.force_login(desk)
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"number": "1", "decided_on": "01/01/2025", "amount": "1"}).status_code
        == 404
    )
