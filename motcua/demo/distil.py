"""Distil the Đồng Tháp slice of the 2025 administrative-unit tables into `motcua/demo/data/`.

The demo must not read `../shared/` at run time (it is not shipped with the package), so this
script copies the part it needs — old Đồng Tháp (GSO 87) before 2025-07-01 and new Đồng Tháp
(GSO 82) from 2025-07-01 — into three small committed CSV files:

- `communes_before.csv`: the 12 districts and their communes as of 2025-06-30;
- `communes_after.csv`: the 102 communes of new Đồng Tháp;
- `commune_successions.csv`: every old commune → its new commune(s), principal first.

Run it again when the source tables change:

    .venv/bin/python -m motcua.demo.distil [/path/to/shared/data/admin-units-2025]

Only the standard library is used (no Django), and nothing but the three files is written.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "admin-units-2025"
DATA_DIR = Path(__file__).resolve().parent / "data"
NSO_TABLE = "BangChuyendoiDVHCmoi_cu_khong_merge.csv"
CURRENT_UNITS = "full_json_generated_data_vn_units_2026-07-25__20_49_07.json"

OLD_PROVINCE = "Tỉnh Đồng Tháp (87)"
NEW_PROVINCE_CODE = "82"
# Counts the demo promises (docs/demo.md); the script refuses to write anything else.
EXPECTED = {"districts": 12, "communes_before": 141, "communes_after": 102, "links": 144}
EXPECTED_AFTER_TYPES = {"Xã": 82, "Phường": 20}

_NAME_WITH_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d+)\)$")


def clean(text: str) -> str:
    """NFC, trimmed, inner runs of white space collapsed (the NSO table has stray spaces)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_name_code(text: str) -> tuple[str, str]:
    """'Huyện Tân Hồng (869)' → ('Huyện Tân Hồng', '869')."""
    match = _NAME_WITH_CODE.match(clean(text))
    if not match:
        raise ValueError(f"expected 'Name (code)', got {text!r}")
    return match["name"], match["code"]


def read_nso_rows(source: Path) -> list[dict[str, str]]:
    """Rows of the NSO old → new table whose old province is Đồng Tháp (87)."""
    rows: list[dict[str, str]] = []
    with (source / NSO_TABLE).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # two-part heading
        next(reader)  # column names
        for raw in reader:
            if len(raw) < 8 or clean(raw[7]) != OLD_PROVINCE:
                continue
            district, district_code = split_name_code(raw[6])
            rows.append(
                {
                    "new_code": clean(raw[2]),
                    "new_name": clean(raw[1]),
                    "old_code": clean(raw[4]),
                    "old_name": clean(raw[3]),
                    "how": clean(raw[5]),
                    "district_code": district_code,
                    "district_name": district,
                }
            )
    return rows


def read_new_province(source: Path) -> list[dict[str, str]]:
    """The communes of new Đồng Tháp (province 82) from the current-units JSON."""
    data = json.loads((source / CURRENT_UNITS).read_text(encoding="utf-8"))
    province = next(p for p in data if p["Code"] == NEW_PROVINCE_CODE)
    if clean(province["FullName"]) != "Tỉnh Đồng Tháp":
        raise ValueError(f"province {NEW_PROVINCE_CODE} is {province['FullName']!r}")
    return province["Wards"]


def choose_principal(old: dict[str, str], candidates: list[dict[str, str]], rows: list) -> str:
    """The principal successor of a split commune (docs/demo.md, 'principal successor').

    1. the new commune that kept the old commune's code (its seat stayed there);
    2. else the new commune whose other predecessors share the old commune's district
       (the old commune's body stays with its neighbours);
    3. else the lowest new code.
    """
    codes = sorted({c["new_code"] for c in candidates})
    if old["old_code"] in codes:
        return old["old_code"]
    same_district = [
        code
        for code in codes
        if any(
            r["new_code"] == code
            and r["old_code"] != old["old_code"]
            and r["district_code"] == old["district_code"]
            for r in rows
        )
    ]
    return (same_district or codes)[0]


def distil(source: Path, target: Path) -> dict[str, int]:
    """Write the three CSV files into `target` and return their counts."""
    rows = read_nso_rows(source)
    wards = read_new_province(source)

    after = []
    for ward in wards:
        code = clean(ward["Code"])
        after.append(
            {
                "code": code,
                "type": clean(ward["AdministrativeUnitShortName"]),
                "name_json": clean(ward["FullName"]),
                "name_en": clean(ward["FullNameEn"]),
            }
        )
    after_codes = {a["code"] for a in after}
    nso_new = {r["new_code"]: r["new_name"] for r in rows}
    # New Đồng Tháp also holds the communes of former Tiền Giang: take their names from the
    # same NSO table, so that old and new names share one spelling (Hòa, not Hoà).
    nso_all_new: dict[str, str] = {}
    with (source / NSO_TABLE).open(encoding="utf-8-sig", newline="") as handle:
        for raw in csv.reader(handle):
            if len(raw) > 2 and clean(raw[0]).startswith("Tỉnh Đồng Tháp ("):
                nso_all_new[clean(raw[2])] = clean(raw[1])
    if set(nso_all_new) != after_codes:
        raise ValueError("the NSO table and the current-units list disagree on new Đồng Tháp")
    for a in after:
        a["name"] = nso_all_new[a["code"]]
        if not a["name"].startswith(a["type"] + " "):
            raise ValueError(f"{a['code']} {a['name']!r} is not a {a['type']}")
    types = Counter(a["type"] for a in after)
    if dict(types) != EXPECTED_AFTER_TYPES:
        raise ValueError(f"new Đồng Tháp has {dict(types)}, expected {EXPECTED_AFTER_TYPES}")
    missing = set(nso_new) - after_codes
    if missing:
        raise ValueError(f"successor codes not in new Đồng Tháp: {sorted(missing)}")

    before: dict[str, dict[str, str]] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        names[r["old_code"]].add(r["old_name"])
        before.setdefault(
            r["old_code"],
            {
                "district_code": r["district_code"],
                "district_name": r["district_name"],
                "commune_code": r["old_code"],
                "commune_name": r["old_name"],
            },
        )
    clashes = {code: n for code, n in names.items() if len(n) > 1}
    if clashes:
        raise ValueError(f"one old code, several names: {clashes}")

    by_old: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_old[r["old_code"]].append(r)
    links = []
    for old_code, targets in by_old.items():
        principal = choose_principal(targets[0], targets, rows)
        ordered = sorted(targets, key=lambda t: (t["new_code"] != principal, t["new_code"]))
        for position, t in enumerate(ordered):
            links.append(
                {
                    "old_code": old_code,
                    "new_code": t["new_code"],
                    "how": t["how"],
                    "principal": "1" if position == 0 else "0",
                }
            )

    counts = {
        "districts": len({b["district_code"] for b in before.values()}),
        "communes_before": len(before),
        "communes_after": len(after),
        "links": len(links),
    }
    if counts != EXPECTED:
        raise ValueError(f"counts {counts} differ from {EXPECTED}: check the sources")

    target.mkdir(parents=True, exist_ok=True)
    _write(
        target / "communes_before.csv",
        ["district_code", "district_name", "commune_code", "commune_name"],
        sorted(before.values(), key=lambda b: (b["district_code"], b["commune_code"])),
    )
    _write(
        target / "communes_after.csv",
        ["code", "name", "type", "name_en"],
        sorted(after, key=lambda a: a["code"]),
    )
    _write(
        target / "commune_successions.csv",
        ["old_code", "new_code", "how", "principal"],
        sorted(links, key=lambda x: (x["old_code"], x["principal"] != "1", x["new_code"])),
    )
    return counts


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: `python -m motcua.demo.distil [SOURCE_DIR]`."""
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]) if args else SOURCE_DIR
    counts = distil(source, DATA_DIR)
    sys.stdout.write(
        f"{counts['districts']} districts, {counts['communes_before']} old communes, "
        f"{counts['communes_after']} new communes, {counts['links']} old → new rows "
        f"written to {DATA_DIR}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
