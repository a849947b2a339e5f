"""The official 2025 old → new table for new Đồng Tháp, converted to a `motcua import units` CSV.

Reads the national statistics office's table (`../shared/data/admin-units-2025/`, README
there) as published, keeps the rows of new Đồng Tháp (old Đồng Tháp, GSO 87, and old Tiền
Giang, GSO 82) and writes the units file the importer reads — the same path as
`motcua import units FILE.csv`. Pure Python over the file: the tests compute their expected
figures from these rows, never from the code under test.

Codes (e-identifiers per Decision 09/2025/QĐ-TTg: the merged province takes the name of old
Đồng Tháp and keeps its level-1 code, Tiền Giang's code closes):

    DT            old Đồng Tháp (until 30/06/2025) and new Đồng Tháp (from 01/07/2025)
    TG            old Tiền Giang (until 30/06/2025)
    DT.873        an old district of Đồng Tháp; TG.819 one of Tiền Giang (no successor)
    DT.873.30079  an old commune under its district
    DT.30079      a new commune, directly under the province
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from motcua.demo.distil import NSO_TABLE, SOURCE_DIR, choose_principal, clean, split_name_code

NEW_PROVINCE = "Tỉnh Đồng Tháp (82)"
OLD_PROVINCES = {
    "87": ("DT", "Ủy ban nhân dân tỉnh Đồng Tháp"),
    "82": ("TG", "Ủy ban nhân dân tỉnh Tiền Giang"),
}
LAST_OLD_DAY = "2025-06-30"
REFORM_DAY = "2025-07-01"
PROVINCE_BASIS = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025"
COMMUNE_BASIS = "Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025"


@dataclass(frozen=True)
class Move:
    """One row of the official table: an old commune (or part of it) into a new commune."""

    old_province: str  # "DT" or "TG"
    district_code: str
    district_name: str
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    how: str  # as written: "Nhập toàn bộ", "Nhập một phần"


@cache
def moves() -> tuple[Move, ...]:
    """The 308 rows of new Đồng Tháp in the official table, cleaned of stray spaces."""
    result = []
    with (SOURCE_DIR / NSO_TABLE).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        next(reader)
        for raw in reader:
            if len(raw) < 8 or clean(raw[0]) != NEW_PROVINCE:
                continue
            district, district_code = split_name_code(raw[6])
            _province, province_code = split_name_code(raw[7])
            result.append(
                Move(
                    old_province=OLD_PROVINCES[province_code][0],
                    district_code=district_code,
                    district_name=district,
                    old_code=clean(raw[4]),
                    old_name=clean(raw[3]),
                    new_code=clean(raw[2]),
                    new_name=clean(raw[1]),
                    how=clean(raw[5]),
                )
            )
    return tuple(result)


def old_commune_code(move: Move) -> str:
    """'DT.873.30079'."""
    return f"{move.old_province}.{move.district_code}.{move.old_code}"


def new_commune_code(code: str) -> str:
    """'DT.30079'."""
    return f"DT.{code}"


@cache
def successors() -> dict[str, list[Move]]:
    """Old commune code (ours) → its moves, the principal successor first.

    The table does not name a principal successor for a split commune; as the demo does
    (`motcua.demo.distil.choose_principal`, docs/demo.md): the new commune that kept the old
    code, else the one whose other predecessors share the old commune's district, else the
    lowest code.
    """
    rows = [
        {"old_code": m.old_code, "new_code": m.new_code, "district_code": m.district_code}
        for m in moves()
    ]
    grouped: dict[str, list[Move]] = defaultdict(list)
    for move in moves():
        grouped[old_commune_code(move)].append(move)
    result = {}
    for code, targets in grouped.items():
        candidates = [{"new_code": t.new_code} for t in targets]
        first = {"old_code": targets[0].old_code, "district_code": targets[0].district_code}
        principal = choose_principal(first, candidates, rows)
        result[code] = sorted(targets, key=lambda t: (t.new_code != principal, t.new_code))
    return result


def units_csv(*, succession_columns: bool = True) -> str:
    """The whole units file: both old trees, the new province and its 102 communes.

    Without `succession_columns` the file has today's columns only (no kind, note, basis).
    """
    columns = ["code", "name", "parent_code", "level", "valid_from", "valid_to"]
    columns += ["successor_code", "admin_code"]
    if succession_columns:
        columns += ["succession_kind", "succession_note", "legal_basis"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for gso, (code, name) in OLD_PROVINCES.items():
        writer.writerow(
            {
                "code": code,
                "name": name,
                "level": "province",
                "valid_to": LAST_OLD_DAY,
                "successor_code": "DT",
                "admin_code": gso,
                "succession_kind": "Nhập toàn bộ",
                "legal_basis": PROVINCE_BASIS,
            }
        )
    writer.writerow(
        {
            "code": "DT",
            "name": "Ủy ban nhân dân tỉnh Đồng Tháp",
            "level": "province",
            "valid_from": REFORM_DAY,
            "admin_code": "82",
        }
    )
    districts: dict[str, Move] = {}
    for move in moves():
        districts.setdefault(f"{move.old_province}.{move.district_code}", move)
    for code, move in sorted(districts.items()):
        # The official table gives districts no successor: they follow their province.
        writer.writerow(
            {
                "code": code,
                "name": move.district_name,
                "parent_code": move.old_province,
                "level": "district",
                "valid_to": LAST_OLD_DAY,
                "admin_code": move.district_code,
            }
        )
    for code, targets in sorted(successors().items()):
        first = targets[0]
        writer.writerow(
            {
                "code": code,
                "name": first.old_name,
                "parent_code": f"{first.old_province}.{first.district_code}",
                "level": "commune",
                "valid_to": LAST_OLD_DAY,
                "successor_code": ";".join(new_commune_code(t.new_code) for t in targets),
                "admin_code": first.old_code,
                "succession_kind": ";".join(t.how for t in targets),
                "legal_basis": COMMUNE_BASIS,
            }
        )
    new: dict[str, str] = {}
    for move in moves():
        new.setdefault(move.new_code, move.new_name)
    for code, name in sorted(new.items()):
        writer.writerow(
            {
                "code": new_commune_code(code),
                "name": name,
                "parent_code": "DT",
                "level": "commune",
                "valid_from": REFORM_DAY,
                "admin_code": code,
            }
        )
    return out.getvalue()
