"""Form widgets rendered without the template engine, byte for byte as Django's templates.

Django renders every widget, and every `<option>` of a `<select>`, through a template: the
work queue's filter form (a dozen fields, a `<select>` of 137 fields of the catalogue) cost
about a third of the page's CPU (issue 16, docs/performance.md). These subclasses build the
same HTML with string operations; `motcua/dossiers/tests/test_fast_widgets.py` compares their
output with Django's own for every kind of value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: safe strings stay as they are."""
    if isinstance(value, SafeData):
        return str(value)
    return str(conditional_escape(str(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


class FastInputMixin:
    """django/forms/widgets/input.html."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return mark_safe(  # noqa: S308 — every part escaped above
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
            f"{_attrs(widget['attrs'])}>"
        )


class FastSelectMixin:
    """django/forms/widgets/select.html and select_option.html."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                out.append(
                    f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 — every part escaped above


class TextInput(FastInputMixin, forms.TextInput):
    """A text box."""


class DateInput(FastInputMixin, forms.DateInput):
    """A date box (its format as Django's)."""


class Select(FastSelectMixin, forms.Select):
    """A `<select>`."""
