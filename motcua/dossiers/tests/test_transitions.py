"""Every cell of the transition table (dossiers.md §4): allowed moves succeed, others fail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.choices import TRANSITIONS, Event, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure

T0 = local(2025, 3, 3, 8)  # Mon 03/03/2025 08:00


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def root(province: Province) -> Any:
    return make_user("root", is_superuser=True)


@pytest.fixture
def procedure(province: Province) -> Any:
    return make_procedure(units=[province.commune_a], amount=10)


def _new(ctx: dict[str, Any], state: str) -> Dossier:
    """A dossier brought into `state` through the services (T0 … T0+5 min)."""
    p, proc, user = ctx["province"], ctx["procedure"], ctx["root"]
    common = {"procedure": proc, "receiving_unit": p.commune_a, "applicant": APPLICANT}
    if state == State.DRAFT:
        return services.create_draft(actor=user, at=at(0), **common)
    if state in {State.SUBMITTED, State.AWAITING_COMPLETION}:
        d = services.submit_dossier(actor=user, at=at(0), **common)
        if state == State.AWAITING_COMPLETION:
            d = services.request_completion(
                dossier=d, actor=user, items=["Bản sao giấy tờ"], reason="Thiếu", at=at(1)
            )
        return d
    if state == State.REFUSED_AT_INTAKE:
        return services.refuse_at_intake(
            actor=user, reason="Không thuộc thẩm quyền", at=at(0), **common
        )
    d = services.receive_dossier(actor=user, at=at(0), **common)
    if state == State.RECEIVED:
        return d
    if state == State.WITHDRAWN:
        return services.withdraw_dossier(dossier=d, actor=user, reason="Đơn xin rút", at=at(1))
    if state == State.STOPPED:
        return services.stop_dossier(dossier=d, actor=user, reason="Căn cứ pháp lý", at=at(1))
    d = services.transfer_dossier(dossier=d, actor=user, to_unit=p.commune_a, at=at(1))
    if state == State.IN_PROGRESS:
        return d
    if state == State.SUPPLEMENT_REQUESTED:
        return services.request_supplement(
            dossier=d, actor=user, items=["Giấy chứng sinh"], reason="Thiếu", at=at(2)
        )
    if state == State.AWAITING_PAYMENT:
        return services.request_payment(
            dossier=d, actor=user, amount=50000, legal_basis="Thông tư 85/2019/TT-BTC", at=at(2)
        )
    if state == State.REFUSED:
        return services.refuse_dossier(dossier=d, actor=user, reason="Không đủ điều kiện", at=at(2))
    d = services.resolve_dossier(dossier=d, actor=user, at=at(2))
    if state == State.RESOLVED:
        return d
    assert state == State.RETURNED
    return services.return_result(dossier=d, actor=user, recipient="Trần Văn Bình", at=at(3))


ACTIONS: dict[str, Callable[[Dossier, Any, Province], Any]] = {
    Event.SUBMIT: lambda d, u, p: services.submit_dossier(dossier=d, actor=u, at=at(10)),
    Event.RECEIVE: lambda d, u, p: services.receive_dossier(dossier=d, actor=u, at=at(10)),
    Event.REQUEST_COMPLETION: lambda d, u, p: services.request_completion(
        dossier=d, actor=u, items=["Tờ khai"], reason="Thiếu tờ khai", at=at(10)
    ),
    Event.REFUSE_AT_INTAKE: lambda d, u, p: services.refuse_at_intake(
        dossier=d, actor=u, reason="Hồ sơ giả mạo", at=at(10)
    ),
    Event.TRANSFER: lambda d, u, p: services.transfer_dossier(
        dossier=d, actor=u, to_unit=p.commune_a, at=at(10)
    ),
    Event.REQUEST_SUPPLEMENT: lambda d, u, p: services.request_supplement(
        dossier=d,
        actor=u,
        items=["Bản vẽ"],
        reason="Thiếu bản vẽ",
        justification="Lần hai",
        at=at(10),
    ),
    Event.RESUME: lambda d, u, p: services.resume_dossier(dossier=d, actor=u, at=at(10)),
    Event.REQUEST_PAYMENT: lambda d, u, p: services.request_payment(
        dossier=d, actor=u, amount=1000, legal_basis="Luật Phí và lệ phí", at=at(10)
    ),
    Event.CONFIRM_PAYMENT: lambda d, u, p: services.confirm_payment(
        dossier=d, actor=u, reference="BL-0001", at=at(10)
    ),
    Event.ISSUE_APOLOGY: lambda d, u, p: services.issue_apology(
        dossier=d, actor=u, reason="Chờ ý kiến phối hợp", new_due=local(2025, 3, 25, 9), at=at(10)
    ),
    Event.RESOLVE: lambda d, u, p: services.resolve_dossier(dossier=d, actor=u, at=at(10)),
    Event.RETURN_RESULT: lambda d, u, p: services.return_result(
        dossier=d, actor=u, recipient="Trần Văn Bình", at=at(10)
    ),
    Event.REFUSE: lambda d, u, p: services.refuse_dossier(
        dossier=d, actor=u, reason="Không đủ điều kiện theo Điều 5", at=at(10)
    ),
    Event.WITHDRAW: lambda d, u, p: services.withdraw_dossier(
        dossier=d, actor=u, reason="Đơn xin rút hồ sơ", at=at(10)
    ),
    Event.STOP: lambda d, u, p: services.stop_dossier(
        dossier=d, actor=u, reason="Theo đề nghị của người nộp", at=at(10)
    ),
}
CELLS = [(state, event) for state in State.values for event in ACTIONS]


@pytest.mark.parametrize(("state", "event"), CELLS)
def test_transition_table_cell(
    state: str, event: str, province: Province, procedure: Any, root: Any
) -> None:
    ctx = {"province": province, "procedure": procedure, "root": root}
    dossier = _new(ctx, state)
    assert dossier.state == state
    events_before = DossierEvent.objects.filter(dossier=dossier).count()
    expected = TRANSITIONS[event].get(state)
    if expected is None:
        with pytest.raises(services.TransitionNotAllowed):
            ACTIONS[event](dossier, root, province)
        fresh = Dossier.objects.get(pk=dossier.pk)
        assert fresh.state == state
        assert DossierEvent.objects.filter(dossier=dossier).count() == events_before
    else:
        ACTIONS[event](dossier, root, province)
        fresh = Dossier.objects.get(pk=dossier.pk)
        assert fresh.state == expected
        assert DossierEvent.objects.filter(dossier=dossier).count() == events_before + 1


def test_every_event_of_the_table_is_exercised() -> None:
    assert set(ACTIONS) | {Event.CREATE_DRAFT} == set(Event.values)


@pytest.mark.parametrize("event", [Event.RECEIVE, Event.REFUSE_AT_INTAKE])
def test_walk_in_events_need_no_dossier(
    event: str, province: Province, procedure: Any, root: Any
) -> None:
    fn = services.receive_dossier if event == Event.RECEIVE else services.refuse_at_intake
    kwargs: dict[str, Any] = {"reason": "Không hợp lệ"} if event == Event.REFUSE_AT_INTAKE else {}
    dossier = fn(
        actor=root,
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=at(0),
        **kwargs,
    )
    assert dossier.state == TRANSITIONS[event][None]
    assert dossier.code == "C1-250303-0001"
