"""`/api/v1/tasks/`: scoped reads, one POST per action through the services, 403/404/409."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.test import APIClient

from motcua.assignments.models import SourceDocument, Task
from motcua.assignments.services import assign_task


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def make(letter: SourceDocument, province: Any) -> dict[str, Task]:
    return {
        "d1": assign_task(
            document=letter,
            code="API-1",
            title="Nhiệm vụ huyện",
            lead_unit=province.district,
            deadline_text="trước ngày 10/12/2024",
            actor=None,
        ),
        "d2": assign_task(
            document=letter,
            code="API-2",
            title="Nhiệm vụ huyện khác",
            lead_unit=province.other_district,
            actor=None,
        ),
    }


def test_list_and_detail_are_scoped(letter: SourceDocument, province: Any, people: dict) -> None:
    make(letter, province)
    dana = client_for(people["dana"])
    listed = dana.get("/api/v1/tasks/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["code"] for r in rows] == ["API-1"]
    assert rows[0]["due_on"] == "2024-12-09" and rows[0]["deadline_kind"] == "before_date"
    assert rows[0]["issuer"] == "DT" and rows[0]["overdue"] is True
    assert dana.get("/api/v1/tasks/API-2/").status_code == 404
    detail = dana.get("/api/v1/tasks/API-1/").json()
    assert [e["kind"] for e in detail["events"]] == ["task.assigned"]


def test_actions_through_the_services(letter: SourceDocument, province: Any, people: dict) -> None:
    make(letter, province)
    dana, olga = client_for(people["dana"]), client_for(people["olga"])
    r = dana.post(
        "/api/v1/tasks/API-1/progress/", {"text": "Đang làm", "percent": 20}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    r = dana.post("/api/v1/tasks/API-1/complete/", {"text": "Xong"}, format="json")
    assert r.status_code == 400 and "evidence" in r.json()
    r = dana.post(
        "/api/v1/tasks/API-1/complete/",
        {"text": "Xong", "evidence": "Kế hoạch 3/KH", "reported_on": "2024-12-05"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["reported_done_on"] == "2024-12-05"
    assert dana.post("/api/v1/tasks/API-1/confirm/", {}, format="json").status_code == 403
    r = olga.post("/api/v1/tasks/API-1/confirm/", {"confirmed_on": "2024-12-06"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = olga.post("/api/v1/tasks/API-1/return/", {"reason": "x"}, format="json")
    assert r.status_code == 409
    assert Task.objects.get(code="API-1").confirmed_on == dt.date(2024, 12, 6)
    r = olga.post(
        "/api/v1/tasks/API-2/extend/",
        {"new_due": "2025-01-31", "document": "7/UBND"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["due_on"] == "2025-01-31"
    assert (
        client_for(people["alice"])
        .post("/api/v1/tasks/API-2/cancel/", {"document": "x"}, format="json")
        .status_code
        == 404
    )
