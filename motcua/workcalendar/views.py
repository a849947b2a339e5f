"""Web pages of the working calendar: a year's days off and makeup days, a due calculator."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from motcua.workcalendar import inputs
from motcua.workcalendar.engine import DAY_KIND_LABELS, CalendarError, compute_due
from motcua.workcalendar.forms import DueForm
from motcua.workcalendar.selectors import get_calendar, get_unit_by_code

# The engine speaks Vietnamese only (it is pure Python); the page translates its day labels
# and weekday names with `{% translate day.label %}`. Listed here for the catalogue; a test
# checks the list covers `engine.DAY_KIND_LABELS` and `engine.WEEKDAY_NAMES`.
ENGINE_WORDS = (
    gettext_noop("Ngày làm việc"),
    gettext_noop("Ngày làm bù"),
    gettext_noop("Ngày làm việc (điều chỉnh)"),
    gettext_noop("Nghỉ cuối tuần"),
    gettext_noop("Ngày nghỉ lễ"),
    gettext_noop("Nghỉ bù"),
    gettext_noop("Nghỉ hoán đổi"),
    gettext_noop("Ngày nghỉ riêng của đơn vị"),
    gettext_noop("Thứ Hai"),
    gettext_noop("Thứ Ba"),
    gettext_noop("Thứ Tư"),
    gettext_noop("Thứ Năm"),
    gettext_noop("Thứ Sáu"),
    gettext_noop("Thứ Bảy"),
    gettext_noop("Chủ Nhật"),
)


@login_required
def year(request: HttpRequest) -> HttpResponse:
    """Every non-working weekday and worked Saturday of a year, with reason and document."""
    errors = []
    today = timezone.localdate()
    try:
        shown_year = inputs.parse_year(request.GET.get("year") or today.year)
    except ValueError as exc:
        errors.append(gettext("Năm không hợp lệ: %(error)s") % {"error": exc})
        shown_year = today.year
    unit = None
    code = (request.GET.get("unit") or "").strip()
    if code:
        unit = get_unit_by_code(code, user=request.user)
        if unit is None:
            errors.append(
                gettext("Không tìm thấy đơn vị “%(code)s”; đang hiển thị lịch chung.")
                % {"code": code}
            )
    calendar = get_calendar(unit)
    days = calendar.notable_days(shown_year)

    form = DueForm(request.GET) if "start" in request.GET else DueForm()
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = compute_due(
                calendar,
                data["start"],
                data["amount"],
                data["time_unit"],
                pauses=data["pauses"],
                cutoff=data["cutoff"],
            )
        except CalendarError as exc:
            form.add_error(None, str(exc))
    context = {
        "year": shown_year,
        "previous_year": shown_year - 1,
        "next_year": shown_year + 1,
        "unit": unit,
        "unit_code": unit.code if unit is not None else "",
        "days": days,
        "off_count": sum(1 for d in days if not d.working),
        "makeup_count": sum(1 for d in days if d.working),
        "hours": calendar.hours_for(today),
        "labels": DAY_KIND_LABELS,
        "errors": errors,
        "form": form,
        "result": result,
        "version": calendar.version,
    }
    return render(request, "workcalendar/year.html", context)
