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
from django.forms.renderers import DjangoTemplates
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


# -- every form: the renderer -----------------------------------------------------------------

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "url",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def input_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html with select_option.html; None if an option uses
    another template (then Django's templates render it)."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != _OPTION:
                return None
            out.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def textarea_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    inner = str(conditional_escape(value)) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{inner}</textarea>'


class FastRenderer(DjangoTemplates):
    """Django's form renderer, with the commonest widget templates built in Python.

    Inputs, `<select>` and `<textarea>` cost most of a form's rendering (every `<option>` is a
    template include); their HTML is built here byte for byte as Django's templates write it
    (`motcua/lib/tests/test_fast_renderer.py` compares both for every kind of widget and
    value). Anything else — labels, fields, radio lists, file inputs — goes to the templates.
    """

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        """The template's output, from Python for the widgets above."""
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            html: str | None = None
            if template_name in _INPUT_TEMPLATES:
                html = input_html(widget)
            elif template_name == _SELECT:
                html = select_html(widget)
            elif template_name == _TEXTAREA:
                html = textarea_html(widget)
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request)


def field_html(field: Any, required: Any = False) -> SafeString:
    """`{% include "dossiers/_field.html" %}` (label, widget, help, errors), byte for byte.

    The include cost ~0.15 ms a field through the template engine (the queue's filter form,
    the dossier page's action forms: 2–6 ms a page). `{% form_field field required %}`
    (`motcua/web/templatetags/form_fields.py`) calls this; the template stays the reference,
    compared by `motcua/lib/tests/test_field_html.py`.
    """
    if field.is_hidden:
        return mark_safe(f"{_text(field)}\n")  # noqa: S308 — escaped piece by piece
    checkbox = getattr(field.field.widget, "input_type", "") == "checkbox"
    widget = _text(field)
    star = ' <span aria-hidden="true">*</span>' if required else ""
    if checkbox:
        after = ""
    elif field.errors:
        after = f'<span aria-invalid="true">{widget}</span>'
    else:
        after = widget
    help_text = field.help_text
    hint = f'<small class="muted">{_text(help_text)}</small>' if help_text else ""
    errors = "".join(
        f'<small class="field-error" role="alert">{_text(e)}</small>' for e in field.errors
    )
    return mark_safe(  # noqa: S308 — escaped piece by piece
        f'\n<label for="{_text(field.id_for_label)}">{_text(field.label)}{star}\n'
        f"  {widget if checkbox else ''}\n</label>\n{after}\n{hint}\n{errors}\n\n"
    )
