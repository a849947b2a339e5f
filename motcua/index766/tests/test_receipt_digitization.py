"""The 766 population and e-data figures follow what the desk records at receipt.

Dossiers are received through `receive_dossier` (walk-in and submitted) with the identity
verification and the e-data store link set, then the index of the commune is computed.
"""

from __future__ import annotations

from typing import Any

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.index766.engine import compute_index, indicator_lists
from motcua.lib.periods import parse_period

MARCH = parse_period("2025-M03", calendar=True)


def figures(code: str) -> tuple[int | None, int | None, float | None]:
    v = compute_index("C1", MARCH).total.indicator(code)
    return v.numerator, v.denominator, v.ratio


def test_population_and_edata_numerators_count_what_receipt_recorded(
    people: dict, province: Province
) -> None:
    c1 = province.commune_a
    procedure = make_procedure(
        units=[c1], steps=[("Tiếp nhận", c1, 4), ("Thẩm định", c1, 60), ("Phê duyệt", c1, 16)]
    )
    alice = people["alice"]

    def walk_in(hour: int, **facts: Any) -> Any:
        return services.receive_dossier(
            actor=alice,
            procedure=procedure,
            receiving_unit=province.commune_a,
            applicant=APPLICANT,
            at=local(2025, 3, 3, hour),
            **facts,
        )

    plain = walk_in(8)
    assert figures("digitization.population")[:2] == (0, 1)
    assert figures("digitization.edata")[:2] == (0, 1)

    vneid = walk_in(9, identity_source="vneid", edata_linked=True)
    population = walk_in(10, identity_source="population_db")
    online = services.submit_dossier(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 4, 8),
    )
    services.receive_dossier(
        dossier=online, actor=alice, at=local(2025, 3, 4, 9), edata_linked=True
    )

    # four received in March: two verified (VNeID, population DB), two linked to the e-data store
    assert figures("digitization.population") == (2, 4, 50.0)
    assert figures("digitization.edata") == (2, 4, 50.0)
    numerator, denominator = indicator_lists(
        "digitization.population", [province.commune_a.pk], MARCH
    )
    assert set(numerator.values_list("pk", flat=True)) == {vneid.pk, population.pk}
    assert set(denominator.values_list("pk", flat=True)) == {
        plain.pk,
        vneid.pk,
        population.pk,
        online.pk,
    }
    edata, _all = indicator_lists("digitization.edata", [province.commune_a.pk], MARCH)
    assert set(edata.values_list("pk", flat=True)) == {vneid.pk, online.pk}
