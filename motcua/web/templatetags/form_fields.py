"""`{% form_field field required %}`: a form field with its label, help and errors.

The same HTML as `{% include "dossiers/_field.html" with required=… %}`, built in Python
(`motcua.lib.fastwidgets.field_html`; issue 16).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from motcua.lib.fastwidgets import field_html

register = template.Library()


@register.simple_tag
def form_field(field: Any, required: Any = False) -> SafeString:
    """The field as `dossiers/_field.html` renders it."""
    return field_html(field, required)
