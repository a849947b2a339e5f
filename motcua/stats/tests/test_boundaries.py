"""Edges of periods and of due instants, each checked through real figures (statistics.md §1–§2).

A period [F, T] covers F 00:00 local up to, excluding, (T + 1) 00:00 local (Asia/Ho_Chi_Minh,
UTC+7). Q3 2023 under Decree 09 is [15/06/2023, 14/09/2023]: S = 2023-06-14T17:00Z,
E = 2023-09-14T17:00Z.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.periods import Period, custom_period, parse_period
from motcua.stats.figures import Figures
from motcua.stats.selectors import dossier_statistics, dossiers_for_figure

Q2 = parse_period("2023-Q2")  # 15/03/2023 – 14/06/2023
Q3 = parse_period("2023-Q3")  # 15/06/2023 – 14/09/2023
Q4 = parse_period("2023-Q4")  # 15/09/2023 – 14/12/2023
CAL_Q2 = parse_period("2023-Q2", calendar=True)  # 01/04/2023 – 30/06/2023
CAL_Q3 = parse_period("2023-Q3", calendar=True)  # 01/07/2023 – 30/09/2023
_codes = itertools.count(1)


def utc(text: str) -> dt.datetime:
    """An instant written in UTC, e.g. utc('2023-06-14T17:30:00')."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def make(province: Province) -> Any:
    """Create a dossier row at commune C1 directly (the fields statistics reads)."""
    procedure = make_procedure(units=[province.commune_a])
    version = procedure.versions.get()

    def create(
        received: dt.datetime | None,
        *,
        finished: dt.datetime | None = None,
        state: str = "in_progress",
        due: dt.datetime | None = None,
        channel: str = "direct",
    ) -> Dossier:
        return Dossier.objects.create(
            code=f"BND-{next(_codes):04d}",
            procedure=procedure,
            procedure_version=version,
            time_limit_amount=10,
            time_limit_unit="working_days",
            rule_version="nd61_2018",
            state=state,
            channel=channel,
            receiving_unit=province.commune_a,
            competent_unit=province.commune_a,
            applicant_name="Người nộp",
            received_at=received,
            finished_at=finished,
            statutory_due=due,
        )

    return create


def figures(period: Period) -> Figures:
    return dossier_statistics(code="C1", period=period).total


def only(figures: Figures) -> dict[str, int]:
    """The non-zero leaves."""
    return {k: v for k, v in vars(figures).items() if v}


# ---------------------------------------------------------------------------- receipt


def test_the_period_window_in_utc() -> None:
    assert Q3.start == utc("2023-06-14T17:00:00")
    assert Q3.end == utc("2023-09-14T17:00:00")


def test_received_at_midnight_of_the_first_day_is_new(make: Any) -> None:
    make(local(2023, 6, 15, 0, 0))
    assert only(figures(Q3)) == {"new_direct": 1, "within_deadline": 1}
    assert only(figures(Q2)) == {}  # received at Q2's end instant: not Q2's


def test_received_in_the_last_second_of_the_last_day_is_new(make: Any) -> None:
    make(dt.datetime(2023, 9, 14, 23, 59, 59, tzinfo=local(2023, 1, 1).tzinfo))
    assert only(figures(Q3)) == {"new_direct": 1, "within_deadline": 1}
    assert only(figures(Q4)) == {"carried_over": 1, "within_deadline": 1}


def test_received_at_midnight_of_the_day_after_is_not_counted(make: Any) -> None:
    make(local(2023, 9, 15, 0, 0))
    assert only(figures(Q3)) == {}
    assert only(figures(Q4)) == {"new_direct": 1, "within_deadline": 1}


def test_an_utc_instant_on_the_previous_utc_date_is_new_on_its_local_date(make: Any) -> None:
    make(utc("2023-06-14T17:30:00"), channel="online")  # 15/06/2023 00:30 local
    assert only(figures(Q3)) == {"new_online": 1, "within_deadline": 1}
    assert only(figures(Q2)) == {}


def test_an_utc_instant_that_is_local_midnight_after_the_end_is_not_counted(make: Any) -> None:
    make(utc("2023-09-14T17:00:00"), channel="postal")  # 15/09/2023 00:00 local
    assert only(figures(Q3)) == {}
    assert only(figures(Q4)) == {"new_postal": 1, "within_deadline": 1}


def test_calendar_quarters_split_at_local_midnight_of_the_first_of_july(make: Any) -> None:
    make(utc("2023-06-30T16:59:59"))  # 30/06/2023 23:59:59 local
    make(utc("2023-06-30T17:00:00"), channel="online")  # 01/07/2023 00:00 local
    assert only(figures(CAL_Q2)) == {"new_direct": 1, "within_deadline": 1}
    assert only(figures(CAL_Q3)) == {
        "carried_over": 1,
        "new_online": 1,
        "within_deadline": 2,
    }


def test_a_one_day_custom_period(make: Any) -> None:
    make(local(2023, 7, 10, 0, 0))
    make(dt.datetime(2023, 7, 10, 23, 59, 59, tzinfo=local(2023, 1, 1).tzinfo))
    make(local(2023, 7, 11, 0, 0))
    day = custom_period(dt.date(2023, 7, 10), dt.date(2023, 7, 10))
    assert only(figures(day)) == {"new_direct": 2, "within_deadline": 2}


def test_never_received_dossiers_are_never_counted(make: Any) -> None:
    make(None, state="refused_at_intake", finished=local(2023, 7, 3, 9))
    make(None, state="submitted")
    assert only(figures(Q3)) == {}


# ---------------------------------------------------------------------------- finishing

DUE = local(2023, 7, 20, 14, 0)  # Thu 20/07/2023 14:00 local


@pytest.mark.parametrize(
    ("finished", "leaf"),
    [
        (DUE, "on_time"),  # exactly at the due instant
        (DUE + dt.timedelta(seconds=1), "late"),  # one second after
        (local(2023, 7, 20, 0, 0), "on_time"),  # on the due date, before the due instant
        (local(2023, 7, 20, 13, 59), "on_time"),
        (local(2023, 7, 19, 23, 59), "early"),  # the day before
        (local(2023, 7, 3, 9), "early"),
        (local(2023, 7, 20, 23, 59), "late"),  # same date, after the due instant
    ],
)
def test_resolved_relative_to_the_due_instant(make: Any, finished: dt.datetime, leaf: str) -> None:
    make(local(2023, 7, 6, 14), finished=finished, state="resolved", due=DUE)
    assert only(figures(Q3)) == {"new_direct": 1, leaf: 1}


def test_due_at_local_midnight_finished_the_evening_before_is_early(make: Any) -> None:
    due = local(2023, 7, 21, 0, 0)
    make(local(2023, 7, 6, 14), finished=due - dt.timedelta(seconds=1), state="returned", due=due)
    make(local(2023, 7, 6, 14), finished=due, state="returned", due=due)
    assert only(figures(Q3)) == {"new_direct": 2, "early": 1, "on_time": 1}


def test_finished_exactly_at_the_period_end_is_still_pending(make: Any) -> None:
    end = Q3.end  # 15/09/2023 00:00 local
    make(local(2023, 9, 1, 9), finished=end, state="resolved", due=local(2023, 9, 30, 9))
    assert only(figures(Q3)) == {"new_direct": 1, "within_deadline": 1}
    assert only(figures(Q4)) == {"carried_over": 1, "early": 1}


def test_finished_exactly_at_the_period_start_is_counted(make: Any) -> None:
    make(local(2023, 6, 1, 9), finished=Q3.start, state="refused", due=local(2023, 6, 20, 9))
    assert only(figures(Q2)) == {"new_direct": 1, "within_deadline": 1}
    assert only(figures(Q3)) == {"carried_over": 1, "refused": 1}


def test_finished_in_the_last_second_before_the_start_is_not_counted(make: Any) -> None:
    make(
        local(2023, 6, 1, 9),
        finished=Q3.start - dt.timedelta(seconds=1),
        state="withdrawn",
        due=local(2023, 6, 20, 9),
    )
    assert only(figures(Q2)) == {"new_direct": 1, "withdrawn": 1}
    assert only(figures(Q3)) == {}


@pytest.mark.parametrize(
    ("due", "leaf"),
    [
        (Q3.end - dt.timedelta(seconds=1), "overdue"),  # due before the end instant
        (Q3.end, "within_deadline"),  # due exactly at the end instant: not yet late
        (None, "within_deadline"),  # paused within its budget, or no time limit
    ],
)
def test_pending_relative_to_the_end_instant(make: Any, due: dt.datetime | None, leaf: str) -> None:
    make(local(2023, 8, 1, 9), state="supplement_requested", due=due)
    assert only(figures(Q3)) == {"new_direct": 1, leaf: 1}


def test_no_time_limit_resolved_is_on_time(make: Any) -> None:
    make(local(2023, 8, 1, 9), finished=local(2023, 9, 1, 9), state="returned", due=None)
    assert only(figures(Q3)) == {"new_direct": 1, "on_time": 1}


# ---------------------------------------------------------------------------- services


def test_through_the_services_resolved_exactly_at_the_due_instant(province: Province) -> None:
    root = make_user("root", is_superuser=True)
    unit = province.commune_a
    procedure = make_procedure("1.000555", units=[unit], amount=5)

    def receive(name: str, at: dt.datetime) -> Dossier:
        d = services.receive_dossier(
            actor=root,
            procedure=procedure,
            receiving_unit=unit,
            applicant={**APPLICANT, "name": name},
            channel="direct",
            at=at,
        )
        return services.transfer_dossier(dossier=d, actor=root, to_unit=unit, at=at)

    on_time = receive("Đúng hạn", local(2025, 3, 3, 9))
    late = receive("Trễ một giây", local(2025, 3, 3, 9))
    due = on_time.statutory_due
    assert due == local(2025, 3, 10, 9)  # 5 working days
    services.resolve_dossier(dossier=on_time, actor=root, at=due)
    services.resolve_dossier(dossier=late, actor=root, at=due + dt.timedelta(seconds=1))
    period = parse_period("2025-M03")  # 15/02/2025 – 14/03/2025
    stats = dossier_statistics(code="C1", period=period)
    assert only(stats.total) == {"new_direct": 2, "on_time": 1, "late": 1}
    names = {
        figure: set(dossiers_for_figure(stats, figure).values_list("applicant_name", flat=True))
        for figure in ("on_time", "late")
    }
    assert names == {"on_time": {"Đúng hạn"}, "late": {"Trễ một giây"}}
