"""`{% form_field %}` renders exactly what `{% include "dossiers/_field.html" %}` renders."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template

from motcua.dossiers.actions import EVENT_TO_SLUG
from motcua.dossiers.filtersets import DossierFilterSet
from motcua.dossiers.forms import ReceiptForm, UploadForm, action_form
from motcua.dossiers.models import Dossier
from motcua.lib.fastwidgets import field_html

INCLUDE = Template('{% include "dossiers/_field.html" with required=required %}')


class Odd(forms.Form):
    """The cases the real forms may not have: escaping, checkboxes, hidden fields, help."""

    plain = forms.CharField(label="Tên & <họ>", help_text="Ghi rõ <đủ> họ tên")
    tick = forms.BooleanField(label="Đồng ý", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="a&b")
    kind = forms.ChoiceField(choices=[("a", "Một"), ("b", "Hai <2>")], help_text="")
    note = forms.CharField(widget=forms.Textarea, required=False)


def both(field: Any, required: Any) -> tuple[str, str]:
    return INCLUDE.render(Context({"field": field, "required": required})), field_html(
        field, required
    )


def forms_to_check() -> list[forms.Form]:
    found: list[forms.Form] = [
        Odd(),
        Odd({"plain": "", "tick": "on", "kind": "x"}),  # errors on several fields
        Odd({"plain": "An", "hidden": "x", "kind": "a"}),
        UploadForm(),
        UploadForm({}),
        ReceiptForm(units=[]),
        ReceiptForm({"name": "<b>"}, units=[]),
        DossierFilterSet(queryset=Dossier.objects.none()).form,
        DossierFilterSet({"channel": "nope", "q": "a"}, queryset=Dossier.objects.none()).form,
    ]
    for event in EVENT_TO_SLUG:
        cls = action_form(event)
        found += [cls(auto_id=f"id_{event}_%s"), cls({}, auto_id=f"id_{event}_%s")]
    return found


@pytest.mark.django_db
def test_every_field_of_every_form_is_rendered_the_same() -> None:
    checked = 0
    for form in forms_to_check():
        form.is_bound and form.is_valid()
        for field in form:
            for required in (True, False, None, ""):
                template, fast = both(field, required)
                assert fast == template, (type(form).__name__, field.name, required)
                checked += 1
    assert checked > 200
