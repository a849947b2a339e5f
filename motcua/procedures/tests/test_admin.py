"""Admin: saves versioned and logged; broken processes never published; versions read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.audit.models import ObjectChange
from motcua.procedures.models import Procedure, ProcedureVersion
from motcua.procedures.tests.factories import make_procedure

DAY = 480


def form_data(procedure: Procedure | None, steps: list[int], **overrides: Any) -> dict[str, Any]:
    """POST data of the procedure change form with the given step budgets."""
    data: dict[str, Any] = {
        "code": procedure.code if procedure else "9.000001",
        "name": procedure.name if procedure else "Thủ tục mới",
        "field": "",
        "level": "province",
        "time_limit_amount": "5",
        "time_limit_unit": "working_days",
        "same_day_cutoff": "",
        "fee": "0",
        "online_level": "none",
        "result_is_paper": "on",
        "legal_basis": "",
        "publication_decision": "",
        "supplement_wait_days": "",
        "valid_from": "",
        "valid_to": "",
        "published": "on",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-order": "1",
        "components-0-name": "Đơn đề nghị (theo mẫu)",
        "components-0-originals": "1",
        "components-0-certified_copies": "0",
        "components-0-copies": "0",
        "components-0-required": "on",
        "components-0-form_name": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    for i, minutes in enumerate(steps):
        data |= {
            f"steps-{i}-order": str(i + 1),
            f"steps-{i}-name": f"Bước {i + 1}",
            f"steps-{i}-unit": "",
            f"steps-{i}-role": "",
            f"steps-{i}-budget_minutes": str(minutes),
        }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_adding_a_procedure_with_a_process_that_adds_up(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:procedures_procedure_add"), form_data(None, [240, 1440, 240, 480])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure = Procedure.objects.get(code="9.000001")
    assert procedure.published and procedure.version == 1
    assert procedure.components.count() == 1 and procedure.steps.count() == 4
    version = procedure.versions.get()
    assert [s["budget_minutes"] for s in version.data["steps"]] == [240, 1440, 240, 480]
    change = ObjectChange.objects.get(object_id=str(procedure.pk), source="admin")
    assert change.action == "create" and change.actor_name == "admin"
    assert change.after is not None and len(change.after["content"]["components"]) == 1


@pytest.mark.django_db
def test_publishing_a_process_that_does_not_add_up_is_a_form_error(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:procedures_procedure_add"), form_data(None, [240, 240])
    )
    assert response.status_code == 200
    assert (
        "Không thể công khai thủ tục: tổng thời gian các bước (8 giờ làm việc) khác thời hạn"
        in (response.content.decode())
    )
    assert not Procedure.objects.exists()
    # The same process may be saved as a draft.
    response = admin_client.post(
        reverse("admin:procedures_procedure_add"), form_data(None, [240, 240], published=None)
    )
    assert response.status_code == 302
    assert not Procedure.objects.get().published


@pytest.mark.django_db
def test_editing_in_admin_bumps_the_version_and_keeps_the_old_one(admin_client: Client) -> None:
    procedure = make_procedure(steps=[DAY * 5])
    url = reverse("admin:procedures_procedure_change", args=[procedure.pk])
    data = form_data(procedure, [], fee="50000")
    data |= {
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "1",
        "steps-0-id": str(procedure.steps.get().pk),
        "steps-0-procedure": str(procedure.pk),
        "steps-0-order": "1",
        "steps-0-name": "Bước 1",
        "steps-0-unit": "",
        "steps-0-role": "",
        "steps-0-budget_minutes": str(DAY * 5),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    procedure.refresh_from_db()
    assert procedure.version == 2 and procedure.fee == 50000
    assert procedure.versions.get(number=1).data["fee"] == 0
    change = ObjectChange.objects.get(source="admin")
    assert change.before is not None and change.after is not None
    assert change.before["fee"] == 0 and change.after["fee"] == 50000


@pytest.mark.django_db
def test_versions_are_read_only(admin_client: Client) -> None:
    procedure = make_procedure()
    version = ProcedureVersion.objects.get(procedure=procedure)
    assert admin_client.get(reverse("admin:procedures_procedureversion_add")).status_code == 403
    change_url = reverse("admin:procedures_procedureversion_change", args=[version.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200 and 'name="number"' not in page.content.decode()
    assert admin_client.post(change_url, {"number": "9"}).status_code == 403
    delete_url = reverse("admin:procedures_procedureversion_delete", args=[version.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


@pytest.mark.django_db
def test_publish_action_refuses_a_broken_process(admin_client: Client) -> None:
    good = make_procedure("G", published=False, steps=[DAY * 5])
    bad = make_procedure("B", published=False, steps=[DAY])
    response = admin_client.post(
        reverse("admin:procedures_procedure_changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "B: không thể công khai" in text and "Đã công khai 1 thủ tục." in text
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.published and not bad.published


@pytest.mark.django_db
def test_field_admin_logs_changes(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:procedures_field_add"), {"code": "ho-tich", "name": "Hộ tịch"}
    )
    assert response.status_code == 302
    after = ObjectChange.objects.get(source="admin").after
    assert after is not None and after["name"] == "Hộ tịch"
