"""The early-warning panel — hồ sơ sắp quá hạn: mine, and my units' with the points at risk."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from motcua.dossiers.models import Dossier
from motcua.index766.access import may_see_index
from motcua.index766.early import at_risk, month_of, officer_at_risk, risk_by_unit
from motcua.index766.mapping_views import _forbidden
from motcua.lib.scoping import visible_unit_ids

MAX_HOURS = 200


def warn_hours(raw: str | None) -> tuple[int, str]:
    """The `gio` parameter (working hours ahead), or the default with a message when bad."""
    default = settings.MOTCUA_INDEX_WARN_HOURS
    if not raw:
        return default, ""
    if raw.strip().isdigit() and 1 <= int(raw) <= MAX_HOURS:
        return int(raw), ""
    return default, gettext(
        "Số giờ «%(raw)s» không hợp lệ: nhập số giờ làm việc từ 1 đến %(max)s; đang dùng %(n)s giờ."
    ) % {"raw": raw, "max": MAX_HOURS, "n": default}


@login_required
@require_GET
def warnings_page(request: HttpRequest) -> HttpResponse:
    """The dossiers assigned to me and those of my units that turn late within N hours."""
    user = request.user
    if not may_see_index(user):
        return _forbidden(request)
    hours, error = warn_hours(request.GET.get("gio"))
    now = timezone.now()
    mine = officer_at_risk(user, now=now, hours=hours)
    items = at_risk(Dossier.objects.visible_to(user), now=now, hours=hours)
    visible = visible_unit_ids(user)
    groups = [g for g in risk_by_unit(items, now=now) if visible is None or g.unit.pk in visible]
    return render(
        request,
        "index766/warnings.html",
        {
            "hours": hours,
            "error": error,
            "mine": mine,
            "groups": groups,
            "month": month_of(now),
            "now": now,
        },
    )
