"""Catalogue services: process budgets, versions, the change log and the scope."""

from __future__ import annotations

import pytest

from motcua.audit.models import ObjectChange
from motcua.procedures.display import format_dong, format_working_minutes
from motcua.procedures.models import Procedure, ProcessStep
from motcua.procedures.services import (
    ProcedureError,
    current_version,
    procedure_state,
    process_problem,
    publish_procedure,
    record_procedure_change,
    save_procedure,
)
from motcua.procedures.tests.factories import make_procedure

DAY = 480


@pytest.mark.django_db
def test_process_that_does_not_add_up_cannot_be_published() -> None:
    procedure = make_procedure(published=False, steps=[60, 1200, 480])  # 29 h ≠ 5 days (40 h)
    assert process_problem(procedure) == (
        "tổng thời gian các bước (29 giờ làm việc) khác thời hạn giải quyết "
        "(5 ngày làm việc = 40 giờ làm việc)"
    )
    with pytest.raises(ProcedureError) as caught:
        publish_procedure(procedure)
    assert caught.value.field == "steps"
    procedure.refresh_from_db()
    assert not procedure.published


@pytest.mark.django_db
def test_process_that_adds_up_is_published_and_logged() -> None:
    procedure = make_procedure(published=False, steps=[240, 1680, 240, 240])
    publish_procedure(procedure, source="test")
    procedure.refresh_from_db()
    assert procedure.published
    change = ObjectChange.objects.filter(action="update").get()
    assert change.changed_fields == ["published", "updated_at"]


@pytest.mark.django_db
def test_budgets_of_the_form_can_be_checked_before_saving() -> None:
    procedure = make_procedure(published=False)
    assert process_problem(procedure, [DAY * 5]) == ""
    assert "khác thời hạn" in process_problem(procedure, [DAY * 4])


@pytest.mark.django_db
def test_calendar_and_same_day_limits_have_no_budget_to_match() -> None:
    calendar = make_procedure(
        "A", time_limit_amount=30, time_limit_unit="calendar_days", steps=[60]
    )
    same_day = make_procedure("B", time_limit_amount=None, time_limit_unit="same_day", steps=[60])
    assert process_problem(calendar) == process_problem(same_day) == ""


@pytest.mark.django_db
def test_editing_a_published_procedure_into_a_broken_process_is_refused() -> None:
    procedure = make_procedure(steps=[DAY * 5])
    before = procedure_state(procedure)
    procedure.time_limit_amount = 6
    procedure.save()
    with pytest.raises(ProcedureError):
        record_procedure_change(procedure, before=before)


@pytest.mark.django_db
def test_edit_makes_a_new_version_and_earlier_dossiers_keep_theirs() -> None:
    procedure = make_procedure(steps=[DAY * 5])
    received_under = current_version(procedure)  # what a dossier received now would keep
    assert received_under.number == 1
    before = procedure_state(procedure)
    procedure.time_limit_amount = 7
    procedure.fee = 25000
    procedure.save()
    ProcessStep.objects.filter(procedure=procedure).update(budget_minutes=DAY * 7)
    version = record_procedure_change(procedure, before=before, source="test")
    assert version.number == 2
    assert current_version(procedure).number == 2
    received_under.refresh_from_db()
    assert received_under.data["time_limit_amount"] == 5
    assert received_under.data["fee"] == 0
    assert received_under.data["steps"][0]["budget_minutes"] == DAY * 5
    assert Procedure.objects.get(pk=procedure.pk).version == 2


@pytest.mark.django_db
def test_saving_without_changes_makes_no_version_and_no_log() -> None:
    procedure = make_procedure()
    logged = ObjectChange.objects.count()
    version = record_procedure_change(procedure, before=procedure_state(procedure))
    assert version.number == 1
    assert ObjectChange.objects.count() == logged
    _, outcome = save_procedure(procedure, code=procedure.code, name=procedure.name)
    assert outcome == "unchanged"


@pytest.mark.django_db
def test_visible_to_hides_drafts_from_everyone_but_configurators(people: dict) -> None:
    make_procedure("P", published=True)
    make_procedure("D", published=False)
    for name in ("alice", "ivan", "nora"):
        assert list(Procedure.objects.visible_to(people[name]).values_list("code", flat=True)) == [
            "P"
        ]
    assert set(Procedure.objects.visible_to(people["adam"]).values_list("code", flat=True)) == {
        "P",
        "D",
    }


@pytest.mark.django_db
def test_search_ignores_case_and_diacritics() -> None:
    make_procedure("1.001193", name="Thủ tục đăng ký khai sinh")
    make_procedure("1.000894", name="Thủ tục đăng ký kết hôn")
    for text in ("khai sinh", "KHAI SINH", "đăng ký khai sinh", "dang ky khai sinh", "001193"):
        assert list(Procedure.objects.search(text).values_list("code", flat=True)) == ["1.001193"]


def test_money_and_working_time_in_words() -> None:
    assert format_dong(50000) == "50.000 đồng"
    assert format_dong(1250000) == "1.250.000 đồng"
    assert format_dong(0) == "Không thu phí"
    assert format_working_minutes(720) == "1 ngày 4 giờ làm việc"
    assert format_working_minutes(90) == "1 giờ 30 phút làm việc"
