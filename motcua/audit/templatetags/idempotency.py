"""`{% form_token %}`: the one-time token of a writing form (see `motcua.lib.idempotency`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from motcua.lib.idempotency import FORM_FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    """A hidden field with a fresh token: a second POST of it is answered, not acted on."""
    return format_html(
        '<input type="hidden" name="{}" value="{}" data-once>', FORM_FIELD, new_form_token()
    )
