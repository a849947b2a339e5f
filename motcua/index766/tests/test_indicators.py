"""Worked examples of every indicator (statistics.md §5): zero denominators, thresholds,
several supplement requests, refusals after the appointment, and the lists behind each figure.

One province `P` with one commune `C` (the dossiers are the commune's), August 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier, DossierFile, DossierRating, Payment
from motcua.feedback.models import Feedback
from motcua.index766.engine import Value, compute_index, indicator_lists
from motcua.index766.indicators import EMPTY, NO_DATA, OK, SPEC, SPECS, score
from motcua.index766.progress import late_list, on_time_by_unit, on_time_counts, on_time_lists
from motcua.index766.tests.rows import AUG_START, SEP_START, at, dossier, procedure
from motcua.lib.periods import parse_period
from motcua.national.models import OutboxRow
from motcua.procedures.models import Procedure
from motcua.units.models import Unit

AUGUST = parse_period("2026-M08", calendar=True)


@pytest.fixture
def tree(db: None) -> tuple[Unit, Unit]:
    p = Unit.objects.create(code="P", name="Ủy ban nhân dân tỉnh Phú Thọ", level="province")
    c = Unit.objects.create(code="C", name="Ủy ban nhân dân xã Hy Cương", level="commune", parent=p)
    return p, c


def value(code: str, unit: str = "P") -> Value:
    return compute_index(unit, AUGUST).total.indicator(code)


def figures(
    code: str, unit: str = "P"
) -> tuple[int | None, int | None, float | None, float | None]:
    v = value(code, unit)
    return v.numerator, v.denominator, v.ratio, v.points


def lists(code: str, unit: Unit) -> tuple[set[int], set[int]]:
    num, den = indicator_lists(code, [unit.pk], AUGUST)
    return set(num.values_list("pk", flat=True)), set(den.values_list("pk", flat=True))


# -- scoring -----------------------------------------------------------------------------------


def test_general_rule_linear_threshold_and_half_up() -> None:
    assert score(29, 32, 20) == 18.13  # 18.125 rounds half-up
    assert score(0, 0, 20) == 0.0
    assert score(7, 10, 2, 80) == 1.75  # 70% of an 80% threshold: 0.7 × 2 ÷ 0.8
    assert score(8, 10, 2, 80) == 2.0  # at the threshold: full
    assert score(95, 100, 6, 90) == 6.0
    assert score(1, 3, 6, 90) == 2.22  # 0.3333 × 6 ÷ 0.9 = 2.2222
    assert score(1, 4, 6, 50) == 3.0


def test_maxima_add_up_to_100_per_group() -> None:
    groups: dict[str, int] = {}
    for spec in SPECS:
        groups[spec.group] = groups.get(spec.group, 0) + spec.max
    assert groups == {
        "transparency": 18,
        "progress": 20,
        "digitization": 22,
        "online": 12,
        "payment": 10,
        "satisfaction": 18,
    }


# -- progress.on_time ------------------------------------------------------------------------


def test_progress_zero_denominator_gives_zero_and_says_empty(tree: tuple[Unit, Unit]) -> None:
    v = value("progress.on_time")
    assert (v.numerator, v.denominator, v.ratio, v.points, v.data) == (0, 0, 0.0, 0.0, EMPTY)
    assert v.note


def test_progress_national_rule(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    proc = procedure([c])
    rows = {
        # on time
        "resolved_early": dossier(
            proc, c, received=at(8, 3), due=at(8, 17), state="returned", finished=at(8, 10)
        ),
        "refused_in_time": dossier(
            proc, c, received=at(8, 3), due=at(8, 17), state="refused", finished=at(8, 17)
        ),
        "one_supplement_waiting": dossier(
            proc, c, received=at(8, 20), due=None, state="supplement_requested", supplements=1
        ),
        "open_in_time": dossier(proc, c, received=at(8, 25), due=at(9, 8), state="in_progress"),
        "carried_over_in_time": dossier(
            proc, c, received=at(7, 27), due=at(8, 7), state="resolved", finished=at(8, 7)
        ),
        # overdue
        "refused_after_appointment": dossier(
            proc, c, received=at(8, 3), due=at(8, 17), state="refused", finished=at(8, 18)
        ),
        "withdrawn_after_appointment": dossier(
            proc, c, received=at(8, 3), due=at(8, 17), state="withdrawn", finished=at(8, 19)
        ),
        "two_supplements_resolved_early": dossier(
            proc,
            c,
            received=at(8, 3),
            due=at(8, 28),
            state="returned",
            finished=at(8, 20),
            supplements=2,
        ),
        "three_supplements_waiting": dossier(
            proc, c, received=at(8, 3), due=None, state="supplement_requested", supplements=3
        ),
        "pause_after_budget_ran_out": dossier(
            proc, c, received=at(8, 3), due=at(8, 10), state="supplement_requested", supplements=1
        ),
        "open_overdue": dossier(proc, c, received=at(8, 3), due=at(8, 31, 16), state="in_progress"),
        # not counted
        "finished_in_july": dossier(
            proc, c, received=at(7, 1), due=at(7, 15), state="returned", finished=at(7, 14)
        ),
        "received_in_september": dossier(
            proc, c, received=SEP_START, due=at(9, 15), state="received"
        ),
        "never_received": dossier(proc, c, received=None, due=None, state="submitted"),
    }
    for name, row in rows.items():
        row.code = name
    Dossier.objects.bulk_create(rows.values())
    assert figures("progress.on_time") == (5, 11, 45.45, 9.09)
    assert on_time_counts([c], AUG_START, SEP_START) == (5, 11)
    assert on_time_by_unit([c.pk], AUG_START, SEP_START) == {c.pk: (5, 11)}
    num, den = on_time_lists([c], AUG_START, SEP_START)
    assert set(num.values_list("code", flat=True)) == set(list(rows)[:5])
    assert set(den.values_list("code", flat=True)) == set(list(rows)[:11])
    assert set(late_list([c], AUG_START, SEP_START).values_list("code", flat=True)) == set(
        list(rows)[5:11]
    )
    # the province's card counts its commune's dossiers; the commune alone the same
    assert figures("progress.on_time", "C") == (5, 11, 45.45, 9.09)


# -- digitization ---------------------------------------------------------------------------


def _file(d: Dossier, kind: str, **kw: object) -> DossierFile:
    return DossierFile(
        dossier=d,
        kind=kind,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_at=at(8, 5),
        **kw,
    )


def test_digitization(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    paper = procedure([c], "1.000001", result_is_paper=True)
    electronic = procedure([c], "1.000002", result_is_paper=False)
    d = Dossier.objects.bulk_create(
        [
            dossier(
                paper,
                c,
                received=at(8, 3),
                due=at(8, 17),
                state="returned",
                finished=at(8, 10),
                edata_linked=True,
                identity_source="vneid",
            ),
            dossier(
                paper, c, received=at(8, 3), due=at(8, 17), state="resolved", finished=at(8, 11)
            ),
            dossier(
                electronic,
                c,
                received=at(8, 3),
                due=at(8, 17),
                state="returned",
                finished=at(8, 12),
                identity_source="population_db",
            ),
            dossier(paper, c, received=at(8, 4), due=at(8, 18), state="in_progress"),
            dossier(
                paper, c, received=at(7, 20), due=at(8, 18), state="returned", finished=at(8, 5)
            ),  # carried over
        ]
    )
    DossierFile.objects.bulk_create(
        [
            _file(d[0], "result"),
            _file(d[0], "component", digitized=True, reused=True),
            _file(d[1], "component", digitized=True),
            _file(d[2], "component", digitized=True, reused=True),
            _file(d[3], "component", digitized=True),
            _file(d[4], "result"),
        ]
    )
    # e_result: resolved in August with a paper result: d0 (file), d1 (none), d4 (file)
    assert figures("digitization.e_result") == (2, 3, 66.67, 4.0)
    assert lists("digitization.e_result", c) == ({d[0].pk, d[4].pk}, {d[0].pk, d[1].pk, d[4].pk})
    # digitised: received in August (d0–d3): component files and, for a paper result, the
    # electronic result too: d0 and d2 → 50% of an 80% threshold → 4 × 0.5 ÷ 0.8 = 2.5
    assert figures("digitization.digitised") == (2, 4, 50.0, 2.5)
    # reuse: d0, d2 of 4 → 50% of 80% → 2 × 0.625 = 1.25
    assert figures("digitization.reuse") == (2, 4, 50.0, 1.25)
    assert figures("digitization.edata") == (1, 4, 25.0, 1.0)
    assert figures("digitization.population") == (2, 4, 50.0, 1.0)
    assert lists("digitization.population", c)[0] == {d[0].pk, d[2].pk}


def test_population_procedures_and_certified_copies_have_no_data(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    people = procedure([c], "1.000001", applicants="Công dân Việt Nam")
    procedure([c], "1.000002", applicants="Cá nhân, tổ chức")
    procedure([c], "1.000003", applicants="Doanh nghiệp")
    Dossier.objects.bulk_create(
        [dossier(people, c, received=at(8, 3), due=at(8, 17), identity_source="vneid")]
    )
    assert figures("digitization.population_procedures") == (1, 2, 50.0, 1.0)
    v = value("digitization.certified_copies")
    assert (v.numerator, v.denominator, v.ratio, v.points, v.data) == (
        None,
        None,
        None,
        None,
        NO_DATA,
    )
    card = compute_index("P", AUGUST).total
    assert "digitization.certified_copies" in card.missing


# -- transparency ---------------------------------------------------------------------------


def test_transparency_publication_dates(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    # Effective Mon 17/08/2026: the decision must be dated on or before Mon 10/08 (5 working
    # days back: 14, 13, 12, 11, 10 August).
    on_time = procedure([c], "1.000001", valid_from=dt.date(2026, 8, 17))
    late = procedure([c], "1.000002", valid_from=dt.date(2026, 8, 17))
    Procedure.objects.filter(pk=on_time.pk).update(
        publication_decision_date=dt.date(2026, 8, 10), public_record_date=dt.date(2026, 8, 17)
    )
    # made public on Mon 17/08 = 5 working days after Tue 11/08? 12, 13, 14, 17 = 4: in time
    Procedure.objects.filter(pk=late.pk).update(
        publication_decision_date=dt.date(2026, 8, 11), public_record_date=dt.date(2026, 8, 19)
    )
    # 12, 13, 14, 17, 18 = 5 working days → 18/08 is the last day; 19/08 is late
    assert figures("transparency.published_on_time") == (1, 2, 50.0, 3.0)
    assert figures("transparency.made_public_on_time") == (1, 2, 50.0, 2.0)
    assert lists("transparency.published_on_time", c) == ({on_time.pk}, {on_time.pk, late.pk})
    # Both records have name, steps? make_procedure adds no process step: incomplete.
    assert figures("transparency.complete") == (0, 2, 0.0, 0.0)


def test_transparency_zero_denominator_is_not_applicable(tree: tuple[Unit, Unit]) -> None:
    v = value("transparency.published_on_time")
    assert (v.denominator, v.points, v.data) == (0, None, EMPTY)
    assert "transparency.published_on_time" in compute_index("P", AUGUST).total.missing


def test_synchronised_no_data_until_something_was_sent(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    proc = procedure([c])
    d = Dossier.objects.bulk_create(
        [dossier(proc, c, received=at(8, 3), due=at(8, 17)) for _ in range(4)]
    )
    v = value("transparency.synchronised")
    assert (v.numerator, v.points, v.data) == (None, None, NO_DATA)
    assert value("online.dossiers").note  # not multiplied by a synchronisation rate
    OutboxRow.objects.bulk_create(
        [
            OutboxRow(
                dossier=d[0],
                sequence=1,
                dossier_state="received",
                status_code=2,
                created_at=at(8, 3),
                state="delivered",
            ),
            OutboxRow(
                dossier=d[1],
                sequence=1,
                dossier_state="received",
                status_code=2,
                created_at=at(8, 3),
                state="delivered",
            ),
            OutboxRow(
                dossier=d[1],
                sequence=2,
                dossier_state="in_progress",
                status_code=4,
                created_at=at(8, 4),
                state="pending",
            ),
        ]
    )
    assert figures("transparency.synchronised") == (1, 4, 25.0, 1.5)
    assert value("transparency.synchronised").data == OK


# -- online services and payment ----------------------------------------------------------


def test_online_and_payment(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    full = procedure([c], "1.000001", online_level="full", result_is_paper=False, fee=50_000)
    partial = procedure([c], "1.000002", online_level="partial", result_is_paper=False)
    procedure([c], "1.000003", online_level="none", fee=20_000)
    d = Dossier.objects.bulk_create(
        [
            dossier(full, c, received=at(8, 3), due=at(8, 17), channel="online", fee_amount=50_000),
            dossier(full, c, received=at(8, 4), due=at(8, 18), channel="direct", fee_amount=50_000),
            dossier(
                full, c, received=at(8, 5), due=at(8, 19), channel="online", fee_amount=0
            ),  # exempt
            dossier(partial, c, received=at(8, 6), due=at(8, 20), channel="direct"),
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                dossier=d[0],
                method="national_portal",
                reference="A1",
                amount=50_000,
                paid_at=at(8, 3, 10),
            ),
            Payment(
                dossier=d[1], method="cash", reference="B1", amount=50_000, paid_at=at(8, 4, 10)
            ),
        ]
    )
    # offered: 2 of 3 procedures → 66.67% of an 80% threshold → 2 × 0.8333 = 1.67
    assert figures("online.offered") == (2, 3, 66.67, 1.67)
    # services used: the full one had an online dossier, the partial one not
    assert figures("online.services_used") == (1, 2, 50.0, 2.0)
    # online dossiers: 2 of 4 → 50% = the threshold → 6 (no sync data: not multiplied)
    assert figures("online.dossiers") == (2, 4, 50.0, 6.0)
    # procedures with fees: 1.000001 (dossiers with fees in August), 1.000003 (none)
    assert figures("payment.procedures_integrated") == (1, 2, 50.0, 1.25)
    assert figures("payment.procedures_paid_online") == (1, 2, 50.0, 1.0)
    # dossiers with a fee: d0, d1 (d2 is exempt, d3's procedure has none); paid online: d0
    assert figures("payment.dossiers_paid_online") == (1, 2, 50.0, 3.0)
    assert lists("payment.dossiers_paid_online", c) == ({d[0].pk}, {d[0].pk, d[1].pk})
    assert all(
        SPEC[code].status == "estimated"
        for code in SPEC
        if code.split(".")[0] in {"online", "payment"}
    )


# -- satisfaction -------------------------------------------------------------------------


def _feedback(unit: Unit, code: str, **kw: object) -> Feedback:
    fields: dict = {
        "code": code,
        "state": "processing",
        "channel": "portal",
        "title": "Phản ánh",
        "content": "Nội dung",
        "contact_at": at(8, 3),
        "received_at": at(8, 3),
        "unit": unit,
        "handle_due": at(8, 24),
    }
    fields.update(kw)
    return Feedback(**fields)


def test_feedback_zero_gives_full_points_and_says_so(tree: tuple[Unit, Unit]) -> None:
    for code in ("satisfaction.feedback_on_time", "satisfaction.feedback_satisfaction"):
        v = value(code)
        assert (v.denominator, v.points, v.data) == (0, 6.0, EMPTY)
        assert v.note


def test_feedback_indicators(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    first = _feedback(
        c,
        "PA-1",
        state="published",
        resolved_at=at(8, 10),
        finished_at=at(8, 10),
        likes=1,
        dislikes=3,
    )
    Feedback.objects.bulk_create(
        [
            first,
            _feedback(
                c, "PA-2", state="published", resolved_at=at(8, 26), finished_at=at(8, 26)
            ),  # late
            _feedback(c, "PA-3", handle_due=at(9, 7)),  # open within time
            _feedback(c, "PA-4", handle_due=at(8, 20)),  # open, overdue
            _feedback(
                c, "PA-5", state="refused", finished_at=at(8, 6), refuse_due=at(8, 5)
            ),  # refused late
            _feedback(c, "PA-6", state="forwarded", finished_at=at(8, 4)),  # not ours
            _feedback(c, "PA-7", state="published", resolved_at=at(8, 12), finished_at=at(8, 12)),
        ]
    )
    Feedback.objects.bulk_create(
        [
            _feedback(
                c,
                "PA-8",
                received_at=at(8, 20),
                contact_at=at(8, 20),
                handle_due=at(9, 10),
                repeat_of=Feedback.objects.get(code="PA-7"),
                repeat_dissatisfied=True,
            )
        ]
    )
    # on time: PA-1, PA-3, PA-7, PA-8 of 7 in competence (PA-6 forwarded)
    num, den = indicator_lists("satisfaction.feedback_on_time", [c.pk], AUGUST)
    assert set(num.values_list("code", flat=True)) == {"PA-1", "PA-3", "PA-7", "PA-8"}
    assert figures("satisfaction.feedback_on_time") == (4, 7, 57.14, 3.43)
    # satisfaction: received in August, not forwarded (7); minus PA-1 (more dislikes), PA-2
    # and PA-4 (overdue), PA-7 (repeated with dissatisfaction) → PA-3, PA-5, PA-8
    assert figures("satisfaction.feedback_satisfaction") == (3, 7, 42.86, 2.57)
    num, den = indicator_lists("satisfaction.feedback_satisfaction", [c.pk], AUGUST)
    assert set(num.values_list("code", flat=True)) == {"PA-3", "PA-5", "PA-8"}
    assert den.count() == 7


def test_dossier_satisfaction_threshold_and_zero(tree: tuple[Unit, Unit]) -> None:
    _p, c = tree
    v = value("satisfaction.dossiers")
    assert (v.denominator, v.ratio, v.points, v.data) == (0, 0.0, 0.0, EMPTY)
    proc = procedure([c])
    d = Dossier.objects.bulk_create(
        [
            dossier(proc, c, received=at(8, 3), due=at(8, 17), state="returned", finished=at(8, 10))
            for _ in range(20)
        ]
        + [dossier(proc, c, received=at(8, 3), due=at(8, 7), state="in_progress")]  # overdue
    )
    DossierRating.objects.create(dossier=d[0], satisfied=False, via="portal", rated_at=at(8, 11))
    DossierRating.objects.create(dossier=d[1], satisfied=True, via="portal", rated_at=at(8, 11))
    Feedback.objects.bulk_create([_feedback(c, "PA-9", dossier=d[2])])
    # 21 − 1 unsatisfied − 1 with feedback − 1 overdue = 18 → 85.71% of a 90% threshold
    assert figures("satisfaction.dossiers") == (18, 21, 85.71, 5.71)
    Dossier.objects.filter(pk=d[-1].pk).update(statutory_due=at(9, 7))
    assert figures("satisfaction.dossiers") == (19, 21, 90.48, 6.0)  # above 90%: full


# -- the card -----------------------------------------------------------------------------------


def test_total_is_the_sum_of_group_points_and_rows_include_empty_units(
    tree: tuple[Unit, Unit],
) -> None:
    p, c = tree
    Unit.objects.create(code="C2", name="Ủy ban nhân dân xã Kim Đức", level="commune", parent=p)
    proc = procedure([c])
    Dossier.objects.bulk_create([dossier(proc, c, received=at(8, 3), due=at(8, 17))])
    result = compute_index("P", AUGUST, by_unit=True)
    data = result.as_json()
    assert [r["unit"] for r in data["rows"]] == ["C", "C2"]
    assert data["total"]["points"] == round(sum(g["points"] for g in data["groups"]), 2)
    assert [g["code"] for g in data["groups"]] == [
        "transparency",
        "progress",
        "digitization",
        "online",
        "payment",
        "satisfaction",
    ]
    c2 = next(r for r in data["rows"] if r["unit"] == "C2")
    progress = next(g for g in c2["groups"] if g["code"] == "progress")["indicators"][0]
    assert (progress["denominator"], progress["ratio"], progress["points"]) == (0, 0.0, 0.0)
