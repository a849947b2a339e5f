"""Copy last year's criteria set as the start of a new one (issue 14 item 1).

`copy_set(source=, code=, year=, actor=)` creates a new **draft** set `code` for `year` with the
source's unit type, survey maximum, bonus and penalty caps and its whole tree (codes, names,
maxima, order, rules and parameters, evidence required, data sources); the issuing decision is
left empty (a new year has a new decision). All or nothing: an existing code is refused and
nothing is written. One change-log row names the source.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.par.models import CriteriaSet
from motcua.par.services import NodeSpec, ParError, save_criteria_set


def nodes_of(criteria_set: CriteriaSet) -> list[NodeSpec]:
    """The set's tree as import rows, in tree order."""
    return [
        NodeSpec(
            code=c.code,
            parent_code=c.parent.code if c.parent else "",
            name=c.name,
            max_points=c.max_points,
            rule=c.rule,
            params=dict(c.params),
            evidence_requirement=c.evidence_requirement,
            data_source=c.data_source,
        )
        for c in criteria_set.criteria.select_related("parent").order_by("order")
    ]


@transaction.atomic
def copy_set(
    *, source: CriteriaSet, code: str, year: int, actor: Any, src: str = "web"
) -> CriteriaSet:
    """A new draft set `code` for `year`, a copy of `source`'s tree and settings."""
    code = code.strip()
    if not code:
        raise ParError(_("Hãy nhập mã bộ tiêu chí mới."))
    if not 2000 <= year <= 2100:
        raise ParError(_("Năm đánh giá %(year)s không hợp lệ.") % {"year": year})
    if CriteriaSet.objects.select_for_update().filter(code=code).exists():
        raise ParError(_("Đã có bộ tiêu chí %(code)s; hãy chọn mã khác.") % {"code": code})
    nodes = nodes_of(source)
    if not nodes:
        raise ParError(_("Bộ tiêu chí %(code)s chưa có tiêu chí nào.") % {"code": source.code})
    created, _changed = save_criteria_set(
        code=code,
        year=year,
        unit_type=source.unit_type,
        survey_max=source.survey_max,
        nodes=nodes,
        actor=actor,
        source=src,
    )
    before = snapshot(created)
    created.bonus_cap = source.bonus_cap
    created.penalty_cap = source.penalty_cap
    created.save(update_fields=["bonus_cap", "penalty_cap"])
    record_change(
        obj=created,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after={**snapshot(created), "copied_from": source.code},
        source=src,
        reason=_("Sao chép từ bộ tiêu chí %(code)s") % {"code": source.code},
    )
    return created
