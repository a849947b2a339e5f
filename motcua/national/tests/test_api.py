"""`GET /api/v1/dossiers/{code}/national-sync/`: read-only, through the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.national.models import OutboxRow
from motcua.national.tests.helpers import dossier_with_rows, procedure_for
from motcua.workcalendar.engine import TZ

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_state_of_a_failing_dossier(province: Province, people: dict[str, Any]) -> None:
    d = dossier_with_rows(province, procedure_for(province), 2)
    retry = dt.datetime(2026, 12, 7, 14, 30, tzinfo=TZ)
    OutboxRow.objects.filter(dossier=d, sequence=1).update(
        attempts=1, last_error="Cổng trả lời lỗi HTTP 500", next_attempt_at=retry
    )
    response = api(people["alice"]).get(f"/api/v1/dossiers/{d.code}/national-sync/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "failed"
    assert body["label"] == "Lỗi đồng bộ: Cổng trả lời lỗi HTTP 500 (thử lại lúc 14:30 07/12/2026)"
    assert (body["delivered"], body["pending"]) == (0, 2)
    assert body["next_attempt_at"].startswith("2026-12-07T14:30:00+07:00")
    assert body["delivered_at"] is None


def test_outside_the_scope_is_404_and_anonymous_401(
    province: Province, people: dict[str, Any]
) -> None:
    d = dossier_with_rows(province, procedure_for(province), 1)
    url = f"/api/v1/dossiers/{d.code}/national-sync/"
    assert api(people["bob"]).get(url).status_code == 404
    assert api(people["alice"]).get("/api/v1/dossiers/KHONG-CO/national-sync/").status_code == 404
    assert APIClient().get(url).status_code == 401
    assert api(people["alice"]).post(url).status_code == 405
