"""Fixtures: the statistics.md §2 worked example, and generated data over levels and fields.

`march` is the fixture of motcua/stats/tests/test_worked_example.py (copied, so that the two
test suites can change independently): dossiers A … M of March 2025 at commune C1 (Mỹ An),
built through the real services.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.procedures.models import Field, Procedure


@pytest.fixture
def root(province: Province) -> Any:
    """A superuser who records every step."""
    return make_user("root", is_superuser=True)


@pytest.fixture
def march(province: Province, root: Any) -> dict[str, Any]:
    """Dossiers A … M of the worked example, keyed by their letter."""
    unit = province.commune_a
    limits = {n: make_procedure(f"1.00{n:04d}", units=[unit], amount=n) for n in (2, 3, 5, 10, 15)}

    def receive(letter: str, when: Any, channel: str, limit: int) -> Any:
        d = services.receive_dossier(
            actor=root,
            procedure=limits[limit],
            receiving_unit=unit,
            applicant={**APPLICANT, "name": f"Người nộp {letter}"},
            channel=channel,
            at=when,
        )
        return services.transfer_dossier(dossier=d, actor=root, to_unit=unit, at=when)

    def resolve(d: Any, when: Any) -> Any:
        return services.resolve_dossier(dossier=d, actor=root, at=when)

    ds: dict[str, Any] = {}
    ds["A"] = resolve(receive("A", local(2025, 2, 10, 9), "direct", 10), local(2025, 2, 14, 10))
    ds["M"] = resolve(receive("M", local(2025, 1, 20, 9), "postal", 15), local(2025, 2, 20, 11))
    ds["B"] = resolve(receive("B", local(2025, 2, 12, 10), "online", 5), local(2025, 2, 18, 15))
    ds["C"] = resolve(receive("C", local(2025, 2, 13, 8), "direct", 3), local(2025, 2, 18, 16))
    ds["D"] = resolve(receive("D", local(2025, 2, 20, 9), "online", 5), local(2025, 2, 27, 8, 30))
    ds["E"] = services.refuse_dossier(
        dossier=receive("E", local(2025, 2, 24, 14), "direct", 5),
        actor=root,
        reason="Không đủ điều kiện sau thẩm định",
        at=local(2025, 3, 3, 10),
    )
    ds["F"] = services.withdraw_dossier(
        dossier=receive("F", local(2025, 3, 3, 10), "postal", 5),
        actor=root,
        reason="Đơn xin rút hồ sơ",
        at=local(2025, 3, 5, 9),
    )
    ds["H"] = receive("H", local(2025, 2, 26, 9), "direct", 5)
    ds["G"] = receive("G", local(2025, 3, 5, 9), "online", 10)
    ds["I"] = services.request_supplement(
        dossier=receive("I", local(2025, 3, 10, 10), "online", 3),
        actor=root,
        items=["Bản sao giấy tờ"],
        reason="Thiếu",
        at=local(2025, 3, 12, 14),
    )
    ds["J"] = receive("J", local(2025, 3, 14, 16), "direct", 2)
    k = services.submit_dossier(
        procedure=limits[5],
        receiving_unit=unit,
        applicant=APPLICANT,
        actor=root,
        at=local(2025, 3, 1, 10),
    )
    ds["K"] = services.refuse_at_intake(
        dossier=k, actor=root, reason="Sai thủ tục", at=local(2025, 3, 3, 8)
    )
    ds["L"] = receive("L", local(2025, 3, 17, 8), "direct", 5)
    return ds


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
