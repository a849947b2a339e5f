"""The demo catalogue: 1,815 real national procedure codes and names, shaped like Đồng Tháp.

Two halves:

- `distil()` turns the national catalogue export in `../shared/data/tthc-catalogue-dvcqg`
  (not shipped) into two small committed files, `data/catalogue.csv` (which procedures, at
  which level) and `data/catalogue_components.csv` (components read from the Ministry of
  Justice detail pages). Only the standard library and openpyxl; run it again with

      .venv/bin/motcua manage shell -c "from motcua.demo.catalogue import distil; distil()"

- `build_catalogue(seed=)` loads them: procedures, fields, components, a 3–4 step internal
  process whose budgets add up to the time limit, competent units of the demo tree, version 1
  and one change-log row each, all with bulk inserts. Codes that exist already are left
  alone, so a second run creates nothing. Time limits, fees and online levels that the source
  does not give are drawn from a generator seeded by (seed, code): the same seed, the same
  catalogue. docs/procedures.md lists the sources and the simplifications.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify

from motcua.audit.models import ObjectChange
from motcua.audit.services import snapshot
from motcua.demo.tree import LAST_OLD_DAY, PROVINCE, REFORM_DAY, organisation
from motcua.lib.vntext import fold, nfc
from motcua.procedures.choices import (
    LOCAL_LEVELS,
    MINUTES_PER,
    OnlineLevel,
    ProcedureLevel,
    TimeLimitUnit,
)
from motcua.procedures.models import (
    Component,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    search_body_for,
    search_text_for,
)
from motcua.procedures.services import catalogue_content
from motcua.units.choices import UnitLevel
from motcua.units.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "tthc-catalogue-dvcqg"
CATALOGUE_CSV = "catalogue.csv"
COMPONENTS_CSV = "catalogue_components.csv"
SOURCE = "demo"
# Procedures under provincial competence in Đồng Tháp, Q3 2023 (units.md §2, seed 000).
TARGET = {ProcedureLevel.PROVINCE: 1360, ProcedureLevel.DISTRICT: 295, ProcedureLevel.COMMUNE: 160}
CUTOFF = dt.time(15, 0)
COMPONENT_NAME_MAX = 300
COMPONENTS_MAX = 8
CATALOGUE_COLUMNS = [
    "code",
    "name",
    "issuer",
    "bodies",
    "field",
    "level",
    "level_source",
    "days",
    "time_unit",
    "fee",
    "same_day",
    "online_full",
    "decision",
]
COMPONENT_COLUMNS = ["code", "order", "name", "originals", "copies"]


# --------------------------------------------------------------------------- distilling


def clean(text: Any) -> str:
    """NFC, trimmed, inner runs of white space (also no-break spaces) collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def _level_hint(bodies: list[str], justice_level: str = "") -> set[str]:
    """Levels named by the executing bodies ('cấp tỉnh', 'Sở …', 'cấp huyện', 'cấp xã')."""
    hints: set[str] = set()
    if justice_level:
        folded = fold(justice_level)
        if "cap tinh" in folded:
            hints.add(ProcedureLevel.PROVINCE)
        if "cap xa" in folded:
            hints.add(ProcedureLevel.COMMUNE)
        if "cap huyen" in folded:
            hints.add(ProcedureLevel.DISTRICT)
        return hints
    for body in bodies:
        folded = fold(body)
        if "cap xa" in folded or "xa, phuong" in folded:
            hints.add(ProcedureLevel.COMMUNE)
        if "cap huyen" in folded:
            hints.add(ProcedureLevel.DISTRICT)
        if (
            "cap tinh" in folded
            or body.startswith("Sở ")
            or "tinh, thanh pho" in folded
            or folded.endswith(" tinh")
        ):
            hints.add(ProcedureLevel.PROVINCE)
    return hints


_COMPONENT = re.compile(r"(?P<name>.+?)(?P<orig>\d+) bản chính(?:\s*,\s*(?P<copy>\d+) bản sao)?")
_DAYS = re.compile(r"^(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?P<n>\d+) Ngày(?P<wd> làm việc)?")
_FEE = re.compile(r"(?P<fee>Miễn phí|[\d,]+ Việt Nam Đồng)")


def _shorten(text: str, limit: int = COMPONENT_NAME_MAX) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def justice_components(page: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(name, originals, copies) of the components to submit, from a flattened detail page."""
    text = clean(page.get("thanh_phan_ho_so"))
    if "* Giấy tờ phải nộp:" in text:
        text = text.split("* Giấy tờ phải nộp:", 1)[1]
    text = text.split("* Giấy tờ phải xuất trình", 1)[0]
    text = text.replace("Tên giấy tờMẫu đơn, tờ khaiSố lượng", "").lstrip("- ")
    found = []
    for match in _COMPONENT.finditer(text):
        name = clean(match["name"]).strip(" -+;.")
        originals, copies = int(match["orig"]), int(match["copy"] or 0)
        if name and (originals or copies):
            found.append((_shorten(name), originals, copies))
    return found[:COMPONENTS_MAX]


def justice_facts(page: dict[str, Any]) -> dict[str, str]:
    """Time limit, fee, same-day rule, full-online flag and decision from a detail page."""
    ways = clean(page.get("cach_thuc_thuc_hien")).replace(
        "Hình thức nộpThời gianPhí, lệ phíMô tả", ""
    )
    facts = {"days": "", "time_unit": "", "fee": "", "same_day": "", "online_full": ""}
    if match := _DAYS.match(ways):
        facts["days"] = match["n"]
        facts["time_unit"] = (
            TimeLimitUnit.WORKING_DAYS if match["wd"] else TimeLimitUnit.CALENDAR_DAYS
        )
    if match := _FEE.search(ways):
        fee = match["fee"]
        facts["fee"] = "0" if fee == "Miễn phí" else fee.split(" ")[0].replace(",", "")
    steps = fold(clean(page.get("trinh_tu_thuc_hien")))
    if "sau 15 gio" in steps:
        facts["same_day"] = "1"
    if "toan trinh" in fold(ways):
        facts["online_full"] = "1"
    facts["decision"] = clean(page.get("so_quyet_dinh"))
    return facts


def _order_key(code: str) -> str:
    """A stable shuffle: procedures from all ministries mix when pools are cut."""
    return hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()


def distil(source_dir: Path = SOURCE_DIR, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write `catalogue.csv` and `catalogue_components.csv` from the national export."""
    from openpyxl import load_workbook

    pages: dict[str, dict[str, Any]] = {}
    for path in sorted((source_dir / "raw" / "bo-tu-phap").glob("*.json")):
        page = json.loads(path.read_text("utf-8"))
        pages[clean(page["ma_thu_tuc"])] = page
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted((source_dir / "lists").glob("*.xlsx")):
        sheet = load_workbook(path, read_only=True).active
        assert sheet is not None
        for values in list(sheet.iter_rows(values_only=True))[2:]:
            if not values or not values[0]:
                continue
            code = clean(values[0])
            if code in entries:
                continue
            bodies = [clean(b) for b in str(values[3] or "").split("\n") if clean(b)]
            page = pages.get(code, {})
            entries[code] = {
                "code": code,
                "name": clean(values[1]),
                "issuer": clean(values[2]),
                "bodies": bodies,
                "field": clean(values[4]),
                "hints": _level_hint(bodies, clean(page.get("cap_thuc_hien"))),
                "page": page,
            }
    ordered = sorted(entries.values(), key=lambda e: _order_key(e["code"]))
    commune_only = [e for e in ordered if e["hints"] == {ProcedureLevel.COMMUNE}]
    district = [e for e in ordered if ProcedureLevel.DISTRICT in e["hints"]]
    province = [e for e in ordered if ProcedureLevel.PROVINCE in e["hints"] and e not in district]
    rest = [e for e in ordered if not e["hints"]]
    chosen: dict[str, list[tuple[dict[str, Any], str]]] = {level: [] for level in TARGET}
    chosen[ProcedureLevel.COMMUNE] = [(e, "real") for e in commune_only[:160]]
    # Before 2025 much of today's commune work was done by districts (units.md §3).
    pool = [(e, "real") for e in district] + [(e, "commune") for e in commune_only[160:]]
    chosen[ProcedureLevel.DISTRICT] = pool[: TARGET[ProcedureLevel.DISTRICT]]
    chosen[ProcedureLevel.PROVINCE] = [(e, "real") for e in province][
        : TARGET[ProcedureLevel.PROVINCE]
    ]
    for level in (ProcedureLevel.DISTRICT, ProcedureLevel.PROVINCE):
        missing = TARGET[level] - len(chosen[level])
        chosen[level] += [(e, "assigned") for e in rest[:missing]]
        rest = rest[missing:]
    for level, want in TARGET.items():
        if len(chosen[level]) != want:
            raise ValueError(f"{level}: {len(chosen[level])} procedures, expected {want}")
    catalogue_rows: list[dict[str, str]] = []
    component_rows: list[dict[str, str]] = []
    for chosen_level, picked in chosen.items():
        for entry, how in sorted(picked, key=lambda p: p[0]["code"]):
            facts = justice_facts(entry["page"]) if entry["page"] else {}
            catalogue_rows.append(
                {
                    "code": entry["code"],
                    "name": entry["name"],
                    "issuer": entry["issuer"],
                    "bodies": " | ".join(entry["bodies"]),
                    "field": entry["field"],
                    "level": chosen_level,
                    "level_source": how,
                    **{k: facts.get(k, "") for k in CATALOGUE_COLUMNS[7:]},
                }
            )
            for order, (name, originals, copies) in enumerate(
                justice_components(entry["page"]) if entry["page"] else [], start=1
            ):
                component_rows.append(
                    {
                        "code": entry["code"],
                        "order": str(order),
                        "name": name,
                        "originals": str(originals),
                        "copies": str(copies),
                    }
                )
    catalogue_rows.sort(key=lambda r: r["code"])
    for name, columns, rows in (
        (CATALOGUE_CSV, CATALOGUE_COLUMNS, catalogue_rows),
        (COMPONENTS_CSV, COMPONENT_COLUMNS, component_rows),
    ):
        with (data_dir / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return {"procedures": len(catalogue_rows), "components": len(component_rows)}


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class CatalogueEntry:
    """One distilled procedure (a row of `data/catalogue.csv`)."""

    code: str
    name: str
    issuer: str
    bodies: str
    field: str
    level: str
    level_source: str
    days: int | None
    time_unit: str
    fee: int | None
    same_day: bool
    online_full: bool
    decision: str


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


@cache
def catalogue_entries() -> tuple[CatalogueEntry, ...]:
    """The 1,815 procedures of the demo catalogue."""
    return tuple(
        CatalogueEntry(
            code=r["code"],
            name=r["name"],
            issuer=r["issuer"],
            bodies=r["bodies"],
            field=r["field"],
            level=r["level"],
            level_source=r["level_source"],
            days=int(r["days"]) if r["days"] else None,
            time_unit=r["time_unit"],
            fee=int(r["fee"]) if r["fee"] else None,
            same_day=r["same_day"] == "1",
            online_full=r["online_full"] == "1",
            decision=r["decision"],
        )
        for r in _read(CATALOGUE_CSV)
    )


@cache
def catalogue_components() -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Components read from the Ministry of Justice pages: code → (name, originals, copies)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for r in _read(COMPONENTS_CSV):
        found.setdefault(r["code"], []).append((r["name"], int(r["originals"]), int(r["copies"])))
    return {code: tuple(items) for code, items in found.items()}


# --------------------------------------------------------------------------- shaping

# Department (key of organisation.json, after the 2025 merges) by words of the field, the
# executing bodies or the issuing ministry, first match wins; "" = the provincial People's
# Committee itself (Bộ Công an and court procedures: their provincial bodies are not in the
# demo tree).
_DEPARTMENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("STP", ("tu phap", "cong chung", "luat su", "ho tich", "chung thuc", "tro giup phap ly",
             "thi hanh an", "quan tai vien", "giam dinh", "nuoi con nuoi", "dau gia",
             "trong tai", "hoa giai", "quoc tich", "ly lich", "bien phap bao dam")),
    ("SNNMT", ("nong nghiep", "moi truong", "tai nguyen", "dat dai", "lam nghiep", "kiem lam",
               "thuy san", "thu y", "trong trot", "thuc vat", "khi tuong", "khi hau", "dia chat",
               "khoang san", "nuoc", "bien va hai dao", "chan nuoi", "thuy loi", "do dac")),
    ("SXD", ("xay dung", "giao thong", "duong bo", "dang kiem", "duong thuy", "hang hai",
             "duong sat", "hang khong", "nha o", "kien truc", "do thi")),
    ("SYT", ("y te", "bao hiem xa hoi", "bao tro xa hoi", "duoc", "kham benh")),
    ("SNV", ("noi vu", "lao dong", "viec lam", "nguoi co cong", "thi dua", "ton giao",
             "chinh sach")),
    ("SGDDT", ("giao duc", "dao tao")),
    ("SCT", ("cong thuong", "thuong mai", "dien", "hoa chat")),
    ("SVHTTDL", ("van hoa", "the thao", "du lich")),
    ("SKHCN", ("khoa hoc", "cong nghe", "thong tin", "buu chinh", "vien thong")),
    ("BQLKKT", ("khu cong nghiep", "khu kinh te", "khu che xuat")),
    ("TTR", ("thanh tra", "khieu nai", "to cao")),
    ("STC", ("tai chinh", "thue", "kho bac", "hai quan", "ke hoach va dau tu", "ngan hang",
             "chung khoan", "bao hiem", "tin dung", "doanh nghiep", "gia", "ngoai hoi")),
)  # fmt: skip
_ISSUER_DEPARTMENT = {
    "bo tu phap": "STP",
    "bo tai chinh": "STC",
    "bo xay dung": "SXD",
    "bo nong nghiep va moi truong": "SNNMT",
    "ngan hang nha nuoc viet nam": "STC",
}


def department_key(entry: CatalogueEntry) -> str:
    """The demo department handling a provincial procedure ('' = the People's Committee)."""
    for text in (entry.field, entry.bodies):
        folded = f" {fold(text)} "
        for key, words in _DEPARTMENT_WORDS:
            if any(f" {w} " in folded or f" {w}," in folded for w in words):
                return key
    return _ISSUER_DEPARTMENT.get(fold(entry.issuer), "")


_SAME_DAY_NAMES = ("chung thuc", "cap ban sao", "trich luc")
_WORKING_DAYS = {
    ProcedureLevel.PROVINCE: ((3, 5, 7, 10, 12, 15, 20, 30), (14, 22, 14, 18, 6, 14, 9, 3)),
    ProcedureLevel.DISTRICT: ((2, 3, 5, 7, 10, 15, 20), (8, 20, 26, 14, 16, 10, 6)),
    ProcedureLevel.COMMUNE: ((1, 2, 3, 5, 7, 10), (12, 16, 30, 22, 10, 10)),
}
_FEES = {
    ProcedureLevel.PROVINCE: (50_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000),
    ProcedureLevel.DISTRICT: (20_000, 30_000, 50_000, 100_000, 150_000),
    ProcedureLevel.COMMUNE: (5_000, 8_000, 10_000, 15_000, 20_000, 30_000),
}
_FIRST_COMPONENTS = (
    "Đơn đề nghị (theo mẫu)",
    "Tờ khai (theo mẫu)",
    "Văn bản đề nghị của tổ chức, cá nhân (theo mẫu)",
)
_MORE_COMPONENTS: tuple[tuple[str, int, int, int, bool], ...] = (
    # name, originals, certified copies, copies, required
    ("Giấy tờ chứng minh đủ điều kiện theo quy định", 1, 0, 0, True),
    ("Bản sao có chứng thực giấy tờ pháp lý của tổ chức", 0, 1, 0, True),
    ("Bản sao giấy tờ chứng minh nhân thân (nếu không khai thác được từ CSDL quốc gia về dân cư)",
     0, 0, 1, False),
    ("Văn bản ủy quyền (trường hợp nộp hồ sơ thay)", 1, 0, 0, False),
    ("Bản vẽ, tài liệu kỹ thuật kèm theo", 1, 0, 1, True),
    ("Báo cáo, thuyết minh của tổ chức, cá nhân đề nghị", 1, 0, 0, True),
)  # fmt: skip


@dataclass
class _Shape:
    """What the generator decides for one procedure."""

    amount: int | None
    unit: str
    cutoff: dt.time | None
    fee: int
    online: str
    components: list[tuple[str, int, int, int, bool]]


def _shape(entry: CatalogueEntry, seed: int) -> _Shape:
    rng = random.Random(f"{seed}:{entry.code}")
    level = entry.level
    amount: int | None
    unit: str
    if entry.same_day or fold(entry.name).startswith(_SAME_DAY_NAMES):
        amount, unit, cutoff = None, TimeLimitUnit.SAME_DAY, CUTOFF
    elif entry.days and entry.time_unit:
        amount, unit, cutoff = entry.days, entry.time_unit, None
    else:
        draw = rng.random()
        cutoff = None
        if draw < 0.04:
            amount, unit = rng.choice((15, 30, 45, 60)), TimeLimitUnit.CALENDAR_DAYS
        elif draw < 0.06:
            amount, unit = rng.choice((4, 8)), TimeLimitUnit.WORKING_HOURS
        else:
            days, weights = _WORKING_DAYS[ProcedureLevel(level)]
            amount, unit = rng.choices(days, weights)[0], TimeLimitUnit.WORKING_DAYS
    if entry.fee is not None:
        fee = entry.fee
    else:
        fee = rng.choice(_FEES[ProcedureLevel(level)]) if rng.random() < 0.28 else 0
    if entry.online_full:
        online = OnlineLevel.FULL
    else:
        draw = rng.random()
        online = (
            OnlineLevel.FULL
            if draw < 0.3
            else OnlineLevel.PARTIAL
            if draw < 0.52
            else OnlineLevel.NONE
        )
    components: list[tuple[str, int, int, int, bool]] = [
        (name, originals, 0, copies, True)
        for name, originals, copies in catalogue_components().get(entry.code, ())
    ]
    if not components:
        components = [(rng.choice(_FIRST_COMPONENTS), 1, 0, 0, True)]
        components += rng.sample(_MORE_COMPONENTS, rng.randint(0, 2))
    return _Shape(amount, unit, cutoff, fee, online, components)


def split_budget(total: int, steps: int) -> list[int]:
    """Step budgets (working minutes) adding up exactly to `total`: desk, work, sign, return."""
    if total >= 4 * 480:
        receive, sign, give = 240, 480, 240
    elif total >= 480:
        receive, sign, give = 60, 120, 60
    else:
        receive, sign, give = 15, max(total // 8, 15), 15
    if steps == 3:
        return [receive, total - receive - sign - give, sign + give]
    return [receive, total - receive - sign - give, sign, give]


_STEP_NAMES = {
    4: (
        "Tiếp nhận hồ sơ, chuyển cơ quan giải quyết",
        "Thẩm định, xử lý hồ sơ",
        "Phê duyệt, ký kết quả",
        "Trả kết quả",
    ),
    3: (
        "Tiếp nhận hồ sơ, chuyển cơ quan giải quyết",
        "Thẩm định, xử lý hồ sơ",
        "Phê duyệt, ký kết quả và chuyển trả",
    ),
}
_STEP_ROLES = {
    4: ("one_stop_officer", "specialist", "leader", "one_stop_officer"),
    3: ("one_stop_officer", "specialist", "leader"),
}


def _budget_total(amount: int | None, unit: str) -> int:
    if unit in (TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.WORKING_HOURS):
        return (amount or 0) * MINUTES_PER[TimeLimitUnit(unit)]
    if unit == TimeLimitUnit.SAME_DAY:
        return 240  # nothing to add up to: half a working day, for display
    # Calendar limits are not counted in working time; budgets are indicative (5 of 7 days).
    months = 30 if unit == TimeLimitUnit.CALENDAR_MONTHS else 1
    return max((amount or 1) * months * 5 // 7, 1) * 480


# --------------------------------------------------------------------------- building


class _Units:
    """Demo unit versions the catalogue links to, fetched in one query."""

    def __init__(self) -> None:
        rows = list(
            Unit.objects.filter(code__startswith=PROVINCE).values_list(
                "pk", "code", "level", "valid_from", "valid_to", "parent_id"
            )
        )
        self.code_of = {pk: code for pk, code, *_ in rows}
        self.old: dict[str, int] = {}
        self.new: dict[str, int] = {}
        for pk, code, _, valid_from, valid_to, _ in rows:
            if valid_to is not None and valid_to <= LAST_OLD_DAY:
                self.old[code] = pk
            if valid_to is None or (valid_from is not None and valid_from >= REFORM_DAY):
                self.new[code] = pk
        old_province = self.old.get(PROVINCE)
        self.districts = sorted(
            pk for pk, _, level, *_rest, parent in rows
            if level == UnitLevel.DISTRICT and parent == old_province
        )  # fmt: skip
        self.communes = sorted(
            pk for pk, code, level, vf, vt, _ in rows
            if level == UnitLevel.COMMUNE and (vt == LAST_OLD_DAY or vf == REFORM_DAY)
        )  # fmt: skip
        self.old_departments: dict[str, list[str]] = {}
        for department in organisation()["departments_before"]:
            for successor in department["successors"]:
                self.old_departments.setdefault(successor, []).append(department["key"])

    def competent(self, entry: CatalogueEntry, key: str) -> list[int]:
        """Unit ids competent for `entry`: old and new versions, so both periods are covered."""
        if entry.level == ProcedureLevel.DISTRICT:
            return self.districts
        if entry.level == ProcedureLevel.COMMUNE:
            return self.communes
        if not key:
            return [pk for pk in (self.old.get(PROVINCE), self.new.get(PROVINCE)) if pk]
        found = [self.old[f"{PROVINCE}.{k}"] for k in self.old_departments.get(key, [])
                 if f"{PROVINCE}.{k}" in self.old]  # fmt: skip
        if f"{PROVINCE}.{key}" in self.new:
            found.append(self.new[f"{PROVINCE}.{key}"])
        return found

    def step_units(self, entry: CatalogueEntry, key: str) -> tuple[int | None, int | None]:
        """(desk, deciding unit) of the steps, today's versions; None below the province."""
        if entry.level != ProcedureLevel.PROVINCE:
            return None, None
        desk = self.new.get(f"{PROVINCE}.HCC")
        decider = self.new.get(f"{PROVINCE}.{key}") if key else self.new.get(PROVINCE)
        return desk, decider


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(fold(name))[:60] or "linh-vuc"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _fields(entries: list[CatalogueEntry]) -> tuple[dict[str, Field], int]:
    known = {f.name: f for f in Field.objects.all()}
    taken = set(Field.objects.values_list("code", flat=True))
    missing = sorted({e.field for e in entries if e.field and e.field not in known})
    Field.objects.bulk_create(Field(code=_unique_slug(n, taken), name=n) for n in missing)
    return {f.name: f for f in Field.objects.all()}, len(missing)


def build_catalogue(*, seed: int, stdout: Any = None) -> dict[str, Any]:
    """Load the demo catalogue (codes already present are left alone); return what it did."""
    entries = list(catalogue_entries())
    with transaction.atomic():
        before = Procedure.objects.count()
        existing = set(Procedure.objects.values_list("code", flat=True))
        todo = [e for e in entries if e.code not in existing]
        fields, fields_created = _fields(todo)
        units = _Units()
        shapes = {e.code: _shape(e, seed) for e in todo}
        keys = {e.code: department_key(e) for e in todo}
        procedures = []
        for e in todo:
            shape = shapes[e.code]
            procedures.append(
                Procedure(
                    code=e.code,
                    name=e.name,
                    field=fields.get(e.field),
                    level=e.level,
                    time_limit_amount=shape.amount,
                    time_limit_unit=shape.unit,
                    same_day_cutoff=shape.cutoff,
                    fee=shape.fee,
                    online_level=shape.online,
                    publication_decision=e.decision,
                    valid_to=LAST_OLD_DAY if e.level == ProcedureLevel.DISTRICT else None,
                    published=True,
                    version=1,
                    search_text=search_text_for(e.code, e.name),
                )
            )
        for procedure in procedures:
            procedure.search_body = search_body_for(procedure)
        Procedure.objects.bulk_create(procedures, batch_size=500)
        ids = dict(
            Procedure.objects.filter(code__in=[e.code for e in todo]).values_list("code", "pk")
        )
        components, steps, links = [], [], []
        contents: dict[str, dict[str, Any]] = {}
        link_model = Procedure.competent_units.through
        for procedure, e in zip(procedures, todo, strict=True):
            procedure.pk = ids[e.code]
            shape, key = shapes[e.code], keys[e.code]
            unit_ids = units.competent(e, key)
            links += [link_model(procedure_id=procedure.pk, unit_id=u) for u in unit_ids]
            for order, (name, originals, certified, copies, required) in enumerate(
                shape.components, start=1
            ):
                components.append(
                    Component(
                        procedure_id=procedure.pk,
                        order=order,
                        name=name,
                        originals=originals,
                        certified_copies=certified,
                        copies=copies,
                        required=required,
                    )
                )
            count = 4 if int(_order_key(f"{seed}:{e.code}")[:2], 16) % 3 else 3
            desk, decider = units.step_units(e, key)
            budgets = split_budget(_budget_total(shape.amount, shape.unit), count)
            step_units = (desk, decider, decider, desk)[:count]
            for order, (name, role, unit_id, minutes) in enumerate(
                zip(_STEP_NAMES[count], _STEP_ROLES[count], step_units, budgets, strict=True),
                start=1,
            ):
                steps.append(
                    ProcessStep(
                        procedure_id=procedure.pk,
                        order=order,
                        name=name,
                        unit_id=unit_id,
                        role=role,
                        budget_minutes=minutes,
                    )
                )
            contents[e.code] = _content(procedure, e, shape, unit_ids, units, steps[-count:])
        Component.objects.bulk_create(components, batch_size=1000)
        ProcessStep.objects.bulk_create(steps, batch_size=1000)
        link_model.objects.bulk_create(links, batch_size=2000)
        ProcedureVersion.objects.bulk_create(
            (ProcedureVersion(procedure=p, number=1, data=contents[p.code]) for p in procedures),
            batch_size=500,
        )
        content_type = ContentType.objects.get_for_model(Procedure)
        ObjectChange.objects.bulk_create(
            (
                ObjectChange(
                    actor_name="system",
                    source=SOURCE,
                    action="create",
                    content_type=content_type,
                    object_id=str(p.pk),
                    object_repr=str(p)[:255],
                    after={**snapshot(p), "content": contents[p.code]},
                    reason="danh mục thủ tục của tỉnh mẫu",
                )
                for p in procedures
            ),
            batch_size=500,
        )
    created = Counter(e.level for e in todo)
    result: dict[str, Any] = {
        "procedures_before": before,
        "procedures_created": len(todo),
        "fields_created": fields_created,
        "components_created": len(components),
        "steps_created": len(steps),
        "by_level": {
            level.value: created.get(level.value, 0)
            for level in ProcedureLevel
            if level in LOCAL_LEVELS or created.get(level.value)
        },
    }
    if stdout is not None:
        stdout.write(
            f"Thủ tục: {before} → {before + len(todo)} "
            f"({', '.join(f'{k} {v}' for k, v in result['by_level'].items())}); "
            f"lĩnh vực mới: {fields_created}"
        )
    return result


def _content(
    procedure: Procedure,
    entry: CatalogueEntry,
    shape: _Shape,
    unit_ids: list[int],
    units: _Units,
    steps: list[ProcessStep],
) -> dict[str, Any]:
    """What `procedures.services.procedure_content` would read back, without the queries."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": entry.field,
        "level": procedure.level,
        "time_limit_amount": procedure.time_limit_amount,
        "time_limit_unit": procedure.time_limit_unit,
        "same_day_cutoff": shape.cutoff.strftime("%H:%M") if shape.cutoff else None,
        "time_limit_text": procedure.time_limit_text,
        "fee": procedure.fee,
        "online_level": procedure.online_level,
        "result_is_paper": procedure.result_is_paper,
        "legal_basis": procedure.legal_basis,
        "competent_units": sorted(units.code_of[u] for u in unit_ids),
        "components": [
            {
                "order": order,
                "name": name,
                "originals": originals,
                "certified_copies": certified,
                "copies": copies,
                "required": required,
                "form_name": "",
                "condition": "",
            }
            for order, (name, originals, certified, copies, required) in enumerate(
                shape.components, start=1
            )
        ],
        **catalogue_content(procedure),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "unit": units.code_of[s.unit_id] if s.unit_id else None,
                "role": s.role,
                "budget_minutes": s.budget_minutes,
            }
            for s in steps
        ],
    }
