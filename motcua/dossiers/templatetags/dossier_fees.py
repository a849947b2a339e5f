"""`{% fee_counts_fields procedure form %}`: the fee and the counts it needs, at intake."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.fee_forms import FeeCountsForm
from motcua.procedures.fees import fee_display

register = template.Library()


@register.inclusion_tag("dossiers/_fee_counts.html")
def fee_counts_fields(procedure: Any, form: Any = None) -> dict[str, Any]:
    """The procedure's fee as written and the count fields (a fresh form unless given)."""
    if not isinstance(form, FeeCountsForm):
        form = FeeCountsForm(procedure=procedure)
    return {"form": form, "fee_rows": fee_display(procedure) if procedure else []}
