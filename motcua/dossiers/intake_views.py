"""Walk-in receipt at the desk — tiếp nhận hồ sơ trực tiếp: the form and its HTMX helpers.

`/ho-so/tiep-nhan/` is one page that works without JavaScript: the procedure search is a GET
form listing matches as links that reopen the page with the procedure chosen. With htmx the
same search answers in place (`/ho-so/tiep-nhan/thu-tuc/?q=`), choosing a match loads its
component checklist (`/ho-so/tiep-nhan/thanh-phan/?thu-tuc=`), and typing a 12-digit ID
number offers the applicant's details from their latest dossier (POST
`/ho-so/tiep-nhan/nguoi-nop/`).

Prefill hook: the page reads initial values from the GET parameters `thu-tuc` (procedure
code), `ho-ten`, `so-dinh-danh`, `dien-thoai`, `email`, `dia-chi` and `noi-tiep-nhan` (unit
code), so a link (an appointment, a completion request answered) opens a prefilled form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.dossiers.actions import receive_walk_in
from motcua.dossiers.components import checklist_for
from motcua.dossiers.fee_forms import FeeCountsForm
from motcua.dossiers.forms import RECEIPT_FIELD_ALIASES, ReceiptForm, parse_checklist
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import list_dossiers, may_see_personal_data
from motcua.dossiers.services import DossierError
from motcua.dossiers.signals import walk_in_received
from motcua.lib.idempotency import once_per_form_token
from motcua.people.policy import Action, can
from motcua.procedures.models import Procedure
from motcua.procedures.search import RANK_FIELDS, rank_procedures, receivable_at
from motcua.units.models import Unit

RESULTS = 12  # matches shown under the search box
RESULTS_NO_JS = 30
HISTORY_DAYS = 365  # "received most" counts the last 12 months
RECEIVED_COUNTS_SECONDS = 600  # … recounted at most every 10 minutes

# GET parameter of the prefill hook -> receipt form field.
PREFILL = {
    "ho-ten": "name",
    "so-dinh-danh": "id_number",
    "dien-thoai": "phone",
    "email": "email",
    "dia-chi": "address",
    "noi-tiep-nhan": "receiving_unit",
    "thu-tuc": "procedure",
}
ID_NUMBER = re.compile(r"^\d{12}$")


def receiving_desks(user: Any, day: dt.date | None = None) -> list[Unit]:
    """Units in force on `day` (today) where `user` may receive dossiers, one per code."""
    day = day or timezone.localdate()
    seen: set[str] = set()
    desks = []
    for unit in Unit.objects.visible_to(user).valid_on(day).order_by("name", "code"):
        if unit.code not in seen and can(user, Action.RECEIVE, unit):
            seen.add(unit.code)
            desks.append(unit)
    return desks


def _desk(user: Any, code: str | None, desks: list[Unit] | None = None) -> Unit | None:
    desks = desks if desks is not None else receiving_desks(user)
    return next((u for u in desks if u.code == code), desks[0] if desks else None)


def _received_counts(desk: Unit, now: dt.datetime) -> dict[int, int]:
    """Dossiers received at `desk` (any version of its code) per procedure, last 12 months.

    Only an order of suggestions: kept for RECEIVED_COUNTS_SECONDS per process (issue 16: a
    year of a busy desk's receipts is 40 ms of the database's time on every keystroke).
    """
    key = f"motcua:received-counts:{desk.code}:{now.date().isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = _count_received(desk, now)
        cache.set(key, counts, RECEIVED_COUNTS_SECONDS)
    return counts


def _count_received(desk: Unit, now: dt.datetime) -> dict[int, int]:
    rows = (
        Dossier.objects.filter(
            receiving_unit__code=desk.code,
            received_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
        )
        .values("procedure_id")
        .annotate(n=Count("id"))
    )
    return {r["procedure_id"]: r["n"] for r in rows}


def _receivable(desk: Unit | None) -> QuerySet[Procedure]:
    if desk is None:
        return Procedure.objects.none()
    return receivable_at(Procedure.objects.all(), desk, timezone.localdate())


def search_for_desk(desk: Unit | None, text: str, *, limit: int) -> list[Procedure]:
    """Procedures `desk` may receive today matching `text`, best first."""
    if desk is None or not text.strip():
        return []
    counts = _received_counts(desk, timezone.now())
    queryset = _receivable(desk).only(*RANK_FIELDS)
    return rank_procedures(queryset, text, counts=counts, limit=limit)


def _chosen(desk: Unit | None, code: str) -> Procedure | None:
    code = (code or "").strip()
    if not code:
        return None
    return _receivable(desk).filter(code=code).prefetch_related("components").first()


@login_required
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """HTMX: the procedures matching `q` that the chosen desk receives, best first."""
    desk = _desk(
        request.user, request.GET.get("receiving_unit") or request.GET.get("noi-tiep-nhan")
    )
    query = request.GET.get("q", "")
    return render(
        request,
        "dossiers/_procedure_results.html",
        {"results": search_for_desk(desk, query, limit=RESULTS), "q": query, "desk": desk},
    )


@login_required
@require_GET
def procedure_checklist(request: HttpRequest) -> HttpResponse:
    """HTMX: the chosen procedure (hidden field) and its component checklist."""
    desk = _desk(
        request.user, request.GET.get("receiving_unit") or request.GET.get("noi-tiep-nhan")
    )
    procedure = _chosen(desk, request.GET.get("thu-tuc", ""))
    return render(
        request,
        "dossiers/_procedure_chosen.html",
        {
            "procedure": procedure,
            "checklist": checklist_for(procedure) if procedure else [],
            "swap_results": True,
        },
    )


def latest_applicant(user: Any, id_number: str) -> Dossier | None:
    """The latest dossier of this ID number among those `user` may see with full contacts."""
    if not ID_NUMBER.match(id_number or ""):
        return None
    rows = (
        list_dossiers(user)
        .filter(applicant_id_number=id_number)
        .order_by("-received_at", "-pk")[:5]
    )
    return next((d for d in rows if may_see_personal_data(user, d)), None)


@login_required
@require_POST
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: applicant details from the latest visible dossier of a 12-digit ID number
    (POSTed, so that the number never appears in a URL or an access log)."""
    source = latest_applicant(request.user, (request.POST.get("id_number") or "").strip())
    return render(request, "dossiers/_applicant_fill.html", {"source": source})


def _initial(request: HttpRequest) -> dict[str, Any]:
    return {field: request.GET[param] for param, field in PREFILL.items() if request.GET.get(param)}


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form_token
def receipt(request: HttpRequest) -> HttpResponse:
    """Walk-in receipt at the desk — tiếp nhận hồ sơ trực tiếp."""
    desks = receiving_desks(request.user)
    units = [(u.code, u.name) for u in desks]
    initial = _initial(request)
    form = ReceiptForm(request.POST or None, initial=initial, units=units)
    desk_code = request.POST.get("receiving_unit") or initial.get("receiving_unit")
    desk = _desk(request.user, desk_code, desks)
    procedure = _chosen(desk, request.POST.get("procedure") or initial.get("procedure") or "")
    checklist = checklist_for(procedure) if procedure else []
    fee_form = FeeCountsForm(request.POST or None, procedure=procedure)
    status = 200
    if request.method == "POST":
        status = 400
        checklist = parse_checklist(request.POST, checklist)
        if form.is_valid() and procedure is None:
            form.add_error(
                "procedure",
                gettext("Thủ tục này không có hiệu lực hoặc nơi tiếp nhận này không nhận."),
            )
        elif form.is_valid() and procedure is not None and fee_form.is_valid():
            values = form.values()
            values["components"] = [row.as_item() for row in checklist if row.ticked]
            values["fee_counts"] = fee_form.counts()
            try:
                dossier = receive_walk_in(actor=request.user, values=values)
            except DossierError as exc:
                field = RECEIPT_FIELD_ALIASES.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request, gettext("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code}
                )
                # Appointments (issue 10 item 8): the portal marks the posted `lich-hen` received.
                walk_in_received.send(sender=receipt, request=request, dossier=dossier)
                return redirect("dossiers:detail", code=dossier.code)
    query = request.GET.get("q", "")
    return render(
        request,
        "dossiers/receipt.html",
        {
            "form": form,
            "desk": desk,
            "procedure": procedure,
            "checklist": checklist,
            "fee_form": fee_form,
            "q": query,
            # Appointments: the booking code travels as a hidden field of the receipt form.
            "appointment_code": request.POST.get("lich-hen") or request.GET.get("lich-hen", ""),
            "results": search_for_desk(desk, query, limit=RESULTS_NO_JS) if query else None,
            "units_in_scope": [
                u
                for u in Unit.objects.visible_to(request.user)
                .valid_on(timezone.localdate())
                .order_by("name")
                .only("code", "name")
            ],
        },
        status=status,
    )
