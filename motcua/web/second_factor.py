"""Second-factor pages and the gate that asks for them (motcua/people/totp.py).

`SecondFactorMiddleware` (after django-otp's `OTPMiddleware`): a signed-in user whose account
has a confirmed TOTP device but whose session has not given a code yet reaches nothing but
the code page and sign-out; an admin user who must enrol (MOTCUA_REQUIRE_TOTP_FOR_STAFF)
reaches nothing but the enrolment page. The gate covers every sign-in path (officers,
`/admin/login/`, the portal) because it looks at the session, not at the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from motcua.lib.ratelimit import Limit, hit, retry_after
from motcua.lib.signin import account_locked, count_failure
from motcua.people.totp import (
    SecondFactorError,
    confirm_enrolment,
    confirmed_device,
    must_enrol,
    must_wait,
    start_enrolment,
    verify_code,
)

CODE_LIMIT = Limit("second-factor", count=30, seconds=600)


# What the session still owes, computed once per session (no query on every request):
# VERIFY (a code), ENROL (a device, when mandatory) or "" (nothing).
SESSION_KEY = "motcua_second_factor"
VERIFY = "verify"
ENROL = "enrol"


def _owed_at_sign_in(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Every sign-in works out what it owes (a device may have been added or reset), so that
    the pages after it pay no query for the check."""
    if request is not None and hasattr(request, "session"):
        user = kwargs.get("user")
        step = VERIFY if confirmed_device(user) else ENROL if must_enrol(user) else ""
        request.session[SESSION_KEY] = step


user_logged_in.connect(_owed_at_sign_in, dispatch_uid="motcua.second_factor.owed")


def owed_step(request: HttpRequest, *, fresh: bool = False) -> str:
    """The second-factor step the signed-in session owes ("" when none)."""
    session = request.session
    if fresh or SESSION_KEY not in session:
        user = request.user
        step = VERIFY if confirmed_device(user) else ENROL if must_enrol(user) else ""
        session[SESSION_KEY] = step
    return str(session[SESSION_KEY])


def _verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


class SecondFactorMiddleware:
    """Send a signed-in user who owes a second factor to the code (or enrolment) page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            owed = owed_step(request)
            if owed and not _verified(user):
                target = "web:second-factor" if owed == VERIFY else "web:second-factor-enrol"
                if not self._exempt(request, target):
                    return self._send(request, target)
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest, target: str) -> bool:
        path = request.path
        allowed = (reverse(target), reverse("web:logout"), reverse("set_language"))
        return path in allowed or path.startswith(str(settings.STATIC_URL))

    @staticmethod
    def _send(request: HttpRequest, target: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            detail = _("Cần nhập mã xác thực hai lớp trước khi dùng API bằng phiên đăng nhập.")
            return JsonResponse({"detail": detail}, status=403)
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        response = redirect(url)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = url
        return response


def _next(request: HttpRequest) -> str:
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Nhập mã xác thực: the 6-digit code after the password."""
    user = request.user
    if _verified(user) or owed_step(request, fresh=True) != VERIFY:
        return redirect(_next(request))  # verified, or the device was reset meanwhile
    error = ""
    status = 200
    if request.method == "POST":
        name = user.get_username()
        if not hit(request, CODE_LIMIT) or account_locked(name):
            response = render(
                request,
                "web/second_factor_verify.html",
                {
                    "error": _("Quá nhiều lần nhập mã; hãy thử lại sau ít phút."),
                    "next": _next(request),
                },
                status=429,
            )
            response["Retry-After"] = str(retry_after(CODE_LIMIT))
            return response
        if must_wait(user):  # django-otp's throttle: the code is not even checked
            return render(
                request,
                "web/second_factor_verify.html",
                {
                    "error": _("Vừa nhập sai mã; hãy chờ vài giây rồi nhập mã đang hiển thị."),
                    "next": _next(request),
                },
                status=429,
            )
        device = verify_code(user=user, token=str(request.POST.get("ma", "")))  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next(request))
        count_failure(name)
        error = _("Mã xác thực không đúng hoặc đã hết hạn.")
        status = 400
    return render(
        request,
        "web/second_factor_verify.html",
        {"error": error, "next": _next(request)},
        status=status,
    )


def _qr(url: str) -> str:
    import segno  # only the enrolment page draws a QR code; not every process start

    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


def _secret_text(device: Any) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Bật xác thực hai lớp: QR code + secret as text, then confirm with one code."""
    user = request.user
    if confirmed_device(user) is not None:
        if owed_step(request, fresh=True) == VERIFY and not _verified(user):
            return redirect("web:second-factor")
        return render(request, "web/second_factor_enrol.html", {"enabled": True})
    device = start_enrolment(user=user, actor=user)  # type: ignore[arg-type]
    error = ""
    status = 200
    if request.method == "POST":
        try:
            confirmed = confirm_enrolment(
                user=user,  # type: ignore[arg-type]
                token=str(request.POST.get("ma", "")),
                actor=user,
            )
        except SecondFactorError as exc:
            error, status = exc.message, exc.status
            device.refresh_from_db()
        else:
            otp_login(request, confirmed)
            request.session[SESSION_KEY] = VERIFY  # given: OTPMiddleware now sees the device
            return redirect(reverse("web:second-factor-enrol") + "?" + urlencode({"xong": "1"}))
    return render(
        request,
        "web/second_factor_enrol.html",
        {
            "qr": _qr(device.config_url),
            "secret": _secret_text(device),
            "error": error,
            "required": must_enrol(user),
        },
        status=status,
    )
