"""Demo dossiers: about two years of casework in the demo province, consistent with the clock.

`build_dossiers(seed=, count=)` spreads `count` dossiers over receipts from 2025-01-02 to
2026-10-30 (local dates) across the demo communes and the provincial centre, using the
published procedures present. Every due instant comes from the real engine
(`compute_due`, with the dossier's pauses and apology) and finishing instants are chosen
relative to it, so statistics computed later classify each dossier as intended:

- about half online, the rest mostly direct, a few postal;
- finished dossiers: most resolved early, some on the due date, about 1% late (most of those
  with an apology, some with an extension), a few refused, a few withdrawn; most resolved
  dossiers have their result handed over (`returned`);
- about 8% had a supplement request (a clock pause); some apologies on dossiers finished in time;
- dossiers received in the last weeks before `AS_OF` are still open (in progress, waiting for
  a supplement, or just received), a handful of older ones are open and overdue.

Codes are `<receiving unit>-<yyMMdd>-<NNNN>` with daily sequences from 0001; the
`DossierCodeCounter` rows are raised so that live receipts continue after them. Re-running
with the same seed and count adds nothing (existing codes are skipped). Names, ID and phone
numbers are fictitious, deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.choices import Channel, PauseKind, State, SubmittedBy, rule_version_on
from motcua.dossiers.importers import BulkInsert
from motcua.dossiers.models import (
    Apology,
    ClockPause,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
)
from motcua.lib.vntext import nfc
from motcua.procedures.choices import WORKING_TIME_UNITS
from motcua.procedures.models import Procedure
from motcua.procedures.services import current_version
from motcua.units.models import Unit
from motcua.workcalendar.engine import TZ, WorkCalendar, compute_due
from motcua.workcalendar.models import CalendarEntry, WorkingHours
from motcua.workcalendar.selectors import get_calendar

FIRST_DAY = dt.date(2025, 1, 2)
LAST_DAY = dt.date(2026, 10, 30)
REFORM_DAY = dt.date(2025, 7, 1)
# Where the demo "is": dossiers are finished before this instant or still open at it.
AS_OF = dt.datetime(2026, 10, 30, 17, 0, tzinfo=TZ)
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


def _working_days(cal: WorkCalendar) -> list[dt.date]:
    days = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if cal.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


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
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
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
        days = _working_days(get_calendar(None))
        places_cache: dict[bool, list[_Place]] = {
            False: _places(REFORM_DAY - dt.timedelta(days=1)),
            True: _places(REFORM_DAY),
        }
        receipts = sorted(rng.choice(days) for _ in range(count))
        plans = []
        for day in receipts:
            places = places_cache[day >= REFORM_DAY]
            favourites = [p for p in places if p.competent.code in FAVOURITES]
            place = (
                rng.choice(favourites) if favourites and rng.random() < 0.12 else rng.choice(places)
            )
            procedure = rng.choice(eras[day >= REFORM_DAY][place.level])
            plans.append(self.one(day, place, procedure))
        return plans

    def one(self, day: dt.date, place: _Place, procedure: Procedure) -> _Plan:
        rng = self.rng
        cal = self.calendar(place.receiving)
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
            opened = _between(rng, cal, received, base.statutory_due)
            if opened is not None:
                closed = cal.add_working(opened, rng.randrange(60, 8 * 60 * 6))
                pauses.append((opened, closed if closed < AS_OF else None))
        clock = compute_due(
            cal, received, limit[0], limit[1], pauses=pauses, cutoff=limit[2], explain=False
        )
        due = clock.statutory_due
        start = pauses[-1][1] if pauses and pauses[-1][1] else received

        # How it ends: finished with an outcome, or still open at AS_OF.
        state = State.IN_PROGRESS
        finished: dt.datetime | None = None
        apology: dict[str, Any] | None = None
        outcome = rng.choices(
            ("early", "on_time", "late", "refused", "withdrawn", "stuck"),
            weights=(80, 13, 1.2, 3, 2, 0.4),
        )[0]
        # Open at AS_OF: most dossiers whose due is still ahead, and the small "stuck" share
        # (open and, for most of them, overdue).
        open_now = outcome == "stuck" or (due is not None and due >= AS_OF and rng.random() < 0.8)
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
            if finished is not None and finished > AS_OF:
                finished = None
        if (
            finished is None
            and due is not None
            and due < AS_OF
            and outcome != "late"
            and not open_now
        ):
            # The draw ran past AS_OF although the due is before it: finish in time instead
            # (open overdue dossiers come only from the small "stuck" share).
            finished = _between(rng, cal, start, due)
        if finished is not None:
            state = {
                "refused": State.REFUSED,
                "withdrawn": State.WITHDRAWN,
            }.get(outcome, State.RESOLVED)
        elif pauses and pauses[-1][1] is None:
            state = State.SUPPLEMENT_REQUESTED
        elif AS_OF - received < dt.timedelta(days=2):
            state = State.RECEIVED
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
        if state == State.RESOLVED and finished is not None and rng.random() < 0.85:
            returned = finished + dt.timedelta(minutes=rng.randrange(10, 60 * 24 * 3))
            if returned < AS_OF:
                state = State.RETURNED
            else:
                returned = None

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
        }
        plan = _Plan(code, values)
        unit = place.competent.pk
        first = "dossier.submitted" if channel != Channel.DIRECT else None
        if first:
            plan.events.append(_event(first, submitted, "", State.SUBMITTED, unit))
        plan.events.append(
            _event("dossier.received", received, State.SUBMITTED if first else "", "received", unit)
        )
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
            plan.events.append(
                _event("dossier.result_returned", returned, "resolved", "returned", unit)
            )
        return plan


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


def build_dossiers(*, seed: int, count: int, stdout: Any = None) -> dict[str, Any]:
    """Create `count` demo dossiers for `seed` (idempotent: existing codes are skipped)."""
    if count <= 0:
        return {"created": 0, "existing": 0}
    if not Procedure.objects.published().exists():
        message = "no published procedure: demo dossiers need the catalogue first"
        if stdout is not None:
            stdout.write(message)
        return {"created": 0, "existing": 0, "skipped": message}
    generator = _Generator(seed)
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
        for start in range(0, len(fresh), 1000):
            chunk = fresh[start : start + 1000]
            dossier_insert.run([p.values for p in chunk])
            ids = dict(
                Dossier.objects.filter(code__in=[p.code for p in chunk]).values_list("code", "pk")
            )
            event_insert.run([{"dossier_id": ids[p.code], **e} for p in chunk for e in p.events])
            ClockPause.objects.bulk_create(
                [ClockPause(dossier_id=ids[p.code], **x) for p in chunk for x in p.pauses]
            )
            Apology.objects.bulk_create(
                [Apology(dossier_id=ids[p.code], **a) for p in chunk for a in p.apologies]
            )
        counters = _advance_counters(generator.sequences)
    states = Counter(str(p.values["state"]) for p in fresh)
    result = {
        "created": len(fresh),
        "existing": len(existing),
        "events": sum(len(p.events) for p in fresh),
        "pauses": sum(len(p.pauses) for p in fresh),
        "apologies": sum(len(p.apologies) for p in fresh),
        "counters": counters,
        "states": dict(sorted(states.items())),
    }
    if stdout is not None:
        stdout.write(
            f"hồ sơ mẫu / demo dossiers (seed {seed}): {result['created']} created, "
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
