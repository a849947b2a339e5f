"""Template filters of the catalogue pages: `{{ fee|dong }}`, `{{ minutes|working_time }}`.

They write in the active language (Vietnamese unless the person chose English); the
Vietnamese texts stored with a procedure version (`time_limit_text`) and printed on papers
come from `procedures.display` and the model, which stay Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext, ngettext

from motcua.lib.durations import working_duration
from motcua.procedures.choices import MINUTES_PER, TimeLimitUnit

register = template.Library()


@register.filter
def dong(amount: int | None) -> str:
    """Money in đồng, Vietnamese style: '50.000 đồng'; 'Không thu phí' when free."""
    if not amount:
        return gettext("Không thu phí")
    return gettext("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


@register.filter
def working_time(minutes: int | None) -> str:
    """Working minutes in words: '1 ngày 4 giờ làm việc'."""
    return working_duration(minutes, MINUTES_PER[TimeLimitUnit.WORKING_DAYS])


@register.filter
def time_limit(procedure: Any) -> str:
    """The time limit in words, as `Procedure.time_limit_text` but in the active language."""
    unit = procedure.time_limit_unit
    if unit == TimeLimitUnit.SAME_DAY:
        if procedure.same_day_cutoff:
            return gettext(
                "trong ngày (nhận sau %(time)s thì trả trong ngày làm việc tiếp theo)"
            ) % {"time": f"{procedure.same_day_cutoff:%H:%M}"}
        return gettext("trong ngày")
    n = procedure.time_limit_amount
    if not n:  # not confirmed yet: never a guessed limit
        return gettext("chưa xác định")
    if unit == TimeLimitUnit.WORKING_DAYS:
        text = ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n or 0)
    elif unit == TimeLimitUnit.WORKING_HOURS:
        text = ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n or 0)
    elif unit == TimeLimitUnit.CALENDAR_DAYS:
        text = ngettext("%(n)s ngày", "%(n)s ngày", n or 0)
    elif unit == TimeLimitUnit.CALENDAR_MONTHS:
        text = ngettext("%(n)s tháng", "%(n)s tháng", n or 0)
    else:
        return str(procedure.time_limit_text)
    return text % {"n": n}
