"""statistics.md §2 worked example (March 2025, Decree 09 window), built through the services."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.periods import parse_period
from motcua.people.models import User
from motcua.stats.selectors import dossier_statistics, dossiers_for_figure


@pytest.fixture
def march(province: Province) -> dict[str, Any]:
    """Dossiers A … M of the worked example, keyed by their letter."""
    root = User.objects.filter(username="root").first() or make_user("root", is_superuser=True)
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


def test_due_instants_match_the_example(march: dict[str, Any]) -> None:
    assert march["M"].statutory_due == local(2025, 2, 17, 9)  # Tết skipped
    assert march["C"].statutory_due == local(2025, 2, 18, 8)
    assert march["H"].statutory_due == local(2025, 3, 5, 9)
    assert march["I"].statutory_due is None  # paused within its budget (18 h of 24 h used)


def test_march_2025_figures(march: dict[str, Any]) -> None:
    period = parse_period("2025-M03")
    assert (period.first.isoformat(), period.last.isoformat()) == ("2025-02-15", "2025-03-14")
    stats = dossier_statistics(code="C1", period=period)
    blocks = stats.as_json()
    assert blocks["received"] == {
        "total": 10,
        "carried_over": 3,
        "new": 7,
        "new_online": 3,
        "new_direct": 3,
        "new_postal": 1,
    }
    assert blocks["resolved"] == {"total": 4, "early": 1, "on_time": 1, "late": 2}
    assert blocks["closed_other"] == {"refused": 1, "withdrawn": 1}
    assert blocks["pending"] == {"total": 4, "within_deadline": 3, "overdue": 1}
    assert blocks["rates"] == {"online_share": 42.86, "resolved_on_time_or_early": 50.0}


@pytest.mark.parametrize(
    ("figure", "letters"),
    [
        ("carried_over", "MBC"),
        ("new_online", "DGI"),
        ("new_direct", "EHJ"),
        ("new_postal", "F"),
        ("early", "B"),
        ("on_time", "D"),
        ("late", "MC"),
        ("refused", "E"),
        ("withdrawn", "F"),
        ("within_deadline", "GIJ"),
        ("overdue", "H"),
        ("received", "MBCDGIEHJF"),
        ("pending", "GIJH"),
    ],
)
def test_click_through_lists_the_dossiers_behind_each_figure(
    march: dict[str, Any], figure: str, letters: str
) -> None:
    stats = dossier_statistics(code="C1", period=parse_period("2025-M03"))
    listed = set(dossiers_for_figure(stats, figure).values_list("applicant_name", flat=True))
    assert listed == {f"Người nộp {letter}" for letter in letters}


def test_april_starts_with_march_pending(march: dict[str, Any]) -> None:
    april = dossier_statistics(code="C1", period=parse_period("2025-M04")).total
    march_total = dossier_statistics(code="C1", period=parse_period("2025-M03")).total
    assert april.carried_over == march_total.pending == 4
