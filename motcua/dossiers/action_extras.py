"""What the dossier page adds to some action forms: checklists and sensible defaults.

- "receive" (a submitted online dossier): the procedure's component checklist, the
  components with an uploaded file pre-ticked; the ticked rows go to `receive_dossier`.
- "request_supplement" and "request_completion": the dossier's components as tick boxes
  (name `muc`); the items sent to the service are the ticked names, then the free lines.
- "issue_apology": the new date defaults to the current due instant + 1 working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.dossiers.choices import Event
from motcua.dossiers.components import ChecklistRow, checklist_for, uploaded_component_ids
from motcua.dossiers.forms import parse_checklist
from motcua.dossiers.models import Dossier
from motcua.workcalendar.engine import WorkCalendar

ITEM_EVENTS = {Event.REQUEST_SUPPLEMENT, Event.REQUEST_COMPLETION}
WORKING_DAY_MINUTES = 8 * 60
ITEM_FIELD = "muc"


def component_names(dossier: Dossier) -> list[str]:
    """Names to tick in a supplement request: the papers received, then the catalogue's others."""
    names: list[str] = [c.name for c in dossier.components.all()]
    seen = set(names)
    for component in dossier.procedure.components.all():
        if component.name not in seen:
            seen.add(component.name)
            names.append(component.name)
    return names


def receive_checklist(dossier: Dossier) -> list[ChecklistRow]:
    """The checklist offered when the desk receives a submitted dossier."""
    return checklist_for(dossier.procedure, ticked=uploaded_component_ids(dossier))


def apology_due(
    promised_due: dt.datetime | None, calendar: WorkCalendar, now: dt.datetime
) -> dt.datetime:
    """The suggested new date of an apology: the current due instant + 1 working day."""
    base = promised_due if promised_due is not None and promised_due > now else now
    return calendar.add_working(base, WORKING_DAY_MINUTES)


def extras_for(
    event: str,
    dossier: Dossier,
    *,
    promised_due: dt.datetime | None,
    calendar: WorkCalendar,
    now: dt.datetime,
) -> dict[str, Any]:
    """Initial values and checklists of one action form on the dossier page."""
    if event == Event.RECEIVE:
        return {"checklist": receive_checklist(dossier)}
    if event in ITEM_EVENTS:
        return {"items": component_names(dossier)}
    if event == Event.ISSUE_APOLOGY:
        return {"initial": {"new_due": apology_due(promised_due, calendar, now)}}
    return {}


def posted_values(event: str, dossier: Dossier, data: Any, values: dict[str, Any]) -> Any:
    """Merge what the checklists posted into the parsed action values; returns the
    re-filled checklist (receive) or ticked names (supplement) to show again on an error."""
    if event == Event.RECEIVE:
        rows = parse_checklist(data, receive_checklist(dossier))
        if rows:
            values["components"] = [row.as_item() for row in rows if row.ticked]
        return rows
    if event in ITEM_EVENTS:
        offered = component_names(dossier)
        ticked = [name for name in data.getlist(ITEM_FIELD) if name in offered]
        values["items"] = ticked + list(values.get("items") or [])
        return ticked
    return None
