"""The Decision 766 service index of a unit for a calendar period — chỉ số phục vụ (§5).

Python API (stable; the `/chi-so/` pages, the early warning and the published-figures import
use it):

    from motcua.index766.engine import compute_index, indicator_lists
    result = compute_index("H44", period, by_unit=True)   # IndexResult
    result.as_json()          # the contract of `motcua index services --format json`
    result.total.points       # the unit's score; result.rows: one card per next-level unit
    card = result.total; card.indicator("progress.on_time").numerator
    numerator_qs, denominator_qs = indicator_lists("progress.on_time", result.unit_ids, period)

`period` is a `motcua.lib.periods.Period` (always read as a calendar window [S, E): S the
first day 00:00 local, E the day after the last 00:00 local). The unit's dossiers are those
its subtree handles (competent unit, else receiving unit), with the closed units taken over
across the 2025 reform (`motcua.stats.selectors.scope_of`).

Every indicator of `SPECS` (`motcua.index766.indicators`) is computed from motcua's own records:

- dossiers (`Dossier`): one grouped query per family (dossiers; dossiers by procedure; online
  payments), grouped by handling unit, then folded into rows: no per-unit loop;
- procedures (`Procedure` and its competent units): publication and public-record dates, the
  effective date of the legal basis, the parts of the public record, online level, fee;
- feedback (`Feedback`, PAKN only), grouped by handling unit.

An indicator whose records motcua does not keep reports `data: "no_data"` with no ratio and no
points (never silently zero or full); a zero denominator reports `data: "empty"` and gives 0,
full points or "not applicable" as its definition says (`Spec.on_zero`), with a note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from motcua.dossiers.choices import ONLINE_PAYMENT_METHODS, Channel, FileKind, State
from motcua.dossiers.models import Dossier, DossierFile, DossierRating, Payment
from motcua.feedback.choices import FeedbackState, Kind
from motcua.feedback.models import Feedback
from motcua.index766 import indicators as ind
from motcua.index766.indicators import GROUPS, SPEC, SPECS, Spec
from motcua.index766.progress import counted_q, finished_q, on_time_q
from motcua.lib.periods import Period
from motcua.lib.rowcount import count_rows
from motcua.lib.vntext import fold
from motcua.people.scope import current_graph
from motcua.procedures.choices import OnlineLevel
from motcua.procedures.models import Procedure
from motcua.stats.selectors import StatsError, scope_of, unit_rows
from motcua.units.models import Unit
from motcua.workcalendar.selectors import get_calendar

try:  # engineer `sync`'s outbox: the "dossiers synchronised" indicator reads it
    from motcua.national.models import OutboxRow
    from motcua.national.selectors import synchronised_q
except ImportError:  # pragma: no cover - without the national app the indicator has no data
    OutboxRow = None  # type: ignore[assignment,misc]
    synchronised_q = None  # type: ignore[assignment]


class IndexError766(ValueError):
    """An index request that cannot be answered (unknown unit, bad indicator ...)."""


RESOLVED = (State.RESOLVED, State.RETURNED)
ONLINE_LEVELS = (OnlineLevel.PARTIAL, OnlineLevel.FULL)
# Publication: the decision at least this many working days before the effective date, and
# the public record within this many working days of the decision (province; ministry: 20/10).
PUBLISH_AHEAD_DAYS = 5
MAKE_PUBLIC_DAYS = 5
_INDIVIDUAL = re.compile(r"\b(ca nhan|cong dan)\b")


# -- results ---------------------------------------------------------------------------------


@dataclass
class Value:
    """One indicator's figure for one card (a unit, or one row of a breakdown)."""

    spec: Spec
    numerator: int | None
    denominator: int | None
    data: str = ind.OK
    factor: Decimal | None = None  # online.dossiers: × the synchronisation rate
    note: str = ""

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def exact(self) -> Decimal:
        value = ind.fraction(self.numerator or 0, self.denominator or 0)
        return value * self.factor if self.factor is not None else value

    @property
    def ratio(self) -> float | None:
        if self.data == ind.NO_DATA:
            return None
        return ind.half_up(self.exact * 100)

    @property
    def points(self) -> float | None:
        if self.data == ind.NO_DATA:
            return None
        if self.data == ind.EMPTY:
            return {ind.ZERO: 0.0, ind.FULL: float(self.spec.max)}.get(self.spec.on_zero)
        return ind.score_of(self.exact, self.spec.max, self.spec.threshold)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "ratio": self.ratio,
            "points": self.points,
            "max": self.spec.max,
            "status": self.spec.status,
            "data": self.data,
        }
        if self.spec.threshold is not None:
            data["threshold"] = self.spec.threshold
        if self.factor is not None:
            data["factor"] = float(self.factor)
        if self.note:
            data["note"] = self.note
        return data


@dataclass
class Card:
    """The groups and indicators of one unit (or row)."""

    values: dict[str, Value]

    def indicator(self, code: str) -> Value:
        return self.values[code]

    def group_points(self, group: str) -> float:
        found = [v.points for v in self.values.values() if v.spec.group == group]
        return float(
            ind.half_up(sum((Decimal(str(p)) for p in found if p is not None), Decimal(0)))
        )

    @property
    def points(self) -> float:
        total = sum((Decimal(str(self.group_points(g.code))) for g in GROUPS), Decimal(0))
        return float(ind.half_up(total))

    @property
    def missing(self) -> list[str]:
        """Indicators without data or not applicable (their points are not in the total)."""
        return [code for code, v in self.values.items() if v.points is None]

    def groups_json(self) -> list[dict[str, Any]]:
        return [
            {
                "code": g.code,
                "points": self.group_points(g.code),
                "max": g.max,
                "indicators": [v.as_json() for v in self.values.values() if v.spec.group == g.code],
            }
            for g in GROUPS
        ]

    def total_json(self) -> dict[str, Any]:
        return {"points": self.points, "max": 100, "missing": self.missing}


@dataclass
class Row:
    code: str
    name: str
    unit_ids: frozenset[int]
    card: Card


@dataclass
class IndexResult:
    """The index of a unit for a period, and one row per unit of the next level."""

    unit: Unit
    period: Period
    unit_ids: frozenset[int]
    total: Card
    rows: list[Row] = field(default_factory=list)
    by_unit: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "unit": self.unit.code,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "total": self.total.total_json(),
            "groups": self.total.groups_json(),
        }
        if self.by_unit:
            data["rows"] = [
                {
                    "unit": r.code,
                    "name": r.name,
                    "total": r.card.total_json(),
                    "groups": r.card.groups_json(),
                }
                for r in self.rows
            ]
        return data

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)


# -- the conditions ----------------------------------------------------------------------------


def _has_file(**kw: Any) -> Exists:
    return Exists(DossierFile.objects.filter(dossier_id=OuterRef("pk"), **kw))


def dossier_base() -> QuerySet[Dossier]:
    """Dossiers with their handling unit and the per-dossier facts the indicators read."""
    return Dossier.objects.annotate(
        handling_unit=Coalesce(F("competent_unit_id"), F("receiving_unit_id")),
        has_result_file=_has_file(kind=FileKind.RESULT),
        has_component_file=_has_file(kind=FileKind.COMPONENT),
        has_reused=_has_file(reused=True),
        paid_online=Exists(
            Payment.objects.filter(dossier_id=OuterRef("pk"), method__in=ONLINE_PAYMENT_METHODS)
        ),
        rated_unsatisfied=Exists(
            DossierRating.objects.filter(dossier_id=OuterRef("pk"), satisfied=False)
        ),
        has_feedback=Exists(Feedback.objects.filter(dossier_id=OuterRef("pk"))),
    )


def _with_sync(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    if OutboxRow is None:
        return queryset
    return queryset.annotate(has_outbox=Exists(OutboxRow.objects.filter(dossier_id=OuterRef("pk"))))


def dossier_conditions(start: dt.datetime, end: dt.datetime) -> dict[str, tuple[Q, Q]]:
    """{indicator code: (numerator, denominator)} over `dossier_base()` rows."""
    counted = counted_q(start, end)
    new = counted & Q(received_at__gte=start)
    paper = Q(procedure__result_is_paper=True)
    e_result_ok = ~paper | Q(has_result_file=True)
    resolved = finished_q(start, end) & Q(state__in=RESOLVED)
    with_fee = Q(fee_amount__gt=0) | Q(fee_amount__isnull=True, procedure__fee__gt=0)
    on_time = on_time_q(start, end)
    result = {
        "progress.on_time": (on_time, counted),
        "digitization.e_result": (Q(has_result_file=True), resolved & paper),
        "digitization.digitised": (Q(has_component_file=True) & e_result_ok, new),
        "digitization.reuse": (Q(has_reused=True), new),
        "digitization.edata": (Q(edata_linked=True), new),
        "digitization.population": (~Q(identity_source=""), new),
        "online.dossiers": (Q(channel=Channel.ONLINE) & e_result_ok, new),
        "payment.dossiers_paid_online": (Q(paid_online=True), new & with_fee),
        "satisfaction.dossiers": (
            on_time & Q(rated_unsatisfied=False, has_feedback=False),
            counted,
        ),
    }
    if synchronised_q is not None:
        result["transparency.synchronised"] = (synchronised_q(), new)
    # the numerator is always inside the denominator
    return {code: (num & den, den) for code, (num, den) in result.items()}


def feedback_conditions(start: dt.datetime, end: dt.datetime) -> dict[str, tuple[Q, Q]]:
    """{indicator code: (numerator, denominator)} over `Feedback` rows (PAKN)."""
    counted = Q(kind=Kind.PAKN, received_at__lt=end) & (
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )
    elsewhere = Q(
        state__in=(FeedbackState.FORWARDED, FeedbackState.REDIRECTED),
        finished_at__isnull=False,
        finished_at__lt=end,
    )
    in_competence = counted & ~elsewhere
    still_open = Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    refused = Q(state=FeedbackState.REFUSED, finished_at__lt=end)
    resolved_late = (
        ~refused
        & ~still_open
        & Q(handle_due__isnull=False)
        & (
            Q(resolved_at__gt=F("handle_due"))
            | Q(resolved_at__isnull=True, finished_at__gt=F("handle_due"))
        )
    )
    late = (
        resolved_late
        | (refused & Q(refuse_due__isnull=False, finished_at__gt=F("refuse_due")))
        | Q(
            first_supplement_at__isnull=False,
            supplement_due__isnull=False,
            first_supplement_at__gt=F("supplement_due"),
            first_supplement_at__lt=end,
        )
        | Q(
            published_at__isnull=False,
            publish_due__isnull=False,
            published_at__gt=F("publish_due"),
            published_at__lt=end,
        )
        | (still_open & Q(handle_due__lt=end))
    )
    first_received = Q(kind=Kind.PAKN, received_at__gte=start, received_at__lt=end) & ~Q(
        state__in=(FeedbackState.FORWARDED, FeedbackState.REDIRECTED)
    )
    unsatisfied = Q(dislikes__gt=F("likes"))
    repeated = Q(dissatisfied_repeat=True)
    overdue = Q(handle_due__isnull=False) & (
        Q(resolved_at__gt=F("handle_due"))
        | (Q(resolved_at__isnull=True) & still_open & Q(handle_due__lt=end))
    )
    return {
        "satisfaction.feedback_on_time": (in_competence & ~late, in_competence),
        "satisfaction.feedback_satisfaction": (
            first_received & ~unsatisfied & ~repeated & ~overdue,
            first_received,
        ),
    }


def feedback_base() -> QuerySet[Feedback]:
    return Feedback.objects.annotate(
        dissatisfied_repeat=Exists(
            Feedback.objects.filter(repeat_of_id=OuterRef("pk"), repeat_dissatisfied=True)
        )
    )


# -- procedures ------------------------------------------------------------------------------


def _effective_date(proc: dict[str, Any]) -> dt.date | None:
    """The latest effective date among the legal documents (`effective_date`), else valid_from."""
    dates = []
    for doc in proc.get("legal_documents") or []:
        raw = doc.get("effective_date") if isinstance(doc, dict) else None
        if raw:
            try:
                dates.append(dt.date.fromisoformat(str(raw)[:10]))
            except ValueError:
                continue
    return max(dates) if dates else proc.get("valid_from")


def _back_working(cal: Any, day: dt.date, count: int) -> dt.date:
    """The date `count` working days before `day`."""
    while count:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            count -= 1
    return day


def _forward_working(cal: Any, day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            count -= 1
    return day


def _complete(proc: dict[str, Any]) -> bool:
    """The public record has every required part (statistics.md §5.1)."""
    return bool(
        proc["name"]
        and proc["n_steps"]
        and (proc["channels_as_written"] or proc["online_level"])
        and proc["n_components"]
        and (proc["time_limit_amount"] is not None or proc["time_limit_as_written"])
        and proc["applicants"]
        and (proc["executing_bodies"] or proc["n_units"])
    )


def procedure_sets(
    procs: dict[int, dict[str, Any]], period: Period
) -> dict[str, tuple[set[int], set[int]]]:
    """{indicator code: (numerator ids, denominator ids)} of the catalogue-only indicators."""
    cal = get_calendar()
    first, last = period.first, period.last
    sets: dict[str, tuple[set[int], set[int]]] = {
        code: (set(), set())
        for code in (
            "transparency.published_on_time",
            "transparency.made_public_on_time",
            "transparency.complete",
            "online.offered",
            "online.services_used",
            "payment.procedures_integrated",
            "payment.procedures_paid_online",
            "digitization.population_procedures",
        )
    }

    def put(code: str, pk: int, hit: bool) -> None:
        num, den = sets[code]
        den.add(pk)
        if hit:
            num.add(pk)

    for pk, p in procs.items():
        effective = _effective_date(p)
        decided = p["publication_decision_date"]
        public = p["public_record_date"]
        if effective and first <= effective <= last:
            ok = decided is not None and decided <= _back_working(
                cal, effective, PUBLISH_AHEAD_DAYS
            )
            put("transparency.published_on_time", pk, ok)
        if decided and first <= decided <= last:
            ok = public is not None and public <= _forward_working(cal, decided, MAKE_PUBLIC_DAYS)
            put("transparency.made_public_on_time", pk, ok)
        if public and public <= last:
            put("transparency.complete", pk, _complete(p))
        in_force = (p["valid_from"] is None or p["valid_from"] <= last) and (
            p["valid_to"] is None or p["valid_to"] >= first
        )
        if in_force:
            put("online.offered", pk, p["online_level"] in ONLINE_LEVELS)
            if p["online_level"] in ONLINE_LEVELS:
                put("online.services_used", pk, False)
            if p["fee"]:
                put("payment.procedures_integrated", pk, False)
                put("payment.procedures_paid_online", pk, False)
            if _INDIVIDUAL.search(fold(p["applicants"] or "")):
                put("digitization.population_procedures", pk, False)
    return sets


# -- the computation -----------------------------------------------------------------------------


Pair = tuple[int, int]


def _dossier_atoms(ids: frozenset[int], period: Period) -> dict[int, dict[str, Any]]:
    """Per handling unit: {code: (numerator, denominator)} and `_outbox` (one query)."""
    conds = dossier_conditions(period.start, period.end)
    start, end = period.start, period.end
    aggregates: dict[str, Any] = {}
    alias: dict[str, tuple[str, int]] = {}
    for i, (code, (num, den)) in enumerate(conds.items()):
        aggregates[f"n{i}"] = count_rows(num)
        aggregates[f"d{i}"] = count_rows(den)
        alias[f"n{i}"] = (code, 0)
        alias[f"d{i}"] = (code, 1)
    base = dossier_base()
    if OutboxRow is not None:
        base = _with_sync(base)
        aggregates["outbox"] = Count(
            "pk", filter=Q(has_outbox=True) & counted_q(start, end) & Q(received_at__gte=start)
        )
    rows = (
        base.filter(handling_unit__in=ids)  # type: ignore[misc]
        .filter(counted_q(start, end))
        .values("handling_unit")
        .annotate(**aggregates)
        .order_by()
    )
    result: dict[int, dict[str, Any]] = {}
    for row in rows:
        found: dict[str, Any] = {code: [0, 0] for code in conds}
        for key, (code, side) in alias.items():
            found[code][side] = int(row[key] or 0)
        found["_outbox"] = int(row.get("outbox") or 0)
        result[row["handling_unit"]] = found
    return result


def _feedback_atoms(ids: frozenset[int], period: Period) -> dict[int, dict[str, list[int]]]:
    conds = feedback_conditions(period.start, period.end)
    aggregates: dict[str, Any] = {}
    alias: dict[str, tuple[str, int]] = {}
    for i, (code, (num, den)) in enumerate(conds.items()):
        aggregates[f"n{i}"] = count_rows(num)
        aggregates[f"d{i}"] = count_rows(den)
        alias[f"n{i}"] = (code, 0)
        alias[f"d{i}"] = (code, 1)
    rows = (
        feedback_base()
        .filter(unit_id__in=ids, kind=Kind.PAKN, received_at__lt=period.end)
        .values("unit_id")
        .annotate(**aggregates)
        .order_by()
    )
    result: dict[int, dict[str, list[int]]] = {}
    for row in rows:
        found = {code: [0, 0] for code in conds}
        for key, (code, side) in alias.items():
            found[code][side] = int(row[key] or 0)
        result[row["unit_id"]] = found
    return result


def _procedure_rows(ids: frozenset[int]) -> tuple[dict[int, dict[str, Any]], list[Pair]]:
    """The procedures competent in `ids` (their fields) and the (unit, procedure) pairs."""
    through = Procedure.competent_units.through
    pairs = list(through.objects.filter(unit_id__in=ids).values_list("unit_id", "procedure_id"))
    pks = {p for _, p in pairs}
    procs = {
        row["pk"]: row
        for row in Procedure.objects.filter(pk__in=pks)
        .annotate(
            n_steps=Count("steps", distinct=True),
            n_components=Count("components", distinct=True),
            n_units=Count("competent_units", distinct=True),
        )
        .values(
            "pk",
            "name",
            "channels_as_written",
            "online_level",
            "time_limit_amount",
            "time_limit_as_written",
            "applicants",
            "executing_bodies",
            "legal_documents",
            "valid_from",
            "valid_to",
            "publication_decision_date",
            "public_record_date",
            "fee",
            "n_steps",
            "n_components",
            "n_units",
        )
    }
    return procs, pairs


def _procedure_usage(ids: frozenset[int], period: Period) -> dict[str, set[Pair]]:
    """(handling unit, procedure) pairs with: an online dossier, a fee dossier, a dossier with
    population data (received in the period), an online payment (paid in the period)."""
    start, end = period.start, period.end
    new = Q(received_at__gte=start, received_at__lt=end)
    rows = (
        Dossier.objects.annotate(
            handling_unit=Coalesce(F("competent_unit_id"), F("receiving_unit_id"))
        )
        .filter(new, handling_unit__in=ids)
        .values("handling_unit", "procedure_id")
        .annotate(
            online=count_rows(Q(channel=Channel.ONLINE)),
            fee=Count(
                "pk", filter=Q(fee_amount__gt=0) | Q(fee_amount__isnull=True, procedure__fee__gt=0)
            ),
            population=count_rows(~Q(identity_source="")),
        )
        .order_by()
    )
    found: dict[str, set[Pair]] = {
        "online": set(),
        "fee": set(),
        "population": set(),
        "paid": set(),
    }
    for r in rows:
        pair = (r["handling_unit"], r["procedure_id"])
        for key in ("online", "fee", "population"):
            if r[key]:
                found[key].add(pair)
    paid = (
        Payment.objects.filter(
            method__in=ONLINE_PAYMENT_METHODS, paid_at__gte=start, paid_at__lt=end
        )
        .annotate(
            handling_unit=Coalesce(F("dossier__competent_unit_id"), F("dossier__receiving_unit_id"))
        )
        .filter(handling_unit__in=ids)
        .values_list("handling_unit", "dossier__procedure_id")
        .distinct()
    )
    found["paid"] = set(paid)
    return found


USAGE_OF = {
    "online.services_used": "online",
    "payment.procedures_integrated": "fee",
    "payment.procedures_paid_online": "paid",
    "digitization.population_procedures": "population",
}


@dataclass
class _Atoms:
    """Everything the cards are folded from, read once for the whole scope."""

    dossiers: dict[int, dict[str, Any]]  # handling unit → {code: [n, d]}
    feedback: dict[int, dict[str, list[int]]]  # handling unit → {code: [n, d]}
    procs_of: dict[int, set[int]]  # unit → competent procedures
    psets: dict[str, tuple[set[int], set[int]]]  # code → (numerator, denominator) procedures
    usage_of: dict[str, dict[int, set[int]]]  # usage key → handling unit → procedures


def _load(ids: frozenset[int], period: Period) -> _Atoms:
    procs, pairs = _procedure_rows(ids)
    procs_of: dict[int, set[int]] = defaultdict(set)
    for unit, pk in pairs:
        if pk in procs:
            procs_of[unit].add(pk)
    usage_of: dict[str, dict[int, set[int]]] = {}
    for key, found in _procedure_usage(ids, period).items():
        usage_of[key] = defaultdict(set)
        for unit, pk in found:
            usage_of[key][unit].add(pk)
    return _Atoms(
        _dossier_atoms(ids, period),
        _feedback_atoms(ids, period),
        procs_of,
        procedure_sets(procs, period),  # per procedure: computed once, whatever the rows
        usage_of,
    )


def _card(atoms: _Atoms, members: Iterable[int]) -> Card:
    """The card of the handling units `members` (a unit's whole scope, or one row)."""
    members = set(members)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    outbox = 0
    for unit in members:
        for code, pair in atoms.dossiers.get(unit, {}).items():
            if code == "_outbox":
                outbox += pair
                continue
            sums[code][0] += pair[0]
            sums[code][1] += pair[1]
        for code, pair in atoms.feedback.get(unit, {}).items():
            sums[code][0] += pair[0]
            sums[code][1] += pair[1]
    mine: set[int] = set()
    for unit in members:
        mine |= atoms.procs_of.get(unit, set())
    psets = {code: (num & mine, den & mine) for code, (num, den) in atoms.psets.items()}
    for code, key in USAGE_OF.items():
        used: set[int] = set()
        for unit in members:
            used |= atoms.usage_of[key].get(unit, set())
        den = psets[code][1]
        psets[code] = (den & used, den)
    values: dict[str, Value] = {}
    for spec in SPECS:
        if spec.source == "procedure":
            num_set, den_set = psets[spec.code]
            value = Value(spec, len(num_set), len(den_set))
        elif spec.source == "none":
            value = Value(
                spec,
                None,
                None,
                ind.NO_DATA,
                note=_("Chưa có dữ liệu: motcua chưa ghi nhận xã nào cung cấp dịch vụ này"),
            )
        elif spec.code == "transparency.synchronised" and (spec.code not in sums or outbox == 0):
            value = Value(
                spec,
                None,
                None,
                ind.NO_DATA,
                note=_("Chưa có dữ liệu đồng bộ lên Cổng Dịch vụ công quốc gia"),
            )
        else:
            n, d = sums.get(spec.code, [0, 0])
            value = Value(spec, n, d)
        if value.data == ind.OK and not value.denominator:
            value.data = ind.EMPTY
            value.note = _(ind.ZERO_NOTES[spec.on_zero])
        values[spec.code] = value
    sync = values["transparency.synchronised"]
    online = values["online.dossiers"]
    if sync.data == ind.OK:
        online.factor = sync.exact
    elif online.data == ind.OK:
        online.note = _("Chưa nhân tỷ lệ đồng bộ: chưa có dữ liệu đồng bộ")
    return Card(values)


def _row_order(code: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def compute_index(
    unit: str | Unit, period: Period, *, by_unit: bool = False, as_current: bool = False
) -> IndexResult:
    """The index of unit `unit` (a code or a `Unit`) with its subtree for `period`.

    With `by_unit`, `rows` has one card per unit of the next level (with its subtree),
    including units with no dossiers, plus the unit itself when it handles dossiers directly.
    Raises `StatsError` for an unknown unit.
    """
    code = unit.code if isinstance(unit, Unit) else unit
    scope = scope_of(code, period, as_current=as_current)
    ids = scope.ids
    atoms = _load(ids, period)
    result = IndexResult(scope.unit, period, ids, _card(atoms, ids), by_unit=by_unit)
    if not by_unit:
        return result

    @dataclass
    class _Scoped:
        unit: Unit
        unit_ids: frozenset[int]
        as_current: bool
        roots: frozenset[int]

    row_of = unit_rows(_Scoped(scope.unit, ids, as_current, scope.roots))
    members: dict[str, set[int]] = defaultdict(set)
    for handler, key in row_of.items():
        members[key].add(handler)
    graph = current_graph()
    children = {c for r in scope.roots for c in graph.children.get(r, []) if c in ids}
    names: dict[str, str] = {}
    for u in Unit.objects.filter(pk__in=children | set(ids)).order_by(
        F("valid_from").asc(nulls_first=True)
    ):
        names[u.code] = u.name  # the newest version names the row
    child_codes = {u.code for u in Unit.objects.filter(pk__in=children)}
    for key in sorted(set(members) | child_codes, key=_row_order):
        card = _card(atoms, members.get(key, set()))
        if key == scope.unit.code and key not in child_codes:
            own = members.get(key, set())
            if not any(u in atoms.dossiers or u in atoms.feedback for u in own):
                continue  # the unit handles no dossier or feedback directly: no row of its own
        result.rows.append(Row(key, names.get(key, key), frozenset(members.get(key, set())), card))
    return result


# -- the lists behind a figure -------------------------------------------------------------


def indicator_lists(
    code: str, unit_ids: Iterable[int], period: Period
) -> tuple[QuerySet, QuerySet]:
    """(numerator, denominator) records of one indicator for handling units `unit_ids`.

    Dossiers, procedures or feedback items as the indicator counts them; the lengths equal
    the figures of `compute_index` for the same units and period.
    """
    if code not in SPEC:
        raise IndexError766(_("không có chỉ số %(code)s") % {"code": code})
    spec = SPEC[code]
    ids = frozenset(unit_ids)
    if spec.source == "none":
        return Dossier.objects.none(), Dossier.objects.none()
    if spec.source == "procedure":
        atoms = _load(ids, period)
        num, den = atoms.psets[code]
        if code in USAGE_OF:
            used: set[int] = set()
            for found in atoms.usage_of[USAGE_OF[code]].values():
                used |= found
            num = den & used
        return Procedure.objects.filter(pk__in=num), Procedure.objects.filter(pk__in=den)
    if spec.source == "feedback":
        num_q, den_q = feedback_conditions(period.start, period.end)[code]
        items = feedback_base().filter(unit_id__in=ids)
        return items.filter(num_q), items.filter(den_q)
    conds = dossier_conditions(period.start, period.end)
    if code not in conds:
        return Dossier.objects.none(), Dossier.objects.none()
    num_q, den_q = conds[code]
    base = dossier_base().filter(handling_unit__in=ids)  # type: ignore[misc]
    return base.filter(num_q), base.filter(den_q)


__all__ = [
    "Card",
    "IndexError766",
    "IndexResult",
    "StatsError",
    "Value",
    "compute_index",
    "indicator_lists",
]
