"""The confirmation page: the wording beside the proposal, confirmed or corrected by an officer
who configures the catalogue; the procedure gets a new version and becomes receivable."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.audit.models import ObjectChange
from motcua.conftest import Province
from motcua.procedures.models import Procedure
from motcua.procedures.tests.test_time_limits import spec_of


def draft(code: str) -> Procedure:
    procedure = Procedure.objects.create(
        code=code,
        name="Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
        level="province",
        time_limit_amount=None,
        time_limit_confirmed=False,
        time_limit_spec=spec_of(code),
        time_limit_as_written="Trực tiếp: 5 Ngày; Trực tuyến: 7 Ngày; Dịch vụ bưu chính: 7 Ngày",
    )
    from motcua.procedures.services import record_procedure_change

    record_procedure_change(procedure, before=None, source="test")
    return procedure


@pytest.mark.django_db
def test_the_page_is_for_those_who_configure(province: Province, people: dict) -> None:
    draft("1.002099")
    officer = Client()
    officer.force_login(people["alice"])
    assert officer.get("/danh-muc-thu-tuc/xac-nhan-thoi-han/").status_code == 404
    assert officer.get("/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/").status_code == 404
    admin = Client()
    admin.force_login(people["adam"])
    page = admin.get("/danh-muc-thu-tuc/xac-nhan-thoi-han/").content.decode()
    assert "1.002099" in page and "Trực tuyến: 7 Ngày" in page and "7 ngày theo lịch" in page


@pytest.mark.django_db
def test_confirm_with_a_correction_makes_a_version_and_publishes(
    province: Province, people: dict
) -> None:
    procedure = draft("1.002099")
    admin = Client()
    admin.force_login(people["adam"])
    form = admin.get("/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/").content.decode()
    assert "Nguyên văn đã công bố" in form and "5 Ngày" in form
    assert 'name="online-amount"' in form and 'value="7"' in form
    answer = {
        "direct-amount": "5",
        "direct-unit": "working_days",  # the Department reads "Ngày" as working days
        "online-amount": "7",
        "online-unit": "working_days",
        "postal-amount": "7",
        "postal-unit": "working_days",
        "publish": "on",
        "reason": "Theo Quyết định 12/QĐ-UBND",
    }
    bad = admin.post("/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/", {**answer, "postal-unit": ""})
    assert bad.status_code == 400
    assert "Dịch vụ bưu chính: hãy chọn đơn vị thời hạn" in bad.content.decode()
    procedure.refresh_from_db()
    assert not procedure.time_limit_confirmed
    done = admin.post("/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/", answer)
    assert done.status_code == 302
    procedure.refresh_from_db()
    assert procedure.time_limit_confirmed and procedure.published
    assert (procedure.time_limit_amount, procedure.time_limit_unit) == (5, "working_days")
    assert procedure.time_limit_spec["source"] == "officer"
    assert procedure.time_limit_spec["channels"]["online"] == {
        "amount": 7,
        "unit": "working_days",
        "cutoff": None,
        "as_written": "7 Ngày",
    }
    assert procedure.version == 2
    frozen = procedure.versions.get(number=2).data["time_limit_spec"]
    assert frozen["channels"]["direct"]["unit"] == "working_days"
    reasons = list(
        ObjectChange.objects.filter(object_id=str(procedure.pk))
        .order_by("id")
        .values_list("reason", flat=True)
    )
    assert reasons[-2:] == ["Theo Quyết định 12/QĐ-UBND", "công khai thủ tục"]
    queue = admin.get("/danh-muc-thu-tuc/xac-nhan-thoi-han/").content.decode()
    assert "/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/" not in queue
    # Both catalogue pages show the limit of each channel once confirmed.
    officer_page = admin.get("/danh-muc-thu-tuc/1.002099/").content.decode()
    assert "Nộp trực tiếp: 5 ngày làm việc" in officer_page
    assert "Nộp trực tuyến: 7 ngày làm việc" in officer_page
    portal_page = Client().get("/thu-tuc/1.002099/").content.decode()
    assert "Nộp qua dịch vụ bưu chính: 7 ngày làm việc" in portal_page


@pytest.mark.django_db
def test_a_bare_number_must_be_given_a_unit(province: Province, people: dict) -> None:
    draft("2.002797")
    admin = Client()
    admin.force_login(people["adam"])
    page = admin.get("/danh-muc-thu-tuc/2.002797/xac-nhan-thoi-han/").content.decode()
    assert "cần xác định" in page and "1 (không rõ đơn vị)" in page
    refused = admin.post(
        "/danh-muc-thu-tuc/2.002797/xac-nhan-thoi-han/", {"direct-amount": "1", "publish": "on"}
    )
    assert refused.status_code == 400
    assert not Procedure.objects.get(code="2.002797").time_limit_confirmed


@pytest.mark.django_db
def test_the_procedure_page_links_to_the_confirmation(province: Province, people: dict) -> None:
    draft("1.002099")
    admin = Client()
    admin.force_login(people["adam"])
    page = admin.get("/danh-muc-thu-tuc/1.002099/").content.decode()
    assert 'href="/danh-muc-thu-tuc/1.002099/xac-nhan-thoi-han/"' in page
    listing = admin.get("/danh-muc-thu-tuc/").content.decode()
    assert 'href="/danh-muc-thu-tuc/xac-nhan-thoi-han/"' in listing
