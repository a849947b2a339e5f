"""The computed leaves of the PAR Index (par-index.md §8): what motcua scores from its own records.

A leaf whose `data_source` names one of `SOURCES` gets its value from motcua's records for
the unit (the unit tree's code, with its subtree, as the statistics count it) and the window
**1 January of the set's year up to the scoring date** (`as_of`, at most 31 December):

    from motcua.par.computed import computed_values
    values = computed_values(criteria_set, "QNG.BDT", as_of)   # {criterion id: ComputedValue}
    v = values[leaf.pk]; v.value (a %), v.points (by the leaf's rule), v.records, v.window

The figures are those of the statistics modules, never counted a second time: the Decision 766
indicators (`motcua.index766.engine.compute_index` and `indicator_lists`: on-time dossiers,
online dossiers, online procedures used, publication, digitisation, online payment, feedback on
time) and the task statistics (`motcua.stats.taskstats`). Apologies read the same late list as
the on-time figure (`motcua.index766.progress.late_list`).

An appraiser's override (`ComputedOverride`, `override_computed`) replaces the value and the
points; the computed figure stays beside it (`.computed_value`, `.computed_points`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.lib.periods import Period
from motcua.par.models import ComputedOverride, CriteriaSet, Criterion
from motcua.par.rules import HUNDRED, RuleError, q2, score_leaf
from motcua.par.services import ParError


@dataclass(frozen=True)
class Source:
    """One data source a leaf can name (`Criterion.data_source`)."""

    code: str
    name: str  # Vietnamese, shown on the pages
    formula: str  # Vietnamese
    kind: str  # "index766" (an indicator), "apologies", "tasks"
    indicator: str = ""
    on_zero_full: bool = False  # nothing to count gives full points (no late dossier …)


SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(
            "dossiers_on_time",
            gettext_noop("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
            gettext_noop(
                "(hồ sơ kết thúc không muộn hơn hạn + hồ sơ chưa kết thúc còn hạn) ÷ hồ sơ phải "
                "giải quyết trong kỳ (Chỉ số 766, tiến độ)"
            ),
            "index766",
            "progress.on_time",
        ),
        Source(
            "dossiers_online",
            gettext_noop("Tỷ lệ hồ sơ nộp trực tuyến"),
            gettext_noop("hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận trong kỳ (Chỉ số 766)"),
            "index766",
            "online.dossiers",
        ),
        Source(
            "online_procedures_used",
            gettext_noop("Thủ tục trực tuyến có phát sinh hồ sơ"),
            gettext_noop(
                "thủ tục trực tuyến có ít nhất một hồ sơ nộp trực tuyến ÷ thủ tục trực tuyến "
                "thuộc thẩm quyền (Chỉ số 766)"
            ),
            "index766",
            "online.services_used",
        ),
        Source(
            "apologies",
            gettext_noop("Hồ sơ quá hạn có văn bản xin lỗi"),
            gettext_noop(
                "hồ sơ quá hạn có phiếu xin lỗi ÷ hồ sơ quá hạn trong kỳ; không có hồ sơ quá "
                "hạn thì đạt"
            ),
            "apologies",
            on_zero_full=True,
        ),
        Source(
            "feedback_on_time",
            gettext_noop("Phản ánh, kiến nghị được xử lý đúng hạn"),
            gettext_noop(
                "(phản ánh xử lý đúng hạn + đang xử lý còn hạn) ÷ phản ánh thuộc thẩm quyền "
                "(Chỉ số 766); không có phản ánh thì đạt"
            ),
            "index766",
            "satisfaction.feedback_on_time",
            on_zero_full=True,
        ),
        Source(
            "tasks_on_time",
            gettext_noop("Nhiệm vụ được giao hoàn thành đúng hạn"),
            gettext_noop(
                "nhiệm vụ hoàn thành đúng hạn ÷ (hoàn thành đúng hạn + hoàn thành quá hạn + "
                "quá hạn chưa hoàn thành) (thống kê nhiệm vụ)"
            ),
            "tasks",
        ),
        Source(
            "procedures_published_on_time",
            gettext_noop("Thủ tục được công bố đúng hạn"),
            gettext_noop(
                "thủ tục có quyết định công bố trước ngày hiệu lực ít nhất 5 ngày làm việc ÷ "
                "thủ tục phải công bố (Chỉ số 766)"
            ),
            "index766",
            "transparency.published_on_time",
        ),
        Source(
            "dossiers_digitised",
            gettext_noop("Tỷ lệ hồ sơ được số hóa"),
            gettext_noop("hồ sơ có thành phần hồ sơ số hóa ÷ hồ sơ tiếp nhận (Chỉ số 766)"),
            "index766",
            "digitization.digitised",
        ),
        Source(
            "dossiers_paid_online",
            gettext_noop("Tỷ lệ hồ sơ thanh toán trực tuyến"),
            gettext_noop("hồ sơ thanh toán trực tuyến ÷ hồ sơ có phí, lệ phí khác 0 (Chỉ số 766)"),
            "index766",
            "payment.dossiers_paid_online",
        ),
    )
}

TASK_COUNTED = ("done_on_time", "done_late", "overdue")


@dataclass
class ComputedValue:
    """One computed leaf of one unit: the measured figure, its points and the records behind it."""

    source: str
    numerator: int
    denominator: int
    value: Decimal | None  # percent, rounded half-up to 2 decimals; None when nothing arose
    points: Decimal | None  # by the leaf's rule; None when the appraisers must judge
    max_points: Decimal
    records: list[dict[str, Any]] = field(default_factory=list)
    window: Period | None = None
    note: str = ""
    computed_value: Decimal | None = None  # before an override
    computed_points: Decimal | None = None
    override_reason: str = ""

    @property
    def at_risk(self) -> Decimal:
        """Points the leaf would lose if scored today (maximum − points)."""
        if self.points is None:
            return Decimal(0)  # the appraisers judge it: nothing measured at risk
        return self.max_points - self.points

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def source_name(self) -> str:
        return _(SOURCES[self.source].name)


def window_of(criteria_set: CriteriaSet, as_of: dt.date) -> Period | None:
    """1 January of the set's year up to `as_of` (at most 31 December); None before the year."""
    first = dt.date(criteria_set.year, 1, 1)
    last = min(as_of, dt.date(criteria_set.year, 12, 31))
    if last < first:
        return None
    return Period(first, last, "custom", "")


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return q2(Decimal(numerator) / Decimal(denominator) * HUNDRED)


def points_for(
    leaf: Criterion, value: Decimal | None, numerator: int, arisen: bool
) -> Decimal | None:
    """The leaf's points for a measured percentage by its rule (None: the appraisers judge).

    bands, proportional: the percentage; binary: met at 100%; count_tiers: the count (the
    numerator); not_arisen: full when nothing arose, else the percentage of the maximum; a
    leaf with nothing to count under another rule: None.
    """
    rule = leaf.rule
    if rule == "not_arisen":
        earned = q2((value or Decimal(0)) / HUNDRED * leaf.max_points)
        return score_leaf(
            rule, leaf.params, max_points=leaf.max_points, value=(arisen, str(earned))
        )
    if rule == "count_tiers":
        return score_leaf(rule, leaf.params, max_points=leaf.max_points, value=numerator)
    if value is None:
        return None
    try:
        if rule == "binary":
            return score_leaf(rule, leaf.params, max_points=leaf.max_points, value=value >= HUNDRED)
        if rule == "proportional":
            params = {"threshold": "100", **leaf.params}
            return score_leaf(rule, params, max_points=leaf.max_points, value=str(value))
        if rule == "bands":
            return score_leaf(rule, leaf.params, max_points=leaf.max_points, value=str(value))
    except (RuleError, KeyError):
        return None
    return None


def _day(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def _index_records(code: str, unit_ids: frozenset[int], window: Period) -> list[dict[str, Any]]:
    from motcua.index766.engine import SPEC, indicator_lists

    numerator, denominator = indicator_lists(code, unit_ids, window)
    hits = set(numerator.values_list("pk", flat=True))
    source = SPEC[code].source
    rows: list[dict[str, Any]] = []
    if source == "procedure":
        for pk, pcode, name in denominator.order_by("code").values_list("pk", "code", "name"):
            rows.append({"kind": "procedure", "code": pcode, "name": name, "counted": pk in hits})
    elif source == "feedback":
        for pk, fcode, received, finished in denominator.order_by("received_at", "pk").values_list(
            "pk", "code", "received_at", "finished_at"
        ):
            rows.append(
                {
                    "kind": "feedback",
                    "code": fcode,
                    "received": _day(received),
                    "finished": _day(finished),
                    "counted": pk in hits,
                }
            )
    else:
        for pk, dcode, received, due, finished in denominator.order_by(
            "received_at", "pk"
        ).values_list("pk", "code", "received_at", "statutory_due", "finished_at"):
            rows.append(
                {
                    "kind": "dossier",
                    "code": dcode or f"#{pk}",
                    "received": _day(received),
                    "due": _day(due),
                    "finished": _day(finished),
                    "counted": pk in hits,
                }
            )
    return rows


def _apology_records(unit_ids: frozenset[int], window: Period) -> list[dict[str, Any]]:
    from motcua.dossiers.models import Apology
    from motcua.index766.progress import late_list

    late = list(
        late_list(unit_ids, window.start, window.end)
        .order_by("received_at", "pk")
        .values_list("pk", "code", "received_at", "statutory_due", "finished_at")
    )
    apologised: dict[int, Any] = {}
    for dossier_id, issued in Apology.objects.filter(
        dossier_id__in=[row[0] for row in late], issued_at__lt=window.end
    ).values_list("dossier_id", "issued_at"):
        apologised.setdefault(dossier_id, issued)
    return [
        {
            "kind": "dossier",
            "code": code or f"#{pk}",
            "received": _day(received),
            "due": _day(due),
            "finished": _day(finished),
            "apology": _day(apologised.get(pk)),
            "counted": pk in apologised,
        }
        for pk, code, received, due, finished in late
    ]


def _task_records(unit_code: str, window: Period) -> tuple[list[dict[str, Any]], dict[str, int]]:
    from motcua.assignments.models import Task
    from motcua.stats.taskstats import counted_tasks

    _unit, counted = counted_tasks(code=unit_code, period=window)
    counts = dict.fromkeys(TASK_COUNTED, 0)
    rows = []
    for row, cls, _due in counted:
        if cls not in TASK_COUNTED:
            continue
        counts[cls] += 1
        rows.append({"pk": row["pk"], "code": row["code"], "class": cls})
    due = dict(
        Task.objects.filter(pk__in=[r["pk"] for r in rows]).values_list("pk", "original_due")
    )
    records = [
        {
            "kind": "task",
            "code": r["code"],
            "due": _day(due.get(r["pk"])),
            "status": r["class"],
            "counted": r["class"] == "done_on_time",
        }
        for r in rows
    ]
    return records, counts


def computed_leaves(criteria_set: CriteriaSet) -> list[Criterion]:
    """The set's leaves that name a known data source, in tree order."""
    return [
        c
        for c in criteria_set.criteria.filter(children__isnull=True).order_by("order")
        if c.data_source in SOURCES and c.rule != "not_applicable"
    ]


def computed_values(
    criteria_set: CriteriaSet, unit_code: str, as_of: dt.date
) -> dict[int, ComputedValue]:
    """{criterion id: ComputedValue} for the set's computed leaves of `unit_code` as of `as_of`.

    Empty when the set has no computed leaf, the unit code is not in the unit tree or `as_of`
    is before the set's year. An appraiser's override replaces value and points.
    """
    leaves = computed_leaves(criteria_set)
    window = window_of(criteria_set, as_of)
    if not leaves or window is None:
        return {}
    from motcua.index766.engine import compute_index
    from motcua.stats.selectors import StatsError

    try:
        index = compute_index(unit_code, window)
    except StatsError:
        return {}
    figures: dict[str, tuple[int, int, list[dict[str, Any]]]] = {}
    for source_code in {leaf.data_source for leaf in leaves}:
        source = SOURCES[source_code]
        if source.kind == "index766":
            v = index.total.indicator(source.indicator)
            records = _index_records(source.indicator, index.unit_ids, window)
            figures[source_code] = (v.numerator or 0, v.denominator or 0, records)
        elif source.kind == "apologies":
            records = _apology_records(index.unit_ids, window)
            hit = sum(1 for r in records if r["counted"])
            figures[source_code] = (hit, len(records), records)
        else:
            records, counts = _task_records(unit_code, window)
            figures[source_code] = (counts["done_on_time"], sum(counts.values()), records)
    overrides = {
        o.criterion_id: o
        for o in ComputedOverride.objects.filter(
            criterion__criteria_set=criteria_set, unit_code=unit_code
        )
    }
    out: dict[int, ComputedValue] = {}
    for leaf in leaves:
        source = SOURCES[leaf.data_source]
        numerator, denominator, records = figures[leaf.data_source]
        value = _ratio(numerator, denominator)
        note = ""
        if denominator == 0:
            note = _("Không phát sinh trong kỳ")
            if source.on_zero_full:
                value = HUNDRED
        points = points_for(leaf, value, numerator, arisen=denominator > 0)
        entry = ComputedValue(
            source=leaf.data_source,
            numerator=numerator,
            denominator=denominator,
            value=value,
            points=points,
            max_points=leaf.max_points,
            records=records,
            window=window,
            note=note,
            computed_value=value,
            computed_points=points,
        )
        override = overrides.get(leaf.pk)
        if override is not None:
            entry.value = override.value
            entry.points = override.points
            entry.override_reason = override.reason
        out[leaf.pk] = entry
    return out


@transaction.atomic
def override_computed(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    criterion_code: str,
    value: Decimal,
    reason: str,
    actor: Any,
    source: str = "web",
) -> ComputedOverride:
    """The appraiser replaces a computed leaf's value (a percentage) with a reason.

    The points follow from the leaf's rule; they are also written as the appraiser's score of
    the open appraisal or final round (`process.appraise`), so the results read the override.
    Refused (ProcessError, 409) outside an open appraisal or final round.
    """
    from motcua.par import process
    from motcua.par.choices import RoundKind

    leaf = criteria_set.criteria.filter(code=criterion_code, children__isnull=True).first()
    if leaf is None or leaf.data_source not in SOURCES:
        raise ParError(
            _("Tiêu chí %(code)s không phải tiêu chí motcua tự tính.") % {"code": criterion_code}
        )
    if not reason.strip():
        raise ParError(_("Hãy ghi lý do điều chỉnh giá trị tự tính."))
    if not value.is_finite() or not Decimal(0) <= value <= HUNDRED:
        raise ParError(_("Giá trị điều chỉnh phải là tỷ lệ từ 0 đến 100%."))
    value = q2(value)
    round_ = process.current_round(criteria_set, (RoundKind.APPRAISAL, RoundKind.FINAL))
    if round_ is None:
        raise process.ProcessError(
            _("Không có vòng thẩm định nào đang mở; không thể điều chỉnh giá trị tự tính.")
        )
    points = points_for(leaf, value, 0, arisen=True)
    if points is None:
        raise ParError(
            _("Cách tính điểm của tiêu chí %(code)s không tính được từ tỷ lệ; hãy chấm điểm.")
            % {"code": leaf.code}
        )
    process.appraise(
        round_=round_,
        unit_code=unit_code,
        criterion_code=leaf.code,
        points=points,
        not_applicable=False,
        comment=_("Điều chỉnh giá trị tự tính thành %(v)s%%: %(r)s")
        % {"v": f"{value:f}".rstrip("0").rstrip(".").replace(".", ","), "r": reason.strip()},
        actor=actor,
        source=source,
    )
    row = (
        ComputedOverride.objects.select_for_update()
        .filter(criterion=leaf, unit_code=unit_code)
        .first()
    )
    before = snapshot(row) if row else None
    row = row or ComputedOverride(criterion=leaf, unit_code=unit_code)
    row.value = value
    row.points = points
    row.reason = reason.strip()
    row.actor = actor if getattr(actor, "pk", None) else None
    row.save()
    record_change(
        obj=row,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        actor=actor,
        before=before,
        after=snapshot(row),
        source=source,
        reason=reason.strip(),
    )
    return row
