"""`{% load index766_nav %}{% if user|may_see_index %}`: the nav link for those who see figures."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.index766.access import may_see_index as _may_see_index

register = template.Library()


@register.filter
def may_see_index(user: Any) -> bool:
    """Whether the user may see the 766 pages."""
    return _may_see_index(user)
