"""`motcua demo`: loads into an empty database, reruns harmlessly, `--if-empty` skips."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.audit.models import ObjectChange
from motcua.units.models import Unit, UnitSuccession


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Unit.objects.count(),
        UnitSuccession.objects.count(),
        get_user_model().objects.count(),
        ObjectChange.objects.count(),
    )


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database_then_skips() -> None:
    output = run("--if-empty", "--seed", "3")
    assert "0 → 520" in output
    assert "admin" in output and "motcua-demo" in output
    loaded = counts()
    assert loaded[0] == 520 and loaded[2] == 10 + 1  # officers + the portal's demo applicant
    assert get_user_model().objects.get(username="admin").check_password("motcua-demo")
    skipped = run("--if-empty")
    assert "--if-empty" in skipped and "520" in skipped
    assert counts() == loaded


@pytest.mark.django_db
def test_running_twice_creates_nothing_new() -> None:
    run()
    first = counts()
    output = run()
    assert counts() == first
    assert "0 created, 0 updated, 520 unchanged, 0 successor links created" in output
    assert "users created: 0" in output


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_other_units_alone() -> None:
    Unit.objects.create(code="X", name="Ủy ban nhân dân tỉnh Khác", level="province")
    output = run("--if-empty")
    assert "1" in output
    assert counts()[:3] == (1, 0, 0)
