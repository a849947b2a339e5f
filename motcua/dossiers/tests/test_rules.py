"""Rules behind the transitions: reasons, one written request, one extension, scope, races."""

from __future__ import annotations

import time
from typing import Any

import pytest

from motcua.conftest import Province, make_user, run_in_threads
from motcua.dossiers import services
from motcua.dossiers.choices import State
from motcua.dossiers.clock import dossier_clock
from motcua.dossiers.models import Apology, Dossier, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure


@pytest.fixture
def root(province: Province) -> Any:
    return make_user("root", is_superuser=True)


@pytest.fixture
def procedure(province: Province) -> Any:
    return make_procedure(units=[province.commune_a], amount=5)


def received(province: Province, procedure: Any, actor: Any, when: Any) -> Dossier:
    return services.receive_dossier(
        actor=actor,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=when,
    )


def in_progress(province: Province, procedure: Any, actor: Any, when: Any) -> Dossier:
    d = received(province, procedure, actor, when)
    return services.transfer_dossier(dossier=d, actor=actor, to_unit=province.commune_a, at=when)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda d, u: services.refuse_dossier(dossier=d, actor=u, reason="  "), "reason"),
        (lambda d, u: services.stop_dossier(dossier=d, actor=u, reason=""), "reason"),
        (lambda d, u: services.withdraw_dossier(dossier=d, actor=u, reason=""), "reason"),
        (
            lambda d, u: services.request_supplement(dossier=d, actor=u, items=[], reason="Thiếu"),
            "items",
        ),
        (
            lambda d, u: services.request_supplement(dossier=d, actor=u, items=["A"], reason=""),
            "reason",
        ),
        (
            lambda d, u: services.request_payment(dossier=d, actor=u, amount=-5, legal_basis="x"),
            "amount",
        ),
        (lambda d, u: services.return_result(dossier=d, actor=u, recipient=""), "recipient"),
    ],
)
def test_written_reasons_and_lists_are_mandatory(
    call: Any, field: str, province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 3, 3, 9))
    events = d.events.count()
    with pytest.raises(services.DossierError) as err:
        call(d, root)
    assert err.value.field == field
    assert Dossier.objects.get(pk=d.pk).state == State.IN_PROGRESS
    assert d.events.count() == events


def test_refusal_at_intake_requires_a_reason(province: Province, procedure: Any, root: Any) -> None:
    with pytest.raises(services.DossierError) as err:
        services.refuse_at_intake(
            actor=root,
            reason="",
            procedure=procedure,
            receiving_unit=province.commune_a,
            applicant=APPLICANT,
        )
    assert err.value.field == "reason"
    assert Dossier.objects.count() == 0


def test_second_supplement_request_by_the_same_unit_needs_a_justification(
    province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 3, 3, 9))
    d = services.request_supplement(
        dossier=d, actor=root, items=["A"], reason="Thiếu A", at=local(2025, 3, 3, 10)
    )
    d = services.resume_dossier(dossier=d, actor=root, at=local(2025, 3, 4, 9))
    with pytest.raises(services.DossierError) as err:
        services.request_supplement(
            dossier=d, actor=root, items=["B"], reason="Thiếu B", at=local(2025, 3, 4, 10)
        )
    assert err.value.field == "justification"
    d = services.request_supplement(
        dossier=d,
        actor=root,
        items=["B"],
        reason="Thiếu B",
        justification="Quy định mới",
        at=local(2025, 3, 4, 10),
    )
    assert d.supplement_count == 2
    last = d.events.filter(kind="dossier.supplement_requested").last()
    assert last is not None and last.data["repeated"] is True


def test_w15_one_extension_before_the_due_instant(
    province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 6, 2, 8))
    assert d.statutory_due == local(2025, 6, 9, 8)
    apology = services.issue_apology(
        dossier=d,
        actor=root,
        reason="Chờ ý kiến Sở Xây dựng",
        new_due=local(2025, 6, 12, 16),
        delaying_unit=province.district,
        at=local(2025, 6, 5, 16),
    )
    assert apology.grants_extension and not apology.flagged
    d.refresh_from_db()
    assert (d.statutory_due, d.promised_due) == (local(2025, 6, 9, 8), local(2025, 6, 12, 16))
    with pytest.raises(services.TransitionNotAllowed):
        services.issue_apology(
            dossier=d,
            actor=root,
            reason="Lần hai",
            new_due=local(2025, 6, 20, 16),
            at=local(2025, 6, 6, 9),
        )
    d = services.resolve_dossier(dossier=d, actor=root, at=local(2025, 6, 11, 10))
    assert d.finished_at and d.statutory_due and d.promised_due
    assert d.finished_at > d.statutory_due  # late in statistics, promise kept
    assert d.finished_at < d.promised_due
    assert d.events.get(kind="dossier.resolved").data["late"] is True


def test_w15_apology_after_the_due_is_recorded_flagged_and_extends_nothing(
    province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 6, 2, 8))
    apology = services.issue_apology(
        dossier=d,
        actor=root,
        reason="Chậm",
        new_due=local(2025, 6, 12, 16),
        at=local(2025, 6, 9, 9),
    )
    assert not apology.grants_extension
    assert apology.flagged and "sau khi đã hết hạn" in apology.flag_reason
    d.refresh_from_db()
    assert d.promised_due == d.statutory_due == local(2025, 6, 9, 8)


def test_apology_on_the_due_date_is_granted_but_flagged(
    province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 6, 2, 9))  # due Mon 09/06 09:00
    apology = services.issue_apology(
        dossier=d,
        actor=root,
        reason="Chậm",
        new_due=local(2025, 6, 12, 16),
        at=local(2025, 6, 9, 8),
    )
    assert apology.grants_extension and apology.flagged


def test_pause_after_the_budget_ran_out_does_not_rescue(
    province: Province, procedure: Any, root: Any
) -> None:
    d = in_progress(province, procedure, root, local(2025, 6, 2, 8))
    d = services.request_supplement(
        dossier=d, actor=root, items=["A"], reason="Thiếu", at=local(2025, 6, 10, 9)
    )
    assert d.statutory_due == local(2025, 6, 9, 8)
    d = services.resume_dossier(dossier=d, actor=root, at=local(2025, 6, 16, 9))
    assert d.statutory_due == local(2025, 6, 9, 8)


def test_explained_deadline_names_the_pause(province: Province, procedure: Any, root: Any) -> None:
    d = in_progress(province, procedure, root, local(2025, 3, 3, 9))
    d = services.request_supplement(
        dossier=d, actor=root, items=["A"], reason="Thiếu", at=local(2025, 3, 4, 9)
    )
    d = services.resume_dossier(dossier=d, actor=root, at=local(2025, 3, 6, 9))
    clock = dossier_clock(d)
    assert clock is not None
    text = "\n".join(clock.explanation)
    assert "tạm dừng" in text.lower()
    assert clock.statutory_due == d.statutory_due


def test_officers_act_only_within_their_roles_and_units(
    people: dict, province: Province, procedure: Any
) -> None:
    alice, bob, dana = people["alice"], people["bob"], people["dana"]
    with pytest.raises(services.ActionForbidden):
        received(province, procedure, bob, local(2025, 3, 3, 9))  # C2 officer at C1's desk
    d = received(province, procedure, alice, local(2025, 3, 3, 9))
    d = services.transfer_dossier(
        dossier=d, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 10)
    )
    with pytest.raises(services.ActionForbidden):
        services.resolve_dossier(
            dossier=d, actor=alice, at=local(2025, 3, 4, 9)
        )  # officers don't sign
    services.resolve_dossier(
        dossier=d, actor=dana, at=local(2025, 3, 4, 9)
    )  # the district leader may


def test_a_stale_copy_cannot_overwrite_a_newer_change(
    province: Province, procedure: Any, root: Any
) -> None:
    d = received(province, procedure, root, local(2025, 3, 3, 9))
    stale = Dossier.objects.get(pk=d.pk)
    services.withdraw_dossier(dossier=d, actor=root, reason="Đơn rút", at=local(2025, 3, 3, 10))
    with pytest.raises((services.ConcurrentChange, services.TransitionNotAllowed)):
        services.stop_dossier(dossier=stale, actor=root, reason="Dừng", at=local(2025, 3, 3, 11))
    assert Dossier.objects.get(pk=d.pk).state == State.WITHDRAWN


def test_future_instants_are_refused(province: Province, procedure: Any, root: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(services.DossierError) as err:
        received(province, procedure, root, timezone.now() + dt.timedelta(days=1))
    assert err.value.field == "at"


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_under_concurrent_receipts(
    province: Province, procedure: Any, root: Any
) -> None:
    def receive(i: int) -> str:
        for _attempt in range(20):
            try:
                return received(province, procedure, root, local(2025, 3, 3, 9, i)).code or ""
            except Exception as exc:
                # The in-memory SQLite test database (shared cache) answers "table is locked"
                # instead of waiting; files and PostgreSQL wait for the lock.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        raise AssertionError("could not write")

    codes = run_in_threads(6, receive, timeout=60)
    assert all(isinstance(c, str) for c in codes), codes
    assert sorted(codes) == [f"C1-250303-{n:04d}" for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_cannot_both_succeed(
    province: Province, procedure: Any, root: Any
) -> None:
    d = received(province, procedure, root, local(2025, 3, 3, 9))

    def act(i: int) -> str:
        copy = Dossier.objects.get(pk=d.pk)
        if i == 0:
            services.withdraw_dossier(
                dossier=copy, actor=root, reason="Đơn rút", at=local(2025, 3, 3, 10)
            )
        else:
            services.stop_dossier(dossier=copy, actor=root, reason="Dừng", at=local(2025, 3, 3, 10))
        return "ok"

    results = run_in_threads(2, act, timeout=60)
    assert results.count("ok") == 1, results
    assert Dossier.objects.get(pk=d.pk).state in {State.WITHDRAWN, State.STOPPED}
    assert (
        DossierEvent.objects.filter(
            dossier=d, kind__in=["dossier.withdrawn", "dossier.stopped"]
        ).count()
        == 1
    )
    assert Apology.objects.count() == 0


def test_a_closed_unit_cannot_receive(province: Province, procedure: Any, root: Any) -> None:
    with pytest.raises(services.DossierError) as err:
        received(province, procedure, root, local(2025, 7, 1, 9))  # C1 closed on 30/06/2025
    assert err.value.field == "receiving_unit"
    assert "không còn hoạt động vào ngày 01/07/2025" in err.value.message
    assert Dossier.objects.count() == 0
