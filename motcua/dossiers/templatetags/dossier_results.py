"""`{% result_panel %}` on the dossier page: how the result goes out, and the notices sent."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.choices import Delivery, Event, FileKind, State
from motcua.dossiers.selectors import may_see_personal_data
from motcua.dossiers.services import _EVENT_KINDS
from motcua.dossiers.signatures import file_signature
from motcua.notices.services import list_notices
from motcua.people.policy import Action, can

register = template.Library()

# The step a notice reports, named as the action is named on the page (translated labels).
_STEP_OF_KIND = {kind: Event(event) for event, kind in _EVENT_KINDS.items()}

# States in which the officer may upload the signed result (before resolving, or after).
RESULT_UPLOAD_STATES = frozenset({State.IN_PROGRESS, State.RESOLVED})


@register.inclusion_tag("dossiers/_results.html", takes_context=True)
def result_panel(context: template.Context) -> dict[str, Any]:
    """The return-of-results panel of the dossier in `context` for the signed-in user."""
    from motcua.dossiers.result_views import PostalDeliveryForm

    dossier = context["dossier"]
    user = context["request"].user
    personal = may_see_personal_data(user, dossier)
    results = [f for f in dossier.files.all() if f.kind == FileKind.RESULT]
    for item in results:  # each stored PDF's signature, checked now (issue 16, signing)
        item.signature = file_signature(item)
    may_receive = any(
        can(user, Action.RECEIVE, u)
        for u in (dossier.receiving_unit, dossier.current_unit, dossier.competent_unit)
        if u is not None
    )
    postal_pending = (
        dossier.state == State.RETURNED
        and dossier.delivery == Delivery.POSTAL
        and dossier.postal_delivered_on is None
    )
    notices = list_notices(dossier.code or "") if personal else []
    for notice in notices:
        step = _STEP_OF_KIND.get(notice.topic)
        notice.step_label = step.label if step is not None else notice.subject  # type: ignore[attr-defined]
    return {
        "dossier": dossier,
        "results": results,
        "may_upload_result": personal and dossier.state in RESULT_UPLOAD_STATES,
        "may_record_delivery": postal_pending and may_receive,
        "postal_form": PostalDeliveryForm(),
        "notices": notices,
        "personal": personal,
        "csrf_token": context.get("csrf_token"),
    }
