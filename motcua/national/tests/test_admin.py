"""Administrators see the outbox in the Django admin and can make a failed row due now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.national.models import OutboxRow
from motcua.national.tests.helpers import dossier_with_rows, procedure_for
from motcua.people.models import User

pytestmark = pytest.mark.django_db


def test_the_admin_lists_rows_and_retries_one_now(province: Province) -> None:
    d = dossier_with_rows(province, procedure_for(province), 2)
    later = timezone.now() + dt.timedelta(hours=3)
    OutboxRow.objects.filter(dossier=d, sequence=1).update(
        attempts=4, last_error="Cổng trả lời lỗi HTTP 500", next_attempt_at=later
    )
    root = User.objects.create_superuser("root", "root@example.vn", "x")
    client = Client()
    client.force_login(root)
    page = client.get("/admin/national/outboxrow/").content.decode()
    assert str(d.code) in page and "Cổng trả lời lỗi HTTP 500" in page
    head = OutboxRow.objects.get(dossier=d, sequence=1)
    assert client.get(f"/admin/national/outboxrow/{head.pk}/change/").status_code == 200
    before = timezone.now()
    response = client.post(
        "/admin/national/outboxrow/",
        {"action": "make_due_now", "_selected_action": [head.pk]},
        follow=True,
    )
    assert "1 bản ghi sẽ được gửi ở lượt đồng bộ tiếp theo." in response.content.decode()
    head.refresh_from_db()
    assert head.next_attempt_at is not None and before <= head.next_attempt_at <= timezone.now()
    assert head.attempts == 4  # the history of attempts is kept


def test_people_without_staff_rights_do_not_see_it(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["alice"])
    response = client.get("/admin/national/outboxrow/")
    assert response.status_code == 302
