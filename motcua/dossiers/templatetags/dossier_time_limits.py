"""`{% time_limit_panel %}` on the dossier page: the limit as written and as frozen, the start
event, the ceiling and the planned stages, with the two buttons (`time_limit_views.py`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from motcua.dossiers.time_limits import (
    ceiling_of,
    may_invoke_ceiling,
    may_record_clock_start,
    stage_plan,
)
from motcua.procedures.time_limits import reading_text

register = template.Library()


@register.inclusion_tag("dossiers/_time_limit.html", takes_context=True)
def time_limit_panel(context: template.Context) -> dict[str, Any]:
    """The time-limit panel of the dossier in `context` for the signed-in user."""
    from motcua.dossiers.time_limit_views import CeilingForm, ClockStartForm

    dossier = context["dossier"]
    user = context["request"].user
    data = dossier.procedure_version.data or {}
    spec = data.get("time_limit_spec") or {}
    ceiling = ceiling_of(dossier)
    frozen = {
        "amount": dossier.time_limit_amount,
        "unit": dossier.time_limit_unit,
        "cutoff": f"{dossier.same_day_cutoff:%H:%M}" if dossier.same_day_cutoff else None,
    }
    now = timezone.now()
    return {
        "dossier": dossier,
        "as_written": spec.get("as_written") or data.get("time_limit_as_written") or "",
        "frozen": reading_text(frozen),
        "waiting": bool(dossier.clock_start_event) and dossier.clock_started_at is None,
        "ceiling": ceiling,
        "ceiling_text": reading_text(ceiling) if ceiling else "",
        "stages": stage_plan(dossier),
        "may_start": may_record_clock_start(user, dossier),
        "may_ceiling": may_invoke_ceiling(user, dossier, now),
        "start_form": ClockStartForm(),
        "ceiling_form": CeilingForm(),
        "csrf_token": context.get("csrf_token"),
    }
