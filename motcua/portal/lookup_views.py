"""Public portal pages that need no account — thủ tục, tra cứu hồ sơ, đánh giá.

Everything works with plain GET and POST forms (no JavaScript). Look-ups by dossier code and
digits are posted (the digits never reach a URL or the access log), rate-limited per client
address before any database read and per dossier code (locked after repeated wrong digits),
and a wrong code and a wrong combination of code and digits get the same answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.dossiers.choices import RATING_SCALE_MAX
from motcua.dossiers.services import DossierError
from motcua.dossiers.tokens import InvalidRatingToken, dossier_for_token, rating_token
from motcua.feedback.services import FeedbackError
from motcua.lib import ratelimit
from motcua.portal.lookup_forms import DossierLookupForm, RatingForm
from motcua.portal.offer import offer_of
from motcua.portal.selectors import (
    dossier_status,
    find_dossier_for_lookup,
    get_public_procedure,
    list_public_procedures,
    rating_context,
    where_to_submit,
)
from motcua.portal.services import rate_dossier_on_portal
from motcua.procedures.choices import OnlineLevel
from motcua.procedures.filtersets import ProcedureFilterSet
from motcua.procedures.search import rank_lazily

PAGE_SIZE = 20
# The search form's box "Cả thủ tục đã hết hiệu lực".
WITH_EXPIRED = "het_hieu_luc"
ONLINE_LEVELS = {OnlineLevel.PARTIAL, OnlineLevel.FULL}


# -- procedures ---------------------------------------------------------------------------------


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    """Published procedures: search with or without diacritics, filter, page through."""
    today = timezone.localdate()
    params = request.GET.copy()
    params.pop("trang", None)
    params.pop("published", None)  # the public sees published procedures only
    # Procedures in force only, unless asked for the expired ones too (then listed last).
    with_expired = params.get(WITH_EXPIRED) == "1"
    base = list_public_procedures(day=today, with_expired=with_expired)
    filters = params.copy()
    filters.pop(WITH_EXPIRED, None)
    filterset = ProcedureFilterSet(filters or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if filters.get("q") and filterset.is_valid():
        # Best match first, not by code; those in force before expired ones.
        queryset = rank_lazily(queryset, str(filters["q"]), day=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "portal/procedure_list.html",
        {
            "form": filterset.form,
            "invalid": filterset.is_bound and not filterset.is_valid(),
            "searched": bool(params),
            "page": page,
            "query": params.urlencode(),
            "with_expired": with_expired,
            "with_expired_name": WITH_EXPIRED,
            "today": today,
        },
    )


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything the catalogue holds about one published procedure (printable)."""
    procedure = get_public_procedure(code)
    if procedure is None:
        raise Http404
    offer = offer_of(procedure)
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "components": procedure.components.all(),
            "where": where_to_submit(procedure),
            "offer": offer,
            # Offered online only when it can be received at all.
            "online": offer.receivable and procedure.online_level in ONLINE_LEVELS,
        },
    )


# -- dossier status ----------------------------------------------------------------------------


def lookup_limit() -> ratelimit.Limit:
    """The per-address limit of look-ups by code (settings MOTCUA_LOOKUP_RATE_*)."""
    return ratelimit.Limit(
        scope="dossier_lookup",
        count=int(getattr(settings, "MOTCUA_LOOKUP_RATE_COUNT", 20)),
        seconds=int(getattr(settings, "MOTCUA_LOOKUP_RATE_WINDOW", 600)),
    )


def code_limit() -> ratelimit.Limit:
    """Wrong look-ups of one dossier code, whatever the address (MOTCUA_LOOKUP_CODE_*)."""
    return ratelimit.Limit(
        scope="dossier_code",
        count=int(getattr(settings, "MOTCUA_LOOKUP_CODE_FAILURES", 5)),
        seconds=int(getattr(settings, "MOTCUA_LOOKUP_CODE_LOCK", 3600)),
    )


def _too_many(
    request: HttpRequest, limit: ratelimit.Limit, *, code_locked: bool = False
) -> HttpResponse:
    wait = ratelimit.retry_after(limit)
    response = render(
        request,
        "portal/rate_limited.html",
        {"minutes": max(1, (wait + 59) // 60), "code_locked": code_locked},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _code_key(code: str) -> str:
    return "code:" + code.strip().upper()


def _lookup(request: HttpRequest, template: str) -> tuple[Any, HttpResponse | None]:
    """Check a posted code + digits under both budgets: (the dossier, None) or (None, answer).

    Counted per address before any database read; a code with MOTCUA_LOOKUP_CODE_FAILURES
    wrong answers in its window is refused whatever the digits and the address, and every
    wrong answer (an unknown code too, so the lock tells nothing) counts against the code."""
    limit = lookup_limit()
    if not ratelimit.hit(request, limit):  # before any database read
        return None, _too_many(request, limit)
    form = DossierLookupForm(request.POST)
    if not form.is_valid():
        return None, render(request, template, {"form": form}, status=400)
    code = form.cleaned_data["ma"]
    per_code = code_limit()
    if ratelimit.used_up(per_code, _code_key(code)):
        return None, _too_many(request, per_code, code_locked=True)
    dossier = find_dossier_for_lookup(code, form.cleaned_data["so"])
    if dossier is None:
        ratelimit.hit_key(per_code, _code_key(code))
        fresh = DossierLookupForm(initial={"ma": code})
        return None, render(request, template, {"form": fresh, "not_found": True}, status=404)
    return dossier, None


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Dossier status by code + last four digits, posted (never in a URL or the access log).

    A GET shows the empty form; `?ma=` alone (from the QR) prefills the code; an old link
    carrying the digits shows the form too, never a result."""
    if request.method != "POST":
        form = DossierLookupForm(initial={"ma": request.GET.get("ma", "").strip()[:80]})
        return render(request, "portal/status.html", {"form": form})
    dossier, refused = _lookup(request, "portal/status.html")
    if refused is not None:
        return refused
    fresh = DossierLookupForm(initial={"ma": dossier.code})
    return render(request, "portal/status.html", {"form": fresh, "status": dossier_status(dossier)})


# -- rating ----------------------------------------------------------------------------------


def _rating_page(
    request: HttpRequest,
    *,
    token: str,
    form: RatingForm | None = None,
    action: str,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    dossier = dossier_for_token(token)
    context: dict[str, Any] = rating_context(dossier)
    context.update(
        {
            "form": form or RatingForm(initial={"token": token}),
            "action": action,
            "error": error,
            "scale_max": RATING_SCALE_MAX,
        }
    )
    return render(request, "portal/rating.html", context, status=status)


def _invalid_token(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/rating_invalid.html", status=400)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest) -> HttpResponse:
    """Rating from the status page (`?t=` token) or by posted code + digits; rating posts
    carry the token."""
    action = request.path
    if request.method == "POST":
        if "token" not in request.POST and "so" in request.POST:
            return _rating_lookup(request, action=action)
        return _post_rating(request, via="portal", action=action)
    token = request.GET.get("t", "")
    if token:
        try:
            return _rating_page(request, token=token, action=action)
        except InvalidRatingToken:
            return _invalid_token(request)
    form = DossierLookupForm(initial={"ma": request.GET.get("ma", "").strip()[:80]})
    return render(request, "portal/rating_lookup.html", {"form": form})


def _rating_lookup(request: HttpRequest, *, action: str) -> HttpResponse:
    """The rating page of a dossier found by posted code + digits (same budgets as /tra-cuu/)."""
    dossier, refused = _lookup(request, "portal/rating_lookup.html")
    if refused is not None:
        return refused
    return _rating_page(request, token=rating_token(dossier), action=action)


@require_http_methods(["GET", "POST"])
def rate_token(request: HttpRequest, token: str) -> HttpResponse:
    """Rating from a signed link (`/danh-gia/<token>/`, e.g. in a notice or a QR code)."""
    if request.method == "POST":
        if request.POST.get("token") != token:
            return _invalid_token(request)
        return _post_rating(request, via="qr", action=request.path)
    try:
        return _rating_page(request, token=token, action=request.path)
    except InvalidRatingToken:
        return _invalid_token(request)


def _post_rating(request: HttpRequest, *, via: str, action: str) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        dossier = dossier_for_token(token)
    except InvalidRatingToken:
        return _invalid_token(request)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _rating_page(request, token=token, form=form, action=action, status=400)
    try:
        _rating, item = rate_dossier_on_portal(
            dossier=dossier,
            satisfied=form.cleaned_data["satisfied"],
            scores=form.scores,
            comment=form.cleaned_data["comment"],
            via=via,
            actor=request.user,
            open_feedback=form.cleaned_data["open_feedback"],
        )
    except (DossierError, FeedbackError) as exc:
        return _rating_page(
            request,
            token=token,
            form=form,
            action=action,
            status=exc.status,
            error=capfirst(exc.message),
        )
    if item is not None:
        messages.success(
            request,
            _(
                "Ý kiến của ông/bà đã được tiếp nhận thành phản ánh mã %(code)s; theo dõi tại "
                "trang Tra cứu phản ánh."
            )
            % {"code": item.code},
        )
    return redirect("portal:rated")


@require_GET
def rated(request: HttpRequest) -> HttpResponse:
    """Thanks after a rating (the redirect target of a successful post)."""
    return render(request, "portal/rated.html")
