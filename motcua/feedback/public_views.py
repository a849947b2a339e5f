"""Public feedback pages (no account needed): send, follow up, published answers, votes.

Views parse input and call the services; they never set a state themselves. Personal data
never reaches these pages: the list and answer pages read only the approved public title and
text, and the follow-up page shows state and dates, never the sender's details. A wrong
code/digits combination gets exactly the answer of an unknown code, and lookups are
rate-limited per client address so that guessing stays slow.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.feedback.choices import Channel, FeedbackState, Vote
from motcua.feedback.models import Feedback, FeedbackPause, FeedbackSurvey
from motcua.feedback.public_forms import (
    FollowForm,
    SearchForm,
    SubmitForm,
    SupplementForm,
    SurveyForm,
    category_descendants,
    current_province,
)
from motcua.lib.ratelimit import Limit, client_key, hit, hit_key, retry_after, used_up

PAGE_SIZE = 20
# Per client address. Generous for a family sharing a connection, slow for a guesser:
# 10 lookups per 5 minutes make the 10,000 digit combinations of one code take days.
SUBMIT_LIMIT = Limit("feedback-submit", 10, 3600)
FOLLOW_LIMIT = Limit("feedback-follow", 10, 300)
VOTE_LIMIT = Limit("feedback-vote", 30, 600)


def follow_code_limit() -> Limit:
    """Wrong follow-ups of one item code, whatever the address (MOTCUA_LOOKUP_CODE_*)."""
    return Limit(
        "feedback-code",
        int(getattr(settings, "MOTCUA_LOOKUP_CODE_FAILURES", 5)),
        int(getattr(settings, "MOTCUA_LOOKUP_CODE_LOCK", 3600)),
    )


# Codes this browser session has proved it may follow (by code + digits, or by sending it).
SESSION_FOLLOWED = "feedback_followed"
SESSION_RECEIPT = "feedback_receipt"
NOT_FOUND = _(
    "Không tìm thấy phản ánh với mã và 4 số cuối đã nhập. Hãy kiểm tra lại mã trên giấy "
    "biên nhận hoặc tin nhắn xác nhận."
)

# The state in plain words, as the sender reads it.
PLAIN_STATE: dict[str, Any] = {
    FeedbackState.RECEIVED: _("Đã tiếp nhận; cơ quan đang phân loại và giao đơn vị xử lý."),
    FeedbackState.SUPPLEMENT_REQUESTED: _(
        "Cơ quan xử lý cần bạn bổ sung, làm rõ thông tin (xem yêu cầu bên dưới)."
    ),
    FeedbackState.SUPPLEMENTED: _("Đã nhận nội dung bổ sung của bạn; đang tiếp tục xử lý."),
    FeedbackState.PROCESSING: _("Đang được xem xét, xử lý."),
    FeedbackState.ANSWER_APPROVED: _("Đã có kết quả xử lý; đang chờ công khai."),
    FeedbackState.PUBLISHED: _("Đã có kết quả xử lý và đã công khai."),
    FeedbackState.ANSWERED: _("Đã được trả lời trực tiếp."),
    FeedbackState.CLOSED: _("Đã hoàn thành xử lý."),
    FeedbackState.REFUSED: _("Không được tiếp nhận xử lý (xem lý do bên dưới)."),
    FeedbackState.FORWARDED: _("Không thuộc thẩm quyền; đã chuyển đến cơ quan có thẩm quyền."),
    FeedbackState.REDIRECTED: _(
        "Nội dung thuộc diện khiếu nại, tố cáo; đã hướng dẫn bạn thực hiện theo thủ tục riêng."
    ),
}
# The closing question is offered once the sender has an answer (record_survey's states).
SURVEY_STATES = frozenset({FeedbackState.PUBLISHED, FeedbackState.CLOSED, FeedbackState.ANSWERED})


def _sentence(message: str) -> str:
    """A service message (lower case, no stop) as a sentence on a page."""
    text = message.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, context, status=status)


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], limit: Limit
) -> HttpResponse:
    wait = retry_after(limit)
    minutes = max(1, (wait + 59) // 60)
    too_many = ngettext(
        "Bạn đã thử quá nhiều lần. Hãy thử lại sau %(minutes)s phút.",
        "Bạn đã thử quá nhiều lần. Hãy thử lại sau %(minutes)s phút.",
        minutes,
    )
    context = {**context, "error": too_many % {"minutes": minutes}}
    response = _render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _followed(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_FOLLOWED, []))


def _remember(request: HttpRequest, code: str) -> None:
    codes = [c for c in _followed(request) if c != code]
    request.session[SESSION_FOLLOWED] = [code, *codes][:20]


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """End following on this browser: on a shared or kiosk computer the next person must not
    see, supplement or rate the items this session proved it may follow."""
    request.session.pop(SESSION_FOLLOWED, None)
    request.session.pop(SESSION_RECEIPT, None)
    request.session.cycle_key()
    messages.info(request, gettext("Đã kết thúc tra cứu trên trình duyệt này."))
    return redirect("feedback_public:follow")


def _service_error_fields(form: SubmitForm, error: Any) -> None:
    """Put a service error on the form field it names, else on the form."""
    aliases = {
        "sender_name": "name",
        "sender_phone": "phone",
        "sender_email": "email",
        "sender": "phone",
        "contact": "phone",
        "dossier": "dossier_code",
    }
    field = aliases.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, _sentence(error.message))


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Send a feedback or recommendation, with or without an account — gửi phản ánh."""
    from motcua.feedback.services import FeedbackError, receive_feedback

    province = current_province()
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        initial = {}
        if user is not None:
            initial = {
                "name": getattr(user, "full_name", "") or user.get_full_name(),
                "phone": getattr(user, "phone", ""),
                "email": user.email,
            }
        form = SubmitForm(province=province, initial=initial)
        return _render(request, "feedback/public/submit.html", {"form": form})
    form = SubmitForm(request.POST, province=province)
    if not hit(request, SUBMIT_LIMIT):
        return _too_many(request, "feedback/public/submit.html", {"form": form}, SUBMIT_LIMIT)
    if form.is_valid():
        try:
            item = receive_feedback(
                channel=Channel.PORTAL,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                sender=form.sender(),
                province=province,
                category=form.category_obj(),
                area=form.area_obj(),
                sender_user=user,
                dossier_code=form.cleaned_data["dossier_code"],
            )
        except FeedbackError as error:
            _service_error_fields(form, error)
        else:
            _remember(request, item.code)
            request.session[SESSION_RECEIPT] = item.code
            return redirect("feedback_public:receipt", permanent=False)
    return _render(request, "feedback/public/submit.html", {"form": form}, status=400)


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The confirmation after sending: the code and how to follow the item."""
    code = request.session.get(SESSION_RECEIPT)
    item = Feedback.objects.filter(code=code).select_related("unit").first() if code else None
    if item is None:
        return redirect("feedback_public:submit")
    return _render(request, "feedback/public/receipt.html", {"item": item})


def _status_context(request: HttpRequest, item: Feedback) -> dict[str, Any]:
    """What the sender may read about their own item (never their personal details)."""
    pause = (
        FeedbackPause.objects.filter(feedback=item, closed_at__isnull=True).order_by("-opened_at")
        if item.state == FeedbackState.SUPPLEMENT_REQUESTED
        else FeedbackPause.objects.none()
    ).first()
    surveyed = FeedbackSurvey.objects.filter(feedback=item).exists()
    forwarded_to = item.forwarded_to_body or (
        item.forwarded_to_unit.name if item.forwarded_to_unit is not None else ""
    )
    return {
        "item": item,
        "plain_state": PLAIN_STATE.get(item.state, item.get_state_display()),
        "expected": item.norm_due or item.handle_due,
        "is_open": item.finished_at is None,
        "forwarded_to": forwarded_to,
        "supplement_request": pause.request if pause else "",
        "supplement_form": SupplementForm()
        if item.state == FeedbackState.SUPPLEMENT_REQUESTED
        else None,
        "survey_form": SurveyForm() if _survey_open(item) and not surveyed else None,
        "surveyed": surveyed,
        "public": Feedback.objects.public().filter(pk=item.pk).exists(),
    }


def _survey_open(item: Feedback) -> bool:
    """An answer the sender has: published or closed, or approved and never to be published."""
    return item.state in SURVEY_STATES or (
        item.state == FeedbackState.ANSWER_APPROVED and item.do_not_publish
    )


def _followed_item(request: HttpRequest, code: str) -> Feedback | None:
    if code not in _followed(request):
        return None
    return (
        Feedback.objects.select_related("unit", "category", "forwarded_to_unit")
        .filter(code=code)
        .first()
    )


def _lookup(code: str, last4: str) -> Feedback | None:
    from motcua.feedback.selectors import find_public

    try:
        return find_public(code, last4)
    except Feedback.DoesNotExist:
        return None


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow one's own item by code + last four digits; supplement it; answer the survey."""
    template = "feedback/public/follow.html"
    if request.method == "GET":
        code = (request.GET.get("ma") or "").strip().upper()
        item = _followed_item(request, code) if code else None
        # Another look-up starts empty; an unproven code is kept to save typing it again.
        initial = {"code": code} if code and item is None else None
        context: dict[str, Any] = {"form": FollowForm(initial=initial)}
        if item is not None:
            context.update(_status_context(request, item))
        return _render(request, template, context)

    action = request.POST.get("action", "lookup")
    if action in {"supplement", "survey"}:
        return _sender_action(request, action)
    form = FollowForm(request.POST)
    if not hit(request, FOLLOW_LIMIT):
        return _too_many(request, template, {"form": FollowForm()}, FOLLOW_LIMIT)
    if not form.is_valid():
        return _render(request, template, {"form": form}, status=400)
    # Per item code too, whatever the address (issue 16): locked after repeated wrong tries.
    per_code, code_key = follow_code_limit(), "feedback:" + form.cleaned_data["code"]
    if used_up(per_code, code_key):
        return _too_many(request, template, {"form": FollowForm()}, per_code)
    item = _lookup(form.cleaned_data["code"], form.cleaned_data["last4"])
    if item is None:
        hit_key(per_code, code_key)  # unknown codes count too: the lock tells nothing
        # The same page whether the code is unknown or the digits are wrong.
        return _render(request, template, {"form": FollowForm(), "error": NOT_FOUND}, status=404)
    _remember(request, item.code)
    return redirect(f"{reverse('feedback_public:follow')}?ma={item.code}")


def _sender_action(request: HttpRequest, action: str) -> HttpResponse:
    """Supplement or survey by a session that has proved it follows the item."""
    from motcua.feedback.services import FeedbackError, record_supplement, record_survey

    template = "feedback/public/follow.html"
    code = (request.POST.get("code") or "").strip().upper()
    item = _followed_item(request, code)
    if item is None:
        return _render(request, template, {"form": FollowForm(), "error": NOT_FOUND}, status=404)
    back = f"{reverse('feedback_public:follow')}?ma={item.code}"
    if action == "supplement":
        supplement = SupplementForm(request.POST)
        if supplement.is_valid():
            try:
                record_supplement(feedback=item, text=supplement.cleaned_data["text"])
            except FeedbackError as error:
                supplement.add_error(None, _sentence(error.message))
            else:
                messages.success(request, gettext("Đã gửi nội dung bổ sung, làm rõ. Cảm ơn bạn."))
                return redirect(back)
        context = {"form": FollowForm(), **_status_context(request, item)}
        context["supplement_form"] = supplement
        return _render(request, template, context, status=400)
    survey = SurveyForm(request.POST)
    if survey.is_valid():
        try:
            record_survey(
                feedback=item,
                satisfied=survey.cleaned_data["satisfied"],
                comment=survey.cleaned_data["comment"],
            )
        except FeedbackError as error:
            messages.error(request, _sentence(error.message))
        else:
            messages.success(request, gettext("Cảm ơn bạn đã cho biết ý kiến."))
        return redirect(back)
    context = {"form": FollowForm(), **_status_context(request, item)}
    if context["survey_form"] is not None:
        context["survey_form"] = survey
    return _render(request, template, context, status=400)


def _public_items(query: str, category: int | None, province: Any) -> Any:
    from motcua.feedback.selectors import list_public

    rows = list_public(query)
    if category is not None:
        rows = rows.filter(category_id__in=category_descendants(province, category))
    return rows


@require_GET
def answer_list(request: HttpRequest) -> HttpResponse:
    """Published answers, searchable with or without diacritics — kết quả trả lời công khai."""
    province = current_province()
    form = SearchForm(request.GET or None, province=province)
    query, category = "", None
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        category = int(form.cleaned_data["category"]) if form.cleaned_data["category"] else None
    rows = _public_items(query, category, province)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    context = {"form": form, "page": page, "query": query, "params": params.urlencode()}
    return _render(request, "feedback/public/list.html", context)


def _public_item(code: str) -> Feedback:
    from motcua.feedback.selectors import get_public_feedback

    try:
        return get_public_feedback(code)
    except Feedback.DoesNotExist:
        raise Http404(gettext("Không có kết quả trả lời công khai với mã này.")) from None


@require_GET
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One published answer (public title and text only) with like/dislike buttons."""
    item = _public_item(code)
    return _render(request, "feedback/public/answer.html", {"item": item, "votes": Vote})


def voter_key(request: HttpRequest) -> str:
    """sha256 of the account, or of address (IPv6: its /64) + browser: never the raw address.

    The session key is not used for anonymous voters: a fresh cookie would buy a fresh vote.
    """
    if request.user.is_authenticated:
        raw = f"user:{request.user.pk}"
    else:
        agent = request.META.get("HTTP_USER_AGENT", "")
        raw = f"client:{client_key(request)}|{agent}"
    return hashlib.sha256(raw.encode()).hexdigest()


@require_POST
def vote(request: HttpRequest, code: str) -> HttpResponse:
    """Like or dislike a published answer, once per voter."""
    from motcua.feedback.services import FeedbackError, vote_feedback

    item = _public_item(code)
    if not hit(request, VOTE_LIMIT):
        context = {"item": item, "votes": Vote}
        return _too_many(request, "feedback/public/answer.html", context, VOTE_LIMIT)
    try:
        value = int(request.POST.get("value", ""))
        Vote(value)
    except ValueError:
        messages.error(request, gettext("Lựa chọn bình chọn không hợp lệ."))
        return redirect("feedback_public:answer", code=item.code)
    is_sender = item.code in _followed(request) or (
        request.user.is_authenticated and item.sender_user_id == request.user.pk
    )
    try:
        vote_feedback(feedback=item, voter_key=voter_key(request), value=value, is_sender=is_sender)
    except FeedbackError as error:
        messages.error(request, _sentence(error.message))
    else:
        messages.success(request, gettext("Cảm ơn bạn đã bình chọn."))
    return redirect("feedback_public:answer", code=item.code)
