"""The components handed in at intake — thành phần hồ sơ đã nhận: checklist rows and their check.

The intake form and the "receive" action offer the procedure's components as a checklist
(`checklist_for`); `receive_dossier(..., components=[...])` validates the ticked rows here
(`received_rows`) before it writes anything, then stores them as `ReceivedComponent` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from motcua.dossiers.models import Dossier, ReceivedComponent
from motcua.lib.lifecycle import ServiceError
from motcua.lib.vntext import fold, nfc
from motcua.procedures.models import Component, Procedure

MAX_COPIES = 99
COUNT_FIELDS = ("originals", "certified_copies", "copies")


def is_conditional(component: Component) -> bool:
    """Required only in some cases: not marked required, or named "Trường hợp …"."""
    return not component.required or fold(component.name).startswith("truong hop")


@dataclass
class ChecklistRow:
    """One row of the intake checklist, prefilled from the catalogue."""

    component: Component
    ticked: bool
    originals: Any  # int, or the text typed when it is not a number (refused on receipt)
    certified_copies: Any
    copies: Any
    digitized: bool

    @property
    def conditional(self) -> bool:
        """Marked "có điều kiện" on the form."""
        return is_conditional(self.component)

    @property
    def key(self) -> str:
        """Prefix of this row's inputs in the form."""
        return f"tp{self.component.pk}"

    def as_item(self) -> dict[str, Any]:
        """The item `receive_dossier(components=[...])` reads."""
        return {
            "component": self.component.pk,
            "originals": self.originals,
            "certified_copies": self.certified_copies,
            "copies": self.copies,
            "digitized": self.digitized,
        }


def catalogue_counts(component: Component) -> dict[str, int]:
    """The counts the catalogue asks for; a row without counts still means one original."""
    counts = {f: getattr(component, f) for f in COUNT_FIELDS}
    if not any(counts.values()):
        counts["originals"] = 1
    return counts


def checklist_for(procedure: Procedure, *, ticked: Iterable[int] = ()) -> list[ChecklistRow]:
    """The procedure's components as checklist rows; `ticked` are component ids pre-ticked."""
    chosen = set(ticked)
    return [
        ChecklistRow(component=c, ticked=c.pk in chosen, digitized=False, **catalogue_counts(c))
        for c in procedure.components.all()
    ]


def uploaded_component_ids(dossier: Dossier) -> set[int]:
    """Components of an online dossier that have an uploaded file (matched by name)."""
    names = {fold(f.component_name) for f in dossier.files.all() if f.component_name}
    return {c.pk for c in dossier.procedure.components.all() if fold(c.name) in names}


def _count(value: Any, field: str, error: type[ServiceError]) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise error(gettext("số bản phải là số nguyên"), field=field) from None
    if not 0 <= number <= MAX_COPIES:
        raise error(gettext("số bản phải từ 0 đến %(max)s") % {"max": MAX_COPIES}, field=field)
    return number


def received_rows(
    procedure: Procedure, components: Sequence[Mapping[str, Any]], error: type[ServiceError]
) -> list[ReceivedComponent]:
    """Unsaved `ReceivedComponent` rows from the ticked items; `error` on bad input.

    Each item gives `component` (a Component of the procedure, or its id) or a `name` for a
    paper outside the catalogue, the three counts (a component without any: the catalogue's),
    `digitized` and an optional `note`.
    """
    catalogue = {c.pk: c for c in procedure.components.all()}
    if not components and catalogue:
        raise error(
            gettext("cần đánh dấu ít nhất một thành phần hồ sơ đã nhận"), field="components"
        )
    rows: list[ReceivedComponent] = []
    seen: set[int] = set()
    for order, item in enumerate(components, start=1):
        ref = item.get("component")
        component = None
        if ref is not None:
            pk = ref.pk if isinstance(ref, Component) else ref
            component = catalogue.get(int(pk)) if str(pk).isdigit() else None
            if component is None:
                raise error(gettext("thành phần hồ sơ không thuộc thủ tục này"), field="components")
            if component.pk in seen:
                raise error(gettext("một thành phần được ghi hai lần"), field="components")
            seen.add(component.pk)
        name = nfc(str(item.get("name") or (component.name if component else "")))
        if not name:
            raise error(gettext("cần ghi tên thành phần hồ sơ"), field="components")
        if component is not None and not any(f in item for f in COUNT_FIELDS):
            item = {**item, **catalogue_counts(component)}  # as the catalogue asks
        counts = {f: _count(item.get(f), "components", error) for f in COUNT_FIELDS}
        if not any(counts.values()):
            raise error(
                gettext("“%(name)s”: cần ghi số bản đã nhận") % {"name": name[:60]},
                field="components",
            )
        rows.append(
            ReceivedComponent(
                order=order,
                component=component,
                name=name,
                conditional=is_conditional(component) if component else False,
                digitized=bool(item.get("digitized")),
                note=nfc(str(item.get("note") or ""))[:255],
                **counts,
            )
        )
    return rows
