"""A small feedback history counted by hand, and the edges of a period (feedback.md §8).

Period: Q3 2023 under Decree 09 = [15/06/2023, 14/09/2023], i.e. S = 15/06/2023 00:00 local,
E = 15/09/2023 00:00 local. Unit C1 (commune A). Items (all instants local):

| Id | Received | Channel | Subject | Due | What happened | Counted as |
|---|---|---|---|---|---|---|
| A | 01/06 09:00 | portal | — | 22/06 09:00 | resolved 10/06 | not counted: finished before S |
| N | 01/06 10:00 | portal | — | 20/06 10:00 | resolved at S (15/06 00:00) | carried over; on time |
| B | 05/06 09:00 | portal | — | 26/06 09:00 | resolved 20/06, closed | carried over; on time |
| C | 10/06 08:00 | portal | — | 01/07 08:00 | resolved 02/07, published | carried over; late |
| D | 12/06 08:00 | portal | — | 03/07 08:00 | open | carried over; open overdue |
| E | 20/06 14:00 | hotline | regulation | 11/07 14:00 | resolved at due | received; on time |
| F | 01/07 09:00 | portal | conduct | 22/07 | forwarded 03/07 | received; forwarded |
| G | 02/07 09:00 | email | — | 23/07 | redirected 05/07 | received; redirected |
| H | 03/08 09:00 | zalo | other | 24/08 | refused 04/08 | received; refused |
| L | 20/08 09:00 | hotline | — | 10/09 09:00 | open | received; open overdue |
| M | 10/08 09:00 | letter | regulation | 31/08 09:00 | resolved at E | received; open overdue |
| I | 01/09 09:00 | portal | regulation | 22/09 09:00 | open | received; open in time |
| J | 14/09 23:59 | counter | — | 05/10 23:59 | open | received; open in time |
| K | 15/09 00:00 | portal | — | — | open | not counted: received at E |
| Q1, Q2 | 10/07, 11/07 | hotline | — | — | quick answers | questions (apart) |
| Q0 | 10/06 | hotline | — | — | quick answer | not in the period |

carried_over 4 (N, B, C, D) + received 8 (E, F, G, H, L, M, I, J) = 12
= resolved 4 (on time N, B, E; late C) + forwarded 1 + redirected 1 + refused 1
+ open_in_time 2 (I, J) + open_overdue 3 (D, L, M).
In competence 12 − 3 = 9: resolution 4/9 = 44.44%; on time (3 + 2)/9 = 55.56%.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.conftest import Province
from motcua.dossiers.tests.factories import local
from motcua.lib.periods import custom_period, parse_period
from motcua.stats.feedback import (
    FIGURES,
    FeedbackFigures,
    feedback_for_figure,
    feedback_statistics,
)
from motcua.stats.tests.feedback_rows import make_item

Q3 = parse_period("2023-Q3")
Q4 = parse_period("2023-Q4")


@pytest.fixture
def history(province: Province) -> dict[str, Any]:
    """The items of the table above, at C1, plus a forwarded copy and an item at C2."""
    c1, c2 = province.commune_a, province.commune_b
    items = {
        "A": make_item(
            c1,
            local(2023, 6, 1, 9),
            state="closed",
            finished=local(2023, 6, 10, 9),
            due=local(2023, 6, 22, 9),
        ),
        "N": make_item(
            c1,
            local(2023, 6, 1, 10),
            state="answer_approved",
            finished=local(2023, 6, 15),
            due=local(2023, 6, 20, 10),
        ),
        "B": make_item(
            c1,
            local(2023, 6, 5, 9),
            state="closed",
            finished=local(2023, 6, 20, 10),
            due=local(2023, 6, 26, 9),
        ),
        "C": make_item(
            c1,
            local(2023, 6, 10, 8),
            state="published",
            finished=local(2023, 7, 2, 9),
            due=local(2023, 7, 1, 8),
        ),
        "D": make_item(c1, local(2023, 6, 12, 8), due=local(2023, 7, 3, 8)),
        "E": make_item(
            c1,
            local(2023, 6, 20, 14),
            state="answer_approved",
            finished=local(2023, 7, 11, 14),
            due=local(2023, 7, 11, 14),
            channel="hotline",
            subject="regulation",
        ),
        "F": make_item(
            c1,
            local(2023, 7, 1, 9),
            state="forwarded",
            finished=local(2023, 7, 3, 9),
            due=local(2023, 7, 22, 9),
            subject="conduct",
        ),
        "G": make_item(
            c1,
            local(2023, 7, 2, 9),
            state="redirected",
            finished=local(2023, 7, 5, 9),
            due=local(2023, 7, 23, 9),
            channel="email",
        ),
        "H": make_item(
            c1,
            local(2023, 8, 3, 9),
            state="refused",
            finished=local(2023, 8, 4, 9),
            due=local(2023, 8, 24, 9),
            channel="zalo",
            subject="other",
        ),
        "L": make_item(c1, local(2023, 8, 20, 9), due=local(2023, 9, 10, 9), channel="hotline"),
        "M": make_item(
            c1,
            local(2023, 8, 10, 9),
            state="published",
            finished=local(2023, 9, 15),
            due=local(2023, 8, 31, 9),
            channel="letter",
            subject="regulation",
        ),
        "I": make_item(c1, local(2023, 9, 1, 9), due=local(2023, 9, 22, 9), subject="regulation"),
        "J": make_item(
            c1, local(2023, 9, 14, 23, 59), due=local(2023, 10, 5, 23, 59), channel="counter"
        ),
        "K": make_item(c1, local(2023, 9, 15), state="received"),
    }
    for day, minute in [(10, 0), (11, 30)]:
        make_item(
            c1,
            local(2023, 7, day, 9, minute),
            kind="question",
            state="closed",
            finished=local(2023, 7, day, 9, minute + 5),
            channel="hotline",
        )
    make_item(
        c1,
        local(2023, 6, 10, 9),
        kind="question",
        state="closed",
        finished=local(2023, 6, 10, 9, 5),
        channel="hotline",
    )
    # F went to commune B: a new item there (counted by C2, D1 and the province, not by C1)
    items["F2"] = make_item(c2, local(2023, 7, 3, 9), channel="transfer", due=local(2023, 7, 24))
    return items


def contract(figures: FeedbackFigures) -> dict[str, Any]:
    return figures.contract()


def test_the_worked_example_by_hand(history: dict[str, Any]) -> None:
    stats = feedback_statistics(code="C1", period=Q3)
    got = stats.total
    assert contract(got) == {
        "carried_over": 4,
        "received": 8,
        "resolved": 4,
        "resolved_on_time": 3,
        "resolved_late": 1,
        "forwarded": 1,
        "redirected": 1,
        "refused": 1,
        "open_in_time": 2,
        "open_overdue": 3,
        "by_channel": {
            "portal": 2,
            "national_portal": 0,
            "hotline": 2,
            "email": 1,
            "zalo": 1,
            "app": 0,
            "chatbot": 0,
            "counter": 1,
            "letter": 1,
            "transfer": 0,
        },
        "by_subject": {"regulation": 3, "conduct": 1, "other": 1, "unclassified": 3},
    }
    assert got.questions == 2
    assert got.in_competence == 9
    assert got.rates() == {"resolution": 44.44, "on_time": 55.56}


def test_the_lists_behind_the_worked_example(history: dict[str, Any]) -> None:
    stats = feedback_statistics(code="C1", period=Q3)

    def codes(figure: str) -> set[str]:
        found = {f.code for f in feedback_for_figure(stats, figure)}
        assert len(found) == stats.total.value(figure), figure
        return found

    names = {item.code: name for name, item in history.items()}

    def named(figure: str) -> set[str]:
        return {names.get(code, "Q") for code in codes(figure)}

    assert named("carried_over") == {"N", "B", "C", "D"}
    assert named("received") == {"E", "F", "G", "H", "L", "M", "I", "J"}
    assert named("resolved_on_time") == {"N", "B", "E"}
    assert named("resolved_late") == {"C"}
    assert named("open_overdue") == {"D", "L", "M"}
    assert named("open_in_time") == {"I", "J"}
    assert named("subject:unclassified") == {"G", "L", "J"}
    assert named("channel:hotline") == {"E", "L"}
    assert named("questions") == {"Q"} and len(codes("questions")) == 2
    for figure in FIGURES:
        codes(figure)  # every list is as long as its figure


def test_the_next_period_starts_with_what_was_open(history: dict[str, Any]) -> None:
    q3 = feedback_statistics(code="C1", period=Q3).total
    q4 = feedback_statistics(code="C1", period=Q4).total
    assert q4.carried_over == q3.open == 5  # D, L, M, I, J
    assert q4.received == 1  # K, received at Q4's first instant
    assert q4.resolved == 1 and q4.resolved_late == 1  # M, resolved at Q4's first instant


def test_the_district_and_the_province_count_the_forwarded_copy(
    history: dict[str, Any],
) -> None:
    d1 = feedback_statistics(code="D1", period=Q3, by="unit")
    assert d1.total.received == 9  # C1's 8 + the copy F2 received by C2
    assert d1.total.by_channel["transfer"] == 1
    assert {r.key: r.figures.received for r in d1.rows} == {"C1": 8, "C2": 1}
    c2 = feedback_statistics(code="C2", period=Q3)
    assert (c2.total.received, c2.total.open_overdue) == (1, 1)
    d2 = feedback_statistics(code="D2", period=Q3)
    assert d2.total.counted == 0 and d2.total.questions == 0


# ---------------------------------------------------------------------------- edges


@pytest.fixture
def one(province: Province) -> Any:
    def create(received: dt.datetime, **kw: Any) -> None:
        make_item(province.commune_a, received, **kw)

    return create


def nonzero(period: Any) -> dict[str, Any]:
    figures = feedback_statistics(code="C1", period=period).total
    data = figures.contract()
    data = {k: v for k, v in data.items() if not k.startswith("by_") and v}
    if figures.questions:
        data["questions"] = figures.questions
    return data


def test_received_in_the_last_minute_of_the_last_day_is_received(one: Any) -> None:
    one(local(2023, 9, 14, 23, 59), due=local(2023, 12, 20))
    assert nonzero(Q3) == {"received": 1, "open_in_time": 1}
    assert nonzero(Q4) == {"carried_over": 1, "open_in_time": 1}


def test_received_at_midnight_after_the_last_day_is_the_next_periods(one: Any) -> None:
    one(local(2023, 9, 15), due=local(2023, 12, 20))
    assert nonzero(Q3) == {}
    assert nonzero(Q4) == {"received": 1, "open_in_time": 1}


def test_an_item_finished_exactly_at_the_period_start_belongs_to_the_period(one: Any) -> None:
    start = local(2023, 6, 15)
    one(local(2023, 6, 1), state="refused", finished=start)
    assert nonzero(Q3) == {"carried_over": 1, "refused": 1}
    assert nonzero(parse_period("2023-Q2")) == {"received": 1, "open_in_time": 1}


def test_an_item_finished_exactly_at_the_period_end_is_still_open(one: Any) -> None:
    one(local(2023, 9, 1), state="closed", finished=local(2023, 9, 15), due=local(2023, 9, 15))
    # due exactly at E: not "before E", so still in time at the end of Q3
    assert nonzero(Q3) == {"received": 1, "open_in_time": 1}
    assert nonzero(Q4) == {"carried_over": 1, "resolved": 1, "resolved_on_time": 1}


def test_resolved_one_second_after_the_due_instant_is_late(one: Any) -> None:
    due = local(2023, 7, 20, 9)
    one(local(2023, 7, 1), state="published", finished=due + dt.timedelta(seconds=1), due=due)
    one(local(2023, 7, 2), state="published", finished=due, due=due)
    got = feedback_statistics(code="C1", period=Q3).total
    assert (got.resolved_on_time, got.resolved_late) == (1, 1)


def test_without_a_due_instant_nothing_is_late(one: Any) -> None:
    one(local(2023, 7, 1), state="closed", finished=local(2023, 9, 1))
    one(local(2023, 7, 1))
    assert nonzero(Q3) == {
        "received": 2,
        "resolved": 1,
        "resolved_on_time": 1,
        "open_in_time": 1,
    }


def test_an_utc_instant_on_the_previous_utc_date_counts_on_its_local_date(one: Any) -> None:
    one(dt.datetime(2023, 6, 14, 17, 30, tzinfo=dt.UTC))  # 15/06/2023 00:30 local
    assert nonzero(Q3) == {"received": 1, "open_in_time": 1}
    assert nonzero(parse_period("2023-Q2")) == {}


def test_quick_answers_are_counted_apart(one: Any) -> None:
    one(local(2023, 7, 1, 9), kind="question", state="closed", finished=local(2023, 7, 1, 9))
    assert nonzero(Q3) == {"questions": 1}
    one_day = custom_period(dt.date(2023, 7, 1), dt.date(2023, 7, 1))
    assert nonzero(one_day) == {"questions": 1}


def test_a_resolved_item_counts_as_resolved_after_publication_and_closure(one: Any) -> None:
    for state in ("answer_approved", "published", "closed"):
        one(local(2023, 7, 1), state=state, finished=local(2023, 7, 5), due=local(2023, 7, 22))
    assert nonzero(Q3) == {"received": 3, "resolved": 3, "resolved_on_time": 3}


def test_items_handled_through_the_services_are_counted(province: Province, people: dict) -> None:
    """What the feedback services stamp (finished_at, resolved_at, handle_due) is what counts."""
    from motcua.feedback import services
    from motcua.feedback.models import Feedback

    alice, dana = people["alice"], people["dana"]  # one-stop officer at C1; leader of D1
    sender = {"name": "Trần Văn Bình", "phone": "0912345678"}

    def receive(day: int) -> str:
        return services.receive_feedback(
            channel="portal",
            title="Thời gian cấp giấy phép",
            content="Hồ sơ của tôi bị yêu cầu thêm giấy tờ không có trong quy định.",
            sender=sender,
            unit=province.commune_a,
            at=local(2023, 7, day, 9),
        ).code

    def fresh(code: str) -> Feedback:
        return Feedback.objects.get(code=code)

    answered, forwarded, still_open = receive(3), receive(4), receive(5)
    services.start_processing(feedback=fresh(answered), actor=dana, at=local(2023, 7, 4, 9))
    services.draft_answer(
        feedback=fresh(answered),
        actor=dana,
        official="Trả lời chính thức.",
        public="Nội dung công khai.",
        at=local(2023, 7, 5, 9),
    )
    services.approve_answer(feedback=fresh(answered), actor=dana, at=local(2023, 7, 6, 9))
    services.publish_feedback(feedback=fresh(answered), actor=dana, at=local(2023, 7, 7, 9))
    services.forward_feedback(
        feedback=fresh(forwarded),
        actor=dana,
        reason="Thuộc thẩm quyền của xã Mỹ Hòa",
        to_unit=province.commune_b,
        at=local(2023, 7, 6, 10),
    )
    services.answer_on_the_spot(
        actor=alice,
        title="Hỏi giờ làm việc",
        content="Bộ phận một cửa làm việc mấy giờ?",
        answer="Từ 7 giờ đến 17 giờ các ngày làm việc.",
        sender={"name": "Lê Thị Cúc", "phone": "0987654321"},
        intake_unit=province.commune_a,
        at=local(2023, 7, 6, 15),
    )
    due = fresh(still_open).handle_due
    assert due is not None and local(2023, 7, 20) < due < local(2023, 8, 1)  # 15 working days
    # The end of July: everything in time. The end of the quarter: the open item is overdue.
    july = custom_period(dt.date(2023, 7, 1), dt.date(2023, 7, 25))
    for period, open_figure in [(july, "open_in_time"), (Q3, "open_overdue")]:
        c1 = feedback_statistics(code="C1", period=period).total
        assert {k: v for k, v in c1.contract().items() if not k.startswith("by_") and v} == {
            "received": 3,
            "resolved": 1,
            "resolved_on_time": 1,
            "forwarded": 1,
            open_figure: 1,
        }
        assert c1.by_channel["portal"] == 3 and c1.questions == 1
        d1 = feedback_statistics(code="D1", period=period).total  # + the copy at C2
        assert (d1.received, d1.forwarded, d1.open) == (4, 1, 2)
        assert d1.by_channel["transfer"] == 1


def test_inconsistent_rows_still_keep_the_identity(province: Province) -> None:
    """Rows no service writes (resolved without resolved_at, finished while open) still fall in
    exactly one outcome: the identity holds by construction, not by the data's good manners."""
    from motcua.feedback.models import Feedback

    c1 = province.commune_a
    due = local(2023, 7, 20, 9)
    late = make_item(c1, local(2023, 7, 1), state="published", finished=due + dt.timedelta(1))
    on_time = make_item(c1, local(2023, 7, 2), state="closed", finished=due - dt.timedelta(1))
    Feedback.objects.filter(pk__in=[late.pk, on_time.pk]).update(resolved_at=None, handle_due=due)
    make_item(c1, local(2023, 7, 3), state="processing", finished=local(2023, 7, 5), due=due)
    make_item(c1, local(2023, 7, 4), state="published", due=due)  # never stamped finished
    got = feedback_statistics(code="C1", period=Q3).total.check()
    assert (got.received, got.resolved_on_time, got.resolved_late, got.open_overdue) == (4, 2, 1, 1)
