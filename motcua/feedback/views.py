"""The officer's feedback workspace (phản ánh, kiến nghị): queue, intake, the item's page and
its actions.

Views parse input, fetch the item through the user's scope (`Feedback.objects.visible_to`: an
item outside it is a 404, exactly like a missing one) and call one service per POST; they never
set a state themselves. Domain errors come back as Vietnamese form errors (400), a refusal
(403) or a request to reload (409), with nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.dossiers.tables import format_local
from motcua.feedback import clock, services
from motcua.feedback.choices import (
    OPEN_STATES,
    TRANSITIONS,
    Channel,
    FeedbackEvent,
    FeedbackState,
    Kind,
)
from motcua.feedback.filtersets import FeedbackFilterSet, filter_params
from motcua.feedback.forms import (
    ACTION_FIELD_ALIASES,
    INTAKE_FIELD_ALIASES,
    ActionForm,
    ApproveAnswerForm,
    AssignForm,
    ClassifyForm,
    DraftAnswerForm,
    EmptyActionForm,
    ForwardForm,
    IntakeForm,
    QuickAnswerForm,
    RecordSupplementForm,
    RedirectForm,
    RefuseForm,
    RejectAnswerForm,
    RequestSupplementForm,
    StartProcessingForm,
    format_duration,
    local_now_text,
)
from motcua.feedback.models import Category, Feedback, FeedbackEntry, StandardAnswer
from motcua.feedback.services import FeedbackError
from motcua.feedback.tables import FeedbackTable, rough_duration
from motcua.lib.scoping import visible_unit_ids
from motcua.people.models import Membership, User
from motcua.people.policy import ROLE_ACTIONS, Action, can
from motcua.units.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
RELOAD = _("Hãy tải lại trang để xem trạng thái mới nhất của phản ánh.")
F = FeedbackState


# -- queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTab:
    """One tab of the feedback queue: which items, most urgent first."""

    slug: str
    label: StrOrPromise
    help: StrOrPromise
    narrow: Callable[[QuerySet[Feedback], dt.datetime], QuerySet[Feedback]]


DRAFTED_KIND = "feedback.answer_drafted"
REJECTED_KIND = "feedback.answer_rejected"
ANSWER_STEPS = (DRAFTED_KIND, REJECTED_KIND)


def _with_answer_step(qs: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """Alias `answer_step`: the kind of the latest draft or rejection of the answer, if any."""
    latest = (
        FeedbackEntry.objects.filter(feedback_id=OuterRef("pk"), kind__in=ANSWER_STEPS)
        .order_by("-at", "-id")
        .values("kind")[:1]
    )
    return qs.alias(answer_step=Subquery(latest))


def _new(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return qs.filter(state=F.RECEIVED).order_by("-received_at", "-id")


def _processing(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    # Supplemented items are back on the unit's desk; a rejected draft is being reworked.
    no_pending_draft = Q(answer_step__isnull=True) | Q(answer_step=REJECTED_KIND)
    return (
        _with_answer_step(qs)
        .filter(Q(state=F.SUPPLEMENTED) | (Q(state=F.PROCESSING) & no_pending_draft))
        .order_by("handle_due", "id")
    )


def _supplement(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return qs.filter(state=F.SUPPLEMENT_REQUESTED).order_by("-received_at", "-id")


def _approval(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return (
        _with_answer_step(qs)
        .filter(Q(state=F.PROCESSING) & Q(answer_step=DRAFTED_KIND))
        .order_by("handle_due", "id")
    )


def _publication(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return qs.filter(state=F.ANSWER_APPROVED).order_by("publish_due", "id")


def _overdue(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return qs.filter(state__in=OPEN_STATES, handle_due__lt=now).order_by("handle_due", "id")


def _everything(qs: QuerySet[Feedback], now: dt.datetime) -> QuerySet[Feedback]:
    return qs.order_by("-received_at", "-id")


QUEUE_TABS = (
    QueueTab("moi", _("Mới tiếp nhận"), _("đã tiếp nhận, chưa bắt đầu xử lý"), _new),
    QueueTab(
        "dang-xu-ly",
        _("Đang xử lý"),
        _("đang xử lý hoặc đã được bổ sung, chưa có dự thảo trả lời chờ duyệt"),
        _processing,
    ),
    QueueTab(
        "cho-bo-sung", _("Chờ bổ sung"), _("đang chờ người phản ánh bổ sung, làm rõ"), _supplement
    ),
    QueueTab(
        "cho-duyet",
        _("Chờ duyệt"),
        _("đang xử lý, đã có dự thảo trả lời chờ lãnh đạo phê duyệt"),
        _approval,
    ),
    QueueTab(
        "cho-cong-khai",
        _("Chờ công khai"),
        _("trả lời đã được phê duyệt, chờ công khai"),
        _publication,
    ),
    QueueTab(
        "qua-han",
        _("Quá hạn"),
        _("chưa xử lý xong và đã quá hạn xử lý 15 ngày làm việc"),
        _overdue,
    ),
    QueueTab(
        "tat-ca",
        _("Tất cả"),
        _("mọi phản ánh, kiến nghị và câu hỏi trong phạm vi của bạn"),
        _everything,
    ),
)
TABS_BY_SLUG = {t.slug: t for t in QUEUE_TABS}
DEFAULT_TAB = "moi"


def list_feedback(user: Any) -> QuerySet[Feedback]:
    """The items `user` may see, with what a queue row shows."""
    return Feedback.objects.visible_to(user).select_related("unit", "handler")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The feedback queue of the signed-in user, by tab, with the shared filters."""
    tab = TABS_BY_SLUG.get(request.GET.get("tab") or "", TABS_BY_SLUG[DEFAULT_TAB])
    now = timezone.now()
    base = list_feedback(request.user)
    filterset = FeedbackFilterSet(request.GET or None, queryset=base)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    rows = tab.narrow(rows, now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "tabs": QUEUE_TABS,
        "tab": tab.slug,
        "current_tab": tab,
        "filter": filterset if filterset.is_bound else FeedbackFilterSet(queryset=base),
        "page": page,
        "table": FeedbackTable(page.object_list, now=now),
        "params": filter_params(request.GET),
        "may_receive": can(request.user, Action.RECEIVE),
    }
    if request.headers.get("HX-Request"):
        return render(request, "feedback/officer/_queue_table.html", context)
    return render(request, "feedback/officer/queue.html", context)


# -- intake -----------------------------------------------------------------------------------


def intake_units(user: Any) -> list[Unit]:
    """Units in force today at which `user` may log feedback (Action.RECEIVE)."""
    today = timezone.localdate()
    rows = Unit.objects.visible_to(user).valid_on(today).order_by("code")
    return [u for u in rows if can(user, Action.RECEIVE, u)]


def unit_by_code(code: str) -> Unit | None:
    """The version of unit `code` in force today, else its latest version."""
    text = (code or "").strip()
    if not text:
        return None
    return Unit.objects.version_of(text, timezone.localdate()) or Unit.objects.version_of(text)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Intake of a call, a visit, a letter or an e-mail — tiếp nhận phản ánh, kiến nghị.

    "Tiếp nhận" logs the item for handling and opens its page; "Trả lời ngay" logs a question
    with its answer and closes it in the same step, then offers an empty form for the next call.
    """
    units = intake_units(request.user)
    choices = [(str(u.pk), f"{u.code} — {u.name}") for u in units]
    initial = {
        "channel": Channel.HOTLINE,
        "contact_at": local_now_text(),
        "intake_unit": choices[0][0] if choices else "",
    }
    form = IntakeForm(request.POST or None, initial=initial, units=choices)
    status = 200
    if request.method == "POST":
        status = 400
        quick = request.POST.get("path") == "answer"
        if form.is_valid() and quick and not form.cleaned_data.get("answer"):
            form.add_error("answer", gettext("Hãy ghi nội dung trả lời ngay."))
        area = None
        if form.is_valid() and form.cleaned_data.get("area"):
            area = unit_by_code(form.cleaned_data["area"])
            if area is None:
                form.add_error(
                    "area",
                    gettext("không tìm thấy đơn vị “%(code)s”")
                    % {"code": form.cleaned_data["area"]},
                )
        if form.is_valid():
            try:
                item = _intake(request.user, form, units=units, area=area, quick=quick)
            except FeedbackError as exc:
                field = INTAKE_FIELD_ALIASES.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
                status = exc.status
            else:
                if quick:
                    messages.success(
                        request,
                        format_html(
                            '{} <a href="{}">{}</a>.',
                            gettext("Đã trả lời ngay và đóng câu hỏi"),
                            reverse("feedback:detail", args=[item.code]),
                            item.code,
                        ),
                    )
                    return redirect("feedback:intake")
                messages.success(
                    request, gettext("Đã tiếp nhận phản ánh %(code)s.") % {"code": item.code}
                )
                return redirect("feedback:detail", code=item.code)
    return render(
        request,
        "feedback/officer/intake.html",
        {"form": form, "standard_answers": _standard_answers_for(form), "units": _all_units()},
        status=status,
    )


def _intake(
    user: Any, form: IntakeForm, *, units: list[Unit], area: Unit | None, quick: bool
) -> Feedback:
    """Call the one service of the chosen path.

    A question answered on the spot is received, answered and closed at the contact time:
    the officer answered during the call. Both paths keep the area, the contact time and
    the dossier / procedure links the officer typed.
    """
    data = form.cleaned_data
    intake_unit = next(u for u in units if str(u.pk) == data["intake_unit"])
    category = Category.objects.filter(pk=data["category"]).first() if data["category"] else None
    if quick:
        return services.answer_on_the_spot(
            actor=user,
            title=data["title"],
            content=data["content"],
            answer=data["answer"],
            sender=form.sender(),
            intake_unit=intake_unit,
            channel=data["channel"],
            call_duration_seconds=data.get("call_duration"),
            category=category,
            at=data.get("contact_at"),
            area=area,
            contact_at=data.get("contact_at"),
            dossier_code=data.get("dossier_code") or "",
            procedure_code=data.get("procedure_code") or "",
        )
    return services.receive_feedback(
        channel=data["channel"],
        title=data["title"],
        content=data["content"],
        sender=form.sender(),
        actor=user,
        intake_unit=intake_unit,
        category=category,
        area=area,
        contact_at=data.get("contact_at"),
        call_duration_seconds=data.get("call_duration"),
        dossier_code=data.get("dossier_code") or "",
        procedure_code=data.get("procedure_code") or "",
        repeat_of_code=data.get("repeat_of_code") or "",
        repeat_dissatisfied=bool(data.get("repeat_dissatisfied")),
    )


def _standard_answers_for(form: IntakeForm) -> list[StandardAnswer]:
    """The standard answers of the category chosen on a re-rendered form."""
    value = form["category"].value()
    if not value or not str(value).isdigit():
        return []
    return list(StandardAnswer.objects.filter(category_id=int(value), active=True))


def _all_units() -> list[Unit]:
    """Units in force today, for the unit-code boxes (area, forward, assign)."""
    today = timezone.localdate()
    return list(Unit.objects.valid_on(today).order_by("code").only("code", "name"))


@login_required
@require_GET
def standard_answers(request: HttpRequest) -> HttpResponse:
    """HTMX fragments of the intake form: a category's standard answers, or one answer's text.

    With `standard_answer`, the answer box filled with that text; with `category`, the list of
    the category's active standard answers to choose from.
    """
    chosen = request.GET.get("standard_answer") or ""
    if chosen:
        answer = (
            StandardAnswer.objects.filter(pk=chosen, active=True).first()
            if (chosen.isdigit())
            else None
        )
        if answer is None:
            raise Http404(gettext("không có câu trả lời mẫu này"))
        form = QuickAnswerForm(initial={"answer": answer.text})
        return render(request, "feedback/officer/_answer_field.html", {"field": form["answer"]})
    category = request.GET.get("category") or ""
    rows = (
        list(StandardAnswer.objects.filter(category_id=int(category), active=True))
        if category.isdigit()
        else []
    )
    return render(
        request,
        "feedback/officer/_standard_answers.html",
        {"standard_answers": rows, "category_chosen": bool(category)},
    )


# -- the item's page --------------------------------------------------------------------------


def get_item(user: Any, code: str) -> Feedback:
    """The item `code` if `user` may see it, with everything its page shows; else Http404."""
    rows = (
        Feedback.objects.visible_to(user)
        .select_related(
            "unit",
            "intake_unit",
            "category",
            "category__parent",
            "area",
            "handler",
            "logged_by",
            "dossier",
            "procedure",
            "officer",
            "repeat_of",
            "forwarded_from",
            "forwarded_to_unit",
            "answer_drafted_by",
            "answer_approved_by",
            "survey",
        )
        .prefetch_related(
            Prefetch("events", queryset=FeedbackEntry.objects.order_by("at", "id")),
            Prefetch("repeats", queryset=Feedback.objects.order_by("received_at", "id")),
            Prefetch("forwards", queryset=Feedback.objects.order_by("received_at", "id")),
        )
    )
    text = (code or "").strip().upper()
    item = rows.filter(code=text).first() if text else None
    if item is None:
        raise Http404(gettext("không tìm thấy phản ánh"))
    return item


def draft_pending(item: Feedback) -> bool:
    """A drafted answer waits for the leader: drafted, and not sent back since.

    Reads the prefetched timeline (no query).
    """
    if not item.answer_official:
        return False
    steps = [e.kind for e in item.events.all() if e.kind in {DRAFTED_KIND, REJECTED_KIND}]
    return not steps or steps[-1] == DRAFTED_KIND


@dataclass(frozen=True)
class OfficerAction:
    """One action of the item's page: its form, its service and when it is offered.

    `operation` is the service's name in `services.OPERATIONS`: the services answer whether
    the state allows it and whether the user may (`services.may_perform`).
    """

    slug: str
    label: StrOrPromise
    form: type[ActionForm]
    operation: str
    run: Callable[[Feedback, Any, dict[str, Any]], Any]
    # Extra condition for offering the form (a pending draft, a publishable answer...).
    when: Callable[[Feedback], bool] = lambda item: True


def _classify(item: Feedback, actor: Any, v: dict[str, Any]) -> Any:
    return services.classify_feedback(
        feedback=item,
        actor=actor,
        subject=v.get("subject") or "",
        competence=v.get("competence") or "",
        category=v.get("category"),
        area=v.get("area"),
        dossier_code=v.get("dossier_code") or "",
        procedure_code=v.get("procedure_code") or "",
        officer_name=v.get("officer_name") or "",
        at=v.get("at"),
    )


ACTIONS: tuple[OfficerAction, ...] = (
    OfficerAction("phan-loai", _("Phân loại"), ClassifyForm, "classify_feedback", _classify),
    OfficerAction(
        "phan-cong",
        _("Phân công xử lý"),
        AssignForm,
        "assign_feedback",
        lambda item, actor, v: services.assign_feedback(
            feedback=item, actor=actor, handler=v.get("handler"), unit=v.get("unit"), at=v.get("at")
        ),
    ),
    OfficerAction(
        "bat-dau-xu-ly",
        FeedbackEvent.START_PROCESSING.label,
        StartProcessingForm,
        "start_processing",
        lambda item, actor, v: services.start_processing(
            feedback=item, actor=actor, handler=v.get("handler"), at=v.get("at")
        ),
    ),
    OfficerAction(
        "yeu-cau-bo-sung",
        FeedbackEvent.REQUEST_SUPPLEMENT.label,
        RequestSupplementForm,
        "request_supplement",
        lambda item, actor, v: services.request_supplement(
            feedback=item, actor=actor, request=v["request"], at=v.get("at")
        ),
    ),
    OfficerAction(
        "ghi-nhan-bo-sung",
        FeedbackEvent.SUPPLEMENT.label,
        RecordSupplementForm,
        "record_supplement",
        lambda item, actor, v: services.record_supplement(
            feedback=item, actor=actor, text=v["text"], at=v.get("at")
        ),
    ),
    OfficerAction(
        "du-thao-tra-loi",
        _("Dự thảo trả lời"),
        DraftAnswerForm,
        "draft_answer",
        lambda item, actor, v: services.draft_answer(
            feedback=item,
            actor=actor,
            official=v["official"],
            public=v.get("public") or "",
            public_title=v.get("public_title") or "",
            at=v.get("at"),
        ),
    ),
    OfficerAction(
        "tra-lai-du-thao",
        _("Trả lại dự thảo"),
        RejectAnswerForm,
        "reject_answer",
        lambda item, actor, v: services.reject_answer(
            feedback=item, actor=actor, reason=v["reason"], at=v.get("at")
        ),
        when=draft_pending,
    ),
    OfficerAction(
        "phe-duyet",
        FeedbackEvent.APPROVE_ANSWER.label,
        ApproveAnswerForm,
        "approve_answer",
        lambda item, actor, v: services.approve_answer(
            feedback=item,
            actor=actor,
            do_not_publish=bool(v.get("do_not_publish")),
            do_not_publish_reason=v.get("do_not_publish_reason") or "",
            at=v.get("at"),
        ),
        when=draft_pending,
    ),
    OfficerAction(
        "cong-khai",
        FeedbackEvent.PUBLISH.label,
        EmptyActionForm,
        "publish_feedback",
        lambda item, actor, v: services.publish_feedback(
            feedback=item, actor=actor, at=v.get("at")
        ),
        when=lambda item: not item.do_not_publish,
    ),
    OfficerAction(
        "chuyen",
        FeedbackEvent.FORWARD.label,
        ForwardForm,
        "forward_feedback",
        lambda item, actor, v: services.forward_feedback(
            feedback=item,
            actor=actor,
            reason=v["reason"],
            to_unit=v.get("to_unit"),
            to_body=v.get("to_body") or "",
            at=v.get("at"),
        ),
    ),
    OfficerAction(
        "huong-dan",
        FeedbackEvent.REDIRECT.label,
        RedirectForm,
        "redirect_feedback",
        lambda item, actor, v: services.redirect_feedback(
            feedback=item,
            actor=actor,
            reason=v["reason"],
            target=v.get("target") or "",
            at=v.get("at"),
        ),
    ),
    OfficerAction(
        "tu-choi",
        FeedbackEvent.REFUSE.label,
        RefuseForm,
        "refuse_feedback",
        lambda item, actor, v: services.refuse_feedback(
            feedback=item, actor=actor, reason=v["reason"], at=v.get("at")
        ),
    ),
    OfficerAction(
        "dong",
        pgettext_lazy("action", "Đóng"),
        EmptyActionForm,
        "close_feedback",
        lambda item, actor, v: services.close_feedback(feedback=item, actor=actor, at=v.get("at")),
    ),
)
ACTIONS_BY_SLUG = {a.slug: a for a in ACTIONS}


def state_allows(action: OfficerAction, item: Feedback) -> bool:
    """Whether the state table allows the action now, whoever asks (no actor: state only)."""
    return services.may_perform(None, item, action.operation)


def may(user: Any, action: OfficerAction, item: Feedback) -> bool:
    """Whether the state allows the action AND the user's roles allow it on this item."""
    return services.may_perform(user, item, action.operation)


def allowed_actions(user: Any, item: Feedback) -> list[OfficerAction]:
    """Actions offered on the page: allowed now for this user, and sensible for the item."""
    return [a for a in ACTIONS if a.when(item) and may(user, a, item)]


def may_see_personal_data(user: Any, item: Feedback) -> bool:
    """Whether the user handles the item (its handler, or works it at its units).

    Everybody else in scope (provincial office, inspectors, other desks) sees masked contacts.
    """
    if getattr(user, "pk", None) is not None and user.pk in {item.handler_id, item.logged_by_id}:
        return True
    working = (Action.PROCESS, Action.APPROVE)
    if any(can(user, a, item.unit_id) for a in working):
        return True
    return item.intake_unit_id is not None and can(user, Action.RECEIVE, item.intake_unit_id)


def _handler_choices(item: Feedback) -> tuple[list[tuple[str, str]], dict[str, User]]:
    """People who may handle items at the item's unit today (specialists, leaders)."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.PROCESS in actions]
    rows = (
        Membership.objects.filter(unit_id=item.unit_id, role__in=roles)
        .active_on(timezone.localdate())
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    users: dict[str, User] = {}
    for m in rows:
        if m.user.is_active:
            users[str(m.user.pk)] = m.user
    return [(pk, str(u)) for pk, u in users.items()], users


def _initial(action: OfficerAction, item: Feedback) -> dict[str, Any]:
    """What the form shows before anybody types: the item's current values."""
    initial: dict[str, Any] = {"lock_version": item.lock_version}
    if action.form is ClassifyForm:
        initial.update(
            subject=item.subject,
            competence=item.competence,
            category=str(item.category_id or ""),
            area=item.area.code if item.area else "",
            dossier_code=item.dossier.code if item.dossier else "",
            procedure_code=item.procedure.code if item.procedure else "",
            officer_name=item.officer_name,
        )
    elif action.form is DraftAnswerForm:
        initial.update(
            official=item.answer_official,
            public=item.answer_public,
            public_title=item.public_title or item.title,
        )
    elif action.form in (AssignForm, StartProcessingForm) and item.handler_id:
        initial["handler"] = str(item.handler_id)
    return initial


def _auto_id(action: OfficerAction) -> str:
    """Field ids unique on the page, where every action has its own form."""
    return f"id_{action.slug.replace('-', '_')}_%s"


def _build_form(
    action: OfficerAction, item: Feedback, data: Any = None, handlers: Any = None
) -> ActionForm:
    kwargs: dict[str, Any] = {"auto_id": _auto_id(action)}
    if action.form in (AssignForm, StartProcessingForm):
        kwargs["handlers"] = handlers
    if data is None:
        return action.form(initial=_initial(action, item), **kwargs)
    return action.form(data, **kwargs)


@dataclass
class DeadlineRow:
    """One deadline of the item, explained."""

    label: StrOrPromise
    due: dt.datetime | None
    rule: str
    status: str
    late: bool = False


def _status(
    due: dt.datetime | None, done: dt.datetime | None, running: bool, now: dt.datetime
) -> tuple[str, bool]:
    """'xong lúc … (đúng hạn)' / 'còn 3 ngày' / 'quá hạn 2 ngày' / 'không áp dụng'."""
    if done is not None:
        if due is not None and done > due:
            late = rough_duration(done - due)
            text = gettext("xong lúc %(at)s, chậm %(late)s") % {
                "at": format_local(done),
                "late": late,
            }
            return text, True
        return gettext("xong lúc %(at)s, đúng hạn") % {"at": format_local(done)}, False
    if not running or due is None:
        return gettext("không áp dụng ở trạng thái này"), False
    if due < now:
        return gettext("quá hạn %(d)s") % {"d": rough_duration(now - due)}, True
    return gettext("còn %(d)s") % {"d": rough_duration(due - now)}, False


def deadline_rows(item: Feedback, now: dt.datetime) -> list[DeadlineRow]:
    """The item's deadlines (766 limits and the category's norm) in plain Vietnamese."""
    if item.kind == Kind.QUESTION:
        return []
    since = (
        gettext("kể từ khi được chuyển đến đơn vị")
        if item.forwarded_from_id or item.channel == Channel.TRANSFER
        else gettext("kể từ khi tiếp nhận")
    )

    def working(n: int) -> str:
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n) % {"n": n}

    state = item.state
    rows = []
    refused_at = item.finished_at if state == F.REFUSED else None
    text, late = _status(
        item.refuse_due, refused_at, state in TRANSITIONS[FeedbackEvent.REFUSE], now
    )
    rows.append(
        DeadlineRow(
            _("Hạn từ chối tiếp nhận xử lý"),
            item.refuse_due,
            f"{working(clock.REFUSE_DAYS)} {since}",
            text,
            late,
        )
    )
    text, late = _status(
        item.supplement_due,
        item.first_supplement_at,
        state in {F.RECEIVED, F.PROCESSING},
        now,
    )
    rows.append(
        DeadlineRow(
            _("Hạn yêu cầu bổ sung, làm rõ lần đầu"),
            item.supplement_due,
            f"{working(clock.SUPPLEMENT_DAYS)} {since}",
            text,
            late,
        )
    )
    text, late = _status(item.handle_due, item.resolved_at, state in OPEN_STATES, now)
    rule = gettext(
        "%(limit)s %(since)s, đến khi trả lời được phê duyệt (Quyết định 766/QĐ-TTg)"
    ) % {"limit": working(clock.HANDLE_DAYS), "since": since}
    if item.handle_due_paused and item.handle_due_paused != item.handle_due:
        rule += " " + gettext(
            "Nếu không tính thời gian chờ người phản ánh bổ sung thì hạn là %(at)s "
            "(quy định chưa thống nhất, hệ thống ghi nhận cả hai cách)."
        ) % {"at": format_local(item.handle_due_paused)}
    rows.append(DeadlineRow(_("Hạn xử lý"), item.handle_due, rule, text, late))
    category = item.category
    if category is not None and category.norm_days:
        days = (
            ngettext("%(n)s ngày lịch", "%(n)s ngày lịch", category.norm_days)
            % {"n": category.norm_days}
            if category.norm_calendar_days
            else working(category.norm_days)
        )
        norm_rule = gettext("%(days)s %(since)s theo định mức của nhóm “%(name)s”") % {
            "days": days,
            "since": since,
            "name": category.name,
        }
        text, late = _status(item.norm_due, item.resolved_at, state in OPEN_STATES, now)
        rows.append(DeadlineRow(_("Hạn theo định mức"), item.norm_due, norm_rule, text, late))
    if item.do_not_publish:
        text = gettext("không công khai: %(reason)s") % {
            "reason": item.do_not_publish_reason or "—"
        }
        late = False
    else:
        text, late = _status(item.publish_due, item.published_at, state == F.ANSWER_APPROVED, now)
    rows.append(
        DeadlineRow(
            _("Hạn công khai kết quả"),
            item.publish_due,
            gettext("%(limit)s kể từ khi trả lời được phê duyệt")
            % {"limit": working(clock.PUBLISH_DAYS)},
            text,
            late,
        )
    )
    return rows


ENTRY_LABELS: dict[str, StrOrPromise] = {
    "feedback.received": _("Tiếp nhận"),
    "feedback.refused": _("Không tiếp nhận xử lý"),
    "feedback.forwarded": _("Chuyển cơ quan có thẩm quyền"),
    "feedback.redirected": _("Hướng dẫn sang thủ tục khiếu nại, tố cáo"),
    "feedback.supplement_requested": _("Yêu cầu bổ sung, làm rõ"),
    "feedback.supplemented": _("Ghi nhận bổ sung, làm rõ"),
    "feedback.processing_started": _("Bắt đầu xử lý"),
    "feedback.classified": _("Phân loại"),
    "feedback.assigned": _("Phân công xử lý"),
    "feedback.answer_drafted": _("Dự thảo trả lời"),
    "feedback.answer_rejected": _("Trả lại dự thảo trả lời"),
    "feedback.answer_approved": _("Phê duyệt trả lời"),
    "feedback.published": _("Công khai kết quả"),
    "feedback.answered": _("Trả lời ngay"),
    "feedback.closed": _("Đóng"),
    "feedback.voted": _("Bình chọn"),
    "feedback.surveyed": _("Khảo sát mức độ hài lòng"),
    "feedback.reminder_sent": _("Nhắc hạn"),
    "feedback.notice_sent": _("Thông báo cho người phản ánh"),
}


@dataclass
class Linked:
    """A linked item (repeat, forward) and whether the viewer may open it."""

    item: Feedback
    visible: bool


def _visible(ids: frozenset[int] | None, *unit_ids: int | None) -> bool:
    return ids is None or any(u in ids for u in unit_ids if u is not None)


def _render_detail(
    request: HttpRequest,
    item: Feedback,
    *,
    bound: tuple[OfficerAction, ActionForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    ids = visible_unit_ids(user)
    actions = allowed_actions(user, item)
    if bound is not None and bound[0] not in actions:
        actions.append(bound[0])
    handlers: list[tuple[str, str]] = []
    if any(a.form in (AssignForm, StartProcessingForm) for a in actions):
        handlers = _handler_choices(item)[0]
    forms_ = [
        {
            "action": a,
            "form": bound[1]
            if bound is not None and bound[0] is a
            else _build_form(a, item, handlers=handlers),
            "open": bound is not None and bound[0] is a,
        }
        for a in actions
    ]
    try:
        survey = item.survey
    except Feedback.survey.RelatedObjectDoesNotExist:
        survey = None
    dossier = item.dossier
    context = {
        "item": item,
        "personal": may_see_personal_data(user, item),
        "deadlines": deadline_rows(item, now),
        "explanation": clock.explain_deadline(item) if item.kind == Kind.PAKN else [],
        "actions": forms_,
        "error": error,
        "survey": survey,
        "call_duration": format_duration(item.call_duration_seconds),
        "dossier_visible": dossier is not None
        and _visible(
            ids, dossier.receiving_unit_id, dossier.competent_unit_id, dossier.current_unit_id
        ),
        "repeat_of": Linked(
            item.repeat_of, _visible(ids, item.repeat_of.unit_id, item.repeat_of.intake_unit_id)
        )
        if item.repeat_of
        else None,
        "forwarded_from": Linked(
            item.forwarded_from,
            _visible(ids, item.forwarded_from.unit_id, item.forwarded_from.intake_unit_id),
        )
        if item.forwarded_from
        else None,
        "repeats": [
            Linked(r, _visible(ids, r.unit_id, r.intake_unit_id)) for r in item.repeats.all()
        ],
        "forwards": [
            Linked(r, _visible(ids, r.unit_id, r.intake_unit_id)) for r in item.forwards.all()
        ],
        "timeline": [
            {
                "entry": e,
                "label": ENTRY_LABELS.get(e.kind, e.kind),
                "to_label": _state_label(e.to_state) if e.to_state != e.from_state else "",
            }
            for e in item.events.all()
        ],
        "overdue": item.state in OPEN_STATES
        and item.handle_due is not None
        and item.handle_due < now,
        "units": _all_units() if any(a.slug in UNIT_BOXES for a in actions) else [],
    }
    return render(request, "feedback/officer/detail.html", context, status=status)


def _state_label(value: str) -> str:
    """The Vietnamese name of a state code ('' for none)."""
    if not value:
        return ""
    try:
        return str(FeedbackState(value).label)
    except ValueError:
        return value


# Actions whose form has a unit-code box (the page then carries the units' datalist).
UNIT_BOXES = frozenset({"phan-loai", "phan-cong", "chuyen"})


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The item's page: sender, classification, links, explained deadlines, timeline, actions."""
    return _render_detail(request, get_item(request.user, code))


def _resolve(form: ActionForm, handlers: dict[str, User]) -> dict[str, Any] | None:
    """Turn codes and ids into objects; form errors (and None) when one is unknown."""
    values = form.values()
    for name in ("area", "to_unit", "unit"):
        if name in values:
            code = values[name]
            values[name] = unit_by_code(code) if code else None
            if code and values[name] is None:
                form.add_error(name, gettext("không tìm thấy đơn vị “%(code)s”") % {"code": code})
    if "category" in values:
        pk = values["category"]
        values["category"] = Category.objects.filter(pk=pk).first() if pk else None
    if "handler" in values:
        pk = values["handler"]
        values["handler"] = handlers.get(pk) if pk else None
    return None if form.errors else values


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Perform one action (POST from the item's page) through its one service."""
    item = get_item(request.user, code)
    spec = ACTIONS_BY_SLUG.get(action)
    if spec is None:
        raise Http404(gettext("không có thao tác này"))
    label = str(spec.label).lower()
    if not state_allows(spec, item):
        message = gettext("Không thể “%(action)s” khi phản ánh ở trạng thái “%(state)s”.") % {
            "action": label,
            "state": item.get_state_display(),
        }
        return _render_detail(request, item, error=f"{message} {RELOAD}", status=409)
    if not may(request.user, spec, item):
        message = gettext("Bạn không có quyền “%(action)s” đối với phản ánh này.") % {
            "action": label
        }
        return _render_detail(request, item, error=message, status=403)
    choices: list[tuple[str, str]] = []
    handlers: dict[str, User] = {}
    if spec.form in (AssignForm, StartProcessingForm):
        choices, handlers = _handler_choices(item)
    form = _build_form(spec, item, request.POST, handlers=choices)
    values = _resolve(form, handlers) if form.is_valid() else None
    if values is None:
        return _render_detail(request, item, bound=(spec, form), status=400)
    seen_version = form.cleaned_data.get("lock_version")
    if seen_version is not None:
        # The page was built from this version: the service refuses if it has moved on since.
        item.lock_version = seen_version
    try:
        result = spec.run(item, request.user, values)
    except FeedbackError as exc:
        if exc.status == 400:
            field = ACTION_FIELD_ALIASES.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
            return _render_detail(
                request, get_item(request.user, code), bound=(spec, form), status=400
            )
        fresh = get_item(request.user, code)
        message = exc.message + (f" {RELOAD}" if exc.status == 409 else "")
        return _render_detail(request, fresh, error=message, status=exc.status)
    done = str(spec.label).lower()
    messages.success(request, gettext("Đã ghi nhận: %(action)s.") % {"action": done})
    if isinstance(result, Feedback) and result.code != item.code:
        messages.info(
            request,
            gettext("Phản ánh mới tại đơn vị nhận chuyển: %(code)s.") % {"code": result.code},
        )
    return redirect("feedback:detail", code=item.code)
