"""The applicant's appointments on the account page, as one include with its own read."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from motcua.portal.slots import list_applicant_appointments

register = template.Library()
ACCOUNT_LIMIT = 20


@register.inclusion_tag("portal/appointments/_account_list.html", takes_context=True)
def account_appointments(context: dict[str, Any]) -> dict[str, Any]:
    """Lịch hẹn của tôi: the signed-in applicant's latest appointments (one query)."""
    request = context["request"]
    rows = list(list_applicant_appointments(request.user).select_related("dossier")[:ACCOUNT_LIMIT])
    return {
        "appointments": rows,
        "now": timezone.now(),
        "csrf_token": context.get("csrf_token"),
    }
