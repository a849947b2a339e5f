"""Template helpers of the applicant's pages: `{{ amount|dong }}` → '1.500.000 đồng'."""

from __future__ import annotations

from django import template

from motcua.portal.submission import money

register = template.Library()


@register.filter
def dong(amount: int | None) -> str:
    """An amount of đồng with the Vietnamese thousands separator."""
    return money(int(amount or 0))
