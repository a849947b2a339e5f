"""`motcua demo`: loads into an empty database, reruns harmlessly, `--if-empty` skips."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from motcua.audit.models import ObjectChange
from motcua.units.models import Unit, UnitSuccession

# The command's behaviour, not the size of the demo (motcua/demo/tests/test_dossiers.py and
# test_feedback_demo.py check the full data): a few dossiers and feedback items are enough.
SMALL = ("--dossiers", "40", "--feedback", "20")


def run(*args: str) -> str:
    out = StringIO()
    if "--dossiers" not in args:
        args = (*args, *SMALL)
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
    assert loaded[0] == 520 and loaded[2] == 12 + 1  # officers + the portal's demo applicant
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


@pytest.mark.django_db
def test_today_sets_the_day_the_demo_dossiers_lead_up_to() -> None:
    output = run("--today", "18/11/2026", "--dossiers", "300", "--feedback", "0")
    assert "as of 18/11/2026 16:00" in output
    from motcua.dossiers.models import Dossier
    from motcua.workcalendar.engine import TZ

    received = Dossier.objects.values_list("received_at", flat=True)
    days = {d.astimezone(TZ).date() for d in received if d is not None}
    assert max(days) == dt.date(2026, 11, 18)


@pytest.mark.django_db
def test_today_must_be_a_date() -> None:
    with pytest.raises(CommandError):
        run("--today", "hôm qua", "--dossiers", "0")
