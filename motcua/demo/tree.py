"""The demo unit tree: real Đồng Tháp before and after 2025-07-01, as importer rows.

Pure functions of the committed data files in `data/` (no database, no randomness): the tree
is the same for every seed. `motcua.demo.builder` feeds the rows to `import_units`, the same
validated path as `motcua import units FILE.csv`.

Codes are readable demo codes, not e-identifiers (docs/demo.md, "Mã đơn vị"):

    DT                   the province (both versions: old until 2025-06-30, new from 2025-07-01)
    DT.VP, DT.VP.TH      the Office and its divisions        DT.HCC  the provincial centre
    DT.SNV, DT.SNV.CCHC  a department and its divisions
    DT.866               a district (GSO code)               DT.866.29869  its old commune
    DT.29869             a new commune (GSO code)           DT.29869.TTPV its service centre
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from motcua.lib.vntext import nfc
from motcua.units.choices import SuccessionKind, UnitKind, UnitLevel, succession_kind_of
from motcua.units.importers import UnitRow

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE = "DT"
LAST_OLD_DAY = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)
OLD_PROVINCE_GSO = "87"
NEW_PROVINCE_GSO = "82"
PROVINCE_NAME = "Ủy ban nhân dân tỉnh Đồng Tháp"
COMMUNE_RESOLUTION = "Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025"
OFFICE_SUCCESSOR = "@office"  # organisation.json: "passes into the Office"

# Prefixes of administrative-unit names, written in lower case inside a longer name
# ("Trung tâm Phục vụ hành chính công phường Cao Lãnh").
_UNIT_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Xã")


@dataclass(frozen=True)
class OldCommune:
    """A commune of old Đồng Tháp as of 2025-06-30 (distilled NSO table)."""

    district_code: str
    district_name: str
    code: str
    name: str


@dataclass(frozen=True)
class NewCommune:
    """A commune of new Đồng Tháp from 2025-07-01."""

    code: str
    name: str
    type: str
    name_en: str


@dataclass(frozen=True)
class CommuneLink:
    """One old commune → new commune row of the NSO table; principal successor first."""

    old_code: str
    new_code: str
    how: str
    principal: bool


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(handle)]


@cache
def old_communes() -> tuple[OldCommune, ...]:
    """The 141 communes of old Đồng Tháp, by district."""
    return tuple(
        OldCommune(r["district_code"], r["district_name"], r["commune_code"], r["commune_name"])
        for r in _read_csv("communes_before.csv")
    )


@cache
def new_communes() -> tuple[NewCommune, ...]:
    """The 102 communes of new Đồng Tháp."""
    return tuple(
        NewCommune(r["code"], r["name"], r["type"], r["name_en"])
        for r in _read_csv("communes_after.csv")
    )


@cache
def commune_links() -> tuple[CommuneLink, ...]:
    """Old commune → new commune rows, each old commune's principal successor first."""
    return tuple(
        CommuneLink(r["old_code"], r["new_code"], r["how"], r["principal"] == "1")
        for r in _read_csv("commune_successions.csv")
    )


@cache
def organisation() -> dict[str, Any]:
    """The hand-written Office, centre and department lists (organisation.json)."""
    data: dict[str, Any] = json.loads((DATA_DIR / "organisation.json").read_text("utf-8"))
    return data


def inner_name(name: str) -> str:
    """'Phường Cao Lãnh' → 'phường Cao Lãnh', for use inside a longer name."""
    for prefix in _UNIT_TYPES:
        if name.startswith(prefix + " "):
            return prefix.lower() + name[len(prefix) :]
    return name


def code(*parts: str) -> str:
    """A demo unit code: 'DT' followed by the parts, dot-separated."""
    return ".".join((PROVINCE, *parts))


def old_commune_code(commune: OldCommune) -> str:
    """Code of an old commune: under its district."""
    return code(commune.district_code, commune.code)


def new_commune_code(commune_code: str) -> str:
    """Code of a new commune: directly under the province."""
    return code(commune_code)


class _Rows:
    """Collects rows with running line numbers (the importer reports errors by line)."""

    def __init__(self) -> None:
        self.rows: list[UnitRow] = []

    def add(
        self,
        unit_code: str,
        name: str,
        *,
        parent: str,
        level: str,
        kind: str,
        before: bool,
        successors: list[str] | None = None,
        short_name: str = "",
        admin_code: str = "",
        has_one_stop: bool = False,
        succession_kinds: list[tuple[str, str]] | None = None,
        legal_basis: str | None = None,
    ) -> None:
        self.rows.append(
            UnitRow(
                line=len(self.rows) + 1,
                code=unit_code,
                name=nfc(name),
                parent_code=parent,
                level=level,
                kind=kind,
                valid_from=None if before else REFORM_DAY,
                valid_to=LAST_OLD_DAY if before else None,
                successor_codes=list(successors or []),
                short_name=nfc(short_name),
                admin_code=admin_code,
                has_one_stop=has_one_stop,
                succession_kinds=succession_kinds,
                legal_basis=legal_basis,
            )
        )


def _provincial_bodies(rows: _Rows, *, before: bool) -> None:
    """The province, its Office (with divisions) and the provincial service centre."""
    org = organisation()
    office = org["office"]
    office_code = code(office["key"])
    rows.add(
        PROVINCE,
        PROVINCE_NAME,
        parent="",
        level=UnitLevel.PROVINCE,
        kind=UnitKind.PEOPLES_COMMITTEE,
        before=before,
        successors=[PROVINCE] if before else None,
        short_name="UBND",
        admin_code=OLD_PROVINCE_GSO if before else NEW_PROVINCE_GSO,
    )
    rows.add(
        office_code,
        office["name"],
        parent=PROVINCE,
        level=UnitLevel.DEPARTMENT,
        kind=UnitKind.OFFICE,
        before=before,
        successors=[office_code] if before else None,
        short_name=office["short_name"],
    )
    for division in office["divisions"]:
        div_code = code(office["key"], division["key"])
        rows.add(
            div_code,
            division["name"],
            parent=office_code,
            level=UnitLevel.SUBUNIT,
            kind=UnitKind.DIVISION,
            before=before,
            successors=[div_code] if before else None,
            short_name=division["short_name"],
        )
    for unit in office["public_service_units"]:
        unit_code = code(office["key"], unit["key"])
        rows.add(
            unit_code,
            unit["name"],
            parent=office_code,
            level=UnitLevel.SUBUNIT,
            kind=UnitKind.PUBLIC_SERVICE_UNIT,
            before=before,
            successors=[unit_code] if before else None,
            short_name=unit["short_name"],
        )
    centre = org["service_centre"]
    names = centre["before" if before else "after"]
    rows.add(
        code(centre["key"]),
        names["name"],
        parent=office_code,
        level=UnitLevel.SUBUNIT,
        kind=UnitKind.SERVICE_CENTRE,
        before=before,
        successors=[code(centre["key"])] if before else None,
        short_name=names["short_name"],
        has_one_stop=True,
    )


def _department_successors(department: dict[str, Any]) -> list[str]:
    office_code = code(organisation()["office"]["key"])
    return [
        office_code if key == OFFICE_SUCCESSOR else code(key) for key in department["successors"]
    ]


def _departments(rows: _Rows, *, before: bool) -> None:
    """Departments with their office, inspectorate (before 2025-07-01 only) and divisions."""
    org = organisation()
    after = {d["key"]: d for d in org["departments_after"]}
    dept_office, inspectorate = org["department_office"], org["department_inspectorate"]
    for department in org["departments_before" if before else "departments_after"]:
        dept_code = code(department["key"])
        successors = _department_successors(department) if before else []
        rows.add(
            dept_code,
            department["name"],
            parent=PROVINCE,
            level=UnitLevel.DEPARTMENT,
            kind=UnitKind.DEPARTMENT,
            before=before,
            successors=successors,
            short_name=department["short_name"],
        )

        def successor_of(key: str, successors: list[str] = successors) -> list[str]:
            """Same division in a successor department, else the principal successor."""
            if not before:
                return []
            for succ in successors:
                succ_key = succ.removeprefix(PROVINCE + ".")
                if succ_key in after and (
                    key == dept_office["key"]
                    or any(d["key"] == key for d in after[succ_key]["divisions"])
                ):
                    return [f"{succ}.{key}"]
            return [successors[0]]

        rows.add(
            f"{dept_code}.{dept_office['key']}",
            f"{dept_office['name']} {department['name']}",
            parent=dept_code,
            level=UnitLevel.SUBUNIT,
            kind=UnitKind.DIVISION,
            before=before,
            successors=successor_of(dept_office["key"]),
            short_name=dept_office["short_name"],
        )
        # Department inspectorates ended with the 2025 Law on Inspection; their work went to
        # the provincial inspectorate [unconfirmed per province].
        if before and department.get("inspectorate", True):
            rows.add(
                f"{dept_code}.{inspectorate['key']}",
                f"{inspectorate['name']} {department['name']}",
                parent=dept_code,
                level=UnitLevel.SUBUNIT,
                kind=UnitKind.DIVISION,
                before=before,
                successors=[code(inspectorate["successor"])],
                short_name=inspectorate["short_name"],
            )
        for division in department["divisions"]:
            rows.add(
                f"{dept_code}.{division['key']}",
                division["name"],
                parent=dept_code,
                level=UnitLevel.SUBUNIT,
                kind=UnitKind.DIVISION,
                before=before,
                successors=successor_of(division["key"]),
                short_name=division["short_name"],
            )


def _districts_and_old_communes(rows: _Rows) -> None:
    """The 12 districts (each with its one-stop unit and home-affairs division) and 141 communes."""
    successors: dict[str, list[str]] = {}
    wording: dict[str, list[tuple[str, str]]] = {}
    for link in commune_links():  # principal first within each old code
        successors.setdefault(link.old_code, []).append(new_commune_code(link.new_code))
        # "Nhập toàn bộ" / "Nhập một phần", as the official table words the move
        wording.setdefault(link.old_code, []).append(
            (succession_kind_of(link.how) or SuccessionKind.MERGE, link.how)
        )
    seen: set[str] = set()
    for commune in old_communes():
        district_code = code(commune.district_code)
        if district_code not in seen:
            seen.add(district_code)
            rows.add(
                district_code,
                commune.district_name,
                parent=PROVINCE,
                level=UnitLevel.DISTRICT,
                kind=UnitKind.PEOPLES_COMMITTEE,
                before=True,
                # A district has no successor of its own kind: its work went to the province.
                successors=[PROVINCE],
                short_name="UBND",
                admin_code=commune.district_code,
            )
            for sub in organisation()["district_subunits"]:
                rows.add(
                    f"{district_code}.{sub['key']}",
                    f"{sub['name']} {inner_name(commune.district_name)}",
                    parent=district_code,
                    level=UnitLevel.SUBUNIT,
                    kind=sub["kind"],
                    before=True,
                    successors=[PROVINCE],
                    short_name=sub["short_name"],
                    has_one_stop=sub["has_one_stop"],
                )
        rows.add(
            old_commune_code(commune),
            commune.name,
            parent=district_code,
            level=UnitLevel.COMMUNE,
            kind=UnitKind.PEOPLES_COMMITTEE,
            before=True,
            successors=successors[commune.code],
            succession_kinds=wording[commune.code],
            legal_basis=COMMUNE_RESOLUTION,
            short_name="UBND",
            admin_code=commune.code,
            # Before 2025 the commune's one-stop section was a desk of the committee.
            has_one_stop=True,
        )


def _new_communes(rows: _Rows) -> None:
    """The 102 communes of new Đồng Tháp, each with its public administration service centre."""
    centre = organisation()["commune_centre"]
    for commune in new_communes():
        commune_code = new_commune_code(commune.code)
        rows.add(
            commune_code,
            commune.name,
            parent=PROVINCE,
            level=UnitLevel.COMMUNE,
            kind=UnitKind.PEOPLES_COMMITTEE,
            before=False,
            short_name="UBND",
            admin_code=commune.code,
        )
        rows.add(
            f"{commune_code}.{centre['key']}",
            f"{centre['name']} {inner_name(commune.name)}",
            parent=commune_code,
            level=UnitLevel.SUBUNIT,
            kind=UnitKind.SERVICE_CENTRE,
            before=False,
            short_name=centre["short_name"],
            has_one_stop=True,
        )


def unit_rows() -> list[UnitRow]:
    """Every unit version of the demo province, old tree first, as importer rows."""
    rows = _Rows()
    _provincial_bodies(rows, before=True)
    _departments(rows, before=True)
    _districts_and_old_communes(rows)
    _provincial_bodies(rows, before=False)
    _departments(rows, before=False)
    _new_communes(rows)
    return rows.rows
