"""Every step that concerns the applicant sends a notice (e-mail, SMS, Zalo) after the commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401
from motcua.notices.models import Notice

WITH_EMAIL = {**APPLICANT, "email": "binh@example.vn"}
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def channels(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_SMS_BACKEND = "file"
    settings.MOTCUA_ZALO_BACKEND = "file"
    settings.MOTCUA_NOTICES_DIR = tmp_path / "notices"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MOTCUA_NOTICES_DIR


def test_receipt_mails_the_applicant_after_the_commit(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    channels: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        d = receive(people, province, procedure, applicant=WITH_EMAIL)
        assert mail.outbox == []
    assert len(callbacks) == 3
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == f"Đã tiếp nhận hồ sơ {d.code}"
    assert "Ủy ban nhân dân xã Mỹ An" in message.body and "Ngày hẹn trả kết quả" in message.body
    assert "/tra-cuu/" in message.body and message.body.startswith("Kính gửi Trần Văn Bình,")
    rows = Notice.objects.filter(reference=d.code).order_by("channel")
    assert [(n.channel, n.recipient, n.state) for n in rows] == [
        ("email", "b***@example.vn", "sent"),
        ("sms", "*******678", "sent"),
        ("zalo", "*******678", "sent"),
    ]
    assert sorted(p.name.rsplit("-", 1)[1] for p in channels.iterdir()) == ["sms.txt", "zalo.txt"]


def test_each_step_that_concerns_the_applicant_sends_its_notice(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure, applicant=WITH_EMAIL)
    alice, dana = people["alice"], people["dana"]
    d = services.request_supplement(
        dossier=d, actor=None, items=["Giấy chứng sinh"], reason="thiếu", at=local(2025, 3, 4, 9)
    )
    d = services.resume_dossier(dossier=d, actor=None, at=local(2025, 3, 5, 9))
    services.issue_apology(
        dossier=d,
        actor=dana,
        reason="chờ xác minh",
        new_due=local(2025, 3, 20, 16),
        at=local(2025, 3, 6, 9),
    )
    d.refresh_from_db()
    d = services.resolve_dossier(dossier=d, actor=dana, at=local(2025, 3, 7, 9))
    attach_file(dossier=d, actor=alice, upload=SimpleUploadedFile("kq.pdf", PDF), kind="result")
    services.return_result(dossier=d, actor=alice, recipient="Trần Văn Bình", delivery="electronic")
    mails = {n.topic: n for n in Notice.objects.filter(reference=d.code, channel="email")}
    assert list(mails) == [
        "dossier.received",
        "dossier.supplement_requested",
        "dossier.apology_issued",
        "dossier.resolved",
        "dossier.result_returned",
    ]  # transfers and resumption are internal: no notice
    supplement = Notice.objects.get(
        reference=d.code, channel="sms", topic__endswith="supplement_requested"
    )
    assert "Giấy chứng sinh" in supplement.body and "thiếu" in supplement.body
    apology = Notice.objects.get(reference=d.code, channel="email", topic="dossier.apology_issued")
    assert "16:00 ngày 20/03/2025" in apology.body
    returned = Notice.objects.get(reference=d.code, channel="sms", topic__endswith="returned")
    assert "bản điện tử" in returned.body and "/tai-khoan/" in returned.body


@pytest.mark.parametrize("ending", ["refuse", "stop", "refuse_at_intake"])
def test_refusals_and_stops_tell_the_applicant_why(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    ending: str,
) -> None:
    if ending == "refuse_at_intake":
        d = services.refuse_at_intake(
            actor=people["alice"],
            reason="không thuộc thẩm quyền",
            procedure=procedure,
            receiving_unit=province.commune_a,
            applicant=WITH_EMAIL,
            at=local(2025, 3, 3, 9),
        )
        topic, words = "dossier.refused_at_intake", "không được tiếp nhận"
    else:
        d = in_progress(people, province, procedure, applicant=WITH_EMAIL)
        service = services.refuse_dossier if ending == "refuse" else services.stop_dossier
        service(dossier=d, actor=people["dana"], reason="không thuộc thẩm quyền")
        topic = f"dossier.{'refused' if ending == 'refuse' else 'stopped'}"
        words = "trả lại" if ending == "refuse" else "dừng giải quyết"
    notice = Notice.objects.get(reference=d.code, channel="email", topic=topic)
    assert words in notice.subject + notice.body and "không thuộc thẩm quyền" in notice.body


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_step_sends_nothing(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    channels: Path,
) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        receive(people, province, procedure, applicant=WITH_EMAIL)
        raise Boom
    assert Notice.objects.count() == 0 and mail.outbox == []
    assert not channels.exists()


def test_the_dossier_page_shows_the_notices_with_masked_recipients(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(people, province, procedure, applicant=WITH_EMAIL)
    web = Client()
    web.force_login(people["alice"])
    page = web.get(f"/ho-so/{d.code}/").content.decode()
    section = page[page.index('id="h-notices"') :]
    assert "b***@example.vn" in section and "*******678" in section
    assert "<td>Tiếp nhận</td>" in section and "Đã gửi" in section
    assert "binh@example.vn" not in section
