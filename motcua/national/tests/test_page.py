"""The officer's dossier page says where the dossier stands with the national portal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from motcua.conftest import Province
from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.national.tests.helpers import dossier_with_rows, procedure_for
from motcua.workcalendar.engine import TZ

pytestmark = pytest.mark.django_db


def sync_section(client: Client, code: str | None) -> str:
    page = client.get(f"/ho-so/{code}/").content.decode()
    found = re.search(r'<section aria-labelledby="h-national-sync".*?</section>', page, re.S)
    assert found, "the dossier page has no synchronisation section"
    return re.sub(r"\s+", " ", found.group(0))


def test_the_page_shows_waiting_failed_then_synchronised(
    province: Province, people: dict[str, Any]
) -> None:
    d = dossier_with_rows(province, procedure_for(province), 2)
    client = Client()
    client.force_login(people["alice"])
    html = sync_section(client, d.code)
    assert "Đồng bộ lên Cổng Dịch vụ công quốc gia" in html
    assert "Đang chờ đồng bộ" in html
    assert "Đã gửi 0 lần thay đổi trạng thái, còn 2 lần chờ gửi." in html

    retry = dt.datetime(2026, 12, 7, 14, 30, tzinfo=TZ)
    OutboxRow.objects.filter(dossier=d, sequence=1).update(
        attempts=2, last_error="Cổng trả lời lỗi HTTP 500", next_attempt_at=retry
    )
    html = sync_section(client, d.code)
    assert "Lỗi đồng bộ: Cổng trả lời lỗi HTTP 500 (thử lại lúc 14:30 07/12/2026)" in html
    assert "badge-late" in html

    sent = dt.datetime(2026, 12, 7, 15, 5, tzinfo=TZ)
    OutboxRow.objects.filter(dossier=d).update(state=OutboxState.DELIVERED, delivered_at=sent)
    html = sync_section(client, d.code)
    assert "Đã đồng bộ lên Cổng Dịch vụ công quốc gia" in html
    assert "Đã gửi 2 lần thay đổi trạng thái, còn 0 lần chờ gửi." in html
    assert "Lần gửi thành công gần nhất: 07/12/2026 15:05." in html
    assert "delivered" not in html and "pending" not in html
