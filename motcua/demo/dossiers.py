"""Demo dossiers: about two years of casework in the demo province, consistent with the clock.

`build_dossiers(seed=, count=, today=)` spreads `count` dossiers over receipts from
2025-01-02 up to `today` (local dates; default the day it runs) across the demo communes and
the provincial centre, using the published procedures present. The demo "stands" at 16:00 of
`today`, or at the moment of the run when that is earlier (never in the future: the services
refuse a step before the last one). About a fifth of the dossiers are the current workload of
the last `RECENT_DAYS` working days, desk by desk (the demo logins' desks busier), so every
queue shows a working day: received today, open within their deadline, a few due soon, a few
overdue, some waiting for a supplement, some resolved and waiting for the hand-over.
Every due instant comes from the real engine
(`compute_due`, with the dossier's pauses and apology) and finishing instants are chosen
relative to it, so statistics computed later classify each dossier as intended:

- about half online, the rest mostly direct, a few postal;
- finished dossiers: most resolved early, some on the due date, about 1% late (most of those
  with an apology, some with an extension), a few refused, a few withdrawn; most resolved
  dossiers have their result handed over (`returned`);
- about 8% had a supplement request (a clock pause); some apologies on dossiers finished in time;
- dossiers whose due is still ahead are mostly open (in progress, waiting for a supplement,
  or just received), a handful of older ones are open and overdue;
- every dossier lists the components handed in (`ReceivedComponent`: the procedure's required
  ones and some conditional ones); most open dossiers in processing are assigned to an officer
  of the holding unit (`dossier.assigned`); returned results say how they were delivered (desk,
  electronic, or by post with a consignment number and, once delivered, the date).

Codes are `<receiving unit>-<yyMMdd>-<NNNN>` with daily sequences from 0001; the
`DossierCodeCounter` rows are raised so that live receipts continue after them. The same seed,
count and instant give the same dossiers. Re-running adds nothing once demo dossiers are
there (whatever day they were built for). Names, ID and phone numbers are fictitious.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.choices import (
    Channel,
    Delivery,
    PauseKind,
    State,
    SubmittedBy,
    rule_version_on,
)
from motcua.dossiers.importers import BulkInsert
from motcua.dossiers.models import (
    Apology,
    ClockPause,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    ReceivedComponent,
)
from motcua.lib.vntext import nfc
from motcua.national.demo import build_demo_outbox
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.procedures.choices import WORKING_TIME_UNITS
from motcua.procedures.models import Component, Procedure
from motcua.procedures.services import current_version
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, WorkCalendar, compute_due
from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.selectors import get_calendar

FIRST_DAY = dt.date(2025, 1, 2)
REFORM_DAY = dt.date(2025, 7, 1)
# The local time of `today` the demo stands at (unless the run is earlier in the day).
STANDS_AT = dt.time(16, 0)
# The current workload: this many working days up to `today`, about this share of `count`.
RECENT_DAYS = 10
RECENT_SHARE = 0.22
# Relative daily intake of a desk in the recent window: the demo logins' communes and the
# provincial centre are busier than the other communes.
FAVOURITE_WEIGHT = 8.0
CENTRE_WEIGHT = 8.0
SOURCE = "demo"
CENTRE = "DT.HCC"
# Units of the demo logins (docs/demo.md): they get a bigger share so their queues have work.
FAVOURITES = ("DT.29869", "DT.30178", "DT.875.30178")
PROVINCE_CODE = "087"  # Đồng Tháp in citizen ID numbers

_SURNAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan",
    "Võ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm",
    "Châu", "Tạ", "Mai", "Cao", "Đoàn", "Lương", "Thái",
)  # fmt: skip
_MIDDLE = {
    "m": ("Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Hoàng", "Tấn", "Phước",
          "Chí", "Trọng", "Thành"),
    "f": ("Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Thị Thu", "Thị Ngọc", "Bích",
          "Hồng", "Thùy", "Diệu"),
}  # fmt: skip
_GIVEN = {
    "m": ("Hùng", "Dũng", "Phúc", "Tài", "Khoa", "Trung", "Nghĩa", "Thắng", "Hải", "Sơn", "Tuấn",
          "Long", "Lộc", "Hiếu", "Quang", "Thịnh", "Vũ", "Khải", "Đạt", "Nhân", "Bình", "Cường",
          "Toàn", "Hậu", "Lợi", "Phát", "Tâm", "Thiện"),
    "f": ("Lan", "Hương", "Hạnh", "Trang", "Thảo", "Nhung", "Diễm", "Yến", "Phượng", "Ngân",
          "Trinh", "Thủy", "Loan", "Hằng", "Uyên", "Như", "Vy", "Tuyết", "Huyền", "Quyên", "Mai",
          "Đào", "Xuân", "Ánh", "Nhàn", "Oanh"),
}  # fmt: skip
_PHONE_PREFIXES = (
    "090", "091", "093", "094", "097", "098", "032", "035", "036", "070", "077", "083", "086",
)  # fmt: skip
_HAMLETS = ("Ấp 1", "Ấp 2", "Ấp 3", "Ấp 4", "Ấp Tân Hòa", "Ấp Bình Thạnh", "Khóm 1", "Khóm 2")
_REFUSAL = "Không đủ điều kiện theo quy định tại thủ tục hành chính đã công bố"
_WITHDRAWAL = "Người nộp có đơn xin rút hồ sơ"
_APOLOGY = "Cần thêm thời gian xác minh, lấy ý kiến cơ quan liên quan"
_SUPPLEMENT = ["Bản sao giấy tờ tùy thân còn hiệu lực", "Tờ khai ghi đầy đủ thông tin"]


@dataclass
class _Place:
    """A receiving unit and the unit that decides there."""

    receiving: Unit
    competent: Unit
    level: str  # which procedures: "commune" or "province"


@dataclass
class _Plan:
    """One dossier to create, with its ledger."""

    code: str
    values: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    pauses: list[dict[str, Any]] = field(default_factory=list)
    apologies: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)


def _places(day: dt.date) -> list[_Place]:
    """Receiving units open on `day`: communes (via their centre after the reform), the centre."""
    units = list(Unit.objects.valid_on(day).filter(level__in=["commune", "department", "subunit"]))
    by_code = {u.code: u for u in units}
    centre = Unit.objects.version_of(CENTRE, on=day)
    places = []
    for unit in units:
        if unit.level != "commune":
            continue
        desk = by_code.get(f"{unit.code}.TTPV", unit) if day >= REFORM_DAY else unit
        places.append(_Place(desk, unit, "commune"))
    if centre is not None:
        departments = [u for u in units if u.level == "department"]
        for department in departments:
            places.append(_Place(centre, department, "province"))
    return places


def _desk_weight(places: list[_Place]) -> float:
    """Relative daily intake of a receiving desk (its places share one desk)."""
    if any(p.level == "province" for p in places):
        return CENTRE_WEIGHT
    if any(p.competent.code in FAVOURITES for p in places):
        return FAVOURITE_WEIGHT
    return 1.0


def _person(rng: random.Random) -> dict[str, str]:
    gender = rng.choice("mf")
    name = nfc(
        f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE[gender])} {rng.choice(_GIVEN[gender])}"
    )
    year = rng.randrange(1950, 2006)
    century = (0 if year < 2000 else 2) + (gender == "f")
    return {
        "applicant_name": name,
        "applicant_id_number": (
            f"{PROVINCE_CODE}{century}{year % 100:02d}{rng.randrange(10**6):06d}"
        ),
        "applicant_phone": rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}",
    }


def demo_instant(today: dt.date | None = None, *, now: dt.datetime | None = None) -> dt.datetime:
    """The instant the demo stands at: `today` (default the local day) at 16:00, never after now."""
    now = (now or timezone.now()).astimezone(TZ).replace(second=0, microsecond=0)
    day = today or now.date()
    return min(dt.datetime.combine(day, STANDS_AT, TZ), now)


def _working_days(cal: WorkCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        if cal.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth): how many dossiers a desk receives on a day."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def consignment_number(serial: int) -> str:
    """A domestic EMS consignment number in the UPU S10 form, e.g. `EL123456785VN`."""
    digits = f"{serial % 10**8:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"EL{digits}{check}VN"


@dataclass(frozen=True)
class _Officer:
    """A member of a unit who may be assigned its dossiers, and when."""

    user_id: int
    username: str
    name: str
    role: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def specialist(self) -> bool:
        """A specialist (chuyên viên), preferred as the assignee over the leader."""
        return self.role == Role.SPECIALIST

    def serves_on(self, day: dt.date) -> bool:
        """Whether the membership covers `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def actor(self) -> dict[str, Any]:
        """The actor columns of a timeline entry written by this officer."""
        return {"actor_id": self.user_id, "actor_name": self.username}


def _officers() -> dict[int, list[_Officer]]:
    """Officers by unit: desk officers receive, leaders assign, specialists are assigned."""
    found: dict[int, list[_Officer]] = {}
    roles = [Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER]
    rows = Membership.objects.filter(role__in=roles).values_list(
        "unit_id", "user_id", "user__username", "user__full_name", "role", "valid_from", "valid_to"
    )
    for unit_id, user_id, username, full_name, role, start, end in rows.order_by("unit_id", "id"):
        found.setdefault(unit_id, []).append(
            _Officer(user_id, username, full_name or username, role, start, end)
        )
    return found


def _components() -> dict[int, list[dict[str, Any]]]:
    """The components of every procedure, in order, as rows to copy at receipt."""
    found: dict[int, list[dict[str, Any]]] = {}
    rows = Component.objects.order_by("procedure_id", "order", "id").values(
        "id", "procedure_id", "name", "originals", "certified_copies", "copies", "required"
    )
    for row in rows:
        found.setdefault(row["procedure_id"], []).append(dict(row))
    return found


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


def _random_working_instant(rng: random.Random, cal: WorkCalendar, day: dt.date) -> dt.datetime:
    """A minute inside the working periods of `day` (a working day)."""
    spans = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in cal.hours_for(day)]
    total = sum(e - s for s, e in spans)
    pick = rng.randrange(total)
    for s, e in spans:
        if pick < e - s:
            return _at(day, s + pick)
        pick -= e - s
    raise AssertionError("unreachable")


def _between(
    rng: random.Random, cal: WorkCalendar, lo: dt.datetime, hi: dt.datetime
) -> dt.datetime | None:
    """A random working instant in (lo, hi], or None when there is no working time there."""
    available = cal.working_minutes(lo, hi)
    if available <= 1:
        return None
    return cal.add_working(lo, rng.randrange(1, available))


class _Generator:
    def __init__(self, seed: int, as_of: dt.datetime) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.today = as_of.astimezone(TZ).date()
        self.officers = _officers()
        self.components = _components()
        self.calendars: dict[int, WorkCalendar] = {}
        self.versions: dict[int, int] = {}
        self.sequences: Counter[tuple[int, dt.date]] = Counter()
        self.local: set[int] | None = None
        self.national = WorkCalendar()

    def calendar(self, unit: Unit) -> WorkCalendar:
        """The unit's calendar; units without local days or hours share the national one."""
        if self.local is None:
            entries = CalendarEntry.objects.filter(unit__isnull=False)
            hours = WorkingHours.objects.filter(unit__isnull=False)
            self.local = {
                pk
                for pk in [
                    *entries.values_list("unit_id", flat=True),
                    *hours.values_list("unit_id", flat=True),
                ]
                if pk is not None
            }
            self.national = get_calendar(None)
        if unit.pk not in self.local:
            return self.national
        if unit.pk not in self.calendars:
            self.calendars[unit.pk] = get_calendar(unit)
        return self.calendars[unit.pk]

    def version(self, procedure: Procedure) -> int:
        if procedure.pk not in self.versions:
            self.versions[procedure.pk] = current_version(procedure).pk
        return self.versions[procedure.pk]

    def plan(self, count: int) -> list[_Plan]:
        """`count` dossiers: the recent workload desk by desk, the rest spread over the years."""
        rng = self.rng
        procedures = list(Procedure.objects.published().order_by("code"))

        def in_force(day: dt.date) -> list[Procedure]:
            # District procedures end with the districts on 30/06/2025.
            return [
                p
                for p in procedures
                if (p.valid_from is None or p.valid_from <= day)
                and (p.valid_to is None or p.valid_to >= day)
            ] or procedures

        eras = {
            after: {
                "commune": [p for p in in_force(day) if p.level == "commune"] or in_force(day),
                "province": [p for p in in_force(day) if p.level != "commune"] or in_force(day),
            }
            for after, day in ((False, REFORM_DAY - dt.timedelta(days=1)), (True, REFORM_DAY))
        }
        national = get_calendar(None)
        days = _working_days(national, FIRST_DAY, self.today)
        places_cache: dict[bool, list[_Place]] = {
            False: _places(REFORM_DAY - dt.timedelta(days=1)),
            True: _places(REFORM_DAY),
        }
        # (day, place, recent) of every dossier: the recent window first, desk by desk.
        specs: list[tuple[dt.date, _Place, bool]] = []
        window = days[-RECENT_DAYS:]
        for day in window:
            desks: dict[int, list[_Place]] = {}
            for place in places_cache[day >= REFORM_DAY]:
                desks.setdefault(place.receiving.pk, []).append(place)
            weights = {pk: _desk_weight(group) for pk, group in desks.items()}
            mean = count * RECENT_SHARE / (len(window) * sum(weights.values()))
            if day == self.today:  # only the part of today already gone by
                opens = dt.datetime.combine(day, dt.time(0), TZ)
                closes = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), TZ)
                total = national.working_minutes(opens, closes)
                mean *= national.working_minutes(opens, self.as_of) / total if total else 0
            for pk, group in desks.items():
                for _ in range(_poisson(rng, mean * weights[pk])):
                    specs.append((day, rng.choice(group), True))
        specs = specs[:count]
        history = [d for d in days if d < self.today] or days
        for day in sorted(rng.choice(history) for _ in range(count - len(specs))):
            places = places_cache[day >= REFORM_DAY]
            favourites = [p for p in places if p.competent.code in FAVOURITES]
            place = (
                rng.choice(favourites) if favourites and rng.random() < 0.12 else rng.choice(places)
            )
            specs.append((day, place, False))
        specs.sort(key=lambda spec: spec[0])
        return [
            self.one(day, place, rng.choice(eras[day >= REFORM_DAY][place.level]), recent=recent)
            for day, place, recent in specs
        ]

    def one(self, day: dt.date, place: _Place, procedure: Procedure, *, recent: bool) -> _Plan:
        """Plan one dossier received on `day` at `place`, as it stands at `as_of`."""
        rng = self.rng
        cal = self.calendar(place.receiving)
        if day == self.today:
            midnight = dt.datetime.combine(day, dt.time(0), TZ)
            received = _between(rng, cal, midnight, self.as_of) or self.as_of
        else:
            received = _random_working_instant(rng, cal, day)
        channel = rng.choices(
            (Channel.ONLINE, Channel.DIRECT, Channel.POSTAL), weights=(50, 44, 6)
        )[0]
        submitted_by = SubmittedBy.APPLICANT
        submitted = received
        if channel == Channel.ONLINE:
            submitted = received - dt.timedelta(minutes=rng.randrange(20, 60 * 40))
            if rng.random() < 0.3:
                submitted_by = SubmittedBy.OFFICER_ON_BEHALF
        elif channel == Channel.POSTAL:
            submitted = received - dt.timedelta(days=rng.randrange(1, 4))
            if rng.random() < 0.5:
                submitted_by = SubmittedBy.POSTAL_AGENT_ON_BEHALF
        key = (place.receiving.pk, day)
        self.sequences[key] += 1
        code = f"{place.receiving.code}-{day:%y%m%d}-{self.sequences[key]:04d}"
        limit = (procedure.time_limit_amount, procedure.time_limit_unit, procedure.same_day_cutoff)
        base = compute_due(cal, received, limit[0], limit[1], cutoff=limit[2], explain=False)
        assert base.statutory_due is not None
        working = procedure.time_limit_unit in WORKING_TIME_UNITS

        # The ledger: an optional supplement pause, inside the budget.
        pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
        if rng.random() < 0.08:
            opened = _between(rng, cal, received, min(base.statutory_due, self.as_of))
            if opened is not None and opened < self.as_of:
                closed = cal.add_working(opened, rng.randrange(60, 8 * 60 * 6))
                pauses.append((opened, closed if closed < self.as_of else None))
        clock = compute_due(
            cal, received, limit[0], limit[1], pauses=pauses, cutoff=limit[2], explain=False
        )
        due = clock.statutory_due
        start = pauses[-1][1] if pauses and pauses[-1][1] else received

        # How it ends: finished with an outcome, or still open at as_of.
        state = State.IN_PROGRESS
        finished: dt.datetime | None = None
        apology: dict[str, Any] | None = None
        outcome = rng.choices(
            ("early", "on_time", "late", "refused", "withdrawn", "stuck"),
            # The recent workload keeps a few more open past their due ("stuck"): the few
            # overdue dossiers of a desk's queue.
            weights=(80, 13, 1.2, 3, 2, 3.0 if recent else 0.4),
        )[0]
        # Open at as_of: most dossiers whose due is still ahead, and the small "stuck" share
        # (open and, for most of them, overdue).
        still_due = due is not None and due >= self.as_of
        open_now = outcome == "stuck" or (still_due and rng.random() < 0.8)
        if due is not None and not open_now:
            if outcome == "early":
                day_start = dt.datetime.combine(due.astimezone(TZ).date(), dt.time(0), TZ)
                finished = _between(rng, cal, start, day_start) or _between(rng, cal, start, due)
            elif outcome == "on_time":
                day_start = dt.datetime.combine(due.astimezone(TZ).date(), dt.time(0), TZ)
                finished = _between(rng, cal, max(start, day_start), due)
            elif outcome == "late":
                finished = cal.add_working(due, rng.randrange(30, 8 * 60 * 5))
                if rng.random() < 0.7 and working:
                    issued = cal.add_working(start, max(1, cal.working_minutes(start, due) // 2))
                    new_due = cal.add_working(due, 8 * 60 * rng.randrange(2, 6))
                    apology = {"issued_at": issued, "new_due": new_due}
            elif outcome in ("refused", "withdrawn"):
                finished = _between(rng, cal, start, due) or due
            if finished is not None and finished > self.as_of:
                finished = None
        if (
            finished is None
            and due is not None
            and due < self.as_of
            and outcome != "late"
            and not open_now
        ):
            # The draw ran past as_of although the due is before it: finish in time instead
            # (open overdue dossiers come only from the small "stuck" share).
            finished = _between(rng, cal, start, due)
        if finished is not None:
            state = {
                "refused": State.REFUSED,
                "withdrawn": State.WITHDRAWN,
            }.get(outcome, State.RESOLVED)
        elif pauses and pauses[-1][1] is None:
            state = State.SUPPLEMENT_REQUESTED
        elif self.as_of - received < dt.timedelta(days=1) and rng.random() < 0.7:
            state = State.RECEIVED  # still at the desk, not yet handed to the processing unit
        if apology is None and finished is not None and working and rng.random() < 0.01:
            # An apology on a dossier finished in time after all (the extension was not needed).
            assert due is not None
            issued = cal.add_working(start, 1)
            if issued < finished and issued < due:
                apology = {"issued_at": issued, "new_due": cal.add_working(due, 8 * 60 * 3)}
        if apology is not None and (finished is None or apology["issued_at"] >= finished):
            apology = None
        if apology is not None:
            clock = compute_due(
                cal,
                received,
                limit[0],
                limit[1],
                pauses=pauses,
                cutoff=limit[2],
                extension_to=apology["new_due"],
                apology_at=apology["issued_at"],
                explain=False,
            )
        returned: dt.datetime | None = None
        # Most results are collected within days; an old result never collected is rare.
        if state == State.RESOLVED and finished is not None:
            collected = 0.85 if self.as_of - finished < dt.timedelta(days=14) else 0.985
            if rng.random() < collected:
                # Handed over within the next three working days, during office hours.
                returned = cal.add_working(finished, rng.randrange(10, 8 * 60 * 3))
                if returned < self.as_of:
                    state = State.RETURNED
                else:
                    returned = None
        delivery = self.delivery(channel, returned) if returned is not None else {}
        assignment = self.assignment(place.competent, state, received, pauses)

        values = {
            "code": code,
            "procedure_id": procedure.pk,
            "procedure_version_id": self.version(procedure),
            "field_id": procedure.field_id,
            "time_limit_amount": procedure.time_limit_amount,
            "time_limit_unit": procedure.time_limit_unit,
            "same_day_cutoff": procedure.same_day_cutoff,
            "rule_version": rule_version_on(day),
            "state": state,
            "channel": channel,
            "submitted_by": submitted_by,
            "submission_point_id": place.receiving.pk if channel == Channel.DIRECT else None,
            "receiving_unit_id": place.receiving.pk,
            "competent_unit_id": place.competent.pk,
            "current_unit_id": place.competent.pk,
            **_person(rng),
            "applicant_address": nfc(
                f"{rng.choice(_HAMLETS)}, {place.competent.name}, tỉnh Đồng Tháp"
            )
            if place.level == "commune"
            else "tỉnh Đồng Tháp",
            "submitted_at": submitted,
            "received_at": received,
            "finished_at": finished,
            "returned_at": returned,
            "statutory_due": clock.statutory_due,
            "promised_due": clock.promised_due,
            "remaining_minutes": clock.remaining_minutes,
            "supplement_count": len(pauses),
            **delivery,
        }
        plan = _Plan(code, values, components=self.handed_in(procedure, channel))
        unit = place.competent.pk
        first = "dossier.submitted" if channel != Channel.DIRECT else None
        if first:
            plan.events.append(_event(first, submitted, "", State.SUBMITTED, unit))
        received_event = _event(
            "dossier.received", received, State.SUBMITTED if first else "", "received", unit
        )
        # Received by the desk's officer when the demo has one there (motcua.caolanh, ...).
        desk = self.member(place.receiving, Role.ONE_STOP_OFFICER, day)
        received_event.update(desk.actor if desk else {})
        plan.events.append(received_event)
        for opened, resumed in pauses:
            plan.pauses.append(
                {
                    "kind": PauseKind.SUPPLEMENT,
                    "opened_at": opened,
                    "closed_at": resumed,
                    "unit_id": unit,
                    "items": _SUPPLEMENT,
                    "reason": "Thành phần hồ sơ chưa đầy đủ theo quy định",
                }
            )
            plan.events.append(
                _event(
                    "dossier.supplement_requested",
                    opened,
                    "in_progress",
                    "supplement_requested",
                    unit,
                )
            )
            if resumed is not None:
                plan.events.append(
                    _event("dossier.resumed", resumed, "supplement_requested", "in_progress", unit)
                )
        if assignment is not None:
            officer, assigned_at = assignment
            values["assignee_id"] = officer.user_id
            values["assigned_at"] = assigned_at
            event = _event("dossier.assigned", assigned_at, "in_progress", "in_progress", unit)
            # The same data as the assignment service writes: the timeline names the officer.
            event["data"]["assignee"] = officer.username
            event["data"]["assignee_name"] = officer.name
            leader = self.member(place.competent, Role.LEADER, assigned_at.astimezone(TZ).date())
            event.update(leader.actor if leader else {})
            plan.events.append(event)
        if apology is not None:
            plan.apologies.append(
                {
                    **apology,
                    "reason": _APOLOGY,
                    "delaying_unit_id": unit,
                    "grants_extension": not clock.extension_refused,
                    "flagged": False,
                }
            )
            plan.events.append(
                _event(
                    "dossier.apology_issued",
                    apology["issued_at"],
                    "in_progress",
                    "in_progress",
                    unit,
                )
            )
        if finished is not None:
            kind = {
                State.REFUSED: "dossier.refused",
                State.WITHDRAWN: "dossier.withdrawn",
            }.get(state, "dossier.resolved")
            to = state if state != State.RETURNED else State.RESOLVED
            note = {State.REFUSED: _REFUSAL, State.WITHDRAWN: _WITHDRAWAL}.get(state, "")
            plan.events.append(_event(kind, finished, "in_progress", to, unit, note))
        if returned is not None:
            event = _event("dossier.result_returned", returned, "resolved", "returned", unit)
            event["note"] = values["applicant_name"]  # the recipient, as `return_result` notes
            event["data"]["delivery"] = values["delivery"]
            plan.events.append(event)
        return plan

    def member(self, unit: Unit, role: str, day: dt.date) -> _Officer | None:
        """The first demo officer holding `role` in `unit` on `day`, if any."""
        for officer in self.officers.get(unit.pk, ()):
            if officer.role == role and officer.serves_on(day):
                return officer
        return None

    def handed_in(self, procedure: Procedure, channel: str) -> list[dict[str, Any]]:
        """The components handed in: every required one, about a third of the conditional ones."""
        rng = self.rng
        rows: list[dict[str, Any]] = []
        for component in self.components.get(procedure.pk, ()):
            if not component["required"] and rng.random() >= 0.35:
                continue
            counts = (
                component["originals"],
                component["certified_copies"],
                component["copies"],
            )
            rows.append(
                {
                    "order": len(rows) + 1,
                    "component_id": component["id"],
                    "name": component["name"],
                    "originals": counts[0] if any(counts) else 1,
                    "certified_copies": counts[1],
                    "copies": counts[2],
                    "conditional": not component["required"],
                    # Online dossiers arrive as files; at the desk most papers are scanned.
                    "digitized": channel == Channel.ONLINE or rng.random() < 0.6,
                }
            )
        return rows

    def delivery(self, channel: str, returned: dt.datetime) -> dict[str, Any]:
        """How a returned result reached the applicant: mostly at the desk, else online or post."""
        rng = self.rng
        weights = {Channel.ONLINE: (45, 45, 10), Channel.POSTAL: (30, 0, 70)}.get(
            Channel(channel), (85, 7, 8)
        )
        how = rng.choices((Delivery.DESK, Delivery.ELECTRONIC, Delivery.POSTAL), weights)[0]
        values: dict[str, Any] = {"delivery": how}
        if how == Delivery.POSTAL:
            values["postal_consignment"] = consignment_number(rng.randrange(10**8))
            delivered = returned.astimezone(TZ).date() + dt.timedelta(days=rng.randrange(1, 4))
            # Still on its way when the post has not delivered it by today.
            values["postal_delivered_on"] = delivered if delivered <= self.today else None
        return values

    def assignment(
        self,
        unit: Unit,
        state: str,
        received: dt.datetime,
        pauses: list[tuple[dt.datetime, dt.datetime | None]],
    ) -> tuple[_Officer, dt.datetime] | None:
        """Most open dossiers in processing have an officer of the holding unit, and since when."""
        if state not in (State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED):
            return None
        if self.rng.random() >= 0.85:
            return None
        officers = [
            o
            for o in self.officers.get(unit.pk, ())
            if o.role in (Role.SPECIALIST, Role.LEADER) and o.serves_on(self.today)
        ]
        if not officers:
            return None
        officer = self.rng.choice([o for o in officers if o.specialist] or officers)
        # Assigned after the receipt and before any supplement request.
        latest = pauses[0][0] if pauses else self.as_of
        at = _between(self.rng, self.calendar(unit), received, latest) or received
        return officer, at


def _event(
    kind: str, at: dt.datetime, before: str, after: str, unit: int, note: str = ""
) -> dict[str, Any]:
    return {
        "kind": kind,
        "at": at,
        "actor_name": SOURCE,
        "unit_id": unit,
        "from_state": before,
        "to_state": after,
        "note": note,
        "data": {"source": SOURCE},
    }


def build_dossiers(
    *,
    seed: int,
    count: int,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    stdout: Any = None,
) -> dict[str, Any]:
    """Create `count` demo dossiers for `seed` leading up to `today` (once: a rerun adds nothing).

    The demo stands at `demo_instant(today, now=now)`; `now` is for tests (default the clock).
    """
    if count <= 0:
        return {"created": 0, "existing": 0}
    as_of = demo_instant(today, now=now)
    if as_of.date() <= FIRST_DAY:
        message = f"demo dossiers start on {FIRST_DAY:%d/%m/%Y}: give a later day"
        if stdout is not None:
            stdout.write(message)
        return {"created": 0, "existing": 0, "skipped": message}
    if not Procedure.objects.published().exists():
        message = "no published procedure: demo dossiers need the catalogue first"
        if stdout is not None:
            stdout.write(message)
        return {"created": 0, "existing": 0, "skipped": message}
    loaded = Dossier.objects.filter(
        events__kind="dossier.received", events__data__source=SOURCE
    ).count()
    if loaded:
        # Demo dossiers built on another day have other codes: adding a second set would
        # double the queues. Start from an empty database for a fresh demo.
        return {"created": 0, "existing": loaded}
    generator = _Generator(seed, as_of)
    plans = generator.plan(count)
    with transaction.atomic():
        existing: set[str | None] = set()
        codes = [p.code for p in plans]
        for start in range(0, len(codes), 900):
            existing.update(
                Dossier.objects.filter(code__in=codes[start : start + 900]).values_list(
                    "code", flat=True
                )
            )
        fresh = [p for p in plans if p.code not in existing]
        dossier_insert = BulkInsert(Dossier, now=timezone.now())
        event_insert = BulkInsert(DossierEvent, now=timezone.now())
        component_insert = BulkInsert(ReceivedComponent, now=timezone.now())
        built: list[int] = []
        for start in range(0, len(fresh), 1000):
            chunk = fresh[start : start + 1000]
            dossier_insert.run([p.values for p in chunk])
            ids = dict(
                Dossier.objects.filter(code__in=[p.code for p in chunk]).values_list("code", "pk")
            )
            built.extend(ids.values())
            event_insert.run([{"dossier_id": ids[p.code], **e} for p in chunk for e in p.events])
            component_insert.run(
                [{"dossier_id": ids[p.code], **c} for p in chunk for c in p.components]
            )
            ClockPause.objects.bulk_create(
                [ClockPause(dossier_id=ids[p.code], **x) for p in chunk for x in p.pauses]
            )
            Apology.objects.bulk_create(
                [Apology(dossier_id=ids[p.code], **a) for p in chunk for a in p.apologies]
            )
        counters = _advance_counters(generator.sequences)
        # National portal sync state: one row per dossier, not one per event (national/demo.py).
        build_demo_outbox(built, as_of=as_of, seed=seed)
    states = Counter(str(p.values["state"]) for p in fresh)
    result = {
        "created": len(fresh),
        "existing": len(existing),
        "events": sum(len(p.events) for p in fresh),
        "pauses": sum(len(p.pauses) for p in fresh),
        "apologies": sum(len(p.apologies) for p in fresh),
        "components": sum(len(p.components) for p in fresh),
        "assigned": sum(1 for p in fresh if p.values.get("assignee_id")),
        "as_of": f"{as_of:%d/%m/%Y %H:%M}",
        "counters": counters,
        "states": dict(sorted(states.items())),
    }
    if stdout is not None:
        stdout.write(
            f"hồ sơ mẫu / demo dossiers (seed {seed}, as of {result['as_of']}): "
            f"{result['created']} created, "
            f"{result['existing']} already there; states {result['states']}"
        )
    return result


def _advance_counters(sequences: Counter[tuple[int, dt.date]]) -> int:
    """Raise each (unit, day) counter to the last demo sequence, never lowering it."""
    keys = sorted(sequences)
    changed = 0
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        existing = {
            (c.unit_id, c.day): c
            for c in DossierCodeCounter.objects.filter(
                unit_id__in={u for u, _ in chunk}, day__in={d for _, d in chunk}
            )
        }
        create, update = [], []
        for key in chunk:
            counter = existing.get(key)
            if counter is None:
                create.append(DossierCodeCounter(unit_id=key[0], day=key[1], last=sequences[key]))
            elif counter.last < sequences[key]:
                counter.last = sequences[key]
                update.append(counter)
        DossierCodeCounter.objects.bulk_create(create)
        DossierCodeCounter.objects.bulk_update(update, ["last"])
        changed += len(create) + len(update)
    return changed
