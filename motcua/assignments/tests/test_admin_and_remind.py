"""The admin lists tasks read-only; `motcua tasks remind` fires the ladder and says how many."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.test import Client

from motcua.assignments.models import SourceDocument, TaskReminder
from motcua.assignments.services import assign_task
from motcua.conftest import make_user
from motcua.people.choices import Role


def test_admin_lists_tasks_read_only(letter: SourceDocument, province: Any) -> None:
    assign_task(
        document=letter, code="ADM-1", title="Nhiệm vụ", lead_unit=province.office, actor=None
    )
    admin = make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/assignments/task/")
    assert page.status_code == 200 and "ADM-1" in page.content.decode()
    assert client.get("/admin/assignments/task/add/").status_code == 403
    assert client.get("/admin/assignments/reminderladder/add/").status_code == 200


def test_remind_command(letter: SourceDocument, province: Any) -> None:
    make_user("boss", (province.office, Role.LEADER), email="boss@vp.vn")
    assign_task(
        document=letter,
        code="REM-1",
        title="Nhiệm vụ",
        lead_unit=province.office,
        deadline_text="chậm nhất ngày 15/12/2024",
        actor=None,
    )
    out = io.StringIO()
    call_command("assignments", "remind", "--now", "2024-12-13T09:00:00+07:00", stdout=out)
    assert out.getvalue().strip() == "đã gửi 1 lời nhắc hạn nhiệm vụ"
    assert list(TaskReminder.objects.values_list("rung", flat=True)) == ["at_due"]
    out = io.StringIO()
    call_command("assignments", "remind", "--now", "2024-12-13T10:00:00+07:00", stdout=out)
    assert out.getvalue().strip() == "đã gửi 0 lời nhắc hạn nhiệm vụ"
