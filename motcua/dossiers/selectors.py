"""Reads of dossiers for a user: the scoped list, one dossier's page, the work queue tabs.

Every read starts from `Dossier.objects.visible_to(user)`; a dossier outside the scope is a
404 exactly like a missing one. Each read runs a fixed number of queries whatever the number
of rows or the size of the user's scope (pinned in `tests/test_queries.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import OPEN_STATES, RECEIVED_OPEN_STATES, TRANSITIONS, State
from motcua.dossiers.clock import dossier_clock
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierFile,
    StepRecord,
)
from motcua.dossiers.services import EVENT_ACTIONS
from motcua.lib.durations import remaining_working_text, working_duration
from motcua.lib.planner import fixed_join_order
from motcua.lib.scoping import visible_unit_ids
from motcua.people.policy import Action, can
from motcua.units.selectors import units_by_id
from motcua.workcalendar.engine import (
    DAY_MINUTES,
    DueResult,
    WorkCalendar,
    consumed_minutes,
    translated,
)
from motcua.workcalendar.selectors import get_calendar

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIST_RELATED = (
    "procedure",
    "field",
    "receiving_unit",
    "competent_unit",
    "current_unit",
    "assignee",
)
# The dossier page: its units come from `units_by_id` (attach_units).
UNIT_RELATED = ("receiving_unit", "competent_unit", "current_unit", "submission_point")
DETAIL_RELATED = ("procedure", "field", "assignee", "procedure_version")
# Dossiers waiting for somebody's work: every open state but the applicant's draft.
WORKING_STATES = frozenset(OPEN_STATES - {State.DRAFT})
DUE_SOON_WORKING_DAYS = 2
# Explanation lines for auditors (which calendar, which version), not for the officer's page.
TECHNICAL_EXPLANATION = frozenset({"lịch", "phiên bản"})


# The columns a work-queue row reads (tables.py, queue_place, the deadline badge): the queue
# loads only these, not the 50 columns of a dossier and the 40 of its procedure (issue 16:
# ~3 ms of CPU a page). A column missing here would cost one query per row, which the pinned
# query counts of `tests/test_queries.py` would show.
QUEUE_UNITS = ("receiving_unit", "competent_unit", "current_unit")
QUEUE_ROW_FIELDS = (
    "code",
    "state",
    "channel",
    "submitted_at",
    "received_at",
    "finished_at",
    "statutory_due",
    "promised_due",
    "remaining_minutes",
    "applicant_name",
    "applicant_phone",
    "lock_version",
    "procedure__code",
    "procedure__name",
    "field__code",
    "field__name",
    *QUEUE_UNITS,  # their ids: the units come from `units_by_id` (attach_units)
    "assignee__username",
    "assignee__full_name",
)
QUEUE_ROW_RELATED = ("procedure", "field", "assignee")


def queue_rows(rows: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`rows` loading only what a queue row shows (units to attach with `attach_queue_units`)."""
    return rows.select_related(None).select_related(*QUEUE_ROW_RELATED).only(*QUEUE_ROW_FIELDS)


def attach_queue_units(rows: Sequence[Dossier]) -> None:
    """The receiving, competent and current units of queue rows, from the process's rows."""
    attach_units([(d, name) for d in rows for name in QUEUE_UNITS])


def list_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` may see, with what a list row shows."""
    return Dossier.objects.visible_to(user).select_related(*LIST_RELATED)


def get_dossier_for_user(user: Any, code: str, *, full: bool = False) -> Dossier:
    """The dossier with `code` if `user` may see it, else Http404 (like a missing one).

    With `full`, its timeline, pauses, apologies, control slip and files come along in a
    fixed number of queries.
    """
    # The units come from the process's rows (`units_by_id`), not from joins (issue 16).
    rows = Dossier.objects.visible_to(user).select_related(*DETAIL_RELATED)
    if full:
        rows = rows.prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
            "pauses",
            "apologies",
            Prefetch("steps", queryset=StepRecord.objects.order_by("order", "started_at", "id")),
            Prefetch("files", queryset=DossierFile.objects.order_by("uploaded_at", "id")),
        )
    if not code:
        raise Http404("không tìm thấy hồ sơ")
    with fixed_join_order(rows.db):  # 4 joins on primary keys (lib/planner.py)
        dossier = rows.filter(code=code).first()
    if dossier is None:
        raise Http404("không tìm thấy hồ sơ")
    pairs: list[tuple[Any, str]] = [(dossier, name) for name in UNIT_RELATED]
    if full:
        pairs += [(e, "unit") for e in dossier.events.all()]
        pairs += [(p, "unit") for p in dossier.pauses.all()]
        pairs += [(a, "delaying_unit") for a in dossier.apologies.all()]
        pairs += [(s, "unit") for s in dossier.steps.all()]
    attach_units(pairs)
    return dossier


def attach_units(pairs: Sequence[tuple[Any, str]]) -> None:
    """Set each object's unit foreign key `name` from the process's unit rows (one read)."""
    units = units_by_id(getattr(obj, f"{name}_id") for obj, name in pairs)
    for obj, name in pairs:
        unit = units.get(getattr(obj, f"{name}_id"))
        if unit is not None:
            setattr(obj, name, unit)


# -- work queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTab:
    """One tab of the officer's work queue."""

    slug: str
    label: StrOrPromise
    help: StrOrPromise


def _due_soon_help() -> str:
    return gettext("hạn giải quyết trong %(n)s ngày làm việc tới") % {"n": DUE_SOON_WORKING_DAYS}


QUEUE_TABS = (
    QueueTab(
        "cua-toi",
        _("Của tôi"),
        _("hồ sơ được giao cho tôi, đang giải quyết hoặc đã có kết quả chờ trả"),
    ),
    # Only for those who receive (the view hides it from others): a desk's own work, which
    # "Của đơn vị" misses when the desk receives for other units (the provincial centre).
    QueueTab(
        "tai-quay",
        _("Tại quầy"),
        _(
            "hồ sơ nộp trực tuyến chờ quầy của tôi tiếp nhận, hồ sơ quầy tiếp nhận hôm nay, "
            "và hồ sơ đã có kết quả chờ trả tại quầy"
        ),
    ),
    QueueTab(
        "cua-don-vi",
        _("Của đơn vị"),
        _("hồ sơ đang ở đơn vị của tôi (đã giao hay chưa giao), và hồ sơ đã có kết quả chờ trả"),
    ),
    QueueTab("sap-den-han", _("Sắp đến hạn"), lazy(_due_soon_help, str)()),
    QueueTab("qua-han", _("Quá hạn"), _("hồ sơ đang giải quyết đã quá hạn giải quyết")),
    QueueTab("cho-bo-sung", _("Chờ bổ sung"), _("hồ sơ đang chờ người nộp bổ sung")),
)
QUEUE_TAB_SLUGS = frozenset(t.slug for t in QUEUE_TABS)
QUEUE_TAB_LABELS = {t.slug: t.label for t in QUEUE_TABS}


def due_soon_limit(now: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The instant `DUE_SOON_WORKING_DAYS` working days after `now` (national calendar)."""
    cal = calendar or get_calendar(None)
    return cal.add_working(now, DUE_SOON_WORKING_DAYS * DAY_MINUTES)


def by_urgency(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Most urgent first: running clocks by due instant (the most overdue first, then the
    nearest due), then open dossiers with no due (clock paused, not yet received), then the
    finished ones, latest receipt first."""
    running = Q(state__in=RECEIVED_OPEN_STATES, statutory_due__isnull=False)
    return queryset.annotate(
        _urgency=Case(
            When(running, then=Value(0)),
            When(state__in=OPEN_STATES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        _due=Case(
            When(running, then=F("statutory_due")), default=None, output_field=DateTimeField()
        ),
    ).order_by("_urgency", F("_due").asc(nulls_last=True), "-received_at", "-id")


def _held_by_my_units(user: Any) -> Q:
    """Working dossiers held by my units, and resolved ones waiting at my desk to be returned."""
    ids = visible_unit_ids(user)
    if ids is None:
        return Q(state__in=WORKING_STATES) | Q(state=State.RESOLVED)
    return Q(state__in=WORKING_STATES, current_unit_id__in=ids) | Q(
        state=State.RESOLVED, receiving_unit_id__in=ids
    )


def _at_my_desk(user: Any, now: dt.datetime) -> Q:
    """Submitted online and waiting for receipt at my units, received there today (Vietnam
    time), and results waiting there to be returned."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    waiting = (State.SUBMITTED, State.AWAITING_COMPLETION, State.RESOLVED)
    desk = Q(received_at__gte=midnight) | Q(state__in=waiting)
    ids = visible_unit_ids(user)
    return desk if ids is None else desk & Q(receiving_unit_id__in=ids)


def queue_tab(
    queryset: QuerySet[Dossier], tab: str, *, user: Any, now: dt.datetime
) -> QuerySet[Dossier]:
    """Narrow a scoped dossier queryset to one queue tab, most urgent first."""
    if tab == "sap-den-han":
        queryset = queryset.filter(
            state__in=RECEIVED_OPEN_STATES,
            statutory_due__gte=now,
            statutory_due__lte=due_soon_limit(now),
        )
    elif tab == "qua-han":
        queryset = queryset.filter(state__in=RECEIVED_OPEN_STATES, statutory_due__lt=now)
    elif tab == "cho-bo-sung":
        queryset = queryset.filter(state=State.SUPPLEMENT_REQUESTED)
    elif tab == "cua-don-vi":
        queryset = queryset.filter(_held_by_my_units(user))
    elif tab == "tai-quay":
        queryset = queryset.filter(_at_my_desk(user, now))
    else:
        # "Của tôi": assigned to me; it leaves the tab once the result is returned.
        queryset = queryset.filter(
            Q(state__in=WORKING_STATES) | Q(state=State.RESOLVED), assignee_id=user.pk
        )
    return by_urgency(queryset)


def default_tab(user: Any, *, now: dt.datetime, desk: bool = False) -> str:
    """The tab a bare queue opens on: mine when anything is assigned to me, else the desk's
    work for those who receive (`desk`), else my units'."""
    mine = queue_tab(list_dossiers(user), "cua-toi", user=user, now=now)
    if mine.exists():
        return "cua-toi"
    return "tai-quay" if desk else "cua-don-vi"


def queue_tabs(*, desk: bool) -> list[QueueTab]:
    """The tabs a user sees: "Tại quầy" only for those who receive dossiers."""
    return [t for t in QUEUE_TABS if desk or t.slug != "tai-quay"]


def queue_place(dossier: Dossier, *, user: Any, now: dt.datetime, soon: dt.datetime) -> str:
    """The queue tab a dossier found by a search sits in, or its state when it is in none."""
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return str(QUEUE_TAB_LABELS["cho-bo-sung"])
    if is_overdue(dossier, now):
        return str(QUEUE_TAB_LABELS["qua-han"])
    due = dossier.statutory_due
    if dossier.state in RECEIVED_OPEN_STATES and due is not None and now <= due <= soon:
        return str(QUEUE_TAB_LABELS["sap-den-han"])
    if dossier.state in WORKING_STATES or dossier.state == State.RESOLVED:
        if dossier.assignee_id is not None and dossier.assignee_id == user.pk:
            return str(QUEUE_TAB_LABELS["cua-toi"])
        return str(QUEUE_TAB_LABELS["cua-don-vi"])
    return dossier.get_state_display()


# -- one dossier -----------------------------------------------------------------------------


def units_of(dossier: Dossier) -> list[Any]:
    """The units at which an action on the dossier is judged (as the services do)."""
    units = [dossier.receiving_unit]
    units += [u for u in (dossier.current_unit, dossier.competent_unit) if u is not None]
    return units


def allowed_events(user: Any, dossier: Dossier) -> list[str]:
    """Events the transition table allows in the dossier's state AND the user may perform."""
    units = units_of(dossier)
    result = []
    for event, needed in EVENT_ACTIONS.items():
        if dossier.state not in TRANSITIONS.get(event, {}):
            continue
        if any(can(user, action, unit) for action in needed for unit in units):
            result.append(str(event))
    return result


def may_see_personal_data(user: Any, dossier: Dossier) -> bool:
    """Whether the user works the dossier (receive, process, approve) and needs full contacts."""
    working = (Action.RECEIVE, Action.PROCESS, Action.APPROVE)
    return any(can(user, a, u) for a in working for u in units_of(dossier))


@dataclass
class DeadlineView:
    """The explained deadline of a dossier at an instant."""

    statutory_due: dt.datetime | None
    promised_due: dt.datetime | None
    remaining_minutes: int | None
    paused: bool
    overdue: bool
    explanation: list[str]

    @property
    def explanation_text(self) -> list[str]:
        """The clock's lines in the active language, without the calendar's technical ones."""
        return [
            translated(line)
            for line in self.explanation
            if getattr(line, "label", "") not in TECHNICAL_EXPLANATION
        ]

    @property
    def remaining_text(self) -> str:
        """'còn 2 ngày 3 giờ làm việc', 'quá hạn 1 ngày 2 giờ làm việc', or '' (as the queue)."""
        return remaining_working_text(self.remaining_minutes, DAY_MINUTES)


def dossier_deadline(
    dossier: Dossier, *, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> DeadlineView:
    """Statutory and promised due, the working minutes left (negative: late by), explained."""
    now = now or timezone.now()
    if dossier.received_at is None:
        return DeadlineView(None, None, None, False, False, [])
    calendar = calendar or get_calendar(dossier.receiving_unit)
    clock: DueResult | None = dossier_clock(dossier, calendar=calendar)
    if clock is None:  # waiting for the event the clock starts at (time_limit_panel says so)
        return DeadlineView(None, None, None, False, False, [])
    is_open = dossier.state in RECEIVED_OPEN_STATES
    remaining: int | None = None
    if is_open and clock.statutory_due is None:
        remaining = clock.remaining_minutes
    elif is_open and clock.statutory_due is not None:
        remaining = minutes_left(calendar, clock.statutory_due, now)
    return DeadlineView(
        statutory_due=clock.statutory_due,
        promised_due=clock.promised_due,
        remaining_minutes=remaining,
        paused=is_open and clock.paused,
        overdue=is_open and clock.is_overdue(now),
        explanation=list(clock.explanation),
    )


def minutes_left(calendar: WorkCalendar, due: dt.datetime, now: dt.datetime) -> int:
    """Working minutes from `now` to `due`; negative: the working minutes it is late by."""
    if due >= now:
        return calendar.working_minutes(now, due)
    return -calendar.working_minutes(due, now)


def is_overdue(dossier: Dossier, now: dt.datetime) -> bool:
    """Overdue from the row's cached due: open, received, and the statutory due has passed."""
    return (
        dossier.state in RECEIVED_OPEN_STATES
        and dossier.statutory_due is not None
        and dossier.statutory_due < now
    )


@dataclass
class SlipRow:
    """One row of the control slip: the step, its unit, budget and working time consumed."""

    step: StepRecord
    budget_minutes: int | None
    consumed_minutes: int
    over_minutes: int | None

    @property
    def budget_text(self) -> str:
        """Budget in working days and hours, as the deadline reads (active language)."""
        if self.budget_minutes is None:
            return "—"
        return working_duration(self.budget_minutes, DAY_MINUTES)

    @property
    def consumed_text(self) -> str:
        """Consumed working time in days and hours ("3546 giờ 30 phút" read as nothing)."""
        return working_duration(self.consumed_minutes, DAY_MINUTES)

    @property
    def late(self) -> bool:
        """Consumed more than its budget."""
        return self.over_minutes is not None and self.over_minutes > 0


def control_slip(
    dossier: Dossier, *, calendar: WorkCalendar, now: dt.datetime | None = None
) -> list[SlipRow]:
    """The hand-overs with the working time each step consumed (pauses inside excluded).

    Uses the receiving centre's calendar for every step, so the page needs no calendar per
    unit (a step at another unit with its own local days off is approximated).
    """
    now = now or timezone.now()
    pauses = [(p.opened_at, p.closed_at) for p in dossier.pauses.all()]
    rows = []
    for step in dossier.steps.all():
        end = step.ended_at or dossier.finished_at or now
        used = consumed_minutes(calendar, step.started_at, end, pauses)
        budget = step.budget_minutes
        rows.append(SlipRow(step, budget, used, used - budget if budget is not None else None))
    return rows
