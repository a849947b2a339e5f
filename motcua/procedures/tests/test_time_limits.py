"""The time-limit wording of real catalogue pages read into `Procedure.time_limit_spec`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from motcua.procedures.catalogue_import import read_page
from motcua.procedures.fees import parse_fee_rows
from motcua.procedures.models import Procedure
from motcua.procedures.time_limits import (
    BARE_NUMBER,
    NOT_STATED,
    parse_time_limit,
    spec_confirmable,
)

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "tthc-catalogue-dvcqg"
PAGES = DATA / "raw" / "bo-tu-phap"


def spec_of(code: str) -> dict[str, Any]:
    path = PAGES / f"{code}.json"
    entry = read_page(path)
    steps = json.loads(path.read_text(encoding="utf-8"))["trinh_tu_thuc_hien"]
    return parse_time_limit(entry.channels, steps_text=steps)


def limits(spec: dict[str, Any]) -> dict[str, tuple[Any, Any, Any]]:
    return {k: (v["amount"], v["unit"], v["cutoff"]) for k, v in spec["channels"].items()}


def test_a_limit_per_channel_1_002099() -> None:
    spec = spec_of("1.002099")
    assert limits(spec) == {
        "direct": (5, "calendar_days", None),
        "online": (7, "calendar_days", None),
        "postal": (7, "calendar_days", None),
    }
    assert spec["as_written"] == "Trực tiếp: 5 Ngày; Trực tuyến: 7 Ngày; Dịch vụ bưu chính: 7 Ngày"
    assert spec["channels"]["online"]["as_written"] == "7 Ngày"
    assert spec_confirmable(spec) and spec["problems"] == []


def test_bare_ngay_is_a_setting(settings: Any) -> None:
    settings.MOTCUA_BARE_DAY_UNIT = "working_days"
    assert limits(spec_of("1.002099"))["direct"] == (5, "working_days", None)


def test_staged_limit_1_000532() -> None:
    spec = spec_of("1.000532")
    assert limits(spec)["direct"] == (50, "calendar_days", None)
    assert [(s["amount"], s["unit"]) for s in spec["stages"]] == [
        (30, "calendar_days"),
        (15, "calendar_days"),
        (5, "calendar_days"),
    ]
    assert spec["stages"][1]["body"] == "Bộ Công an có văn bản trả lời Cục Hành chính tư pháp"
    assert spec["stages"][1]["start"] == (
        "kể từ ngày nhận được công văn đề nghị của Cục Hành chính tư pháp"
    )
    assert spec["stages"][0]["start"] == "kể từ ngày nhận đủ hồ sơ"


def test_staged_limit_with_mixed_units_1_003005() -> None:
    spec = spec_of("1.003005")
    assert limits(spec) == {"direct": (45, "working_days", None)}
    assert [(s["amount"], s["unit"]) for s in spec["stages"]] == [
        (15, "calendar_days"),
        (15, "calendar_days"),
        (10, "calendar_days"),
        (5, "working_days"),
    ]
    assert spec["stages"][2]["start"] == "kể từ ngày nhận được văn bản của Ủy ban nhân dân cấp xã"


def test_bare_number_is_not_confirmable_2_002797() -> None:
    spec = spec_of("2.002797")
    assert limits(spec) == {"direct": (1, None, None)}
    assert spec["problems"] == [BARE_NUMBER] and not spec_confirmable(spec)
    # The verification's "trường hợp phức tạp … không quá 60 ngày" is kept for the officer.
    assert spec["ceiling"]["amount"] == 60 and spec["ceiling"]["condition"] == (
        "trường hợp phức tạp"
    )


def test_stages_from_the_steps_when_they_add_up_1_014965() -> None:
    spec = spec_of("1.014965")
    assert set(limits(spec).values()) == {(15, "working_days", None)}
    assert [(s["amount"], s["unit"]) for s in spec["stages"]] == [
        (10, "working_days"),
        (5, "working_days"),
    ]
    assert spec["stages"][1]["start"] == "kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp"
    assert spec["stages"][1]["body"].startswith("Chủ tịch Ủy ban nhân dân cấp tỉnh ra quyết định")
    assert spec["start_event"] == ""  # the whole clock still starts at receipt


def test_ceiling_and_same_day_cut_off_1_011423() -> None:
    spec = spec_of("1.011423")
    assert set(limits(spec).values()) == {(None, "same_day", "15:00")}
    assert spec["ceiling"]["amount"] == 3 and spec["ceiling"]["unit"] == "working_days"
    assert spec["ceiling"]["condition"] == "Trường hợp cơ quan đăng ký có lý do chính đáng"
    assert "sau 15 giờ" in spec["cutoff_as_written"]
    assert spec_confirmable(spec)


def test_ceiling_after_a_limit_in_calendar_days_1_003198() -> None:
    spec = spec_of("1.003198")  # the cell says "Không có thông tin"; the fee's note says 15 ngày
    assert set(limits(spec).values()) == {(15, "calendar_days", None)}
    assert (spec["ceiling"]["amount"], spec["ceiling"]["unit"]) == (30, "calendar_days")


def test_same_day_cut_off_in_the_steps_only_1_001193() -> None:
    spec = spec_of("1.001193")  # khai sinh: "1" per channel, the rule is in the steps
    assert set(limits(spec).values()) == {(None, "same_day", "15:00")}
    assert spec["problems"] == [BARE_NUMBER]  # proposed, but someone must confirm


def test_no_information_stays_unconfirmed_even_with_a_proposal_2_000635() -> None:
    spec = spec_of("2.000635")  # every cell "Không có thông tin"; the steps speak of 15 giờ
    assert set(limits(spec).values()) == {(None, "same_day", "15:00")}
    assert spec["problems"] == [NOT_STATED]


def test_right_after_receipt_2_001680() -> None:
    spec = spec_of("2.001680")
    assert set(limits(spec).values()) == {(None, "same_day", None)}
    assert spec_confirmable(spec)


def test_no_information_1_003976() -> None:
    spec = spec_of("1.003976")
    assert spec["problems"] == [NOT_STATED] and not spec_confirmable(spec)


def test_start_event_other_than_receipt() -> None:
    rows = [
        {
            "channel": "Trực tiếp",
            "time": "5 Ngày làm việc",
            "fee": "Miễn phí",
            "description": "",
        }
    ]
    steps = (
        "Trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp, "
        "Chủ tịch Ủy ban nhân dân cấp tỉnh ra quyết định."
    )
    spec = parse_time_limit(rows, steps_text=steps)
    assert spec["start_event"] == "nhận được văn bản đề nghị của Sở Tư pháp"
    # The applicant's own letter is the receipt, not another event.
    own = steps.replace("của Sở Tư pháp", "của Quản tài viên")
    assert parse_time_limit(rows, steps_text=own)["start_event"] == ""


@pytest.mark.django_db
def test_import_keeps_the_reading_as_a_proposal_and_spares_a_confirmed_limit(
    tmp_path: Path,
) -> None:
    from motcua.procedures.tests.factories import make_procedure

    (tmp_path / "pages").mkdir()
    for code in ("1.002099", "1.000532", "2.002797", "1.014965", "1.011423"):
        (tmp_path / "pages" / f"{code}.json").write_bytes((PAGES / f"{code}.json").read_bytes())
    make_procedure("1.011423", time_limit_amount=2)  # configured by the province
    call_command("import", "catalogue", str(tmp_path / "pages"), stdout=io.StringIO())
    lawyers = Procedure.objects.get(code="1.002099")
    assert lawyers.time_limit_spec == spec_of("1.002099")
    assert not lawyers.time_limit_confirmed and lawyers.time_limit_amount is None
    assert lawyers.versions.get().data["time_limit_spec"]["channels"]["online"]["amount"] == 7
    assert Procedure.objects.get(code="2.002797").time_limit_spec["problems"] == [BARE_NUMBER]
    assert len(Procedure.objects.get(code="1.000532").time_limit_spec["stages"]) == 3
    configured = Procedure.objects.get(code="1.011423")
    assert configured.time_limit_spec == {} and configured.time_limit_amount == 2
    assert configured.time_limit_as_written.startswith("Trực tiếp: 3 Ngày làm việc")


def test_a_bare_number_glued_to_the_fee_keeps_all_its_digits_2_002036() -> None:
    # The cell reads "Trực tuyến75Miễn phí": 75 with no unit, then the fee.
    spec = spec_of("2.002036")
    assert {v["as_written"] for v in spec["channels"].values()} == {"75"}
    assert set(limits(spec).values()) == {(75, None, None)}
    assert spec["problems"] == [BARE_NUMBER]
    fees = parse_fee_rows(read_page(PAGES / "2.002036.json").channels)
    assert fees["kind"] == "free"


def test_the_pages_words_for_a_confirmed_ceiling_start_event_and_stages() -> None:
    from types import SimpleNamespace

    from motcua.procedures.templatetags.procedures import time_limit_details

    ceiling = spec_of("1.011423")
    staged = spec_of("1.014965")
    page = SimpleNamespace(time_limit_confirmed=True, time_limit_spec=ceiling)
    assert time_limit_details(page) == [
        "Trường hợp cơ quan đăng ký có lý do chính đáng: có thể kéo dài, không quá 3 ngày làm việc"
    ]
    page = SimpleNamespace(time_limit_confirmed=True, time_limit_spec=staged)
    lines = time_limit_details(page)
    assert len(lines) == 2 and lines[1].endswith(": 5 ngày làm việc")
    assert lines[1].startswith("Trong đó — Chủ tịch Ủy ban nhân dân cấp tỉnh ra quyết định")
    assert (
        time_limit_details(SimpleNamespace(time_limit_confirmed=False, time_limit_spec=staged))
        == []
    )
