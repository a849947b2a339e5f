"""Every cell of the lifecycle: each event of the transition table, and each state-keeping
operation, tried from every state; plus who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict

from motcua.conftest import Province
from motcua.feedback import services
from motcua.feedback.choices import TRANSITIONS, FeedbackEvent, FeedbackState
from motcua.feedback.models import (
    Feedback,
    FeedbackEntry,
    FeedbackPause,
    FeedbackSurvey,
    FeedbackVote,
)
from motcua.feedback.tests.factories import PUBLIC_ANSWER, advance, local, make_feedback, make_staff

E = FeedbackEvent
S = FeedbackState
BEFORE = local(2025, 3, 4, 9)
AT = local(2025, 3, 5, 10)


def _draft(f: Feedback, actor: Any) -> Feedback:
    return services.draft_answer(
        feedback=f, actor=actor, official="Trả lời chính thức", public=PUBLIC_ANSWER, at=AT
    )


# event -> a call of its service on an item (actor: a leader of the item's unit).
CALLS: dict[str, Callable[[Feedback, Any], Any]] = {
    E.REFUSE: lambda f, a: services.refuse_feedback(feedback=f, actor=a, reason="Trùng", at=AT),
    E.FORWARD: lambda f, a: services.forward_feedback(
        feedback=f, actor=a, reason="Thẩm quyền của ngành thuế", to_body="Cục Thuế tỉnh", at=AT
    ),
    E.REDIRECT: lambda f, a: services.redirect_feedback(
        feedback=f, actor=a, reason="Là khiếu nại", target="Ban Tiếp công dân", at=AT
    ),
    E.REQUEST_SUPPLEMENT: lambda f, a: services.request_supplement(
        feedback=f, actor=a, request="Cho biết ngày nộp", at=AT
    ),
    E.SUPPLEMENT: lambda f, a: services.record_supplement(feedback=f, text="Ngày 03/03", at=AT),
    E.START_PROCESSING: lambda f, a: services.start_processing(feedback=f, actor=a, at=AT),
    E.APPROVE_ANSWER: lambda f, a: services.approve_answer(
        feedback=_draft(f, a) if f.state == S.PROCESSING else f, actor=a, at=AT
    ),
    E.PUBLISH: lambda f, a: services.publish_feedback(feedback=f, actor=a, at=AT),
    E.QUICK_ANSWER: lambda f, a: services.quick_answer(feedback=f, actor=a, answer="7 giờ", at=AT),
    E.CLOSE: lambda f, a: services.close_feedback(feedback=f, actor=a, at=AT),
}

# State-keeping operations: the call and the timeline kind it writes.
STAY_CALLS: dict[str, tuple[Callable[[Feedback, Any], Any], str]] = {
    "classify": (
        lambda f, a: services.classify_feedback(
            feedback=f, actor=a, subject="conduct", officer_name="Cán bộ một cửa", at=AT
        ),
        "feedback.classified",
    ),
    "assign": (
        lambda f, a: services.assign_feedback(feedback=f, actor=a, at=AT),
        "feedback.assigned",
    ),
    "draft_answer": (_draft, "feedback.answer_drafted"),
    "reject_answer": (
        lambda f, a: services.reject_answer(
            feedback=_draft(f, a) if f.state == S.PROCESSING else f,
            actor=a,
            reason="Bổ sung căn cứ",
            at=AT,
        ),
        "feedback.answer_rejected",
    ),
    "vote": (
        lambda f, a: services.vote_feedback(feedback=f, voter_key="ip:1", value=1, at=AT),
        "feedback.voted",
    ),
    "survey": (
        lambda f, a: services.record_survey(feedback=f, satisfied=True, at=AT),
        "feedback.surveyed",
    ),
}


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


def item_in(state: str, province: Province, actor: Any) -> Feedback:
    """A fresh item at commune C1 brought to `state` through the services."""
    f = make_feedback(unit=province.commune_a, at=BEFORE)
    return advance(f, state, actor=actor, at=BEFORE)


def snapshot(f: Feedback) -> dict[str, Any]:
    row = Feedback.objects.get(pk=f.pk)
    return {
        "row": model_to_dict(row),
        "lock_version": row.lock_version,
        "updated_at": row.updated_at,
        "events": list(FeedbackEntry.objects.filter(feedback=f).values_list("pk", flat=True)),
        "pauses": list(FeedbackPause.objects.filter(feedback=f).values()),
        "items": Feedback.objects.count(),
        "votes": FeedbackVote.objects.count(),
        "surveys": FeedbackSurvey.objects.count(),
    }


def test_every_event_of_the_table_has_a_service_and_a_call() -> None:
    assert set(TRANSITIONS) == set(CALLS)
    assert set(TRANSITIONS) | {E.RECEIVE} == set(services.SERVICES_BY_EVENT)
    assert set(services.STAY_STATES) == set(STAY_CALLS)


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("event", list(TRANSITIONS))
def test_transition_cell(event: str, state: str, province: Province, staff: dict[str, Any]) -> None:
    lead = staff["lead"]
    f = item_in(state, province, lead)
    assert f.state == state
    target = TRANSITIONS[event].get(state)
    if target is None:
        before = snapshot(f)
        with pytest.raises(services.TransitionNotAllowed) as err:
            CALLS[event](f, lead)
        assert err.value.status == 409
        assert str(S(state).label) in err.value.message
        assert snapshot(f) == before
        return
    CALLS[event](f, lead)
    row = Feedback.objects.get(pk=f.pk)
    assert row.state == target
    entry = FeedbackEntry.objects.filter(feedback=f, kind=services.EVENT_KINDS[event]).last()
    assert entry is not None
    assert (entry.from_state, entry.to_state, entry.at) == (state, target, AT)
    assert entry.actor == (None if event == E.SUPPLEMENT else lead)


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("operation", list(STAY_CALLS))
def test_state_keeping_cell(
    operation: str, state: str, province: Province, staff: dict[str, Any]
) -> None:
    lead = staff["lead"]
    f = item_in(state, province, lead)
    call, kind = STAY_CALLS[operation]
    if state not in services.STAY_STATES[operation]:
        before = snapshot(f)
        with pytest.raises(services.TransitionNotAllowed):
            call(f, lead)
        assert snapshot(f) == before
        return
    call(f, lead)
    row = Feedback.objects.get(pk=f.pk)
    assert row.state == state
    entry = FeedbackEntry.objects.filter(feedback=f, kind=kind).last()
    assert entry is not None
    assert (entry.from_state, entry.to_state) == (state, state)


# -- permissions ------------------------------------------------------------------------------


def test_officer_of_another_unit_is_forbidden_and_nothing_changes(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=BEFORE)
    before = snapshot(f)
    for call in (
        lambda: services.start_processing(feedback=f, actor=staff["other"], at=AT),
        lambda: services.refuse_feedback(feedback=f, actor=staff["other"], reason="x", at=AT),
        lambda: services.request_supplement(feedback=f, actor=staff["other"], request="x", at=AT),
        lambda: services.classify_feedback(
            feedback=f, actor=staff["other"], subject="other", at=AT
        ),
    ):
        with pytest.raises(services.ActionForbidden) as err:
            call()
        assert err.value.status == 403
    assert snapshot(f) == before


def test_one_stop_officer_cannot_approve_but_a_leader_can(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=BEFORE)
    f = services.start_processing(feedback=f, actor=staff["spec"], at=BEFORE)
    f = services.draft_answer(
        feedback=f, actor=staff["spec"], official="Trả lời", public=PUBLIC_ANSWER, at=BEFORE
    )
    for officer in ("desk", "spec", "other"):
        with pytest.raises(services.ActionForbidden):
            services.approve_answer(feedback=f, actor=staff[officer], at=AT)
    assert Feedback.objects.get(pk=f.pk).state == S.PROCESSING
    f = services.approve_answer(feedback=f, actor=staff["lead"], at=AT)
    assert f.state == S.ANSWER_APPROVED
    assert f.answer_approved_by == staff["lead"]
    assert f.answer_drafted_by == staff["spec"]


def test_leader_of_the_parent_unit_may_approve(province: Province, staff: dict[str, Any]) -> None:
    g = make_feedback(unit=province.commune_a, at=BEFORE)
    g = services.start_processing(feedback=g, actor=staff["spec"], at=BEFORE)
    g = _draft(g, staff["spec"])
    g = services.approve_answer(feedback=g, actor=staff["dlead"], at=AT)
    assert g.state == S.ANSWER_APPROVED


def test_specialist_handles_but_cannot_publish(province: Province, staff: dict[str, Any]) -> None:
    f = advance(
        make_feedback(unit=province.commune_a, at=BEFORE),
        S.ANSWER_APPROVED,
        actor=staff["lead"],
        at=BEFORE,
    )
    with pytest.raises(services.ActionForbidden):
        services.publish_feedback(feedback=f, actor=staff["spec"], at=AT)
    assert services.publish_feedback(feedback=f, actor=staff["lead"], at=AT).state == S.PUBLISHED


def test_one_stop_officer_receives_only_at_their_own_unit(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(actor=staff["desk"], intake_unit=province.commune_a, at=BEFORE)
    assert f.logged_by == staff["desk"]
    for actor, unit in (
        (staff["desk"], province.commune_b),
        (staff["other"], province.commune_b),
        (staff["spec"], province.commune_a),
    ):
        with pytest.raises(services.ActionForbidden):
            make_feedback(actor=actor, intake_unit=unit, at=BEFORE)
    assert Feedback.objects.count() == 1


def test_one_stop_officer_cannot_refuse_or_forward(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(actor=staff["desk"], intake_unit=province.commune_a, at=BEFORE)
    with pytest.raises(services.ActionForbidden):
        services.refuse_feedback(feedback=f, actor=staff["desk"], reason="Trùng", at=AT)
    with pytest.raises(services.ActionForbidden):
        services.forward_feedback(
            feedback=f, actor=staff["desk"], reason="x", to_body="Cục Thuế", at=AT
        )
    assert Feedback.objects.get(pk=f.pk).state == S.RECEIVED


def test_allowed_operations_follow_state_and_role(
    province: Province, staff: dict[str, Any]
) -> None:
    from motcua.feedback.selectors import allowed_operations

    f = make_feedback(unit=province.commune_a, intake_unit=province.commune_a, at=BEFORE)
    lead_ops = allowed_operations(staff["lead"], f)
    assert "start_processing" in lead_ops
    assert "approve_answer" not in lead_ops  # not in this state
    assert allowed_operations(staff["other"], f) == []
    desk_ops = allowed_operations(staff["desk"], f)
    assert "quick_answer" in desk_ops
    assert "refuse_feedback" not in desk_ops
