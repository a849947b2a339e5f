"""Pages of tasks handed down: the tracking office's list, my unit's obligations, one task with
its timeline and forms, the leaders' board (assignments.md; issue 13)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.assignments import forms, selectors, services
from motcua.assignments.choices import DeadlineKind, TaskStatus
from motcua.assignments.filtersets import TaskFilterSet
from motcua.assignments.models import Task
from motcua.assignments.permissions import REPORT_ACTIONS, may_decide, may_report
from motcua.people.policy import Action, can

PAGE_SIZE = 50


def _rows(tasks: list[Task], today: Any) -> list[dict[str, Any]]:
    return [
        {
            "task": t,
            "overdue": t.is_overdue(today),
            "status_label": TaskStatus(t.status).label,
            "kind_label": DeadlineKind(t.deadline_kind).label,
        }
        for t in tasks
    ]


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """All visible tasks by issuer and status, overdue first (the tracking office's list)."""
    today = timezone.localdate()
    filterset = TaskFilterSet(request.GET, queryset=selectors.visible_tasks(request.user))
    qs = selectors.overdue_first(filterset.qs, today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = {k: v for k, v in request.GET.items() if k != "trang" and v}
    return render(
        request,
        "assignments/list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _rows(list(page.object_list), today),
            "params": params,
            "title": _("Nhiệm vụ được giao"),
            "intro": _(
                "Mọi nhiệm vụ trong phạm vi của bạn, theo cơ quan giao và trạng thái; "
                "nhiệm vụ quá hạn ở đầu danh sách."
            ),
        },
    )


@login_required
@require_GET
def my_obligations(request: HttpRequest) -> HttpResponse:
    """The obligations my units lead (and those they coordinate)."""
    today = timezone.localdate()
    units = selectors.my_units(request.user, today)
    qs = selectors.visible_tasks(request.user).filter(lead_unit_id__in=units)
    qs = selectors.overdue_first(qs.exclude(status=TaskStatus.CANCELLED), today)
    coordinated = (
        selectors.visible_tasks(request.user)
        .filter(coordinating_units__in=units)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .distinct()
    )
    return render(
        request,
        "assignments/mine.html",
        {
            "rows": _rows(list(qs[:200]), today),
            "coordinated": _rows(list(coordinated[:100]), today),
        },
    )


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Units by status, as the leaders read it (overdue derived today)."""
    today = timezone.localdate()
    rows, total = selectors.board(request.user, today)
    return render(
        request,
        "assignments/board.html",
        {"rows": rows, "total": total, "today": today, "columns": selectors.BOARD_COLUMNS},
    )


FORMS = {
    "progress": forms.ProgressForm,
    "complete": forms.CompletionForm,
    "confirm": forms.ConfirmForm,
    "return": forms.ReturnForm,
    "cancel": forms.CancelForm,
    "extend": forms.ExtendForm,
}


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One task: its record, deadline (wording beside the date), timeline, reports and forms."""
    task = selectors.get_task(request.user, code)
    today = timezone.localdate()
    reporter, decider = may_report(request.user, task), may_decide(request.user, task)
    allowed = {
        a
        for a in FORMS
        if (a in REPORT_ACTIONS and reporter) or (a not in REPORT_ACTIONS and decider)
    }
    if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        allowed = set()
    elif task.status == TaskStatus.REPORTED_DONE:
        allowed -= {"progress", "complete"}
    else:
        allowed -= {"confirm", "return"}
    return render(
        request,
        "assignments/detail.html",
        {
            "task": task,
            "row": _rows([task], today)[0],
            "events": task.events.select_related("actor").all(),
            "reports": task.reports.select_related("unit").all(),
            "changes": task.deadline_changes.all(),
            "coordinating": task.coordinating_units.all(),
            "group": selectors.group_summary(task),
            "children": selectors.children_summary(task, today),
            "forms": {a: FORMS[a](prefix=a) for a in FORMS if a in allowed},
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Run one action through its service; a refused move is shown on the page."""
    if action not in FORMS:
        raise Http404(action)
    task = selectors.get_task(request.user, code)
    if not (may_report if action in REPORT_ACTIONS else may_decide)(request.user, task):
        messages.error(request, _("Bạn không có quyền thực hiện thao tác này với nhiệm vụ."))
        return redirect("assignments:detail", code=code)
    form = FORMS[action](request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect("assignments:detail", code=code)
    data = form.cleaned_data
    user = request.user
    try:
        if action == "progress":
            services.report_progress(
                task=task,
                text=data["text"],
                percent=data.get("percent"),
                evidence=data.get("evidence") or "",
                file=data.get("file"),
                reported_on=data.get("reported_on"),
                actor=user,
            )
            messages.success(request, _("Đã ghi báo cáo tiến độ."))
        elif action == "complete":
            services.report_completion(
                task=task,
                text=data["text"],
                evidence=data.get("evidence") or "",
                file=data.get("file"),
                reported_on=data.get("reported_on"),
                actor=user,
            )
            messages.success(request, _("Đã gửi báo cáo hoàn thành, chờ xác nhận."))
        elif action == "confirm":
            services.confirm_completion(
                task=task,
                confirmed_on=data.get("confirmed_on"),
                document=data.get("document") or "",
                actor=user,
            )
            messages.success(request, _("Đã xác nhận hoàn thành."))
        elif action == "return":
            services.return_report(task=task, reason=data["reason"], actor=user)
            messages.success(request, _("Đã trả lại báo cáo hoàn thành."))
        elif action == "cancel":
            services.cancel_task(
                task=task, document=data["document"], reason=data.get("reason") or "", actor=user
            )
            messages.success(request, _("Đã hủy nhiệm vụ."))
        else:
            services.extend_deadline(
                task=task,
                new_due=data["new_due"],
                document=data["document"],
                reason=data.get("reason") or "",
                actor=user,
            )
            messages.success(request, _("Đã ghi gia hạn; hạn ban đầu vẫn được lưu."))
    except services.TaskError as exc:
        messages.error(request, exc.message)
    return redirect("assignments:detail", code=code)


@login_required
@require_GET
def report_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A report's evidence file, for whoever may see the task (404 otherwise), as a download
    never rendered inline."""
    task = selectors.get_task(request.user, code)
    report = task.reports.filter(pk=pk).exclude(file="").first()
    if report is None:
        raise Http404(pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# -- proposed tasks from a pasted letter ------------------------------------------------------


def _code_stem(number: str) -> str:
    import re as _re

    from motcua.lib.vntext import fold

    return _re.sub(r"[^A-Za-z0-9]+", "-", fold(number).upper()).strip("-")[:40]


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """Paste an assigning letter; correct the proposed drafts; confirm to create the tasks.

    Only people who may confirm tasks for an issuer (the tracking office) create them; the
    issuer is a unit they reach, or the Government / the Prime Minister.
    """
    import datetime as dt

    from motcua.assignments.choices import Authority
    from motcua.assignments.proposals import propose as propose_drafts
    from motcua.assignments.proposals import unit_refs
    from motcua.units.models import Unit

    today = timezone.localdate()
    units = list(Unit.objects.visible_to(request.user).valid_on(today).order_by("level", "name"))
    issuers = [(a.value, a.label) for a in Authority] + [
        (u.code, u.name) for u in units if can(request.user, Action.CONFIRM, u)
    ]
    context: dict[str, Any] = {"units": units, "issuers": issuers}
    if not any(code for code, _label in issuers[2:]):
        messages.error(request, _("Bạn không có quyền giao nhiệm vụ."))
        return redirect("assignments:list")
    paste = forms.PasteForm(request.POST or None)
    context["form"] = paste
    step = request.POST.get("buoc", "")
    if request.method != "POST" or not paste.is_valid():
        return render(request, "assignments/propose.html", context)
    issued: dt.date = paste.cleaned_data["issued_on"]
    number: str = paste.cleaned_data["number"]
    drafts = propose_drafts(paste.cleaned_data["text"], issued=issued, units=unit_refs(units))
    if step != "tao":
        context.update({"drafts": drafts, "issuer": request.POST.get("issuer", "")})
        return render(request, "assignments/propose.html", context)
    issuer = request.POST.get("issuer", "")
    by_code = {u.code: u for u in units}
    if issuer not in dict(issuers):
        messages.error(request, _("Hãy chọn cơ quan giao."))
        return render(request, "assignments/propose.html", {**context, "drafts": drafts})
    created = 0
    try:
        from django.db import transaction

        with transaction.atomic():
            doc = services.create_document(
                number=number,
                issued_on=issued,
                issuer_unit=by_code.get(issuer) if issuer not in Authority.values else None,
                issuer_authority=issuer if issuer in Authority.values else "",
                summary=paste.cleaned_data["text"][:500],
                actor=request.user,
            )
            stem = _code_stem(number)
            for i, draft in enumerate(drafts, start=1):
                if not request.POST.get(f"chon-{i}"):
                    continue
                leads = [by_code[c] for c in request.POST.getlist(f"chu-tri-{i}") if c in by_code]
                coords = [by_code[c] for c in request.POST.getlist(f"phoi-hop-{i}") if c in by_code]
                if not leads:
                    raise services.TaskError(_("Nhiệm vụ %(i)s chưa có đơn vị chủ trì.") % {"i": i})
                fields: dict[str, Any] = {
                    "title": request.POST.get(f"ten-{i}") or draft.title,
                    "text": draft.text,
                    "position": draft.position,
                    "deadline_text": request.POST.get(f"thoi-han-{i}", draft.deadline_text),
                    "coordinating_units": coords,
                }
                if len(leads) == 1:
                    services.assign_task(
                        document=doc,
                        code=f"{stem}-{i}",
                        lead_unit=leads[0],
                        actor=request.user,
                        **fields,
                    )
                    created += 1
                else:
                    created += len(
                        services.broadcast_task(
                            document=doc,
                            group_code=f"{stem}-{i}",
                            lead_units=leads,
                            actor=request.user,
                            **fields,
                        )
                    )
    except services.TaskError as exc:
        messages.error(request, exc.message)
        return render(request, "assignments/propose.html", {**context, "drafts": drafts})
    messages.success(request, _("Đã tạo %(n)s nhiệm vụ.") % {"n": created})
    return redirect(f"{reverse('assignments:list')}?q={number}")
