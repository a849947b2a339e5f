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


def _reading_words(reading: dict[str, Any] | None) -> str:
    """One reading of a spec ({amount, unit, cutoff}) in the active language."""
    if not reading or not reading.get("unit"):
        return gettext("chưa xác định")
    if reading["unit"] == TimeLimitUnit.SAME_DAY:
        if reading.get("cutoff"):
            return gettext(
                "trong ngày (nhận sau %(time)s thì trả trong ngày làm việc tiếp theo)"
            ) % {"time": reading["cutoff"]}
        return gettext("trong ngày")
    n = reading.get("amount") or 0
    words = {
        TimeLimitUnit.WORKING_DAYS: ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n),
        TimeLimitUnit.WORKING_HOURS: ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n),
        TimeLimitUnit.CALENDAR_DAYS: ngettext("%(n)s ngày", "%(n)s ngày", n),
        TimeLimitUnit.CALENDAR_MONTHS: ngettext("%(n)s tháng", "%(n)s tháng", n),
    }
    return words.get(reading["unit"], gettext("chưa xác định")) % {"n": n}


@register.filter
def time_limit_details(procedure: Any) -> list[str]:
    """The confirmed limit's parts beyond one figure, one line each: a limit per channel when
    the channels differ, a clock that starts at another event, the extension ceiling and its
    condition, the stages. Nothing for an unconfirmed limit (the clock refuses to guess)."""
    from motcua.procedures.time_limits import CHANNEL_ORDER

    if not getattr(procedure, "time_limit_confirmed", False):
        return []
    spec = getattr(procedure, "time_limit_spec", None) or {}
    channels = spec.get("channels") or {}
    labels = {
        "direct": gettext("Nộp trực tiếp"),
        "online": gettext("Nộp trực tuyến"),
        "postal": gettext("Nộp qua dịch vụ bưu chính"),
    }
    lines = []
    readings = {k: _reading_words(channels[k]) for k in CHANNEL_ORDER if k in channels}
    if len(set(readings.values())) > 1:
        lines += [f"{labels[k]}: {words}" for k, words in readings.items()]
    if spec.get("start_event"):
        lines.append(gettext("Thời hạn tính từ: %(event)s") % {"event": spec["start_event"]})
    ceiling = spec.get("ceiling")
    if ceiling and ceiling.get("unit"):
        lines.append(
            gettext("%(condition)s: có thể kéo dài, không quá %(limit)s")
            % {
                "condition": (ceiling.get("condition") or gettext("Trường hợp phức tạp")).strip(),
                "limit": _reading_words(ceiling),
            }
        )
    for stage in spec.get("stages") or []:
        lines.append(
            gettext("Trong đó — %(body)s: %(limit)s")
            % {"body": stage.get("body", ""), "limit": _reading_words(stage)}
        )
    return lines
