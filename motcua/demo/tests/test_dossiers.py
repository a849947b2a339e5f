"""Demo dossiers: realistic shares, consistent with the clock, well-formed codes, idempotent."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from motcua.demo.builder import build_demo
from motcua.demo.dossiers import STANDS_AT, build_dossiers
from motcua.dossiers.clock import dossier_clock
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.services import allocate_code
from motcua.procedures.models import Field, Procedure
from motcua.procedures.services import publish_procedure, record_procedure_change
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ

pytestmark = pytest.mark.django_db

COUNT = 2000
# The demo leads up to a day given to it (the day of the run by default): a past Wednesday,
# so that the demo stands at its fixed time of that day whatever the clock says.
TODAY = dt.date(2026, 11, 18)
AS_OF = dt.datetime.combine(TODAY, STANDS_AT, TZ)
CODE = re.compile(r"^(?P<unit>DT(\.[0-9A-Z]+)*)-(?P<day>\d{6})-(?P<seq>\d{4})$")
LIMITS = [(1, "working_days"), (3, "working_days"), (5, "working_days"), (7, "working_days"),
          (10, "working_days"), (15, "working_days"), (8, "working_hours"),
          (15, "calendar_days"), (None, "same_day")]  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict]:
    """The demo province, a small published catalogue and COUNT demo dossiers: built once for
    the module (the tests only read it), rolled back at its end. Tests that must not see it
    come first in the file."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(seed=1)  # units, logins and (when present) the demo catalogue
        field, _ = Field.objects.get_or_create(code="ho-tich", defaults={"name": "Hộ tịch"})
        # A few procedures of every kind of time limit, whatever the catalogue holds.
        for n, (amount, unit) in enumerate(LIMITS * 2):
            procedure = Procedure.objects.create(
                code=f"T.{n:06d}",
                name=f"Thủ tục {n}",
                field=field,
                level="commune" if n % 2 else "province",
                time_limit_amount=amount,
                time_limit_unit=unit,
                same_day_cutoff=dt.time(15) if unit == "same_day" else None,
            )
            record_procedure_change(procedure, before=None, source="test")
            publish_procedure(procedure, source="test")
        yield build_dossiers(seed=3, count=COUNT, today=TODAY)
        transaction.set_rollback(True)


def classify(d: Dossier) -> str:
    """statistics.md §2 at AS_OF."""
    if d.finished_at is None:
        if d.statutory_due is None:
            return "within_deadline"  # paused within its budget
        return "overdue" if d.statutory_due < AS_OF else "within_deadline"
    if d.state in ("refused", "withdrawn", "stopped"):
        return d.state
    assert d.statutory_due is not None
    if d.finished_at > d.statutory_due:
        return "late"
    local = d.finished_at.astimezone(TZ).date()
    return "early" if local < d.statutory_due.astimezone(TZ).date() else "on_time"


def test_without_a_catalogue_nothing_is_created(db: None) -> None:
    Procedure.objects.update(published=False)
    assert build_dossiers(seed=1, count=10)["created"] == 0
    assert not Dossier.objects.exists()


def test_a_day_before_the_demo_period_creates_nothing(db: None) -> None:
    result = build_dossiers(seed=1, count=10, today=dt.date(2024, 12, 31))
    assert result["created"] == 0 and "02/01/2025" in result["skipped"]
    assert not Dossier.objects.exists()


def test_shares_are_realistic(demo: dict) -> None:
    assert demo["created"] == COUNT == Dossier.objects.count()
    dossiers = list(Dossier.objects.all())
    channels = Counter(d.channel for d in dossiers)
    assert 0.44 < channels["online"] / COUNT < 0.56
    assert channels["postal"] > 0 and channels["direct"] > channels["postal"]
    kinds = Counter(classify(d) for d in dossiers)
    resolved = kinds["early"] + kinds["on_time"] + kinds["late"]
    assert kinds["early"] > 0.7 * resolved
    assert kinds["on_time"] > 0
    assert 0.002 < kinds["late"] / resolved < 0.03
    assert kinds["refused"] > 0 and kinds["withdrawn"] > 0
    assert kinds["within_deadline"] > 0 and kinds["overdue"] > 0
    assert demo["pauses"] > 0.04 * COUNT and demo["apologies"] > 0
    states = Counter(d.state for d in dossiers)
    assert states["returned"] > states["resolved"] > 0
    received = [d.received_at.astimezone(TZ).date() for d in dossiers if d.received_at]
    assert min(received) >= dt.date(2025, 1, 2) and max(received) == TODAY
    assert {d.rule_version for d in dossiers} == {"nd61_2018", "nd118_2025"}
    names = {d.applicant_name for d in dossiers}
    assert len(names) > COUNT / 4 and any("ị" in n or "ễ" in n or "ư" in n for n in names)
    assert all(re.fullmatch(r"087[0-3]\d{8}", d.applicant_id_number) for d in dossiers)
    assert all(re.fullmatch(r"0\d{9}", d.applicant_phone) for d in dossiers)


def test_every_dossier_agrees_with_the_clock(demo: dict) -> None:
    """statutory_due and promised_due are what the engine says for the receipt and ledger."""
    now = dt.datetime.now(dt.UTC)
    for d in Dossier.objects.select_related("receiving_unit").prefetch_related(
        "pauses", "apologies"
    ):
        clock = dossier_clock(d, explain=False)
        assert clock is not None
        assert (d.statutory_due, d.promised_due) == (clock.statutory_due, clock.promised_due), d
        assert d.submitted_at is not None and d.received_at is not None
        assert d.submitted_at <= d.received_at
        if d.finished_at is not None:
            assert d.received_at < d.finished_at <= AS_OF < now
            assert all(p.closed_at and p.closed_at <= d.finished_at for p in d.pauses.all())
        else:
            assert d.state in ("received", "in_progress", "supplement_requested")
        if d.state == "supplement_requested":
            assert d.statutory_due is None
        if d.returned_at is not None:
            assert d.state == "returned" and d.finished_at and d.returned_at > d.finished_at
        for apology in d.apologies.all():
            assert d.received_at < apology.issued_at
    events = Counter(DossierEvent.objects.values_list("kind", flat=True))
    assert events["dossier.received"] == COUNT
    assert (
        events["dossier.resolved"]
        == Dossier.objects.filter(state__in=["resolved", "returned"]).count()
    )


def test_codes_are_well_formed_with_daily_sequences(demo: dict) -> None:
    by_day: dict[tuple[str, str], list[int]] = {}
    for code, unit_code, received in Dossier.objects.values_list(
        "code", "receiving_unit__code", "received_at"
    ):
        assert code is not None and received is not None
        match = CODE.match(code)
        assert match, code
        assert match["unit"] == unit_code
        assert match["day"] == received.astimezone(TZ).strftime("%y%m%d")
        by_day.setdefault((unit_code, match["day"]), []).append(int(match["seq"]))
    for numbers in by_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # Counters continue the sequences: the next live code on a busy day follows the last one.
    (unit_code, day), numbers = max(by_day.items(), key=lambda item: len(item[1]))
    date = dt.datetime.strptime(day, "%y%m%d").date()  # noqa: DTZ007 — a date
    unit = Unit.objects.version_of(unit_code, on=date)
    assert unit is not None
    assert DossierCodeCounter.objects.get(unit=unit, day=date).last == len(numbers)
    assert allocate_code(unit, date) == f"{unit_code}-{day}-{len(numbers) + 1:04d}"


def test_rerun_adds_nothing(demo: dict) -> None:
    before = (Dossier.objects.count(), DossierEvent.objects.count())
    again = build_dossiers(seed=3, count=COUNT, today=TODAY)
    assert again["created"] == 0 and again["existing"] == COUNT
    # Nor on a later day, although that day's dossiers would have other codes.
    later = build_dossiers(seed=3, count=COUNT, today=TODAY + dt.timedelta(days=7))
    assert later["created"] == 0 and later["existing"] == COUNT
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == before
