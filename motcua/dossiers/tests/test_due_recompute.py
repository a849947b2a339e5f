"""A change of the working calendar recomputes the due instants of open dossiers (deadlines.md
§2(a) "Calendar changes"): a swap announced after receipt moves the appointment, written as a
timeline event with its reason; finished dossiers keep theirs; running it twice writes once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.jobs import recompute_open_dues
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.timeline import timeline_entries
from motcua.notices.models import Notice
from motcua.workcalendar.models import CalendarEntry
from motcua.workcalendar.services import add_calendar_entry, delete_calendar_entry

pytestmark = pytest.mark.django_db

REASON = "Công văn thử nghiệm về hoán đổi ngày làm việc"


def received(province: Province, day: int) -> Dossier:
    """A walk-in of 10 working days received at 10:00 on `day` March 2025 (a weekday)."""
    procedure = make_procedure(
        f"1.00{day:04d}",
        units=[province.commune_a],
        steps=[("Thẩm định", province.commune_a, 80)],
    )
    return services.receive_dossier(
        actor=None,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, day, 10),
    )


def test_a_day_off_added_moves_open_dossiers_once_and_removing_it_moves_them_back(
    province: Province, django_capture_on_commit_callbacks: Any
) -> None:
    # Mon 03/03/2025 10:00 + 10 working days = Mon 17/03/2025 10:00.
    d = received(province, 3)
    assert d.statutory_due == local(2025, 3, 17, 10)
    with django_capture_on_commit_callbacks(execute=True):
        entry = add_calendar_entry(
            date=dt.date(2025, 3, 5),
            kind="day_off",
            name="Ngày nghỉ (hoán đổi)",
            document=REASON,
            actor="test",
            reason="công bố muộn",
        )
    d.refresh_from_db()
    # Wed 05/03 is no longer worked: the due moves one working day, to Tue 18/03 10:00.
    assert d.statutory_due == local(2025, 3, 18, 10)
    assert d.promised_due == local(2025, 3, 18, 10)
    event = DossierEvent.objects.get(dossier=d, kind="dossier.due_recomputed")
    moved = {k: dt.datetime.fromisoformat(v) for k, v in event.data["statutory_due"].items()}
    assert moved == {"before": local(2025, 3, 17, 10), "after": local(2025, 3, 18, 10)}
    assert "thêm vào lịch làm việc: Ngày nghỉ (hoán đổi) (05/03/2025)" in event.note
    d = Dossier.objects.prefetch_related("events").get(pk=d.pk)
    lines = [e.text for e in timeline_entries(d)]
    assert (
        "Tính lại hạn theo lịch làm việc mới: hạn giải quyết 18/03/2025 10:00 "
        "(trước đó 17/03/2025 10:00)" in lines
    )

    notice = Notice.objects.get(reference=d.code, topic="dossier.due_recomputed", channel="sms")
    assert notice.subject == f"Điều chỉnh ngày hẹn trả kết quả hồ sơ {d.code}"
    assert "mới: 10:00 ngày 18/03/2025 (trước đó 10:00 ngày 17/03/2025)" in notice.body

    # Safe to run twice: nothing moved, nothing written.
    result = recompute_open_dues.call("2025-03-05", "lần hai")
    assert result == {"checked": 1, "moved": 0}
    assert DossierEvent.objects.filter(dossier=d, kind="dossier.due_recomputed").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        delete_calendar_entry(
            CalendarEntry.objects.get(pk=entry.pk), actor="test", reason="huỷ hoán đổi"
        )
    d.refresh_from_db()
    assert d.statutory_due == local(2025, 3, 17, 10)
    assert DossierEvent.objects.filter(dossier=d, kind="dossier.due_recomputed").count() == 2


def test_finished_and_later_dossiers_are_left_alone(
    province: Province, django_capture_on_commit_callbacks: Any
) -> None:
    done = received(province, 3)
    done = services.transfer_dossier(
        dossier=done, actor=None, to_unit=province.commune_a, at=local(2025, 3, 3, 14)
    )
    done = services.resolve_dossier(dossier=done, actor=None, at=local(2025, 3, 4, 9))
    later = received(province, 6)  # received after the changed day: its clock never crosses it
    before = (done.statutory_due, later.statutory_due)
    with django_capture_on_commit_callbacks(execute=True):
        add_calendar_entry(
            date=dt.date(2025, 3, 5), kind="day_off", name="Nghỉ", actor="test", reason="thử"
        )
    done.refresh_from_db()
    later.refresh_from_db()
    assert (done.statutory_due, later.statutory_due) == before
    assert not DossierEvent.objects.filter(kind="dossier.due_recomputed").exists()
