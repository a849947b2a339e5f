"""The queue's filter form renders its widgets without the template engine
(motcua/lib/fastwidgets.py, issue 16): the HTML must be Django's own, byte for byte."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django import forms
from django.forms.boundfield import BoundField

from motcua.dossiers.filtersets import DossierFilterSet
from motcua.lib import fastwidgets
from motcua.procedures.models import Field


def stock_html(bound: BoundField) -> str:
    """The same field rendered by Django's own widget class (its templates)."""
    widget = copy.copy(bound.field.widget)
    stock = next(c for c in type(widget).__mro__ if c.__module__ == "django.forms.widgets")
    widget.__class__ = stock
    return str(bound.as_widget(widget=widget))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"state": "in_progress", "field": "ho-tich", "overdue": "true", "q": 'Lê "Hồng" <b>'},
        {"received_from": "2025-13-40", "procedure": "1.0012&x", "paused": "nope"},
    ],
)
def test_filter_form_html_is_djangos(data: dict[str, str] | None) -> None:
    Field.objects.create(code="ho-tich", name="Hộ tịch")
    Field.objects.create(code="dat-dai", name="Đất đai & <nhà> ở")
    form = DossierFilterSet(data).form
    if data:
        form.is_valid()
    kinds: set[type[Any]] = set()
    for bound in form:
        kinds.add(type(bound.field.widget))
        fast = str(bound)
        assert fast == stock_html(bound), bound.name
    assert kinds == {fastwidgets.TextInput, fastwidgets.DateInput, fastwidgets.Select}


def test_optgroups_and_safe_labels_match() -> None:
    from django.utils.safestring import mark_safe

    choices: list[Any] = [
        ("", "---------"),
        ("a", mark_safe("<b>đậm</b>")),
        ("Nhóm <1>", [("b", "B & C"), (3, "Ba")]),
    ]
    attrs = {"id": "x", "required": True, "disabled": False, "data-x": 'a"b'}
    selected: tuple[Any, ...] = (None, "b", "3", ["a"])
    for value in selected:
        assert fastwidgets.Select(attrs=attrs, choices=choices).render("n", value) == (
            forms.Select(attrs=attrs, choices=choices).render("n", value)
        )
    typed: tuple[Any, ...] = (None, "", 0, 'x"<y>', mark_safe("<i>"))
    for text in typed:
        assert fastwidgets.TextInput(attrs=attrs).render("n", text) == (
            forms.TextInput(attrs=attrs).render("n", text)
        )
