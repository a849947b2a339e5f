"""`motcua sync national`: configuration, exit codes and the report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from motcua.cli import main
from motcua.conftest import Province
from motcua.national.choices import OutboxState
from motcua.national.models import OutboxRow
from motcua.national.tests.fakeportal import TOKEN, FakePortal
from motcua.national.tests.helpers import dossier_with_rows, procedure_for

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sync", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def portal(settings: Any) -> Any:
    with FakePortal() as fake:
        settings.MOTCUA_NATIONAL_URL = fake.url
        settings.MOTCUA_NATIONAL_TOKEN = TOKEN
        settings.MOTCUA_NATIONAL_TIMEOUT = "0.5"
        yield fake


def test_once_sends_everything_and_exits_0(province: Province, portal: FakePortal) -> None:
    d = dossier_with_rows(province, procedure_for(province), 3)
    code, out, _ = run("national", "--once")
    assert code == 0
    assert "đã gửi 3 bản ghi lên Cổng Dịch vụ công quốc gia; lỗi 0; còn chờ 0" in out
    assert portal.sequences(d.code) == [1, 2, 3]


def test_some_failures_exit_1_with_each_failure_reported(
    province: Province, portal: FakePortal
) -> None:
    d = dossier_with_rows(province, procedure_for(province), 3)
    portal.plan[(d.code, 2)] = [500]
    code, out, err = run("national", "--once")
    assert code == 1
    assert "đã gửi 1 bản ghi lên Cổng Dịch vụ công quốc gia; lỗi 1; còn chờ 2" in out
    assert f"lỗi {d.code} #2: Cổng trả lời lỗi HTTP 500 (thử lại lúc " in out
    assert "1 bản ghi gửi không thành công" in err
    assert list(
        OutboxRow.objects.filter(dossier=d).order_by("sequence").values_list("state", flat=True)
    ) == [OutboxState.DELIVERED, OutboxState.PENDING, OutboxState.PENDING]


def test_limit_caps_the_sends(province: Province, portal: FakePortal) -> None:
    dossier_with_rows(province, procedure_for(province), 3)
    code, out, _ = run("national", "--once", "--limit", "2")
    assert code == 0 and "đã gửi 2 bản ghi" in out and "còn chờ 1" in out


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("MOTCUA_NATIONAL_URL", "", "chưa cấu hình địa chỉ Cổng Dịch vụ công quốc gia"),
        ("MOTCUA_NATIONAL_URL", "ftp://cong.gov.vn", "phải là địa chỉ http:// hoặc https://"),
        ("MOTCUA_NATIONAL_TIMEOUT", "mười", "MOTCUA_NATIONAL_TIMEOUT='mười': phải là một số"),
        ("MOTCUA_NATIONAL_BATCH", "0", "MOTCUA_NATIONAL_BATCH='0': phải từ 1 trở lên"),
    ],
)
def test_bad_configuration_exits_2_and_sends_nothing(
    province: Province, portal: FakePortal, settings: Any, name: str, value: str, words: str
) -> None:
    dossier_with_rows(province, procedure_for(province), 1)
    setattr(settings, name, value)
    code, _, err = run("national", "--once")
    assert code == 2 and words in err
    assert portal.requests == []
    assert OutboxRow.objects.get().attempts == 0


def test_bad_arguments_exit_2(portal: FakePortal) -> None:
    assert run("national", "--once", "--limit", "0")[0] == 2
    assert run()[0] == 2


def test_the_motcua_command_reaches_it(portal: FakePortal, capsys: Any) -> None:
    assert main(["sync", "national", "--once"]) == 0
    assert "đã gửi 0 bản ghi" in capsys.readouterr().out


def test_without_once_it_keeps_passing_until_interrupted(
    province: Province, portal: FakePortal, monkeypatch: Any
) -> None:
    import motcua.national.management.commands.sync as command

    procedure = procedure_for(province)
    d = dossier_with_rows(province, procedure, 2)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            dossier_with_rows(province, procedure, 1, hour=11)  # new work arrives
            return
        raise KeyboardInterrupt

    monkeypatch.setattr(command.time, "sleep", sleep)
    code, out, _ = run("national", "--interval", "5")
    assert code == 0 and naps == [5.0, 5.0]
    assert out.count("đã gửi 2 bản ghi") == 1 and out.count("đã gửi 1 bản ghi") == 1
    assert out.strip().endswith("đã dừng theo yêu cầu")
    assert portal.sequences(d.code) == [1, 2]
