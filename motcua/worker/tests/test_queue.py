"""The database queue itself: enqueued at commit only, run by `motcua worker`, idempotent,
retried with back-off a bounded number of times, visible and retryable in the admin."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.audit.models import ObjectChange
from motcua.notices.choices import NoticeState
from motcua.notices.jobs import deliver_notice
from motcua.notices.models import Notice
from motcua.notices.services import queue_notice

pytestmark = pytest.mark.django_db(transaction=True)

FAILURES: list[str] = []


class Broken:
    """An SMS gateway that is down."""

    def send(self, notice: Notice) -> None:
        FAILURES.append(notice.subject)
        raise ConnectionError("gateway down")


@pytest.fixture(autouse=True)
def database_queue(settings: Any, tmp_path: Path) -> Path:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MOTCUA_NOTICES_DIR = tmp_path / "notices"
    settings.MOTCUA_SMS_BACKEND = "file"
    settings.MOTCUA_ZALO_BACKEND = "off"
    FAILURES.clear()
    return Path(settings.MOTCUA_NOTICES_DIR)


def sms(subject: str = "Đã tiếp nhận hồ sơ C1-250303-0001") -> Notice | None:
    return queue_notice(
        channel="sms",
        address="0912345678",
        subject=subject,
        body="Hồ sơ C1-250303-0001 đã được tiếp nhận.",
        reference="C1-250303-0001",
    )


def work() -> str:
    """Run every due job once in this process, as `motcua worker --batch` does."""
    out = io.StringIO()
    call_command("worker", "--batch", "--no-startup-delay", stdout=out, stderr=out)
    return out.getvalue()


def test_enqueued_at_commit_run_by_the_worker_and_safe_to_run_twice(database_queue: Path) -> None:
    with transaction.atomic():
        notice = sms()
        assert notice is not None
        assert not DBTaskResult.objects.exists()  # nothing visible before the commit
    job = DBTaskResult.objects.get()
    assert job.task_path == "motcua.notices.jobs.deliver_notice"
    assert job.args_kwargs == {"args": [notice.pk], "kwargs": {}}
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.PENDING

    work()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value is True
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.SENT
    assert len(list(database_queue.iterdir())) == 1

    deliver_notice.enqueue(notice.pk)  # the same job again (a duplicate, a manual retry)
    work()
    assert len(list(database_queue.iterdir())) == 1  # still one message
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_rollback_enqueues_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        sms()
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()
    assert not Notice.objects.exists()


def test_failure_is_retried_with_back_off_then_left_failed(settings: Any) -> None:
    settings.MOTCUA_SMS_BACKEND = f"{__name__}.Broken"
    notice = sms()
    assert notice is not None
    before = timezone.now()
    work()
    first = DBTaskResult.objects.get(args_kwargs__kwargs={})
    assert first.status == TaskResultStatus.FAILED
    assert "NoticeNotSent" in first.exception_class_path
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": [notice.pk], "kwargs": {"attempt": 2}}
    wait = retry.run_after - before
    assert dt.timedelta(seconds=59) < wait < dt.timedelta(seconds=75)  # 60 s, then 120, 240 …

    # The last attempt (5 of 5) fails for good: no sixth run is queued.
    DBTaskResult.objects.all().delete()
    deliver_notice.enqueue(notice.pk, attempt=5)
    work()
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.FAILED
    assert len(FAILURES) == 2

    # The gateway is back; an administrator retries the failed job from the admin.
    settings.MOTCUA_SMS_BACKEND = "file"
    from motcua.people.models import User

    admin = User.objects.create_superuser("quantri", "qt@example.vn", "x")
    failed = DBTaskResult.objects.get()
    from django.test import Client

    client = Client()
    client.force_login(admin)
    page = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gửi thông báo" in text and "Thất bại" in text
    assert "Chạy lại các công việc thất bại" in text
    answer = client.post(
        "/admin/django_tasks_database/dbtaskresult/",
        {"action": "retry", "_selected_action": [str(failed.pk)]},
        follow=True,
    )
    assert "Đã đưa 1 công việc vào hàng đợi để chạy lại." in answer.content.decode()
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs == {"args": [notice.pk], "kwargs": {}}
    assert ObjectChange.objects.filter(object_id=str(failed.pk), actor=admin).exists()
    work()
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.SENT


def test_worker_refuses_the_immediate_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("worker", "--batch", stderr=err)
    assert exit_.value.code == 2
    assert "MOTCUA_TASKS_BACKEND=immediate" in err.getvalue()
