"""`GET /api/v1/stats/tasks/`: the CLI's object, scoped like the other statistics."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.assignments.tests.support import row, stats, write_csv


def load(tmp_path: Path) -> None:
    rows = [
        row(
            "A",
            due_on="2023-08-01",
            reported_done_on="2023-07-20",
            confirmed_on="2023-07-30",
            lead_unit_code="C1",
        ),
        row("B", due_on="2023-09-01", reported_done_on="2023-08-25", lead_unit_code="C3"),
        row("C", deadline_text="chậm nhất ngày 31/12/2023", issuer_code="CP", document="2/NQ-CP"),
    ]
    call_command("import", "tasks", str(write_csv(tmp_path / "t.csv", rows)))


def test_api_serves_the_cli_object(people: dict, tmp_path: Path) -> None:
    load(tmp_path)
    client = APIClient()
    client.force_authenticate(people["olga"])
    for extra in ({}, {"by": "unit"}, {"by": "issuer"}, {"by": "document"}, {"view": "assigned"}):
        args = [a for k, v in extra.items() for a in (f"--{k}", v)]
        api = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "DT", **extra})
        assert api.status_code == 200
        assert api.json() == stats("--period", "2023-Q3", "--unit", "DT", *args)
    assert (
        client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "DT"}).json()["in_scope"]
        == 3
    )
    bad = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "DT", "view": "x"})
    assert bad.status_code == 400 and "view" in bad.json()


def test_api_reveals_nothing_outside_the_scope(people: dict, tmp_path: Path) -> None:
    load(tmp_path)
    client = APIClient()
    client.force_authenticate(people["alice"])  # commune A only
    mine = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "C1"})
    assert mine.status_code == 200 and mine.json()["in_scope"] == 1
    denied = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "DT"})
    neighbour = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "C3"})
    unknown = client.get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "ZZ"})
    assert denied.status_code == neighbour.status_code == unknown.status_code == 400
    assert "in_scope" not in denied.json() and denied.json() == {
        "unit": ["unit 'DT' does not exist in the period or is not yours"]
    }
    anonymous = APIClient().get("/api/v1/stats/tasks/", {"period": "2023-Q3", "unit": "DT"})
    assert anonymous.status_code in (401, 403)
