"""The project's form renderer builds inputs, selects and textareas in Python: the HTML must be
what Django's own templates write, byte for byte, for every kind of widget and value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from motcua.lib.fastwidgets import FastRenderer

STOCK = DjangoTemplates()
FAST = FastRenderer()
TRICKY = 'Lê "Hồng" <b>&amp; \' x'
CHOICES = [
    ("", "— chọn —"),
    ("a", "Hộ tịch & <chứng thực>"),
    ('Nhóm "1"', [("b", "Đất đai"), ("c", 'Xây "dựng"')]),
    (3, "Số"),
]


def both(widget: forms.Widget, value: Any, attrs: dict[str, Any] | None = None) -> None:
    stock = widget.render("ten_truong", value, attrs=attrs, renderer=STOCK)
    fast = widget.render("ten_truong", value, attrs=attrs, renderer=FAST)
    assert fast == stock


ATTRS = [
    None,
    {"id": "id_x", "required": True, "disabled": False, "class": "a b"},
    {"data-note": TRICKY, "placeholder": mark_safe("<i>an toàn</i>"), "maxlength": 10},
]
VALUES = [None, "", "0", 0, 12, 3.5, TRICKY, mark_safe("<b>đã an toàn</b>"), dt.date(2025, 3, 3)]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.EmailInput(),
        forms.NumberInput(),
        forms.URLInput(),
        forms.SearchInput(),
        forms.TelInput(),
        forms.ColorInput(),
        forms.HiddenInput(),
        forms.PasswordInput(render_value=True),
        forms.PasswordInput(),
        forms.DateInput(),
        forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        forms.DateTimeInput(),
        forms.TimeInput(),
        forms.Textarea(),
        forms.Textarea(attrs={"rows": 3}),
        forms.CheckboxInput(),
    ],
    ids=lambda w: type(w).__name__,
)
def test_inputs_and_textareas_are_djangos(widget: forms.Widget, value: Any, attrs: Any) -> None:
    both(widget, value, attrs)


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "a", "b", 3, "3", ["a", "c"], TRICKY])
@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=CHOICES),
        forms.SelectMultiple(choices=CHOICES),
        forms.NullBooleanSelect(),
        forms.Select(choices=[]),
    ],
    ids=lambda w: type(w).__name__,
)
def test_selects_are_djangos(widget: forms.Widget, value: Any, attrs: Any) -> None:
    if isinstance(widget, forms.NullBooleanSelect) and isinstance(value, list):
        value = "unknown"  # a list is no value of a yes/no select
    both(widget, value, attrs)


def test_other_widgets_still_go_to_the_templates() -> None:
    """Radio lists, checkbox lists and file inputs are rendered by Django's templates."""
    for widget, value in [
        (forms.RadioSelect(choices=CHOICES), "a"),
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"]),
        (forms.ClearableFileInput(), None),
        (forms.SelectDateWidget(years=[2025]), dt.date(2025, 3, 3)),
        (forms.SplitDateTimeWidget(), dt.datetime(2025, 3, 3, 9)),
    ]:
        both(widget, value)


class _Sample(forms.Form):
    name = forms.CharField(label="Họ và tên", max_length=80, help_text='Ví dụ "Lê Văn A"')
    kind = forms.ChoiceField(label="Loại", choices=CHOICES)
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="Đồng ý", required=False)
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("data", [None, {"name": TRICKY, "kind": "zz", "day": "40/40/2025"}])
def test_whole_forms_are_djangos(data: dict[str, str] | None) -> None:
    stock, fast = _Sample(data, renderer=STOCK), _Sample(data, renderer=FAST)
    if data:
        stock.is_valid(), fast.is_valid()
    assert str(fast) == str(stock)
    assert fast.as_p() == stock.as_p()


def test_the_project_uses_it() -> None:
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "motcua.lib.fastwidgets.FastRenderer"
    assert isinstance(get_default_renderer(), FastRenderer)
    html = str(_Sample()["name"])
    assert html.startswith('<input type="text" name="name" maxlength="80"')
