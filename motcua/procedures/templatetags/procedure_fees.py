"""Fees on the pages: `{% include "procedures/_fee.html" %}` reads `procedure|fee_rows`;
`procedure|fee_summary` (or a version's data) gives one phrase for lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from motcua.procedures.fees import fee_display, has_local, legacy_spec, summary_text

register = template.Library()


def _spec(value: Any) -> Any:
    """A procedure, or a frozen version's data (its `fee_spec`, else its one `fee`)."""
    if isinstance(value, dict) and "channels" not in value:
        spec = value.get("fee_spec") or {}
        return spec if spec.get("channels") else legacy_spec(int(value.get("fee") or 0))
    return value


@register.filter
def fee_rows(value: Any) -> list[dict[str, Any]]:
    """Channels grouped by their fee, each with its lines in Vietnamese and the wording."""
    return fee_display(_spec(value)) if value else []


@register.filter
def fee_summary(value: Any) -> str:
    """One phrase: 'Miễn phí', '800.000 đồng/hồ sơ', or the channels' phrases joined."""
    return summary_text(_spec(value)) if value else gettext("Chưa có thông tin về phí, lệ phí")


@register.filter
def has_local_fee(procedure: Any) -> bool:
    """Whether some channel's fee is left to the Provincial People's Council."""
    return has_local(getattr(procedure, "fee_spec", None) or {})
