"""The officer workspace: work queue, walk-in receipt, the dossier page and its actions.

Views parse input, fetch the dossier through the user's scope (404 outside it, like a
missing one) and call the services; they never set a state themselves. Domain errors come
back as Vietnamese form errors (400), a refusal (403) or a request to reload (409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.action_extras import extras_for, posted_values
from motcua.dossiers.actions import EVENT_TO_SLUG, SLUG_TO_EVENT, run_action
from motcua.dossiers.assignment import assignment_context
from motcua.dossiers.choices import Event
from motcua.dossiers.files import CLOSED_STATES, attach_file, file_response, max_upload_bytes
from motcua.dossiers.filtersets import DossierFilterSet, filter_params
from motcua.dossiers.forms import UploadForm, action_form, required_names
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    QUEUE_TAB_SLUGS,
    allowed_events,
    attach_queue_units,
    by_urgency,
    control_slip,
    default_tab,
    dossier_deadline,
    get_dossier_for_user,
    list_dossiers,
    may_see_personal_data,
    queue_rows,
    queue_tab,
    queue_tabs,
)
from motcua.dossiers.services import DossierError
from motcua.dossiers.tables import DossierTable
from motcua.dossiers.timeline import timeline_entries
from motcua.lib.idempotency import once_per_form_token
from motcua.lib.planner import fixed_join_order
from motcua.lib.vntext import fold
from motcua.people.policy import Action, can
from motcua.units.models import Unit
from motcua.workcalendar.selectors import get_calendar

PAGE_SIZE = 25
RELOAD = _("Hãy tải lại trang để xem trạng thái mới nhất của hồ sơ.")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue of the signed-in user, by tab, with the shared filters — hồ sơ của tôi.

    Without a tab, "Của tôi" opens if something is assigned to the user, else "Tại quầy" for
    those who receive (today's intake, results to hand over), else "Của đơn vị".
    A search (`q`) looks through every tab and every state, finished dossiers included: the
    dossier returned yesterday is found, each row saying which tab it sits in.
    """
    now = timezone.now()
    may_receive = can(request.user, Action.RECEIVE)
    tab = request.GET.get("tab") or ""
    if tab not in QUEUE_TAB_SLUGS:
        tab = default_tab(request.user, now=now, desk=may_receive)
    filterset = DossierFilterSet(request.GET or None, queryset=list_dossiers(request.user))
    valid = filterset.is_bound and filterset.is_valid()
    rows = filterset.qs if valid else list_dossiers(request.user)
    searching = valid and bool(fold(filterset.form.cleaned_data.get("q") or ""))
    rows = by_urgency(rows) if searching else queue_tab(rows, tab, user=request.user, now=now)
    with fixed_join_order(rows.db):  # 3 joins on primary keys: no join-order search
        page = Paginator(queue_rows(rows), PAGE_SIZE).get_page(request.GET.get("trang"))
        page.object_list = list(page.object_list)
    attach_queue_units(page.object_list)
    params = filter_params(request.GET)
    context = {
        "tabs": queue_tabs(desk=may_receive),
        "tab": tab,
        "searching": searching,
        "filtering": any(name != "q" for name in params),
        "filter": filterset if filterset.is_bound else DossierFilterSet(queryset=rows),
        "page": page,
        "table": DossierTable(
            page.object_list, now=now, user=request.user, search=searching, with_assignee=True
        ),
        "params": params,
        "may_receive": may_receive,
    }
    if request.headers.get("HX-Request"):
        return render(request, "dossiers/_queue_table.html", context)
    return render(request, "dossiers/queue.html", context)


def _units_in_scope(user: Any) -> list[Unit]:
    today = timezone.localdate()
    return [
        u
        for u in Unit.objects.visible_to(user)
        .order_by("code", "-valid_from")
        .only("code", "name", "valid_to")
        if u.valid_to is None or u.valid_to >= today
    ]


def _auto_id(event: str) -> str:
    """Field ids unique on the page, where every action has its own form."""
    return f"id_{event}_%s"


def _action_forms(
    dossier: Dossier,
    events: list[str],
    bound: tuple[Any, ...] | None,
    extras: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    result = []
    for event in events:
        extra = extras_for(event, dossier, **(extras or {})) if extras is not None else {}
        if bound is not None and bound[0] == event:
            form = bound[1]
            extra.update(bound[2] if len(bound) > 2 else {})
        else:
            initial = {"lock_version": dossier.lock_version, **extra.get("initial", {})}
            form = action_form(event)(initial=initial, auto_id=_auto_id(event))
        result.append(
            {
                "event": event,
                "slug": EVENT_TO_SLUG[event],
                "label": Event(event).label,
                "form": form,
                "required": required_names(event) - ({"items"} if "items" in extra else set()),
                "open": bound is not None and bound[0] == event,
                "checklist": extra.get("checklist"),
                "items": extra.get("items"),
                "ticked": extra.get("ticked", ()),
            }
        )
    return result


def _render_detail(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: tuple[Any, ...] | None = None,
    upload_form: UploadForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    events = [e for e in allowed_events(user, dossier) if e in EVENT_TO_SLUG]
    personal = may_see_personal_data(user, dossier)
    now = timezone.now()
    calendar = get_calendar(dossier.receiving_unit)
    deadline = dossier_deadline(dossier, now=now, calendar=calendar)
    context = {
        "dossier": dossier,
        "deadline": deadline,
        "slip": control_slip(dossier, calendar=calendar, now=now),
        "actions": _action_forms(
            dossier,
            events,
            bound,
            {"promised_due": deadline.promised_due, "calendar": calendar, "now": now},
        ),
        "personal": personal,
        "may_attach": personal and dossier.state not in CLOSED_STATES,
        "upload_form": upload_form or UploadForm(),
        "max_upload_mb": max_upload_bytes() // (1024 * 1024),
        "units_in_scope": _units_in_scope(user) if events else [],
        "error": error,
        "timeline": timeline_entries(dossier),
        **assignment_context(user, dossier),
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier page: summary, explained deadline, timeline, control slip, actions."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    return _render_detail(request, dossier)


@login_required
@require_POST
@once_per_form_token
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Perform one action (POST from the dossier page) through its service."""
    event = SLUG_TO_EVENT.get(action)
    dossier = get_dossier_for_user(request.user, code, full=True)
    if event is None:
        raise Http404(gettext("không có thao tác này"))
    form = action_form(event)(request.POST, auto_id=_auto_id(event))
    if not form.is_valid():
        return _render_detail(request, dossier, bound=(event, form), status=400)
    values = dict(form.cleaned_data)
    posted = posted_values(event, dossier, request.POST, values)
    bound = (event, form, {"checklist": posted} if event == "receive" else {"ticked": posted})
    seen_version = values.pop("lock_version", None)
    if seen_version is not None:
        # The page was built from this version: the service refuses if it has moved on since.
        dossier.lock_version = seen_version
    try:
        updated = run_action(event, dossier=dossier, actor=request.user, values=values)
    except DossierError as exc:
        if exc.status == 400:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return _render_detail(request, dossier, bound=bound, status=400)
        fresh = get_dossier_for_user(request.user, code, full=True)
        message = exc.message + (f" {RELOAD}" if exc.status == 409 else "")
        return _render_detail(request, fresh, error=message, status=exc.status)
    done = Event(event).label.lower()
    messages.success(request, gettext("Đã ghi nhận: %(action)s.") % {"action": done})
    try:
        get_dossier_for_user(request.user, updated.code or "")
    except Http404:
        return redirect("dossiers:queue")
    return redirect("dossiers:detail", code=updated.code)


@login_required
@require_POST
@once_per_form_token
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """Attach a file to the dossier from its page."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, dossier, upload_form=form, status=400)
    try:
        item = attach_file(dossier=dossier, actor=request.user, **form.cleaned_data)
    except DossierError as exc:
        if exc.status == 400:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
            return _render_detail(request, dossier, upload_form=form, status=400)
        return _render_detail(request, dossier, error=exc.message, status=exc.status)
    messages.success(request, gettext("Đã đính kèm tệp %(name)s.") % {"name": item.original_name})
    return redirect("dossiers:detail", code=dossier.code)


@login_required
@require_GET
def download(request: HttpRequest, code: str, file_id: int) -> HttpResponseBase:
    """Download a file of a dossier in scope (never through a public media URL)."""
    dossier = get_dossier_for_user(request.user, code, full=True)
    item = next((f for f in dossier.files.all() if f.pk == file_id), None)
    if item is None:
        raise Http404
    return file_response(item)
