"""The applicant's account: register, sign in (password or an identity provider), sign out,
and "Hồ sơ của tôi" — the list of the applicant's own dossiers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.lib.ratelimit import Limit, hit, retry_after
from motcua.lib.signin import account_limit, account_locked, count_failure
from motcua.portal.access import applicant_required, is_applicant
from motcua.portal.account_forms import LoginForm, RegisterForm
from motcua.portal.accounts import AccountError, register_applicant
from motcua.portal.auth import BACKEND
from motcua.portal.identity import (
    PASSWORD,
    IdentityError,
    PasswordProvider,
    applicant_for,
    external_providers,
    get_provider,
    password_enabled,
)
from motcua.portal.models import ApplicantProfile
from motcua.portal.results import downloadable_results, list_own_dossiers
from motcua.portal.submission import EDITABLE_STATES, money

PAGE_SIZE = 20
NEXT_KEY = "portal_next"
# Password guessing must stay slow: sign-in and registration posts per client address.
SIGN_IN_LIMIT = Limit("portal-sign-in", count=30, seconds=600)


def _too_many(request: HttpRequest, *, account: bool = False) -> HttpResponse:
    wait = retry_after(account_limit() if account else SIGN_IN_LIMIT)
    response = render(
        request,
        "portal/account/too_many.html",
        {"minutes": max(1, (wait + 59) // 60), "account": account},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _next_url(request: HttpRequest, value: str | None) -> str:
    """A safe local address to go to after signing in, else the applicant's dossiers."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("portal:account")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Đăng ký tài khoản công dân."""
    if not password_enabled():
        raise Http404
    if request.method == "POST" and not hit(request, SIGN_IN_LIMIT):
        return _too_many(request)
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = register_applicant(
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password1"],
                    id_number=data["id_number"],
                    address=data["address"],
                )
            except AccountError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, gettext("Đã tạo tài khoản. Chào mừng bạn!"))
                return redirect(_next_url(request, request.POST.get("next")))
    return render(
        request,
        "portal/account/register.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next") or ""},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Đăng nhập: e-mail or phone plus password; other identity providers as buttons."""
    next_value = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "GET" and is_applicant(request.user):
        return redirect(_next_url(request, next_value))
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if not password_enabled():
            raise Http404
        identifier = str(request.POST.get("identifier", ""))
        if not hit(request, SIGN_IN_LIMIT):
            return _too_many(request)
        if account_locked(identifier):
            return _too_many(request, account=True)
        if form.is_valid():
            try:
                identity = PasswordProvider().complete(request)
            except IdentityError as exc:
                count_failure(identifier)  # per account, whatever the address
                error = exc.message
            else:
                login(request, applicant_for(identity), backend=BACKEND)
                return redirect(_next_url(request, next_value))
    return render(
        request,
        "portal/account/login.html",
        {
            "form": form,
            "error": error,
            "next": next_value,
            "password_enabled": password_enabled(),
            "providers": external_providers(),
        },
        status=400 if error else 200,
    )


@require_GET
def identity_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to an identity provider's sign-in."""
    found = get_provider(provider)
    if found is None or provider == PASSWORD:
        raise Http404
    request.session[NEXT_KEY] = _next_url(request, request.GET.get("next"))
    return HttpResponseRedirect(found.authorization_url(request))


# The provider's `complete` checks its own state and nonce; the return may be a cross-site
# POST (OpenID Connect form_post), which a CSRF token cannot accompany.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def identity_return(request: HttpRequest, provider: str) -> HttpResponse:
    """Where an identity provider sends the browser back: sign the applicant in."""
    found = get_provider(provider)
    if found is None or provider == PASSWORD:
        raise Http404
    try:
        identity = found.complete(request)
        if identity.provider != provider:
            raise IdentityError(gettext("Nhà cung cấp định danh trả về không khớp."))
        user = applicant_for(identity)
    except (IdentityError, AccountError) as exc:
        messages.error(request, exc.message)
        return redirect("portal:login")
    login(request, user, backend=BACKEND)
    return redirect(request.session.pop(NEXT_KEY, "") or reverse("portal:account"))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Đăng xuất (POST only)."""
    logout(request)
    messages.success(request, gettext("Bạn đã đăng xuất."))
    return redirect("portal:login")


@applicant_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """Hồ sơ của tôi: the applicant's own dossiers, drafts first to be continued."""
    rows = list_own_dossiers(request.user)  # filed online, or received at a desk for them
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    items = []
    for dossier in page.object_list:
        fee = int((dossier.procedure_version.data or {}).get("fee") or 0)
        online = dossier.applicant_user_id == request.user.pk
        items.append(
            {
                "dossier": dossier,
                "online": online,
                "editable": online and dossier.state in EDITABLE_STATES,
                "fee": money(fee) if fee and online else "",
                "results": downloadable_results(dossier),
            }
        )
    profile = ApplicantProfile.objects.get(user_id=request.user.pk or 0)
    return render(
        request,
        "portal/account/account.html",
        {"page": page, "items": items, "profile": profile},
    )
