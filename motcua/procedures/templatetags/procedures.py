"""Template filters of the catalogue pages: `{{ fee|dong }}`, `{{ minutes|working_time }}`."""

from __future__ import annotations

from django import template

from motcua.procedures.display import format_dong, format_working_minutes

register = template.Library()


@register.filter
def dong(amount: int | None) -> str:
    """Money in đồng, Vietnamese style: '50.000 đồng'."""
    return format_dong(amount)


@register.filter
def working_time(minutes: int | None) -> str:
    """Working minutes in words."""
    return format_working_minutes(minutes)
