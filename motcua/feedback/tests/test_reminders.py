"""The reminder ladder: each rung fires exactly once per (item, rung, due instant), to the
right people, also when the job runs twice or on two workers at once."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.conftest import Province, make_user, run_in_threads
from motcua.feedback import services
from motcua.feedback.choices import FeedbackState, Kind, ReminderRung
from motcua.feedback.jobs import rung_instants, send_due_reminders
from motcua.feedback.models import Category, Feedback, FeedbackEntry, FeedbackReminder
from motcua.feedback.tests.factories import (
    advance,
    local,
    make_categories,
    make_feedback,
    make_staff,
)
from motcua.people.choices import Role
from motcua.workcalendar.selectors import get_calendar

S = FeedbackState
R = ReminderRung
RECEIVED = local(2025, 3, 3, 9)
# ho-tich's 10-day norm: due Mon 17/03/2025 09:00.
DUE = local(2025, 3, 17, 9)
BEFORE = local(2025, 3, 13, 9)  # 2 working days before
OVERDUE = local(2025, 3, 20, 9)  # 3 working days after


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


def item(province: Province, cats: dict[str, Category], **kw: Any) -> Feedback:
    kw.setdefault("unit", province.commune_a)
    return make_feedback(category=cats["ho-tich"], at=RECEIVED, **kw)


def fired(f: Feedback) -> list[tuple[str, Any, list[str]]]:
    return [
        (r.rung, r.due, [p["username"] for p in r.recipients])
        for r in FeedbackReminder.objects.filter(feedback=f).order_by("fired_at", "id")
    ]


def test_the_rungs_fire_at_their_instants(province: Province) -> None:
    cal = get_calendar(province.commune_a)
    assert rung_instants(cal, DUE) == {
        R.HANDLER_BEFORE: BEFORE,
        R.LEADER_AT_DUE: DUE,
        R.LEADER_OVERDUE: OVERDUE,
    }


def test_each_rung_fires_once_to_the_right_people(
    province: Province,
    staff: dict[str, Any],
    cats: dict[str, Category],
    django_capture_on_commit_callbacks: Any,
) -> None:
    f = item(province, cats)
    assert f.norm_due == DUE
    assert send_due_reminders(now=local(2025, 3, 13, 8, 59)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=BEFORE) == 1
    assert send_due_reminders(now=BEFORE) == 0  # running twice fires once
    assert send_due_reminders(now=local(2025, 3, 14, 9)) == 0
    assert [m.to for m in mail.outbox] == [["spec@c1.vn"]]  # no handler: C1's specialists
    assert f.code in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=DUE) == 1
        assert send_due_reminders(now=OVERDUE) == 1
    assert send_due_reminders(now=local(2025, 4, 30, 9)) == 0
    assert fired(f) == [
        (R.HANDLER_BEFORE, DUE, ["spec"]),
        (R.LEADER_AT_DUE, DUE, ["lead", "lead2"]),
        (R.LEADER_OVERDUE, DUE, ["dlead", "lead", "lead2"]),  # the unit's and its parent's
    ]
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "dlead@d1.vn",
        "lead2@c1.vn",
        "lead2@c1.vn",
        "lead@c1.vn",
        "lead@c1.vn",
    ]
    events = FeedbackEntry.objects.filter(feedback=f, kind="feedback.reminder_sent")
    assert [(e.data["rung"], e.at, e.to_state) for e in events] == [
        (R.HANDLER_BEFORE, BEFORE, S.RECEIVED),
        (R.LEADER_AT_DUE, DUE, S.RECEIVED),
        (R.LEADER_OVERDUE, OVERDUE, S.RECEIVED),
    ]
    assert events[0].data["due"] == DUE.isoformat()
    assert Feedback.objects.get(pk=f.pk).state == S.RECEIVED


def test_the_handler_gets_the_first_rung(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    spec2 = make_user("spec2", (province.commune_a, Role.SPECIALIST))
    f = item(province, cats)
    services.assign_feedback(feedback=f, actor=staff["lead"], handler=spec2, at=RECEIVED)
    assert send_due_reminders(now=BEFORE) == 1
    assert fired(f) == [(R.HANDLER_BEFORE, DUE, ["spec2"])]


def test_a_unit_without_leaders_escalates_to_its_parent(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    f = item(province, cats, unit=province.commune_b)
    assert send_due_reminders(now=BEFORE) == 1
    assert send_due_reminders(now=DUE) == 1
    assert fired(f) == [
        (R.HANDLER_BEFORE, DUE, ["other"]),
        (R.LEADER_AT_DUE, DUE, ["dlead"]),
    ]


def test_a_late_run_sends_only_the_highest_rung(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    f = item(province, cats)
    assert send_due_reminders(now=local(2025, 3, 25, 9)) == 1
    assert send_due_reminders(now=local(2025, 3, 26, 9)) == 0
    assert [r[0] for r in fired(f)] == [R.LEADER_OVERDUE]


def test_a_changed_due_instant_rearms_the_ladder(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    f = item(province, cats)
    assert send_due_reminders(now=BEFORE) == 1
    # Another category: its 20-day norm is capped at the 15-day limit, Mon 24/03 09:00.
    f = services.classify_feedback(
        feedback=f, actor=staff["spec"], category=cats["dat-dai"], at=local(2025, 3, 13, 10)
    )
    assert f.norm_due == local(2025, 3, 24, 9)
    assert send_due_reminders(now=DUE) == 0  # the old due instant no longer applies
    assert send_due_reminders(now=local(2025, 3, 20, 9)) == 1
    assert fired(f) == [
        (R.HANDLER_BEFORE, DUE, ["spec"]),
        (R.HANDLER_BEFORE, local(2025, 3, 24, 9), ["spec"]),
    ]


def test_finished_resolved_waiting_and_quick_items_get_no_reminders(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    lead = staff["lead"]
    at = local(2025, 3, 4, 9)
    for state in (S.REFUSED, S.FORWARDED, S.REDIRECTED, S.ANSWER_APPROVED, S.PUBLISHED, S.CLOSED):
        advance(item(province, cats), state, actor=lead, at=at)
    services.request_supplement(
        feedback=item(province, cats), actor=lead, request="Ghi rõ địa chỉ", at=at
    )
    question = item(province, cats, kind=Kind.QUESTION)
    assert question.state == S.RECEIVED
    control = item(province, cats)
    assert send_due_reminders(now=OVERDUE) == 1
    assert FeedbackReminder.objects.get().feedback == control


def test_the_remind_command_prints_how_many(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    item(province, cats)
    item(province, cats)
    out = StringIO()
    call_command("feedback", "remind", "--now", "2025-03-13T09:00", stdout=out)
    assert out.getvalue().strip() == "đã gửi 2 lời nhắc hạn xử lý phản ánh"
    out = StringIO()
    call_command("feedback", "remind", "--now", "2025-03-13T02:00:00+00:00", stdout=out)
    assert out.getvalue().strip() == "đã gửi 0 lời nhắc hạn xử lý phản ánh"


# -- two workers at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_fire_each_rung_once(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    items = [item(province, cats) for _ in range(3)]
    mail.outbox = []

    def work(_i: int) -> int:
        for _attempt in range(40):
            try:
                return send_due_reminders(now=OVERDUE)
            except Exception as exc:
                # The in-memory SQLite test database (shared cache) answers "table is locked"
                # instead of waiting; files and PostgreSQL wait for the lock. The job is safe
                # to run again.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        raise AssertionError("could not write")

    results = run_in_threads(2, work)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) <= 3
    assert FeedbackReminder.objects.count() == 3
    for f in items:
        assert [r[0] for r in fired(f)] == [R.LEADER_OVERDUE]
        assert FeedbackEntry.objects.filter(feedback=f, kind="feedback.reminder_sent").count() == 1
    # Each item's overdue notice reached the three leaders once.
    assert len(mail.outbox) == 9
    assert send_due_reminders(now=OVERDUE) == 0
