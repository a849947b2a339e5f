"""Registers of figures motcua does not record (reports.md §3, second table) — sổ số liệu nhập.

Staffing, budget (integer đồng), legal documents (issued, in force, partly and fully expired
kept apart), inspections, propaganda, civil-service events, narrative lists and outside indices
are entered one by one (`enter_register_entry`) or imported from a CSV/XLSX file
(`import_registers`, all or nothing, errors as "dòng N: …"). Each entry has its owning unit,
its "as of" date (or data window), its evidence — a file checked by `motcua/lib/filecheck.py`
or the number of the document it comes from — and the person who entered it.

An `override` entry gives, by hand, a figure motcua otherwise computes (`dossiers.received`
…), for a unit whose records are not (all) in motcua; the report shows it as entered and the
checks of §4 apply to it like to any other figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.lib import filecheck
from motcua.lib.csvin import ImportProblem
from motcua.lib.lifecycle import ServiceError
from motcua.lib.vntext import nfc
from motcua.reports.choices import RegisterKind
from motcua.reports.models import RegisterEntry
from motcua.reports.reform.figures import (
    COUNT,
    DOSSIER_FIGURES,
    FEEDBACK_FIGURES,
    MONEY,
    PERCENT,
    PROCEDURE_LEVELS,
    RANK,
    SCORE,
    TASK_LABELS,
    TEXT,
)
from motcua.units.models import Unit

K = RegisterKind
# key → (register kind, Vietnamese label, measure)
REGISTER_KEYS: dict[str, tuple[str, str, str]] = {
    "staffing.assigned": (K.STAFFING, "Biên chế được giao", COUNT),
    "staffing.actual": (K.STAFFING, "Số công chức, viên chức có mặt", COUNT),
    "staffing.contracts": (K.STAFFING, "Số hợp đồng lao động", COUNT),
    "budget.available": (K.BUDGET, "Tổng kinh phí được sử dụng (đồng)", MONEY),
    "budget.allocated": (K.BUDGET, "Kinh phí được giao trong năm (đồng)", MONEY),
    "budget.carried_over": (K.BUDGET, "Kinh phí năm trước chuyển sang (đồng)", MONEY),
    "budget.autonomous": (K.BUDGET, "Kinh phí giao tự chủ (đồng)", MONEY),
    "budget.non_autonomous": (K.BUDGET, "Kinh phí không giao tự chủ (đồng)", MONEY),
    "budget.spent": (K.BUDGET, "Kinh phí đã sử dụng (đồng)", MONEY),
    "budget.spent_rate": (K.BUDGET, "Tỷ lệ sử dụng kinh phí (%)", PERCENT),
    "legal_documents.issued": (K.LEGAL_DOCUMENTS, "Số văn bản quy phạm pháp luật ban hành", COUNT),
    "legal_documents.in_force": (K.LEGAL_DOCUMENTS, "Số văn bản còn hiệu lực", COUNT),
    "legal_documents.partly_expired": (
        K.LEGAL_DOCUMENTS,
        "Số văn bản hết hiệu lực một phần",
        COUNT,
    ),
    "legal_documents.fully_expired": (
        K.LEGAL_DOCUMENTS,
        "Số văn bản hết hiệu lực toàn bộ",
        COUNT,
    ),
    "inspections.planned": (K.INSPECTIONS, "Số cơ quan, đơn vị được kiểm tra theo kế hoạch", COUNT),
    "inspections.done": (K.INSPECTIONS, "Số cơ quan, đơn vị đã được kiểm tra", COUNT),
    "inspections.tthc_checks": (
        K.INSPECTIONS,
        "Số cuộc kiểm tra công tác kiểm soát thủ tục hành chính",
        COUNT,
    ),
    "propaganda.broadcasts": (K.PROPAGANDA, "Số chương trình phát thanh, truyền hình", COUNT),
    "propaganda.articles": (K.PROPAGANDA, "Số tin, bài, chuyên trang, chuyên mục", COUNT),
    "civil_service.recruited": (K.CIVIL_SERVICE, "Số người được tuyển dụng", COUNT),
    "civil_service.appointed": (K.CIVIL_SERVICE, "Số người được bổ nhiệm", COUNT),
    "civil_service.trained": (K.CIVIL_SERVICE, "Số người được cử đi đào tạo, bồi dưỡng", COUNT),
    "civil_service.exam_candidates": (K.CIVIL_SERVICE, "Số thí sinh dự thi nâng ngạch", COUNT),
    "civil_service.disciplined": (K.CIVIL_SERVICE, "Số người bị xử lý kỷ luật", COUNT),
    "initiatives.models": (K.INITIATIVES, "Mô hình mới, sáng kiến", TEXT),
    "initiatives.difficulties": (K.INITIATIVES, "Khó khăn, vướng mắc", TEXT),
    "initiatives.proposals": (K.INITIATIVES, "Đề xuất, kiến nghị", TEXT),
    "indices.sipas": (K.OUTSIDE_INDICES, "Chỉ số SIPAS (%)", SCORE),
    "indices.papi": (K.OUTSIDE_INDICES, "Chỉ số PAPI (điểm)", SCORE),
    "indices.papi_rank": (K.OUTSIDE_INDICES, "Xếp hạng PAPI", RANK),
    "indices.pci": (K.OUTSIDE_INDICES, "Chỉ số PCI (điểm)", SCORE),
    "indices.pci_rank": (K.OUTSIDE_INDICES, "Xếp hạng PCI", RANK),
    "indices.ddci": (K.OUTSIDE_INDICES, "Chỉ số DDCI (điểm)", SCORE),
    "indices.dti": (K.OUTSIDE_INDICES, "Chỉ số DTI", SCORE),
}
# Computed figures that may be entered by hand instead (the override register).
OVERRIDE_KEYS: dict[str, tuple[str, str, str]] = {
    **{f"dossiers.{s}": (K.OVERRIDE, label, COUNT) for s, _f, label in DOSSIER_FIGURES},
    "dossiers.online_share": (K.OVERRIDE, "Tỷ lệ hồ sơ mới tiếp nhận trực tuyến (%)", PERCENT),
    "dossiers.on_time_rate": (
        K.OVERRIDE,
        "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn (%)",
        PERCENT,
    ),
    "procedures.total": (K.OVERRIDE, "Tổng số thủ tục hành chính thuộc thẩm quyền", COUNT),
    **{f"procedures.{lv}": (K.OVERRIDE, label, COUNT) for lv, label in PROCEDURE_LEVELS},
    **{f"feedback.{n}": (K.OVERRIDE, label, COUNT) for n, label in FEEDBACK_FIGURES},
    **{f"tasks.{n}": (K.OVERRIDE, label, COUNT) for n, label in TASK_LABELS.items()},
    "digitisation.digitised": (K.OVERRIDE, "Tỷ lệ hồ sơ được số hóa (%)", PERCENT),
}
ALL_KEYS = {**REGISTER_KEYS, **OVERRIDE_KEYS}

HEADER = ["key", "unit", "as_of", "value"]
LOGGED_FIELDS = [f.name for f in RegisterEntry._meta.concrete_fields if f.name != "evidence"]
OPTIONAL = ["from", "to", "numerator", "denominator", "evidence", "evidence_reference", "note"]


class RegisterError(ServiceError):
    """An entry that cannot be recorded; `field` names the bad input."""


@dataclass
class ParsedValue:
    """A value as stored: exactly one of integer, decimal (with its decimals) or text."""

    value_int: int | None = None
    value_decimal: Decimal | None = None
    decimals: int | None = None
    value_text: str = ""


_GROUPED = re.compile(r"^-?\d{1,3}(?:[.,  ]\d{3})+$")
_PLAIN = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,](\d+))?$")


def parse_value(key: str, raw: Any) -> ParsedValue:
    """Read `raw` for figure `key`: counts and money as integers (184.027 or 184027),
    percentages and scores as decimals keeping the decimals written (90,55), ranks and lists
    as text. RegisterError with a Vietnamese message otherwise."""
    if key not in ALL_KEYS:
        raise RegisterError(f"mã số liệu “{key}” không có trong danh mục", field="key")
    _kind, label, measure = ALL_KEYS[key]
    if isinstance(raw, bool):
        raise RegisterError(f"{label}: giá trị không hợp lệ", field="value")
    text = str(raw) if isinstance(raw, int | Decimal | float) else nfc(str(raw or "")).strip()
    if not text:
        raise RegisterError(f"{label}: chưa có giá trị", field="value")
    if measure in (TEXT, RANK):
        return ParsedValue(value_text=text)
    if measure in (COUNT, MONEY):
        if _PLAIN.match(text) or _GROUPED.match(text):
            value = int(re.sub(r"[.,  ]", "", text))
            if value < 0:
                raise RegisterError(f"{label}: không được là số âm", field="value")
            return ParsedValue(value_int=value)
        raise RegisterError(
            f"{label}: “{text}” không phải số nguyên (ví dụ 184.027 hoặc 184027)", field="value"
        )
    match = _DECIMAL.match(text.rstrip("%").strip())
    if not match:
        raise RegisterError(f"{label}: “{text}” không phải số (ví dụ 90,55)", field="value")
    digits = match.group(1) or ""
    try:
        number = Decimal(text.rstrip("%").strip().replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise RegisterError(f"{label}: “{text}” không phải số", field="value") from None
    if len(digits) > 4:
        raise RegisterError(f"{label}: tối đa 4 chữ số thập phân", field="value")
    return ParsedValue(value_decimal=number, decimals=len(digits))


def _checked_evidence(data: bytes, name: str) -> None:
    limit = int(settings.MOTCUA_MAX_UPLOAD_MB) * 1024 * 1024
    if len(data) > limit:
        raise RegisterError(
            f"tệp minh chứng lớn hơn giới hạn {settings.MOTCUA_MAX_UPLOAD_MB} MB", field="evidence"
        )
    if not data:
        raise RegisterError("tệp minh chứng rỗng", field="evidence")
    try:
        filecheck.check_file(data, name)
    except filecheck.FileRefused as refused:
        raise RegisterError(f"tệp minh chứng: {refused.message}", field="evidence") from None


def _read_file(file: Any) -> tuple[bytes, str]:
    name = str(getattr(file, "name", "") or "")
    if hasattr(file, "seek"):
        file.seek(0)
    limit = int(settings.MOTCUA_MAX_UPLOAD_MB) * 1024 * 1024
    data = file.read(limit + 1)
    return bytes(data), Path(name).name


def _count(raw: Any, what: str) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if _PLAIN.match(text) or _GROUPED.match(text):
        return int(re.sub(r"[.,  ]", "", text))
    raise RegisterError(f"{what}: “{text}” không phải số nguyên", field=what)


def prepare_entry(
    *,
    key: str,
    unit: Unit | str,
    as_of: dt.date,
    value: Any,
    actor: Any,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    numerator: Any = None,
    denominator: Any = None,
    evidence: Any = None,
    evidence_reference: str = "",
    note: str = "",
    source: str = "web",
) -> tuple[RegisterEntry, tuple[bytes, str] | None]:
    """Check one entry and build it, unsaved, with its evidence content (nothing written)."""
    key = nfc(str(key or "")).strip()
    parsed = parse_value(key, value)
    kind, _label, measure = ALL_KEYS[key]
    if isinstance(unit, str):
        found = Unit.objects.version_of(unit.strip(), as_of) if unit.strip() else None
        if found is None:
            raise RegisterError(
                f"không có đơn vị mã “{unit}” vào ngày {as_of:%d/%m/%Y}", field="unit"
            )
        unit = found
    if (period_from is None) != (period_to is None):
        raise RegisterError("kỳ số liệu cần cả ngày đầu và ngày cuối", field="from")
    if period_from and period_to and period_to < period_from:
        raise RegisterError("ngày cuối của kỳ số liệu trước ngày đầu", field="to")
    if as_of > timezone.localdate():
        raise RegisterError("ngày số liệu không được ở tương lai", field="as_of")
    num = _count(numerator, "numerator")
    den = _count(denominator, "denominator")
    if measure == PERCENT and (num is None) != (den is None):
        raise RegisterError("tỷ lệ cần cả tử số và mẫu số (hoặc không cả hai)", field="numerator")
    if den == 0:
        raise RegisterError("mẫu số phải lớn hơn 0", field="denominator")
    reference = nfc(evidence_reference or "").strip()
    content: tuple[bytes, str] | None = None
    if evidence is not None:
        content = _read_file(evidence)
        _checked_evidence(*content)
    if content is None and not reference:
        raise RegisterError(
            "cần minh chứng: tệp đính kèm hoặc số, ký hiệu văn bản nguồn", field="evidence"
        )
    user = actor if getattr(actor, "pk", None) else None
    entry = RegisterEntry(
        kind=kind,
        key=key,
        unit=unit,
        as_of=as_of,
        period_from=period_from,
        period_to=period_to,
        value_int=parsed.value_int,
        value_decimal=parsed.value_decimal,
        decimals=parsed.decimals,
        value_text=parsed.value_text,
        numerator=num,
        denominator=den,
        evidence_reference=reference,
        note=nfc(note or "").strip(),
        entered_by=user,
        entered_by_name=str(getattr(actor, "get_username", lambda: str(actor or "system"))()),
        source=source,
    )
    if content is not None:
        entry.evidence_name = content[1]
    return entry, content


def _save(entry: RegisterEntry, content: tuple[bytes, str] | None, actor: Any) -> RegisterEntry:
    if content is not None:
        entry.evidence.save(content[1], ContentFile(content[0]), save=False)
    entry.save()
    record_change(
        obj=entry,
        action=ChangeAction.CREATE,
        actor=actor,
        after={**snapshot(entry, fields=LOGGED_FIELDS), "evidence": entry.evidence.name or ""},
        source=entry.source,
    )
    return entry


@transaction.atomic
def enter_register_entry(*, actor: Any, **fields: Any) -> RegisterEntry:
    """Record one entered figure for a unit as of a date with its evidence (file or document).

    Keyword arguments as `prepare_entry`: `key`, `unit` (a Unit, or a code: its version in
    force on `as_of`), `as_of`, `value`, and optionally `period_from`, `period_to`,
    `numerator`, `denominator`, `evidence` (a file), `evidence_reference`, `note`, `source`.
    RegisterError (400) for bad input; nothing is written then.
    """
    entry, content = prepare_entry(actor=actor, **fields)
    return _save(entry, content, actor)


# -- import ------------------------------------------------------------------------------------

_STRUCTURE = (
    (re.compile(r"missing column\(s\): (.*)"), "thiếu cột: {0}"),
    (re.compile(r"unknown column\(s\): ([^(]*)\(.*"), "cột không có trong mẫu: {0}"),
    (re.compile(r"duplicated column\(s\): (.*)"), "cột bị lặp: {0}"),
    (re.compile(r"expected (\d+) values, found (\w+)"), "cần {0} giá trị, có {1}"),
    (re.compile(r"the file is not UTF-8 text"), "tệp không phải văn bản UTF-8"),
    (re.compile(r"the (?:file|sheet) is empty.*"), "tệp trống: cần dòng tiêu đề"),
    (re.compile(r"cannot read .*"), "không đọc được tệp"),
    (re.compile(r".* is not an XLSX workbook"), "tệp không phải bảng tính XLSX"),
    (re.compile(r"malformed CSV: (.*)"), "tệp CSV sai định dạng: {0}"),
)


def _vietnamese(reason: str) -> str:
    for pattern, words in _STRUCTURE:
        match = pattern.search(reason)
        if match:
            return words.format(*[g.strip() for g in match.groups()])
    return reason


class RegisterImportError(Exception):
    """The file has problems; nothing was written. `errors` are (line, Vietnamese reason)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("\n".join(f"dòng {line}: {reason}" for line, reason in errors))
        self.errors = errors


def _date(raw: str, what: str) -> dt.date | None:
    text = raw.strip()
    if not text:
        return None
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise RegisterError(f"{what}: “{text}” không phải ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")


def import_registers(path: str | Path, *, actor: Any, source: str = "import") -> int:
    """Import a CSV/XLSX of entries (columns `key, unit, as_of, value` and optionally `from,
    to, numerator, denominator, evidence, evidence_reference, note`); `evidence` names a file
    in the same folder. All or nothing: RegisterImportError lists every bad line."""
    from motcua.par.tables import read_rows

    folder = Path(path).parent
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        rows = list(read_rows(path, required=HEADER, optional=OPTIONAL))
    except ImportProblem as problem:
        raise RegisterImportError(
            [(line, _vietnamese(reason)) for line, reason in problem.errors]
        ) from None
    if not rows:
        raise RegisterImportError([(1, "tệp không có dòng số liệu nào")])
    errors: list[tuple[int, str]] = []
    prepared: list[tuple[RegisterEntry, tuple[bytes, str] | None]] = []
    for line, row in rows:
        try:
            as_of = _date(row.get("as_of", ""), "as_of")
            if as_of is None:
                raise RegisterError("as_of: chưa có ngày số liệu")
            evidence = None
            name = (row.get("evidence") or "").strip()
            if name:
                candidate = (folder / name).resolve()
                if candidate.parent != folder.resolve() or not candidate.is_file():
                    raise RegisterError(f"không tìm thấy tệp minh chứng “{name}” cạnh tệp nhập")
                evidence = ContentFile(candidate.read_bytes(), name=candidate.name)
            prepared.append(
                prepare_entry(
                    key=row["key"],
                    unit=row["unit"],
                    as_of=as_of,
                    value=row["value"],
                    actor=actor,
                    period_from=_date(row.get("from", ""), "from"),
                    period_to=_date(row.get("to", ""), "to"),
                    numerator=row.get("numerator"),
                    denominator=row.get("denominator"),
                    evidence=evidence,
                    evidence_reference=row.get("evidence_reference", ""),
                    note=row.get("note", ""),
                    source=source,
                )
            )
        except RegisterError as exc:
            errors.append((line, exc.message))
    if errors:
        raise RegisterImportError(errors)
    with transaction.atomic():
        for entry, content in prepared:
            _save(entry, content, actor)
    return len(rows)


def entries_for(code: str, first: dt.date, last: dt.date) -> list[RegisterEntry]:
    """The entries a report of unit `code` over [first, last] reads: per key and window the
    latest entry; stock entries dated in the period (the latest date wins), windowed ones
    overlapping it."""
    from django.db.models import Q

    candidates = (
        RegisterEntry.objects.filter(unit__code=code)
        .filter(
            Q(period_from__isnull=True, as_of__gte=first, as_of__lte=last)
            | Q(period_from__lte=last, period_to__gte=first)
        )
        .select_related("unit")
        .order_by("key", "-as_of", "-entered_at", "-id")
    )
    chosen: dict[tuple[str, Any, Any], RegisterEntry] = {}
    for entry in candidates:
        slot = (entry.key, entry.period_from, entry.period_to)
        chosen.setdefault(slot, entry)
    return list(chosen.values())
