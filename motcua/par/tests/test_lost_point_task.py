"""A lost leaf turned into a task of the tasks module in one POST (issue 14 item 6).

Through `motcua.assignments.services`: the task's own timeline (`task.assigned`) and a change-log
row for the link; only who may create tasks for the unit gets the button.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from motcua.assignments.models import SourceDocument, Task, TaskEvent
from motcua.audit.models import ObjectChange
from motcua.conftest import make_user
from motcua.par.models import LostPointTask
from motcua.par.tests.test_unit_page import URL, login, scored  # noqa: F401
from motcua.people.models import Role

pytestmark = pytest.mark.django_db

TASK_URL = URL + "giao-nhiem-vu/"


def form(code: str, *, days: int = 30, number: str = "98/KH-VP") -> dict[str, str]:
    today = timezone.localdate()
    return {
        "ma": code,
        "han": (today + dt.timedelta(days=days)).isoformat(),
        "so_ke_hoach": number,
        "ngay_ke_hoach": today.strftime("%d/%m/%Y"),
    }


def test_one_post_creates_a_task_led_by_the_unit_linked_to_the_leaf(
    scored: None,  # noqa: F811
    people: dict,
    province: object,
) -> None:
    olga = people["olga"]
    client = login(olga)
    assert "Giao nhiệm vụ tiêu chí 2.1" in client.get(URL).content.decode()
    response = client.post(TASK_URL, form("2.1"))
    assert response.status_code == 302

    link = LostPointTask.objects.select_related("task", "criterion").get()
    task = Task.objects.get()
    assert link.task == task and link.unit_code == "VP" and link.criterion.code == "2.1"
    due = timezone.localdate() + dt.timedelta(days=30)
    assert task.title == "Khắc phục tiêu chí 2.1: Số thủ tục trực tuyến có phát sinh hồ sơ"
    assert task.lead_unit == province.office  # type: ignore[attr-defined]
    assert (task.due_on, task.original_due, task.deadline_kind) == (due, due, "by_date")
    assert task.criterion_code == "2.1"
    assert task.code == "CCHC-DT-SO-2024-VP-2.1"
    doc = task.document
    assert (doc.number, doc.issuer_unit, doc.doc_type) == (
        "98/KH-VP",
        province.office,  # type: ignore[attr-defined]
        "ke_hoach",
    )
    event = TaskEvent.objects.get(task=task)
    assert (event.kind, event.actor) == ("task.assigned", olga)
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(LostPointTask), object_id=str(link.pk)
    )
    assert change.actor == olga

    html = client.get(URL).content.decode()
    assert "Giao nhiệm vụ tiêu chí 2.1" not in html
    assert f'href="/nhiem-vu/{task.code}/"' in html
    # The second leaf goes under the same plan, typed again (the form proposes it).
    assert 'value="98/KH-VP"' in html
    assert client.post(TASK_URL, form("1.2")).status_code == 302
    assert SourceDocument.objects.count() == 1 and Task.objects.count() == 2


def test_refused_requests_write_nothing(
    scored: None,  # noqa: F811
    people: dict,
) -> None:
    client = login(people["olga"])
    past = client.post(TASK_URL, form("2.1", days=-1))
    assert past.status_code == 400
    assert "Hạn hoàn thành không được trước hôm nay." in past.content.decode()
    full = client.post(TASK_URL, form("1.1"))
    assert full.status_code == 400
    assert "Tiêu chí 1.1 không bị mất điểm." in full.content.decode()
    no_date = client.post(TASK_URL, {**form("2.1"), "han": "30/02/2025"})
    assert no_date.status_code == 400
    assert not Task.objects.exists() and not SourceDocument.objects.exists()
    assert client.post(TASK_URL, form("2.1")).status_code == 302
    again = client.post(TASK_URL, form("2.1"))
    assert again.status_code == 400
    assert "Tiêu chí 2.1 của đơn vị này đã có nhiệm vụ khắc phục." in again.content.decode()
    assert Task.objects.count() == 1 and LostPointTask.objects.count() == 1


def test_who_may_not_create_tasks_has_no_button_and_gets_403_or_404(
    scored: None,  # noqa: F811
    people: dict,
    province: object,
) -> None:
    specialist = make_user("vinh", (province.office, Role.SPECIALIST))  # type: ignore[attr-defined]
    client = login(specialist)
    html = client.get(URL).content.decode()
    assert "giao-nhiem-vu/" not in html and "Giao nhiệm vụ tiêu chí" not in html
    assert '<select name="cong_suc">' in html  # sees the page and sets efforts, no task form
    assert client.post(TASK_URL, form("2.1")).status_code == 403
    assert login(people["nina"]).post(TASK_URL, form("2.1")).status_code == 404
    # A unit code outside the unit tree: its page is seen, no task can be led by it.
    olga = login(people["olga"])
    other = olga.get("/chi-so-cchc/DT-SO-2024/Y/")
    other_html = other.content.decode()
    assert other.status_code == 200 and '<li data-leaf="1.2">' in other_html
    assert "giao-nhiem-vu/" not in other_html
    assert olga.post("/chi-so-cchc/DT-SO-2024/Y/giao-nhiem-vu/", form("1.2")).status_code == 403
    assert not Task.objects.exists() and not LostPointTask.objects.exists()
