"""Demo feedback: realistic mix, consistent with the clock and the services, idempotent."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from motcua.demo.builder import build_demo
from motcua.demo.dossiers import STANDS_AT
from motcua.demo.feedback import build_feedback
from motcua.feedback.choices import (
    DISPOSED_STATES,
    OPEN_STATES,
    RESOLVED_STATES,
    Channel,
    FeedbackState,
    Kind,
)
from motcua.feedback.clock import feedback_deadlines
from motcua.feedback.models import (
    Category,
    Feedback,
    FeedbackCodeCounter,
    FeedbackEntry,
    FeedbackVote,
    RoutingRule,
)
from motcua.feedback.selectors import route_unit
from motcua.feedback.services import allocate_code, personal_data_in
from motcua.lib.vntext import fold
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ

COUNT = 1200
# The demo's day (the day of the run by default), fixed so that the figures do not move.
TODAY = dt.date(2026, 10, 30)
AS_OF = dt.datetime.combine(TODAY, STANDS_AT, TZ)
CODE = re.compile(r"^PA-DT-(?P<day>\d{6})-(?P<seq>\d{4})$")
S = FeedbackState


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict]:
    """The demo province (units, logins, catalogue) and COUNT demo items, built once.

    Built inside a transaction that is rolled back after the module; each test runs in a
    savepoint of it (the `db` fixture), so a test's writes do not reach the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(seed=1, feedback=COUNT, today=TODAY).feedback
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: dict, db: None) -> dict:
    """What the demo build reported."""
    return built


def test_the_mix_is_realistic(demo: dict) -> None:
    items = list(Feedback.objects.all())
    assert demo["created"] == len(items) >= COUNT  # forwards inside the province add items
    questions = [i for i in items if i.kind == Kind.QUESTION]
    pakn = [i for i in items if i.kind == Kind.PAKN]
    assert 0.45 < len(questions) / COUNT < 0.65
    assert all(q.state == S.CLOSED and q.finished_at == q.received_at for q in questions)
    channels = Counter(i.channel for i in pakn)
    assert channels.most_common(1)[0][0] == Channel.HOTLINE
    for channel in (Channel.PORTAL, Channel.EMAIL, Channel.ZALO, Channel.COUNTER):
        assert channels[channel] > 0, channel
    assert channels[Channel.TRANSFER] > 0
    states = Counter(i.state for i in pakn)
    resolved = sum(states[s] for s in RESOLVED_STATES)
    assert resolved > 0.6 * len(pakn)
    for state in (S.REFUSED, S.FORWARDED, S.REDIRECTED, S.PUBLISHED, S.CLOSED):
        assert states[state] > 0, state
    for state in (S.RECEIVED, S.PROCESSING):
        assert states[state] > 0, state
    overdue = [i for i in pakn if i.state in OPEN_STATES and (i.handle_due or AS_OF) < AS_OF]
    assert 0 < len(overdue) < sum(states[s] for s in OPEN_STATES)
    late = [i for i in pakn if i.resolved_at and i.handle_due and i.resolved_at > i.handle_due]
    assert 0.03 < len(late) / resolved < 0.25
    outside = [i for i in pakn if i.state == S.FORWARDED and i.forwarded_to_unit_id is None]
    assert any(i.forwarded_to_body.startswith(("Bộ ", "Ủy ban nhân dân tỉnh")) for i in outside)
    inside = [i for i in pakn if i.state == S.FORWARDED and i.forwarded_to_unit_id]
    assert inside and all(i.forwards.count() == 1 for i in inside)
    assert any(i.repeat_of_id and i.repeat_dissatisfied for i in pakn)
    assert any(i.do_not_publish for i in pakn)
    assert Feedback.objects.public().count() > 50
    assert FeedbackVote.objects.count() > 100 and demo["surveys"] > 10
    assert any(i.unsatisfied for i in pakn)
    received = [i.received_at.astimezone(TZ).date() for i in items]
    assert min(received) >= dt.date(2025, 1, 2) and max(received) < TODAY


def test_rows_agree_with_the_clock_and_the_services(demo: dict) -> None:
    """Cached deadlines are the clock's; instants are ordered; counters match the votes."""
    votes = Counter(FeedbackVote.objects.values_list("feedback_id", "value"))
    for item in Feedback.objects.select_related("unit", "category").prefetch_related("pauses"):
        expected = feedback_deadlines(item)
        assert {k: getattr(item, k) for k in expected} == expected, item.code
        assert item.contact_at <= item.received_at <= AS_OF
        if item.state in OPEN_STATES:
            assert item.finished_at is None and item.resolved_at is None
        else:
            assert item.finished_at is not None and item.received_at <= item.finished_at <= AS_OF
        if item.kind == Kind.PAKN and item.state in RESOLVED_STATES:
            assert item.resolved_at == item.finished_at
            assert item.answer_public and item.public_title and item.answer_official
            assert not personal_data_in(item, f"{item.public_title}\n{item.answer_public}")
        if item.published_at is not None:
            assert item.resolved_at is not None and item.resolved_at < item.published_at
            assert item.search_text == fold(f"{item.public_title} {item.answer_public}")
        if item.state == S.SUPPLEMENT_REQUESTED:
            assert item.handle_due_paused is None
        if item.closed_at is not None:
            assert item.state == S.CLOSED
            assert item.finished_at is not None and item.finished_at <= item.closed_at
        assert (item.likes, item.dislikes) == (votes[(item.pk, 1)], votes[(item.pk, -1)])
    kinds = Counter(FeedbackEntry.objects.values_list("kind", flat=True))
    assert kinds["feedback.received"] == Feedback.objects.count()
    assert (
        kinds["feedback.answer_approved"]
        == Feedback.objects.filter(resolved_at__isnull=False).count()
    )
    assert kinds["feedback.closed"] == Feedback.objects.filter(state=S.CLOSED).count()
    assert kinds["feedback.answered"] == Feedback.objects.filter(kind=Kind.QUESTION).count()
    for state in DISPOSED_STATES:
        kind = {"refused": "refused", "forwarded": "forwarded", "redirected": "redirected"}[state]
        assert kinds[f"feedback.{kind}"] == Feedback.objects.filter(state=state).count()


def test_statistics_identity_holds(demo: dict) -> None:
    """carried over + received = resolved + forwarded + redirected + refused + open at end."""
    rows = list(
        Feedback.objects.filter(kind=Kind.PAKN).values_list(
            "unit_id", "state", "received_at", "finished_at"
        )
    )
    periods = [
        (dt.datetime(2025, 4, 1, tzinfo=TZ), dt.datetime(2025, 7, 1, tzinfo=TZ)),
        (dt.datetime(2026, 1, 1, tzinfo=TZ), dt.datetime(2026, 4, 1, tzinfo=TZ)),
        (dt.datetime(2026, 10, 1, tzinfo=TZ), AS_OF),
    ]
    for start, end in periods:
        by_unit: dict[int, Counter[str]] = {}
        for unit, state, received, finished in rows:
            c = by_unit.setdefault(unit, Counter())
            if received < start and (finished is None or finished >= start):
                c["carried"] += 1
            if start <= received < end:
                c["received"] += 1
            if finished is not None and start <= finished < end:
                c["resolved" if state in RESOLVED_STATES else state] += 1
            if received < end and (finished is None or finished >= end):
                c["open"] += 1
        total = Counter[str]()
        for c in by_unit.values():
            out = c["resolved"] + c["forwarded"] + c["redirected"] + c["refused"] + c["open"]
            assert c["carried"] + c["received"] == out
            total.update(c)
        assert total["received"] > 0 and total["resolved"] > 0


def test_codes_counters_and_rerun(demo: dict) -> None:
    by_day: dict[str, list[int]] = {}
    for code, received in Feedback.objects.values_list("code", "received_at"):
        match = CODE.match(code)
        assert match, code
        assert match["day"] == received.astimezone(TZ).strftime("%y%m%d")
        by_day.setdefault(match["day"], []).append(int(match["seq"]))
    for numbers in by_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    day, numbers = max(by_day.items(), key=lambda item: len(item[1]))
    date = dt.datetime.strptime(day, "%y%m%d").date()  # noqa: DTZ007 — a date
    assert FeedbackCodeCounter.objects.get(prefix="PA-DT", day=date).last == len(numbers)
    province = Unit.objects.version_of("DT", on=dt.date(2026, 1, 1))
    assert province is not None
    assert allocate_code(province, date) == f"PA-DT-{day}-{len(numbers) + 1:04d}"
    before = Feedback.objects.count(), RoutingRule.objects.count(), Category.objects.count()
    again = build_feedback(seed=1, count=COUNT, today=TODAY)
    assert again["created"] == 0
    # Nor on a later day, although that day's items would have other codes.
    assert build_feedback(seed=1, count=COUNT, today=dt.date(2026, 12, 2))["created"] == 0
    assert (
        Feedback.objects.count(),
        RoutingRule.objects.count(),
        Category.objects.count(),
    ) == before


def test_categories_route_and_read_as_vietnamese(demo: dict) -> None:
    names = list(Category.objects.values_list("name", flat=True))
    assert "Thủ tục hành chính" in names and "Môi trường" in names
    # Spot check: every name carries diacritics (no "Moi truong" left behind).
    assert all(fold(name) != name.lower() for name in names), names
    day = dt.date(2026, 3, 2)
    commune = Unit.objects.version_of("DT.29869", on=day)
    land = Category.objects.get(code="tthc-dat-dai")
    assert route_unit(land, commune, day) == commune
    conduct = Category.objects.get(code="hanh-vi")
    routed = route_unit(conduct, None, day)
    assert routed is not None and routed.code == "DT.SNV"
    # The demo logins have work in their queues.
    assert Feedback.objects.filter(unit__code="DT.29869").exists()
    assert Feedback.objects.filter(unit__code="DT.SNV").exists()
