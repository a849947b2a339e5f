"""Template helpers of the public layout: `{% nav_current "/thu-tuc/" %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], prefix: str) -> SafeString:
    """` aria-current="page"` on the menu link of the section the page belongs to."""
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return mark_safe(' aria-current="page"') if path.startswith(prefix) else mark_safe("")
