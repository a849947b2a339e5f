"""Fixtures: the statistics.md §2 worked example, and generated data over levels and fields.

`march` is the fixture of motcua/stats/tests/test_worked_example.py: dossiers A … M of
March 2025 at commune C1 (Mỹ An), built through the real services.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.people.models import User
from motcua.procedures.models import Field, Procedure
from motcua.stats.tests.test_worked_example import march  # noqa: F401 - a shared fixture


@pytest.fixture
def root(province: Province) -> Any:
    """A superuser who records every step (the one `march` made, if any)."""
    return User.objects.filter(username="root").first() or make_user("root", is_superuser=True)


FIELDS = (("ho-tich", "Hộ tịch"), ("dat-dai", "Đất đai"), ("dau-tu", "Đầu tư"))


def _procedure(code: str, level: str, field_code: str, units: list[Any], amount: int) -> Procedure:
    procedure = make_procedure(code, units=units, amount=amount, level=level)
    name = dict(FIELDS)[field_code]
    field, _ = Field.objects.get_or_create(code=field_code, defaults={"name": name})
    Procedure.objects.filter(pk=procedure.pk).update(field=field)
    procedure.refresh_from_db()
    return procedure


@pytest.fixture
def mixed(province: Province, root: Any) -> dict[str, Any]:
    """Q3 2023 (Decree 09 window 15/06–14/09/2023): random dossiers over three levels, three
    fields and four handling units, with every kind of outcome (seeded, reproducible)."""
    p = province
    # (level, field, receiving/handling unit)
    combos = [
        ("province", "dau-tu", p.office),
        ("province", "dat-dai", p.office),
        ("district", "dat-dai", p.district),
        ("district", "ho-tich", p.other_district),
        ("commune", "ho-tich", p.commune_a),
        ("commune", "ho-tich", p.commune_c),
        ("commune", "dat-dai", p.commune_b),
    ]
    procedures = [
        (_procedure(f"2.{n:06d}", level, field, [unit], 3 + n % 4), unit)
        for n, (level, field, unit) in enumerate(combos)
    ]
    rng = random.Random(20230915)  # reproducible test data
    made = []
    for n in range(36):
        procedure, unit = procedures[n % len(procedures)]
        # received between 01/05 and 12/09/2023, on a working day at 08:00–15:00
        month, day = rng.choice([(5, 3), (5, 22), (6, 5), (6, 20), (7, 3), (7, 18), (8, 8), (9, 5)])
        hour = rng.randint(8, 15)
        received = local(2023, month, day, hour)
        channel = rng.choice(["online", "direct", "postal"])
        dossier = services.receive_dossier(
            actor=root,
            procedure=procedure,
            receiving_unit=unit,
            applicant={**APPLICANT, "name": f"Người nộp {n}"},
            channel=channel,
            at=received,
        )
        dossier = services.transfer_dossier(dossier=dossier, actor=root, to_unit=unit, at=received)
        outcome = rng.choice(
            ["resolve", "resolve", "resolve", "refuse", "withdraw", "stop", "open"]
        )
        days = rng.choice([1, 4, 9, 15])
        when = local(received.year, received.month, received.day, 16) + dt.timedelta(days=days)
        if when.date() > local(2023, 9, 13).date() and outcome != "open":
            when = local(2023, 9, 13, 16)
        if outcome == "resolve":
            dossier = services.resolve_dossier(dossier=dossier, actor=root, at=when)
        elif outcome == "refuse":
            dossier = services.refuse_dossier(dossier=dossier, actor=root, reason="Lý do", at=when)
        elif outcome == "withdraw":
            dossier = services.withdraw_dossier(dossier=dossier, actor=root, reason="Rút", at=when)
        elif outcome == "stop":
            dossier = services.stop_dossier(dossier=dossier, actor=root, reason="Căn cứ", at=when)
        made.append(dossier)
    return {"root": root, "dossiers": made}
