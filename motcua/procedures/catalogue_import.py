"""`motcua import catalogue PATH…`: the national catalogue exports, kept as published.

Reads the national portal's list exports (xlsx: row 1 heading, row 2 headers `Mã số, Tên,
Cơ quan ban hành, Cơ quan thực hiện, Lĩnh vực`, data from row 3) and its full procedure pages
(JSON, 22 keys), files or folders. Rows that cannot be kept are set aside with their reason
(report + reject CSV) instead of refusing the file; `--strict` writes nothing when any row is
set aside. Time limits and fees are kept as written; a new procedure stays a draft whose
time limit someone must confirm (the clock never guesses). See docs/procedures.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from motcua.lib.commands import CommandFailure
from motcua.lib.safecells import csv_row
from motcua.lib.vntext import fold, nfc
from motcua.procedures.choices import LOCAL_LEVELS, ProcedureLevel
from motcua.procedures.fees import base_fee, merge_local_decision, parse_fee_rows
from motcua.procedures.models import Component, Field, Procedure
from motcua.procedures.services import (
    get_or_create_field,
    procedure_state,
    record_procedure_change,
)
from motcua.procedures.time_limits import parse_time_limit
from motcua.units.models import Unit

FILE_NARGS = "+"
FILE_METAVAR = "PATH"
LIST_HEADERS = ["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"]
PAGE_KEYS = {"ma_thu_tuc", "ten_thu_tuc", "cap_thuc_hien", "thanh_phan_ho_so", "raw_text"}
NO_INFO = "Không có thông tin"
CODE_MAX = Procedure._meta.get_field("code").max_length or 32
LEVELS = {
    "cấp bộ": ProcedureLevel.MINISTRY,
    "cấp tỉnh": ProcedureLevel.PROVINCE,
    "cấp huyện": ProcedureLevel.DISTRICT,
    "cấp xã": ProcedureLevel.COMMUNE,
    "cơ quan khác": ProcedureLevel.OTHER,
}
CHANNELS = ["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"]
_CHANNEL = re.compile("(" + "|".join(CHANNELS) + ")")
_TIME = re.compile(
    r"^(?P<time>Không có thông tin|\d+(?:[.,]\d+)?\s*(?:Ngày làm việc|Ngày|Giờ làm việc|Giờ|"
    r"Tháng|Năm|Phút)|\d+?)(?P<rest>.*)$",
    re.S,
)
_FEE = re.compile(
    r"^(?P<fee>(?:Miễn phí|Không có thông tin|[\d.,]+\s*(?:Việt Nam Đồng|VNĐ|USD|Đồng|đồng))"
    r"(?:\((?:[^()]|\([^()]*\))*\))?)(?P<rest>.*)$",
    re.S,
)
_COUNT = re.compile(r"(\d+) bản chính(?:,\s*(\d+) bản sao)?|(\d+) bản sao")
_FORM = re.compile(r"(?:^|(?<=[.)\s]))([\w\-]+(?:\.[\w\-]+)*\.(?:docx?|pdf|xlsx?|rtf|odt))$")
_DOC_NUMBER = re.compile(r"\d+(?:\.\d+)?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9\-]*")
_WORD_STARTS = {"Th", "Lu", "Ng", "Qu", "Ph", "Ch", "Vă", "Về", "Bộ", "Hư", "Sử", "Ba", "Bổ"}
_DECISION_DATE = re.compile(r"ngày (\d{1,2})/(\d{1,2})/(\d{4})")
_COMPONENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"


@dataclass
class Entry:
    """One procedure as the national sources state it (list row merged with its page)."""

    code: str
    name: str = ""
    issuing_body: str = ""
    bodies: list[str] = field(default_factory=list)
    field_name: str = ""
    levels: list[str] = field(default_factory=list)
    applicants: str = ""
    decision: str = ""
    decision_date: dt.date | None = None
    portal_uuid: str = ""
    channels: list[dict[str, str]] = field(default_factory=list)
    components: list[dict[str, Any]] | None = None
    legal_basis: str = ""
    legal_documents: list[dict[str, str]] = field(default_factory=list)
    results: list[dict[str, str]] = field(default_factory=list)
    steps_text: str = ""
    has_page: bool = False


@dataclass
class SetAside:
    """A row not imported, with where it came from and why."""

    file: str
    row: int
    code: str
    reason: str


@dataclass
class Report:
    """What an import did."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    reference: int = 0
    set_aside: list[SetAside] = field(default_factory=list)
    rejects_file: str = ""

    def __str__(self) -> str:
        lines = [
            f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, "
            f"set aside {len(self.set_aside)} (reference procedures of bodies outside the "
            f"province: {self.reference})"
        ]
        for item in self.set_aside:
            lines.append(f"  {item.file}:{item.row} {item.code or '-'}: {item.reason}")
        if self.rejects_file:
            lines.append(f"set-aside rows written to {self.rejects_file}")
        return "\n".join(lines)


def add_arguments(parser: CommandParser) -> None:
    """`--rejects F`, `--strict`."""
    parser.add_argument("--rejects", metavar="F", help="reject CSV (default: beside the input)")
    parser.add_argument(
        "--strict", action="store_true", help="write nothing when any row is set aside"
    )


# ---------------------------------------------------------------------------------- reading


def _text(value: Any) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _info(value: str) -> str:
    value = value.strip()
    return "" if value in {NO_INFO, "--"} else value


def _bodies(value: str, separator: str) -> list[str]:
    out: list[str] = []
    for part in _info(value).split(separator):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def _check_code(code: str) -> str:
    if not code:
        return "thiếu mã thủ tục"
    if len(code) > CODE_MAX or any(ch.isspace() for ch in code):
        return f"mã thủ tục {code!r} dài quá {CODE_MAX} ký tự hoặc có dấu cách"
    return ""


def read_list(path: Path) -> tuple[list[tuple[int, Entry]], list[SetAside]]:
    """The rows of a list export; rows that cannot be kept are set aside."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise CommandFailure(f"{path}: không đọc được tệp Excel ({exc})", code=1) from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    headers = [_text(v) for v in rows[1]] if len(rows) > 1 else []
    if headers[: len(LIST_HEADERS)] != LIST_HEADERS:
        raise CommandFailure(
            f"{path}: dòng 2 không phải tiêu đề danh sách thủ tục ({', '.join(LIST_HEADERS)})",
            code=1,
        )
    entries: list[tuple[int, Entry]] = []
    aside: list[SetAside] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[2:], start=3):
        values = [_text(v) for v in row[:5]] + [""] * (5 - len(row[:5]))
        if not any(values):
            continue
        code, name, issuing, bodies, field_name = values
        problem = _check_code(code) or ("thiếu tên thủ tục" if not name else "")
        if not problem and code in seen:
            problem = f"mã {code} đã có ở dòng {seen[code]}"
        if problem:
            aside.append(SetAside(str(path), number, code, problem))
            continue
        seen[code] = number
        entries.append(
            (
                number,
                Entry(
                    code=code,
                    name=name,
                    issuing_body=issuing,
                    bodies=_bodies(bodies, "\n"),
                    field_name=field_name,
                ),
            )
        )
    return entries, aside


def _time_and_fee(body: str) -> tuple[str, str, str]:
    """The time and fee cells glued at the start of a channel's body. A bare number takes the
    fewest digits after which a fee cell follows ("75Miễn phí" → 75; "1250 VNĐ" → 1, 250 VNĐ,
    which the fee reading flags as doubtful)."""
    match = _TIME.match(body)
    if match is None:
        return "", "", body
    splits = [(match["time"].strip(), match["rest"])]
    leading = re.match(r"\d+", body)
    if leading and match["time"].strip() == body[:1]:  # a lazy bare number: 1 digit, then 2, …
        splits = [(body[:n], body[n:]) for n in range(1, len(leading[0]) + 1)]
    for time, rest in splits:
        fee_match = _FEE.match(rest)
        if fee_match:
            return time, fee_match["fee"].strip(), fee_match["rest"]
    return "", "", body


def parse_channels(text: str) -> list[dict[str, str]]:
    """'Trực tiếp5 Ngày50,000 Việt Nam Đồng(…)Mô tả…' → channel, time, fee, description."""
    text = text.replace("Hình thức nộpThời gianPhí, lệ phíMô tả", "", 1).strip()
    parts = _CHANNEL.split(text)
    rows: list[dict[str, str]] = []
    for channel, body in zip(parts[1::2], parts[2::2], strict=False):
        time, fee, rest = _time_and_fee(body)
        rows.append({"channel": channel, "time": time, "fee": fee, "description": rest.strip()})
    return rows


def parse_components(text: str) -> list[dict[str, Any]]:
    """The components table flattened by the scraper, group headings kept as conditions."""
    groups = text.split(_COMPONENT_HEADER)
    components: list[dict[str, Any]] = []
    condition = groups[0].strip(" -\n")
    for index, group in enumerate(groups[1:], start=1):
        last = index == len(groups) - 1
        position = 0
        for match in _COUNT.finditer(group):
            name = group[position : match.start()].strip()
            position = match.end()
            if not name:
                continue
            form = ""
            form_match = _FORM.search(name)
            if form_match and form_match.start() > 0:
                form = form_match[1].lstrip(".")
                # "…ban hànhMẫu số 01-PLIII-LS.docx": the label belongs to neither
                name = re.sub(r"\s*Mẫu(?:\s+số)?\s*$", "", name[: form_match.start()]).strip()
            originals = int(match[1] or 0)
            copies = int(match[2] or match[3] or 0)
            components.append(
                {
                    "name": name,
                    "form_name": form[:255],
                    "condition": condition,
                    "originals": originals,
                    "copies": copies,
                }
            )
        tail = group[position:].strip(" -\n")
        if last:
            if tail:  # a last paper without a count is kept, with no count
                components.append(
                    {
                        "name": tail,
                        "form_name": "",
                        "condition": condition,
                        "originals": 0,
                        "copies": 0,
                    }
                )
        else:
            condition = tail
    return components


def parse_legal(text: str) -> tuple[str, list[dict[str, str]]]:
    """The legal-basis section as written, and its documents (name, number) where legible.

    The scraper glued each name to its number and the number to the next name: a number
    directly followed by a letter or digit ends a row; one followed by a space is inside a name.
    """
    body = text.replace(_LEGAL_HEADER, "", 1).strip()
    documents: list[dict[str, str]] = []
    start = search = 0
    while match := _DOC_NUMBER.search(body, search):
        number, end = match[0], match.end()
        assembly = re.match(r".*?/QH\d{2}", number)
        if assembly and len(assembly[0]) < len(number):  # "20/2012/QH1320/2012/QH13"
            number, end = assembly[0], match.start() + len(assembly[0])
        year_glued = re.match(r"((?:19|20)\d\d)(\d{1,4}/.*)$", number)
        if year_glued and len(number.split("/", 1)[0]) >= 5:
            # "Luật Cư trú năm 202068/2020/QH14", "… từ ngày 01/01/2017120/2016/NĐ-CP": no
            # document number has five digits before its year; the year ends the name
            number = year_glued[2]
            name_end = match.start() + 4
        else:
            name_end = match.start()
        following = body[end : end + 1]
        glued = re.match(r"(.*-[A-ZĐ]+)(\d+)$", number)
        if following == "/" and glued:  # "01/2020/TT-BTP01/2020/TT-BTP"
            number, end = glued[1], end - len(glued[2])
        elif following and following.islower():
            if number[-1] + following in _WORD_STARTS:  # "TT-BTPThông tư" → "TT-BTP", "Thông…"
                number, end = number[:-1], end - 1
        elif following and not following.isalnum():
            search = match.end()
            continue
        name = body[start:name_end].strip()
        if not name and documents and documents[-1]["number"] == number:
            documents[-1]["name"] += f" {number}"  # "Luật 20/2012/QH13" + its number again
        else:
            documents.append({"name": name, "number": number})
        start = search = end
    rest = body[start:].strip()
    if rest:
        documents.append({"name": rest, "number": ""})
    return body, documents


def parse_results(text: str) -> list[dict[str, str]]:
    """Result documents with their codes ('…Mã: KQ.G15.000031'), page footer dropped."""
    text = text.split("Từ khóa", 1)[0]
    results = [
        {"name": m[1].strip(), "code": m[2]}
        for m in re.finditer(r"(.*?)Mã: ?([A-Z]+\.[A-Z0-9]+\.[0-9]+)", text, re.S)
    ]
    if not results and _info(text):
        results.append({"name": _info(text), "code": ""})
    return results


def read_page(path: Path) -> Entry:
    """A full procedure page (JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandFailure(f"{path}: không đọc được tệp JSON ({exc})", code=1) from None
    if not isinstance(data, dict) or not set(data) >= PAGE_KEYS:
        raise CommandFailure(f"{path}: không phải trang thủ tục (thiếu các khoá 'ma_thu_tuc'…)")
    page = {k: _text(v) for k, v in data.items() if isinstance(v, str | int | None)}
    levels: list[str] = []
    for part in page.get("cap_thuc_hien", "").split(","):
        level = LEVELS.get(part.strip().lower())
        if level and level not in levels:
            levels.append(level)
    decision = _info(page.get("so_quyet_dinh", ""))
    date_match = _DECISION_DATE.search(decision)
    portal = ""
    tail = page.get("detail_url", "").rstrip("/").rsplit("/", 1)[-1]
    try:
        portal = str(uuid.UUID(tail)) if tail else ""
    except ValueError:
        portal = ""
    legal, documents = parse_legal(page.get("can_cu_phap_ly", ""))
    return Entry(
        code=page.get("ma_thu_tuc", ""),
        name=page.get("ten_thu_tuc", ""),
        bodies=_bodies(page.get("co_quan_thuc_hien", ""), ","),
        field_name=_info(page.get("linh_vuc", "")),
        levels=levels,
        applicants=_info(page.get("doi_tuong_thuc_hien", "")),
        decision=decision,
        decision_date=(
            dt.date(int(date_match[3]), int(date_match[2]), int(date_match[1]))
            if date_match
            else None
        ),
        portal_uuid=portal,
        channels=parse_channels(page.get("cach_thuc_thuc_hien", "")),
        components=parse_components(page.get("thanh_phan_ho_so", "")),
        legal_basis=legal,
        legal_documents=documents,
        results=parse_results(page.get("ket_qua_xu_ly", "")),
        steps_text=page.get("trinh_tu_thuc_hien", ""),
        has_page=True,
    )


def merge(base: Entry, page: Entry) -> Entry:
    """A list row and a page of the same procedure: the page wins where it says something."""
    for name in (
        "name",
        "field_name",
        "levels",
        "applicants",
        "decision",
        "decision_date",
        "portal_uuid",
        "channels",
        "components",
        "legal_basis",
        "legal_documents",
        "results",
        "steps_text",
        "bodies",
    ):
        value = getattr(page, name)
        if value:
            setattr(base, name, value)
    base.has_page = base.has_page or page.has_page
    return base


def expand(paths: list[str]) -> list[Path]:
    """Files named, and the .xlsx/.json files inside folders named (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in {".xlsx", ".json"})
            )
        elif path.is_file():
            if path.suffix.lower() not in {".xlsx", ".json"}:
                raise CommandFailure(f"{path}: chỉ nhận tệp .xlsx hoặc .json", code=2)
            files.append(path)
        else:
            raise CommandFailure(f"{path}: không có tệp hoặc thư mục này", code=1)
    return files


def read_sources(files: list[Path]) -> tuple[dict[str, Entry], list[SetAside]]:
    """Every entry by code (list rows first, then pages merged in) and the rows set aside."""
    entries: dict[str, Entry] = {}
    aside: list[SetAside] = []
    pages: list[tuple[Path, Entry]] = []
    for path in files:
        if path.suffix.lower() == ".xlsx":
            rows, rejected = read_list(path)
            aside.extend(rejected)
            for _, entry in rows:
                if entry.code in entries:
                    entries[entry.code] = merge(entries[entry.code], entry)
                else:
                    entries[entry.code] = entry
        else:
            pages.append((path, read_page(path)))
    for path, page in pages:
        problem = _check_code(page.code) or ("thiếu tên thủ tục" if not page.name else "")
        if problem:
            aside.append(SetAside(str(path), 1, page.code, problem))
            continue
        entries[page.code] = merge(entries.get(page.code) or Entry(code=page.code), page)
    return entries, aside


# ---------------------------------------------------------------------------------- writing


def body_level(body: str) -> str:
    """The level of an executing body named as the catalogue writes it."""
    folded = fold(body)
    if "cap tinh" in folded or folded.startswith("so ") or " tinh" in folded:
        return ProcedureLevel.PROVINCE
    if "cap huyen" in folded:
        return ProcedureLevel.DISTRICT
    if "cap xa" in folded or folded.startswith(("ubnd xa", "uy ban nhan dan xa")):
        return ProcedureLevel.COMMUNE
    if folded.startswith(("bo ", "cuc ", "tong cuc", "vu ")) or "bo truong" in folded:
        return ProcedureLevel.MINISTRY
    return ProcedureLevel.OTHER


def entry_levels(entry: Entry) -> list[str]:
    """The levels the page states, else those its bodies imply."""
    if entry.levels:
        return list(entry.levels)
    levels: list[str] = []
    for body in entry.bodies:
        level = body_level(body)
        if level not in levels:
            levels.append(level)
    return levels or [ProcedureLevel.OTHER]


class _UnitNames:
    """Current units of the province by folded name, to map the bodies written in the catalogue."""

    def __init__(self) -> None:
        self.units = [
            (unit_id, fold(name))
            for unit_id, name in Unit.objects.filter(valid_to__isnull=True).values_list(
                "pk", "name"
            )
        ]

    def match(self, bodies: list[str]) -> list[int]:
        found: list[int] = []
        for body in bodies:
            wanted = fold(body)
            if body_level(body) not in LOCAL_LEVELS or "cap " in wanted:
                continue  # "Ủy ban nhân dân cấp xã" names no one unit
            for unit_id, name in self.units:
                if (name == wanted or name.startswith(wanted + " ")) and unit_id not in found:
                    found.append(unit_id)
        return found


def _written(channels: list[dict[str, str]], key: str) -> str:
    return "; ".join(f"{c['channel']}: {c[key] or NO_INFO}" for c in channels)


def _component_rows(procedure: Procedure) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "form_name": c.form_name,
            "condition": c.condition,
            "originals": c.originals,
            "copies": c.copies,
        }
        for c in procedure.components.all()
    ]


def apply_entry(
    entry: Entry,
    existing: Procedure | None,
    *,
    field_obj: Field | None,
    units: _UnitNames,
    actor: Any = None,
    source: str = "import",
) -> tuple[str, bool]:
    """Create or update one procedure from the catalogue; ('created'|'updated'|'unchanged',
    is_reference). A procedure the province configured (its limit confirmed) keeps its level,
    limit, fee, publication, competent units and process."""
    levels = entry_levels(entry)
    local = any(level in LOCAL_LEVELS for level in levels)
    primary = next((lv for lv in levels if lv in LOCAL_LEVELS), levels[0])
    unit_ids = units.match(entry.bodies)
    values: dict[str, Any] = {
        "name": entry.name,
        "field": field_obj,
        "level": primary,
        "levels": levels,
        "executing_bodies": entry.bodies,
        "issuing_body": entry.issuing_body or (existing.issuing_body if existing else ""),
        "applicants": entry.applicants,
        "time_limit_as_written": _written(entry.channels, "time") if entry.channels else "",
        "fee_as_written": _written(entry.channels, "fee") if entry.channels else "",
        "channels_as_written": entry.channels,
        "fee_spec": merge_local_decision(
            parse_fee_rows(entry.channels), existing.fee_spec if existing else None
        ),
        "result_documents": entry.results,
        "legal_documents": entry.legal_documents,
        "legal_basis": entry.legal_basis,
        "publication_decision": entry.decision[:255],
        "publication_decision_date": entry.decision_date,
        "portal_uuid": entry.portal_uuid,
        # The wording read into a proposal (motcua.procedures.time_limits); confirmed on the
        # confirmation page, never taken by the clock before.
        "time_limit_spec": (
            parse_time_limit(entry.channels, steps_text=entry.steps_text) if entry.has_page else {}
        ),
    }
    values["fee"] = base_fee(values["fee_spec"])
    if existing is None:
        values["is_reference"] = not local and not unit_ids
        procedure = Procedure(code=entry.code, time_limit_confirmed=False, **values)
        procedure.save()
        if entry.components:
            Component.objects.bulk_create(
                Component(procedure=procedure, order=n, **c)
                for n, c in enumerate(entry.components, start=1)
            )
        if unit_ids:
            procedure.competent_units.set(unit_ids)
        record_procedure_change(procedure, before=None, actor=actor, source=source)
        return "created", procedure.is_reference
    procedure = Procedure.objects.select_for_update().get(pk=existing.pk)
    if not entry.has_page:  # a list row says nothing of these: keep what a page brought
        for name in (
            "applicants",
            "time_limit_as_written",
            "fee_as_written",
            "channels_as_written",
            "fee_spec",
            "fee",
            "result_documents",
            "legal_documents",
            "legal_basis",
            "publication_decision",
            "publication_decision_date",
            "portal_uuid",
            "time_limit_spec",
        ):
            values.pop(name)
        if procedure.levels:
            values.pop("levels")
            values.pop("level", None)
    if procedure.time_limit_confirmed:  # configured by the province: its level is its own
        values.pop("level", None)
        values.pop("fee", None)  # and so is its fee (the wording's spec is still kept)
        values.pop("time_limit_spec", None)  # and so is the limit it confirmed
    values["is_reference"] = not local and not unit_ids and not procedure.competent_units.exists()
    changed = [name for name, value in values.items() if getattr(procedure, name) != value]
    new_components = entry.components
    components_changed = new_components is not None and _component_rows(procedure) != [
        {k: c[k] for k in ("name", "form_name", "condition", "originals", "copies")}
        for c in new_components
    ]
    if not changed and not components_changed:
        return "unchanged", procedure.is_reference
    before = procedure_state(procedure)
    for name in changed:
        setattr(procedure, name, values[name])
    procedure.save()
    if components_changed and new_components is not None:
        procedure.components.all().delete()
        Component.objects.bulk_create(
            Component(procedure=procedure, order=n, **c)
            for n, c in enumerate(new_components, start=1)
        )
    record_procedure_change(procedure, before=before, actor=actor, source=source)
    return "updated", procedure.is_reference


def write_rejects(path: Path, aside: list[SetAside]) -> None:
    """The set-aside rows as CSV: file, row, code, reason."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "code", "reason"])
        for item in aside:  # text read from the file: never a formula in a spreadsheet
            writer.writerow(csv_row([item.file, item.row, item.code, item.reason]))


def import_catalogue(
    paths: list[str],
    *,
    rejects: str | None = None,
    strict: bool = False,
    actor: Any = None,
    source: str = "import",
) -> Report:
    """Read every source, then write the procedures in one transaction (see module doc)."""
    if not paths:
        raise CommandFailure("cần ít nhất một tệp hoặc thư mục", code=2)
    files = expand(paths)
    entries, aside = read_sources(files)
    report = Report(set_aside=aside)
    if aside:
        first = Path(paths[0])
        target = (
            Path(rejects)
            if rejects
            else ((first if first.is_dir() else first.parent) / "catalogue-rejects.csv")
        )
        write_rejects(target, aside)
        report.rejects_file = str(target)
    if strict and aside:
        raise CommandFailure(
            f"{report}\n--strict: {len(aside)} dòng bị để riêng, không ghi gì vào danh mục",
            code=1,
        )
    units = _UnitNames()
    with transaction.atomic():
        existing = {p.code: p for p in Procedure.objects.filter(code__in=list(entries))}
        fields: dict[str, Field] = {}
        for code in sorted(entries):
            entry = entries[code]
            field_obj = None
            if entry.field_name:
                if entry.field_name not in fields:
                    fields[entry.field_name], _ = get_or_create_field(
                        entry.field_name[:255], actor=actor, source=source
                    )
                field_obj = fields[entry.field_name]
            outcome, reference = apply_entry(
                entry,
                existing.get(code),
                field_obj=field_obj,
                units=units,
                actor=actor,
                source=source,
            )
            if outcome == "created":
                report.imported += 1
            elif outcome == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
            report.reference += reference
    return report


def import_file(path: Any, *, stdout: Any = None, options: dict[str, Any] | None = None) -> str:
    """`motcua import catalogue PATH…` (the import command's entry point)."""
    options = options or {}
    paths = list(path) if isinstance(path, list | tuple) else [path]
    report = import_catalogue(
        paths, rejects=options.get("rejects"), strict=bool(options.get("strict"))
    )
    return str(report)
