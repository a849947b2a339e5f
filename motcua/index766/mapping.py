"""Portal units → motcua units — ghép đơn vị trên Cổng DVC quốc gia với đơn vị trong motcua.

The portal's 766 tables name units by its own UUID and code (`H44.03`, `H44.100`) and by a name
with decorations (`UBND xã Hy Cương`, `Sở Y tế - Tỉnh Phú Thọ`). The first mapping is
automatic where it is unambiguous: a motcua unit whose code is the portal code, else the one
unit whose name matches once the decorations are dropped and tone marks ignored (inside the
province's own subtree when the province itself is mapped). Everything else is left for an
administrator, who may also correct any automatic choice; every change is in the change log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.audit.services import record_change, snapshot
from motcua.index766.choices import MappingMethod, PortalLevel
from motcua.index766.models import PortalUnitMapping
from motcua.lib.vntext import fold
from motcua.units.models import Unit


class MappingError(Exception):
    """A mapping the administrator asked for cannot be made; the message is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+")
_PUNCT = re.compile(r"[^\w\s]")


def name_key(name: str, province: str = "") -> str:
    """A unit name without decorations, for matching: no tone marks, no `UBND `, no province.

    `UBND xã Lâm Thao - Tỉnh Phú Thọ`, `Xã Lâm Thao` and `xa lam thao` give the same key.
    `province` is the key of the province's own name (`tinh phu tho`), dropped at the end.
    """
    text = _PUNCT.sub(" ", fold(name).replace("-", " "))
    text = " ".join(text.split())
    text = _PREFIX.sub("", text)
    if province and text != province and text.endswith(" " + province):
        text = text[: -len(province) - 1].strip()
    return text


@dataclass
class MappingReport:
    """What the automatic mapping did."""

    by_code: int = 0
    by_name: int = 0
    kept: int = 0
    unmapped: list[tuple[PortalUnitMapping, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report's lines (Vietnamese)."""
        out = [
            f"ghép đơn vị: {self.by_code} theo mã, {self.by_name} theo tên, "
            f"{self.kept} đã ghép từ trước, {len(self.unmapped)} chưa ghép"
        ]
        for mapping, reason in self.unmapped:
            out.append(
                f"  chưa ghép: {mapping.portal_unit_code} {mapping.portal_unit_name} ({reason})"
            )
        return out


def _subtree(root: Unit, day: dt.date) -> set[int]:
    ids = {root.pk}
    frontier = [root.pk]
    while frontier:
        frontier = list(
            Unit.objects.valid_on(day)
            .filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def auto_map(
    mappings: list[PortalUnitMapping], *, day: dt.date, actor: Any = None, source: str = "import"
) -> MappingReport:
    """Map each unmapped portal unit where exactly one motcua unit in force on `day` fits.

    Call inside a transaction. Rows already mapped (automatically or by hand) are kept.
    """
    report = MappingReport()
    units = list(Unit.objects.valid_on(day).only("pk", "code", "name", "parent_id"))
    by_code: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_code[unit.code].append(unit)
    taken = set(
        PortalUnitMapping.objects.filter(unit__isnull=False).values_list("unit_id", flat=True)
    )
    roots = [m for m in mappings if m.portal_level == PortalLevel.ROOT]
    # The province first: its subtree narrows the search for the others.
    ordered = roots + [m for m in mappings if m.portal_level != PortalLevel.ROOT]
    scopes: dict[str, set[int]] = {}
    provinces: dict[str, str] = {}
    for mapping in ordered:
        if mapping.unit_id is not None:
            report.kept += 1
            _remember_root(mapping, scopes, provinces, day)
            continue
        province = provinces.get(mapping.portal_parent_code, "")
        scope = scopes.get(mapping.portal_parent_code)
        candidates = [u for u in by_code.get(mapping.portal_unit_code, []) if u.pk not in taken]
        method = MappingMethod.CODE
        reason = ""
        if len(candidates) != 1:
            key = name_key(mapping.portal_unit_name, "" if _is_root(mapping) else province)
            candidates = [
                u
                for u in units
                if (scope is None or u.pk in scope)
                and u.pk not in taken
                and name_key(u.name, province) == key
            ]
            method = MappingMethod.NAME
            if not candidates:
                reason = "không có đơn vị nào cùng mã hoặc cùng tên"
            elif len(candidates) > 1:
                names = ", ".join(sorted(f"{u.name} ({u.code})" for u in candidates)[:4])
                reason = f"nhiều đơn vị cùng tên: {names}"
        if reason:
            report.unmapped.append((mapping, reason))
            continue
        before = snapshot(mapping)
        mapping.unit = candidates[0]
        mapping.method = method
        mapping.save(update_fields=["unit", "method", "updated_at"])
        record_change(
            obj=mapping,
            action="update",
            actor=actor,
            before=before,
            after=snapshot(mapping),
            source=source,
            reason="ghép tự động",
        )
        taken.add(candidates[0].pk)
        if method == MappingMethod.CODE:
            report.by_code += 1
        else:
            report.by_name += 1
        _remember_root(mapping, scopes, provinces, day)
    return report


def _is_root(mapping: PortalUnitMapping) -> bool:
    return mapping.portal_level == PortalLevel.ROOT


def _remember_root(
    mapping: PortalUnitMapping, scopes: dict[str, set[int]], provinces: dict[str, str], day: dt.date
) -> None:
    if not _is_root(mapping):
        return
    provinces[mapping.portal_unit_code] = name_key(mapping.portal_unit_name)
    if mapping.unit is not None:
        scopes[mapping.portal_unit_code] = _subtree(mapping.unit, day)


def set_unit_mapping(*, mapping: PortalUnitMapping, unit: Unit | None, actor: Any) -> bool:
    """Map a portal unit to `unit` (None: unmap) by hand; True when something changed.

    Refuses a unit already mapped to another portal unit: one motcua unit is one portal unit.
    """
    with transaction.atomic():
        row = PortalUnitMapping.objects.select_for_update().get(pk=mapping.pk)
        new_id = unit.pk if unit is not None else None
        method = MappingMethod.MANUAL if unit is not None else MappingMethod.NONE
        if row.unit_id == new_id and row.method == method:
            return False
        if unit is not None:
            other = PortalUnitMapping.objects.filter(unit=unit).exclude(pk=row.pk).first()
            if other is not None:
                raise MappingError(
                    f"Đơn vị «{unit.name}» đã được ghép với «{other.portal_unit_name}» trên Cổng; "
                    "hãy bỏ ghép đơn vị đó trước."
                )
        before = snapshot(row)
        row.unit = unit
        row.method = method
        row.save(update_fields=["unit", "method", "updated_at"])
        record_change(
            obj=row,
            action="update",
            actor=actor,
            before=before,
            after=snapshot(row),
            source="web",
            reason="ghép bằng tay",
        )
    mapping.refresh_from_db()
    return True


def mapped_units(portal_codes: list[str] | None = None) -> dict[str, int]:
    """portal unit code → motcua unit id, for the mapped portal units."""
    rows = PortalUnitMapping.objects.filter(unit__isnull=False)
    if portal_codes is not None:
        rows = rows.filter(portal_unit_code__in=portal_codes)
    return dict(rows.values_list("portal_unit_code", "unit_id"))
