"""Deadlines of the time limits as written, on the calendar of deadlines.md (W4, W5, W17, W18):
a limit per channel, calendar "Ngày", stages, an invoked ceiling, a start event, a cut-off."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.time_limits import (
    invoke_time_limit_ceiling,
    record_clock_start,
    stage_plan,
)
from motcua.procedures.confirmation import confirm_time_limit
from motcua.procedures.models import Procedure


@pytest.fixture
def root(province: Province) -> Any:
    return make_user("root", is_superuser=True)


def configured(
    province: Province,
    channels: dict[str, dict[str, Any]],
    *,
    ceiling: dict[str, Any] | None = None,
    start_event: str = "",
    stages: list[dict[str, Any]] | None = None,
    code: str = "1.001193",
) -> Procedure:
    """A published procedure whose limit an officer confirmed as `channels` etc."""
    procedure = make_procedure(code, units=[province.commune_a], amount=5)
    if stages:
        Procedure.objects.filter(pk=procedure.pk).update(time_limit_spec={"stages": stages})
        procedure.refresh_from_db()
    answer = {"channels": channels, "ceiling": ceiling or {}, "start_event": start_event}
    return confirm_time_limit(procedure, actor=None, answer=answer)


def receive(province: Province, procedure: Procedure, root: Any, at: Any, channel: str) -> Dossier:
    return services.receive_dossier(
        actor=root,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        channel=channel,
        at=at,
    )


WD = "working_days"
CD = "calendar_days"


def test_each_channel_gets_its_own_limit_w4(province: Province, root: Any) -> None:
    procedure = configured(
        province, {"direct": {"amount": 5, "unit": WD}, "online": {"amount": 7, "unit": WD}}
    )
    assert procedure.version == 2 and procedure.versions.get(number=2).data["time_limit_spec"]
    direct = receive(province, procedure, root, local(2024, 4, 26, 10), "direct")
    online = receive(province, procedure, root, local(2024, 4, 26, 10), "online")
    postal = receive(province, procedure, root, local(2024, 4, 26, 10), "postal")
    assert (direct.time_limit_amount, online.time_limit_amount) == (5, 7)
    assert direct.statutory_due == local(2024, 5, 7, 10)  # W4
    assert online.statutory_due == local(2024, 5, 9, 10)  # + Wed 08/05, Thu 09/05
    # No reading for the post: the first channel's (in person) applies.
    assert postal.time_limit_amount == 5 and postal.statutory_due == local(2024, 5, 7, 10)


def test_calendar_days_per_channel_land_on_a_weekend_or_holiday_w17(
    province: Province, root: Any
) -> None:
    procedure = configured(
        province, {"direct": {"amount": 4, "unit": CD}, "online": {"amount": 7, "unit": CD}}
    )
    direct = receive(province, procedure, root, local(2025, 6, 11, 10), "direct")
    assert direct.statutory_due == local(2025, 6, 16, 17)  # day 4 = Sun 15/06 → Mon
    online = receive(province, procedure, root, local(2025, 6, 11, 10), "online")
    assert online.statutory_due == local(2025, 6, 18, 17)  # day 7 = Wed 18/06
    five = configured(province, {"direct": {"amount": 5, "unit": CD}}, code="1.000002")
    variant = receive(province, five, root, local(2025, 4, 25, 10), "direct")
    assert variant.statutory_due == local(2025, 5, 5, 17)  # 30/04, 01/05, 02/05 swap, weekend


def test_same_day_cut_off_per_channel_w18(province: Province, root: Any) -> None:
    procedure = configured(province, {"direct": {"unit": "same_day", "cutoff": "15:00"}})
    due = {
        at: receive(province, procedure, root, at, "direct").statutory_due
        for at in (
            local(2025, 6, 10, 14, 50),
            local(2025, 6, 10, 15, 20),
            local(2025, 6, 10, 17, 30),
            local(2025, 4, 29, 15, 30),
        )
    }
    assert list(due.values()) == [
        local(2025, 6, 10, 17),
        local(2025, 6, 11, 17),
        local(2025, 6, 11, 17),
        local(2025, 5, 5, 17),
    ]


def test_staged_plan_starts_each_stage_at_the_previous_due(province: Province, root: Any) -> None:
    stages = [
        {"body": "Cục Hành chính tư pháp thẩm định", "amount": 30, "unit": CD, "start": "kể từ "},
        {"body": "Bộ Công an trả lời", "amount": 15, "unit": CD, "start": "kể từ ngày nhận …"},
        {"body": "Cục quyết định", "amount": 5, "unit": CD, "start": "kể từ …"},
    ]
    procedure = configured(province, {"direct": {"amount": 50, "unit": CD}}, stages=stages)
    dossier = receive(province, procedure, root, local(2025, 3, 3, 9), "direct")
    plan = stage_plan(dossier)
    assert [(s.start, s.due) for s in plan] == [
        (local(2025, 3, 3, 9), local(2025, 4, 2, 17)),  # day 30 = Wed 02/04
        (local(2025, 4, 3, 7), local(2025, 4, 18, 17)),  # 17:00 snaps to Thu 07:00; +15
        (local(2025, 4, 21, 7), local(2025, 4, 26, 17)),  # Sat 26/04/2025 is a worked Saturday
    ]
    assert plan[0].limit == "30 ngày theo lịch"


def test_ceiling_replaces_the_budget_once_with_a_reason_before_the_due(
    province: Province, root: Any
) -> None:
    procedure = configured(
        province,
        {"direct": {"unit": "same_day", "cutoff": "15:00"}},
        ceiling={"amount": 3, "unit": WD, "condition": "Trường hợp có lý do chính đáng"},
    )
    dossier = receive(province, procedure, root, local(2025, 6, 10, 14, 50), "direct")
    assert dossier.statutory_due == local(2025, 6, 10, 17)
    with pytest.raises(services.DossierError) as no_reason:
        invoke_time_limit_ceiling(dossier, actor=root, reason="  ", at=local(2025, 6, 10, 16))
    assert no_reason.value.field == "reason"
    dossier = invoke_time_limit_ceiling(
        dossier, actor=root, reason="Phải xác minh thông tin", at=local(2025, 6, 10, 16)
    )
    dossier.refresh_from_db()
    assert (dossier.time_limit_amount, dossier.time_limit_unit) == (3, WD)
    assert dossier.statutory_due == local(2025, 6, 13, 14, 50)  # 3 working days from 14:50
    assert dossier.time_limit_extended_at == local(2025, 6, 10, 16)
    assert dossier.time_limit_extension_reason == "Phải xác minh thông tin"
    event = dossier.events.get(kind="dossier.time_limit_ceiling_invoked")
    assert event.note == "Phải xác minh thông tin" and event.data["ceiling"] == "3 ngày làm việc"
    with pytest.raises(services.TransitionNotAllowed):
        invoke_time_limit_ceiling(dossier, actor=root, reason="Lần hai", at=local(2025, 6, 11, 9))


def test_ceiling_is_refused_once_the_due_has_passed(province: Province, root: Any) -> None:
    procedure = configured(
        province,
        {"direct": {"amount": 45, "unit": CD}},
        ceiling={"amount": 60, "unit": CD, "condition": "trường hợp phức tạp"},
    )
    dossier = receive(province, procedure, root, local(2025, 3, 3, 9), "direct")
    assert dossier.statutory_due == local(2025, 4, 17, 17)
    with pytest.raises(services.TransitionNotAllowed):
        invoke_time_limit_ceiling(dossier, actor=root, reason="Phức tạp", at=local(2025, 4, 18, 8))
    dossier.refresh_from_db()
    assert dossier.time_limit_extended_at is None and dossier.time_limit_amount == 45
    dossier = invoke_time_limit_ceiling(
        dossier, actor=root, reason="Phức tạp", at=local(2025, 4, 17, 16)
    )
    assert dossier.statutory_due == local(2025, 5, 5, 17)  # day 60 = Fri 02/05 (swap) → Mon


def test_no_ceiling_no_invocation(province: Province, root: Any) -> None:
    procedure = configured(province, {"direct": {"amount": 5, "unit": WD}})
    dossier = receive(province, procedure, root, local(2025, 3, 3, 9), "direct")
    with pytest.raises(services.TransitionNotAllowed):
        invoke_time_limit_ceiling(dossier, actor=root, reason="Phức tạp", at=local(2025, 3, 3, 10))


def test_start_event_on_a_holiday_eve_w5(province: Province, root: Any) -> None:
    event = "nhận được văn bản đề nghị của Sở Tư pháp"
    procedure = configured(province, {"direct": {"amount": 3, "unit": WD}}, start_event=event)
    dossier = receive(province, procedure, root, local(2025, 4, 28, 9), "direct")
    assert dossier.clock_start_event == event
    assert dossier.statutory_due is None  # the clock refuses to guess
    with pytest.raises(services.DossierError) as early:
        record_clock_start(dossier, actor=root, at=local(2025, 4, 28, 8))
    assert early.value.field == "at"
    dossier = record_clock_start(
        dossier, actor=root, at=local(2025, 4, 29, 14), note="Công văn số 12/STP"
    )
    dossier.refresh_from_db()
    assert dossier.clock_started_at == local(2025, 4, 29, 14)
    assert dossier.statutory_due == local(2025, 5, 7, 14)  # W5
    assert dossier.events.get(kind="dossier.clock_started").note == "Công văn số 12/STP"
    with pytest.raises(services.TransitionNotAllowed):
        record_clock_start(dossier, actor=root, at=local(2025, 4, 30, 9))


def test_start_event_outside_working_hours_snaps_like_a_receipt(
    province: Province, root: Any
) -> None:
    procedure = configured(
        province, {"direct": {"amount": 2, "unit": WD}}, start_event="nhận được công văn của Bộ"
    )
    dossier = receive(province, procedure, root, local(2025, 3, 14, 9), "direct")
    dossier = record_clock_start(dossier, actor=root, at=local(2025, 3, 15, 9))
    assert dossier.statutory_due == local(2025, 3, 18, 17)  # W11: Saturday → Mon 07:00


def test_a_procedure_without_a_confirmed_spec_keeps_its_single_limit(
    province: Province, root: Any
) -> None:
    procedure = make_procedure(units=[province.commune_a], amount=5)
    dossier = receive(province, procedure, root, local(2024, 4, 26, 10), "online")
    assert dossier.time_limit_amount == 5 and dossier.statutory_due == local(2024, 5, 7, 10)
    assert not dossier.clock_start_event and stage_plan(dossier) == []
