"""The dossier page and API for the time limit as written: wording, start event, ceiling, stages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import Province, make_user
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_time_limits_as_written import WD, configured, receive


@pytest.fixture
def root(province: Province) -> Any:
    return make_user("root", is_superuser=True, full_name="Quản trị")


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_waiting_for_the_start_event_then_recording_it(province: Province, root: Any) -> None:
    event = "nhận được văn bản đề nghị của Sở Tư pháp"
    procedure = configured(province, {"direct": {"amount": 3, "unit": WD}}, start_event=event)
    dossier = receive(province, procedure, root, local(2025, 4, 28, 9), "direct")
    client = web(root)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "chưa có — chờ sự kiện bắt đầu tính thời hạn" in page
    assert "chưa xảy ra: chưa tính thời hạn" in page and event in page
    assert "Ghi nhận sự kiện bắt đầu tính thời hạn" in page
    answer = client.post(
        f"/ho-so/{dossier.code}/bat-dau-tinh-han/",
        {"at": "29/04/2025 14:00", "note": "Công văn số 12/STP"},
    )
    assert answer.status_code == 302
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "07/05/2025 14:00" in page and "đã xảy ra lúc 29/04/2025 14:00" in page
    assert "<strong>Ghi nhận sự kiện bắt đầu tính thời hạn</strong> — Quản trị" in page
    again = client.post(f"/ho-so/{dossier.code}/bat-dau-tinh-han/", {"at": "30/04/2025 09:00"})
    assert again.status_code == 409 and "đã ghi nhận sự kiện bắt đầu" in again.content.decode()


@pytest.mark.django_db
def test_ceiling_from_the_page_needs_a_reason(province: Province, root: Any) -> None:
    procedure = configured(
        province,
        {"direct": {"unit": "same_day", "cutoff": "15:00"}},
        ceiling={"amount": 3, "unit": WD, "condition": "Trường hợp có lý do chính đáng"},
    )
    dossier = receive(province, procedure, root, local(2025, 6, 10, 14, 50), "direct")
    client = web(root)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "3 ngày làm việc (Trường hợp có lý do chính đáng)" in page
    # The statutory due (10/06 17:00) has passed by now: the button is not offered.
    assert f'action="/ho-so/{dossier.code}/thoi-han-toi-da/"' not in page
    refused = client.post(f"/ho-so/{dossier.code}/thoi-han-toi-da/", {"reason": ""})
    assert refused.status_code == 400
    assert "Hãy ghi lý do áp dụng thời hạn tối đa." in refused.content.decode()
    late = client.post(f"/ho-so/{dossier.code}/thoi-han-toi-da/", {"reason": "Xác minh"})
    assert late.status_code == 409 and "đã quá hạn giải quyết" in late.content.decode()
    done = client.post(
        f"/ho-so/{dossier.code}/thoi-han-toi-da/",
        {"reason": "Phải xác minh", "at": "10/06/2025 16:00"},
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.statutory_due == local(2025, 6, 13, 14, 50)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "áp dụng lúc 10/06/2025 16:00: Phải xác minh" in page
    assert "<strong>Áp dụng thời hạn giải quyết tối đa</strong> — Quản trị" in page


@pytest.mark.django_db
def test_planned_stages_are_shown(province: Province, root: Any) -> None:
    stages = [
        {"body": "Sở Tư pháp thẩm định", "amount": 10, "unit": WD, "start": "kể từ ngày nhận"},
        {"body": "Chủ tịch quyết định", "amount": 5, "unit": WD, "start": "kể từ văn bản"},
    ]
    procedure = configured(province, {"direct": {"amount": 15, "unit": WD}}, stages=stages)
    dossier = receive(province, procedure, root, local(2025, 3, 3, 9), "direct")
    page = web(root).get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Các giai đoạn dự kiến" in page
    assert "17/03/2025 09:00" in page  # stage 1: 10 working days
    assert "24/03/2025 09:00" in page  # stage 2 from there: 5 working days


@pytest.mark.django_db
def test_api_actions_and_scope(province: Province, root: Any, people: dict) -> None:
    procedure = configured(
        province,
        {"direct": {"amount": 3, "unit": WD}},
        start_event="nhận được công văn của Bộ Công an",
        ceiling={"amount": 10, "unit": WD, "condition": "trường hợp phức tạp"},
    )
    dossier = receive(province, procedure, root, local(2025, 4, 28, 9), "direct")
    outsider = APIClient()
    outsider.force_authenticate(people["bob"])  # desk of another commune
    url = f"/api/v1/dossiers/{dossier.code}/"
    assert outsider.post(url + "clock-start/", {}, format="json").status_code == 404
    api = APIClient()
    api.force_authenticate(root)
    started = api.post(
        url + "clock-start/", {"at": "2025-04-29T14:00:00+07:00", "note": "CV 1"}, format="json"
    )
    assert started.status_code == 200, started.content
    assert started.json()["clock_started_at"].startswith("2025-04-29T")
    no_reason = api.post(url + "ceiling/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    saved = Dossier.objects.get(pk=dossier.pk)
    assert saved.time_limit_extended_at is None and saved.statutory_due == local(2025, 5, 7, 14)
