"""The notices outbox: sent only after the commit, never on rollback; backends by settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from motcua.notices.models import Notice
from motcua.notices.services import queue_notice, retry_failed_notices, send_notice


@pytest.fixture(autouse=True)
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_NOTICES_DIR = tmp_path / "notices"
    settings.MOTCUA_SMS_BACKEND = "file"
    settings.MOTCUA_ZALO_BACKEND = "off"
    return settings.MOTCUA_NOTICES_DIR


def sms(**kw: Any) -> Notice | None:
    return queue_notice(
        channel=kw.pop("channel", "sms"),
        address=kw.pop("address", "0912345678"),
        subject="Đã tiếp nhận hồ sơ C1-250303-0001",
        body="Hồ sơ C1-250303-0001 đã được tiếp nhận.",
        reference="C1-250303-0001",
        **kw,
    )


@pytest.mark.django_db
def test_email_goes_out_after_the_commit_only(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = queue_notice(
            channel="email",
            address="binh@example.vn",
            subject="Đã trả kết quả hồ sơ C1-250303-0001",
            body="Kính gửi ông Bình,",
            reference="C1-250303-0001",
        )
        assert notice is not None and notice.state == "pending"
        assert mail.outbox == []  # still inside the transaction
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Đã trả kết quả hồ sơ C1-250303-0001", ["binh@example.vn"])
    ]
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.sent_at is not None
    assert notice.recipient == "b***@example.vn"
    assert notice.address == ""  # the raw address is not kept once sent


@pytest.mark.django_db
def test_sms_file_backend_writes_the_file(
    folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = sms()
    assert notice is not None
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].name.endswith(f"-{notice.pk}-sms.txt")
    text = files[0].read_text(encoding="utf-8")
    assert "Hồ sơ C1-250303-0001 đã được tiếp nhận." in text
    assert "*******678" in text and "0912345678" not in text
    notice.refresh_from_db()
    assert notice.state == "sent"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(folder: Path) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        sms()
        queue_notice(
            channel="email",
            address="binh@example.vn",
            subject="x",
            body="y",
            reference="C1-250303-0001",
        )
        raise Boom
    assert Notice.objects.count() == 0
    assert mail.outbox == []
    assert not folder.exists() or list(folder.iterdir()) == []
    with transaction.atomic():
        sms()
    assert Notice.objects.get().state == "sent" and len(list(folder.iterdir())) == 1


@pytest.mark.django_db
def test_no_address_or_switched_off_channel_writes_nothing() -> None:
    assert sms(address="  ") is None
    assert sms(channel="zalo") is None  # MOTCUA_ZALO_BACKEND=off
    assert Notice.objects.count() == 0


class Broken:
    def send(self, notice: Notice) -> None:
        raise ConnectionError("gateway down")


@pytest.mark.django_db
def test_a_gateway_failure_is_recorded_and_can_be_retried(
    settings: Any, folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MOTCUA_SMS_BACKEND = f"{__name__}.Broken"
    with django_capture_on_commit_callbacks(execute=True):
        notice = sms()
    assert notice is not None
    notice.refresh_from_db()
    assert (notice.state, notice.error, notice.address) == (
        "failed",
        "ConnectionError",
        "0912345678",
    )
    settings.MOTCUA_SMS_BACKEND = "file"
    assert retry_failed_notices() == 1
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.address == ""
    assert send_notice(notice.pk) is False  # safe to run twice: nothing sent again
    assert len(list(folder.iterdir())) == 1
