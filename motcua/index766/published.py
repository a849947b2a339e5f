"""`motcua import index-published FILE --period 2026-M08`: the portal's published 766 figures.

Reads the national portal's per-unit progress table (`dvc-progress-tree`, as captured in
`shared/data/qd766-phutho-2026-08/`: `data.parent` is the province, `data.children[]` its
units) into `PublishedFigure`, as printed: nothing is recomputed. All or nothing, and safe to
run twice (a second run reports every row unchanged). The portal units are entered in the
mapping table and mapped automatically where unambiguous (`mapping.auto_map`).

Exit status: 0 imported; 1 the file cannot be read or is not such a table; 2 bad rows or bad
arguments (each message names the record, its line in the file and the field), nothing written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.index766.choices import PortalLevel
from motcua.index766.mapping import MappingReport, auto_map
from motcua.index766.models import PortalUnitMapping, PublishedFigure
from motcua.lib.commands import CommandFailure
from motcua.lib.periods import Period, PeriodError, parse_period
from motcua.lib.vntext import nfc

FILE_METAVAR = "FILE.json"
GROUP = "progress"
# What the figure columns are called in the portal's JSON.
FIGURE_KEYS = {
    "received": "totalReceived",
    "on_time": "totalOnTime",
    "overdue": "totalOverdue",
    "avg_processing_days": "avgProcessingDays",
    "ratio": "ratio",
    "score": "score",
    "max_score": "maxScore",
}
# The province row spells two of them differently and adds `totalCompleted`.
PARENT_KEYS = {**FIGURE_KEYS, "score": "totalScore", "max_score": "totalMaxScore"}
COMPARED = (
    "portal_unit_code",
    "portal_unit_name",
    "portal_level",
    "portal_parent_code",
    "received",
    "on_time",
    "overdue",
    "completed",
    "avg_processing_days",
    "ratio",
    "score",
    "max_score",
)


def add_arguments(parser: Any) -> None:
    """`--period 2026-M08` (calendar windows, as the portal publishes)."""
    parser.add_argument(
        "--period",
        metavar="P",
        help="kỳ công bố theo lịch: 2026-M08 (tháng), 2026-Q3 (quý), 2026 (năm)",
    )


@dataclass
class Record:
    """One published row, read and checked."""

    number: int  # 0: the province (data.parent); 1…: data.children[number - 1]
    line: int
    values: dict[str, Any]


@dataclass
class Report:
    """What an import did."""

    period: Period
    parent_code: str
    units: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    parent: dict[str, int] = field(default_factory=dict)
    mapping: MappingReport | None = None

    def __str__(self) -> str:
        lines = [
            f"đã đọc {self.units} đơn vị và số tổng của {self.parent_code} — {self.period.label}",
            f"số liệu công bố: {self.created} mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi",
        ]
        sums = ", ".join(f"{k} {v}" for k, v in self.sums.items())
        if all(self.sums[k] == self.parent.get(k) for k in self.sums):
            lines.append(f"tổng các đơn vị ({sums}) bằng số tổng của tỉnh")
        else:
            parent = ", ".join(f"{k} {v}" for k, v in self.parent.items())
            lines.append(f"CHÚ Ý: tổng các đơn vị ({sums}) khác số tổng của tỉnh ({parent})")
        if self.mapping is not None:
            lines += self.mapping.lines()
        return "\n".join(lines)


def _fail(message: str) -> CommandFailure:
    return CommandFailure(message, code=1)


def read_table(path: str | Path) -> tuple[dict[str, Any], list[Any], list[Any], list[int], bytes]:
    """The parent row, the child rows, the monthly chart, the children's lines, the raw bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _fail(f"{path}: không đọc được tệp ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(f"{path}: tệp không phải văn bản UTF-8") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{path}: dòng {exc.lineno}, cột {exc.colno}: không phải JSON ({exc.msg})"
        ) from None
    data = document.get("data") if isinstance(document, dict) else None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("parent"), dict)
        or not isinstance(data.get("children"), list)
    ):
        raise _fail(
            f"{path}: không phải bảng tiến độ Chỉ số 766 của Cổng DVC quốc gia "
            "(cần data.parent và data.children)"
        )
    chart = data.get("monthlyChart")
    chart_rows: list[Any] = chart if isinstance(chart, list) else []
    return data["parent"], data["children"], chart_rows, _child_lines(text), raw


def _child_lines(text: str) -> list[int]:
    """The line on which each element of `children` starts (best effort; [] if not found)."""
    start = text.find('"children"')
    start = text.find("[", start) + 1 if start >= 0 else 0
    if start <= 0:
        return []
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos, line, counted = start, 1, 0
    try:
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                return lines
            line += text.count("\n", counted, pos)
            counted = pos
            lines.append(line)
            _value, pos = decoder.raw_decode(text, pos)
    except json.JSONDecodeError:
        return lines


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str(float) is always a number
        return None
    return number if number.is_finite() and number >= 0 else None


def check_row(row: Any, keys: dict[str, str], *, parent: bool) -> tuple[dict[str, Any], list[str]]:
    """The row's values under motcua's names, and what is wrong with it (Vietnamese)."""
    if not isinstance(row, dict):
        return {}, ["không phải một đối tượng JSON"]
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name, key in (
        ("portal_unit_id", "departmentId"),
        ("portal_unit_code", "departmentCode"),
        ("portal_unit_name", "departmentName"),
    ):
        text = row.get(key)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{key}: thiếu hoặc rỗng")
        else:
            values[name] = nfc(text)
    for name in ("received", "on_time"):
        number = _int(row.get(keys[name]))
        if number is None:
            problems.append(f"{keys[name]}: phải là số nguyên không âm, có {row.get(keys[name])!r}")
        values[name] = number
    for name, key in (("overdue", keys["overdue"]), ("completed", "totalCompleted")):
        if key in row and row[key] is not None:
            number = _int(row[key])
            if number is None:
                problems.append(f"{key}: phải là số nguyên không âm, có {row[key]!r}")
            values[name] = number
        else:
            values[name] = None
    for name in ("ratio", "score", "max_score", "avg_processing_days"):
        key = keys[name]
        amount = _decimal(row.get(key))
        if amount is None and not (name == "avg_processing_days" and row.get(key) is None):
            problems.append(f"{key}: phải là số không âm, có {row.get(key)!r}")
        values[name] = amount
    if not problems:
        if values["on_time"] > values["received"]:
            problems.append(
                f"{keys['on_time']} ({values['on_time']}) lớn hơn "
                f"{keys['received']} ({values['received']})"
            )
        elif values["overdue"] is not None and (
            values["on_time"] + values["overdue"] != values["received"]
        ):
            problems.append(
                f"{keys['on_time']} + {keys['overdue']} ({values['on_time']} + "
                f"{values['overdue']}) khác {keys['received']} ({values['received']})"
            )
        if values["ratio"] > 100 or values["score"] > values["max_score"]:
            problems.append("tỷ lệ quá 100% hoặc điểm quá điểm tối đa")
    if parent:
        values["portal_level"] = PortalLevel.ROOT
    else:
        level = row.get("level")
        values["portal_level"] = level if level in PortalLevel.values else PortalLevel.OTHER
    return values, problems


def _period(options: dict[str, Any], chart: list[Any]) -> Period:
    raw = (options.get("period") or "").strip()
    if not raw:
        raise CommandFailure(
            "thiếu --period: tệp của Cổng không ghi năm của kỳ; nhập ví dụ --period 2026-M08",
            code=2,
        )
    try:
        period = parse_period(raw, calendar=True)
    except PeriodError:
        raise CommandFailure(
            f"--period «{raw}» không hợp lệ: dùng dạng 2026-M08 (tháng), 2026-Q3 (quý) "
            "hoặc 2026 (năm)",
            code=2,
        ) from None
    months = {
        int(m["month"])
        for m in chart
        if isinstance(m, dict)
        and str(m.get("month", "")).isdigit()
        and (m.get("onTimePct") or m.get("overduePct"))
    }
    if period.first.month == period.last.month and len(months) == 1:
        (month,) = months
        if month != period.first.month:
            raise CommandFailure(
                f"--period {raw}: tệp có số liệu của tháng {month:02d}, không phải tháng "
                f"{period.first.month:02d}",
                code=2,
            )
    return period


def import_published(
    path: str | Path, *, period_text: str | None, actor: Any = None, source: str = "import"
) -> Report:
    """Read the file, check every row, then write all rows and the mapping in one transaction."""
    parent_row, children, chart, lines, raw = read_table(path)
    period = _period({"period": period_text}, chart)
    errors: list[str] = []
    records: list[Record] = []
    parent_values, problems = check_row(parent_row, PARENT_KEYS, parent=True)
    for problem in problems:
        errors.append(f"bản ghi tỉnh (data.parent): {problem}")
    records.append(Record(0, 1, parent_values))
    seen: dict[str, int] = {}
    if parent_values.get("portal_unit_id"):
        seen[parent_values["portal_unit_id"]] = 0
    for index, row in enumerate(children, start=1):
        line = lines[index - 1] if index - 1 < len(lines) else 0
        values, problems = check_row(row, FIGURE_KEYS, parent=False)
        where = f"bản ghi {index} (dòng {line}" + (
            f", {values['portal_unit_code']})" if values.get("portal_unit_code") else ")"
        )
        uid = values.get("portal_unit_id")
        if uid and uid in seen:
            problems.append(
                f"departmentId {uid} đã có ở bản ghi "
                + ("tỉnh" if seen[uid] == 0 else str(seen[uid]))
            )
        elif uid:
            seen[uid] = index
        errors += [f"{where}: {p}" for p in problems]
        records.append(Record(index, line, values))
    if not children:
        errors.append("data.children rỗng: không có đơn vị nào")
    if errors:
        raise CommandFailure(
            "\n".join(errors) + f"\n{len(errors)} lỗi; không ghi gì vào cơ sở dữ liệu", code=2
        )
    parent_code = parent_values["portal_unit_code"]
    report = Report(period=period, parent_code=parent_code, units=len(children))
    report.sums = {
        "tiếp nhận": sum(r.values["received"] for r in records[1:]),
        "đúng hạn": sum(r.values["on_time"] for r in records[1:]),
    }
    report.parent = {
        "tiếp nhận": parent_values["received"],
        "đúng hạn": parent_values["on_time"],
    }
    digest = hashlib.sha256(raw).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        mappings = []
        for record in records:
            record.values["portal_parent_code"] = "" if record.number == 0 else parent_code
            mappings.append(_mapping_row(record.values))
            _save_figure(record.values, period, str(path), digest, now, report)
        report.mapping = auto_map(mappings, day=period.last, actor=actor, source=source)
    return report


def _mapping_row(values: dict[str, Any]) -> PortalUnitMapping:
    mapping, created = PortalUnitMapping.objects.get_or_create(
        portal_unit_id=values["portal_unit_id"],
        defaults={
            "portal_unit_code": values["portal_unit_code"],
            "portal_unit_name": values["portal_unit_name"],
            "portal_level": values["portal_level"],
            "portal_parent_code": values["portal_parent_code"],
        },
    )
    if not created:
        names = ("portal_unit_code", "portal_unit_name", "portal_level", "portal_parent_code")
        changed = [name for name in names if getattr(mapping, name) != values[name]]
        for name in changed:
            setattr(mapping, name, values[name])
        if changed:
            mapping.save(update_fields=[*changed, "updated_at"])
    return mapping


def _save_figure(
    values: dict[str, Any], period: Period, source: str, digest: str, now: Any, report: Report
) -> None:
    key = {
        "first_day": period.first,
        "last_day": period.last,
        "group": GROUP,
        "portal_unit_id": values["portal_unit_id"],
    }
    wanted = {name: values[name] for name in COMPARED}
    row = PublishedFigure.objects.select_for_update().filter(**key).first()
    if row is None:
        PublishedFigure.objects.create(
            **key,
            **wanted,
            period_code=_period_code(period),
            source=source[-255:],
            source_sha256=digest,
            imported_at=now,
        )
        report.created += 1
        return
    changed = [name for name in COMPARED if getattr(row, name) != wanted[name]]
    if not changed:
        report.unchanged += 1
        return
    for name in changed:
        setattr(row, name, wanted[name])
    row.source, row.source_sha256, row.imported_at = source[-255:], digest, now
    row.save()
    report.updated += 1


def _period_code(period: Period) -> str:
    if period.first.month == period.last.month:
        return f"{period.first.year}-M{period.first.month:02d}"
    if period.first.month == 1 and period.last.month == 12:
        return str(period.first.year)
    if (period.last.month - period.first.month) == 2:
        return f"{period.first.year}-Q{(period.first.month - 1) // 3 + 1}"
    return f"{period.first.year}-H{1 if period.first.month <= 6 else 2}"


def import_file(path: str, *, stdout: Any = None, options: dict[str, Any] | None = None) -> str:
    """`motcua import index-published FILE --period P` (the import command's entry point)."""
    options = options or {}
    return str(import_published(path, period_text=options.get("period")))
