"""Web pages: sign-in, the home page of each role, the unit tree as of a date, a unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.audit.models import ObjectChange
from motcua.lib.ratelimit import Limit, hit, retry_after
from motcua.lib.signin import account_limit, account_locked, count_failure
from motcua.people.choices import Role
from motcua.people.models import Membership
from motcua.people.policy import ACTION_LABELS, Action, allowed_actions
from motcua.units.models import Unit, valid_on_q
from motcua.units.selectors import predecessors_of, successors_of, tree_as_of

# Password guessing must stay slow: sign-in posts per client address.
SIGN_IN_LIMIT = Limit("officer-sign-in", count=30, seconds=600)


def _refused(wait: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def refuse_sign_in(request: HttpRequest, limit: Limit) -> HttpResponse | None:
    """A 429 answer when the address or the account typed has used up its sign-ins."""
    if not hit(request, limit):
        wait = retry_after(limit)
        minutes = max(1, (wait + 59) // 60)
        return _refused(
            wait,
            ngettext(
                "Quá nhiều lần đăng nhập từ địa chỉ này; hãy thử lại sau %(minutes)s phút.",
                "Quá nhiều lần đăng nhập từ địa chỉ này; hãy thử lại sau %(minutes)s phút.",
                minutes,
            )
            % {"minutes": minutes},
        )
    if account_locked(str(request.POST.get("username", ""))):
        wait = retry_after(account_limit())
        minutes = max(1, (wait + 59) // 60)
        return _refused(
            wait,
            ngettext(
                "Tài khoản này đã đăng nhập sai quá nhiều lần; hãy thử lại sau %(minutes)s phút.",
                "Tài khoản này đã đăng nhập sai quá nhiều lần; hãy thử lại sau %(minutes)s phút.",
                minutes,
            )
            % {"minutes": minutes},
        )
    return None


class LoginView(auth_views.LoginView):
    """Sign-in page — đăng nhập (at most SIGN_IN_LIMIT posts per address, and
    MOTCUA_SIGN_IN_ACCOUNT_FAILURES wrong passwords per account in a window)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refuse with 429 once the address or the account has used up its attempts."""
        refused = refuse_sign_in(request, SIGN_IN_LIMIT)
        if refused is not None:
            return refused
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        """A wrong password counts against the account typed."""
        count_failure(str(self.request.POST.get("username", "")))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only)."""


def _date_param(request: HttpRequest, name: str = "ngay") -> tuple[dt.date, str]:
    """A date from the query string (default today) and an error message if it was malformed."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return timezone.localdate(), _("Ngày “%(value)s” không hợp lệ; đang hiển thị hôm nay.") % {
            "value": raw
        }


def home(request: HttpRequest) -> HttpResponse:
    """The home page: the citizens' portal home for a visitor or an applicant, otherwise what
    the signed-in officer does, by role."""
    from motcua.portal.home_views import portal_home, shows_portal_home

    if shows_portal_home(request):
        return portal_home(request)
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(user_id=request.user.pk or 0)
        .active_on(today)
        .select_related("unit")
    )
    roles = {m.role for m in memberships}
    visible = Unit.objects.visible_to(request.user)
    allowed = allowed_actions(request.user)
    context = {
        "memberships": memberships,
        "roles": roles,
        "Role": Role,
        "actions": [ACTION_LABELS[a] for a in Action if a in allowed],
        "may_view": Action.VIEW in allowed,
        "may_receive": Action.RECEIVE in allowed,
        "unit_count": visible.valid_on(today).count(),
        "today": today,
    }
    if Role.ADMINISTRATOR in roles or request.user.is_superuser:
        context["recent_changes"] = ObjectChange.objects.visible_to(request.user).select_related(
            "content_type"
        )[:10]
    return render(request, "web/home.html", context)


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The unit tree as it stood on a chosen date — cây đơn vị theo ngày."""
    day, error = _date_param(request)
    nodes = [n for root in tree_as_of(day, user=request.user) for n in root.walk()]
    return render(
        request,
        "web/unit_tree.html",
        {"day": day, "error": error, "nodes": nodes, "reform_day": dt.date(2025, 7, 1)},
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its versions, place in the tree, successors, predecessors and people."""
    day_given = bool(request.GET.get("ngay"))
    day, error = _date_param(request)
    versions = Unit.objects.visible_to(request.user).filter(code=code).select_related("parent")
    chosen = versions.filter(valid_on_q(day)).first() if day_given else None
    unit = chosen or versions.order_by(F("valid_from").desc(nulls_last=True)).first()
    if unit is None:
        raise Http404
    visible = Unit.objects.visible_to(request.user)
    children = visible.filter(parent=unit).order_by("name")
    if day_given:
        children = children.filter(valid_on_q(day))
    members = (
        Membership.objects.visible_to(request.user)
        .filter(unit=unit)
        .active_on(timezone.localdate())
        .select_related("user")
    )
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "error": error,
            "versions": versions.order_by(F("valid_from").asc(nulls_first=True)),
            "children": children,
            "successors": successors_of(unit),
            "predecessors": predecessors_of(unit),
            "members": members,
        },
    )
