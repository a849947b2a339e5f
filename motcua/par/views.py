"""The PAR Index pages — Chỉ số cải cách hành chính (officer side, under /chi-so-cchc/).

`/chi-so-cchc/` shows one criteria set's ranking: every scored unit with its total, index,
group and rank, and each field's index and rank. Read-only; for signed-in staff who may see
figures (the policy's `view`); anyone else gets a 403 page, an unknown set a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from motcua.par.choices import SetStatus, UnitType
from motcua.par.history import History, unit_history
from motcua.par.models import CriteriaSet, OtherIndexValue
from motcua.par.permissions import viewable_codes
from motcua.par.rules import q2
from motcua.par.selectors import UnitResult, set_results
from motcua.people.policy import Action, can
from motcua.units.models import Unit


def number(value: Decimal | None) -> str:
    """Points or an index in Vietnamese notation (82,91; 9,5; 100); "—" when there is none."""
    if value is None:
        return "—"
    return f"{q2(value):f}".rstrip("0").rstrip(".").replace(".", ",")


def set_label(criteria_set: CriteriaSet) -> str:
    """How a person names a set: "Năm 2022 — Sở, ban, ngành (Quyết định 733/QĐ-UBND)"."""
    if criteria_set.name:
        return criteria_set.name
    label = gettext("Năm %(year)s — %(type)s") % {
        "year": criteria_set.year,
        "type": UnitType(criteria_set.unit_type).label,
    }
    if criteria_set.decision_number:
        label += " " + gettext("(Quyết định %(number)s)") % {"number": criteria_set.decision_number}
    return label


@dataclass
class Row:
    """One line of the ranking table."""

    name: str
    result: UnitResult
    link: bool = False

    @property
    def cells(self) -> dict[str, str]:
        """The row's figures, formatted."""
        r = self.result
        return {
            "evidence": number(r.evidence),
            "survey": number(r.survey),
            "adjust": number(r.bonus - r.penalty),
            "total": number(r.total),
            "max": number(r.applicable_max),
            "index": number(r.index),
        }

    @property
    def field_cells(self) -> list[dict[str, str]]:
        """Each field's index and rank, formatted."""
        return [
            {"code": f.code, "index": number(f.index), "rank": str(f.rank or "—")}
            for f in self.result.fields
        ]


def _unit_names(codes: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for unit in Unit.objects.filter(code__in=codes).order_by("valid_from"):
        names[unit.code] = unit.name  # the latest version's name wins
    return names


@require_GET
@login_required
def results_page(request: HttpRequest) -> HttpResponse:
    """One set's ranking with field indices — kết quả, xếp hạng Chỉ số CCHC."""
    if not can(request.user, Action.VIEW):
        return render(
            request,
            "par/forbidden.html",
            {"message": gettext("Trang này dành cho cán bộ, công chức được xem số liệu.")},
            status=403,
        )
    sets = list(CriteriaSet.objects.all())
    code = (request.GET.get("bo") or "").strip()
    if code:
        chosen = next((s for s in sets if s.code == code), None)
        if chosen is None:
            raise Http404(gettext("Không có bộ tiêu chí này."))
    else:  # leaders come for the published ranking; a set under way is one click away
        published = [s for s in sets if s.status == SetStatus.PUBLISHED]
        chosen = (published or sets)[0] if sets else None
    context: dict[str, object] = {
        "sets": [(s.code, set_label(s)) for s in sets],
        "chosen": chosen,
    }
    if chosen is not None:
        results = set_results(chosen)
        names = _unit_names([r.unit for r in results])
        viewable = viewable_codes(request.user, [r.unit for r in results])
        fields = list(chosen.criteria.filter(parent__isnull=True).order_by("order"))
        context.update(
            {
                "label": set_label(chosen),
                "status": SetStatus(chosen.status).label,
                "fields": fields,
                "field_rows": [(f.code, f.name, number(f.max_points)) for f in fields],
                "survey_max": number(chosen.survey_max),
                "rows": [Row(names.get(r.unit, r.unit), r, r.unit in viewable) for r in results],
            }
        )
    if chosen is not None:  # the process of §4: links to set-up and to one's own self-assessment
        from motcua.par.process_views import process_links

        context.update(process_links(request.user, chosen))
    rows = context.get("rows") or []
    context["histories"] = _histories(request.user, {r.result.unit for r in rows})  # type: ignore[attr-defined]
    return render(request, "par/results.html", context)


def _histories(user: object, ranked: set[str]) -> list[tuple[str, str, History, str]]:
    """The other indices' history of every unit the user may see that has some and is not in
    the ranking above (the province, usually): (name, code, history, heading id)."""
    codes = sorted(set(OtherIndexValue.objects.values_list("unit_code", flat=True)) - ranked)
    viewable = viewable_codes(user, codes)
    names = _unit_names([c for c in codes if c in viewable])
    return [
        (names.get(code, code), code, unit_history(code), f"par-history-{index}")
        for index, code in enumerate((c for c in codes if c in viewable), start=1)
    ]
