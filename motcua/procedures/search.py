"""Finding procedures by name — tìm thủ tục theo tên: one matcher and one ranking for every page.

The catalogue (`/thu-tuc/` on the portal and in the workspace) and the intake form's search
box share these functions. Text is folded (`motcua.lib.vntext.fold`), so "khai sinh",
"KHAI SINH" and "khai sinh" typed without diacritics find the same procedures.

A procedure matches when its folded code and name contain every word typed, in any order.
The ranking, best first:

0. when a day is given, the procedures in force that day before those that are not (expired
   ones are listed only when asked for, and last);
1. the code typed exactly;
2. the words as one phrase of whole words (in this order, side by side: "cap ban sao" in
   "Cấp bản sao …"), then the phrase inside longer words, then words scattered in the name;
3. among those, the procedures the desk received most (counts passed by the caller, e.g. the
   dossiers received at the chosen desk over the last 12 months);
4. a name that starts with the phrase (ignoring a leading "Thủ tục") before one that only
   contains it;
5. the shorter name (closer to what was typed), then the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db.models import Q, QuerySet

from motcua.lib.vntext import fold
from motcua.procedures.choices import ProcedureLevel
from motcua.procedures.models import Procedure
from motcua.units.models import Unit

# Names often open with the word "Thủ tục": it says nothing about which procedure it is.
_LEADING_NOISE = ("thu tuc ",)


def words_of(text: str) -> list[str]:
    """The folded words of a query."""
    return fold(text or "").split()


def matching(queryset: QuerySet[Procedure], text: str) -> QuerySet[Procedure]:
    """Procedures whose folded code and name contain every word of `text` (any order)."""
    return queryset.search(text)  # type: ignore[attr-defined]


def _name_part(procedure: Procedure) -> str:
    folded = fold(procedure.name)
    for noise in _LEADING_NOISE:
        if folded.startswith(noise):
            return folded[len(noise) :]
    return folded


def is_in_force(procedure: Procedure, day: dt.date) -> bool:
    """Whether `procedure`'s validity covers `day` (the same rule as `in_force`)."""
    return (procedure.valid_from is None or procedure.valid_from <= day) and (
        procedure.valid_to is None or procedure.valid_to >= day
    )


def rank_key(
    procedure: Procedure,
    words: list[str],
    counts: Mapping[int, int] | None = None,
    day: dt.date | None = None,
) -> tuple[int, int, int, int, int, str]:
    """Sort key of one matching procedure (smaller is better); see the module docstring."""
    phrase = " ".join(words)
    name = _name_part(procedure)
    if fold(procedure.code) == phrase:
        tier = 0
    elif f" {phrase} " in f" {name} ":
        tier = 1
    elif phrase in name:
        tier = 2
    else:
        tier = 3
    received = (counts or {}).get(procedure.pk, 0)
    starts = 0 if name.startswith(phrase) else 1
    stale = 0 if day is None or is_in_force(procedure, day) else 1
    return (stale, tier, -received, starts, len(name), procedure.code)


def rank_procedures(
    queryset: QuerySet[Procedure],
    text: str,
    *,
    counts: Mapping[int, int] | None = None,
    limit: int | None = None,
    day: dt.date | None = None,
) -> list[Procedure]:
    """The procedures of `queryset` matching `text`, best first (at most `limit`); with `day`,
    those in force that day before the others."""
    words = words_of(text)
    if not words:
        return []
    rows = list(matching(queryset, text))
    rows.sort(key=lambda p: rank_key(p, words, counts, day))
    return rows[:limit] if limit is not None else rows


def in_force(queryset: QuerySet[Procedure], day: dt.date) -> QuerySet[Procedure]:
    """Procedures an applicant may use on `day`: published, and not before or after validity."""
    return queryset.filter(published=True, is_reference=False).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


def desk_host(desk: Unit) -> Unit:
    """The unit a desk belongs to: a centre or a one-stop section is a subunit of its host."""
    unit = desk
    while unit.level == "subunit" and unit.parent_id is not None:
        unit = unit.parent  # type: ignore[assignment]
    return unit


# Which procedure levels the desk of a unit at each level receives (Decree 61/2018 as changed
# by Decree 118/2025: the commune desk takes commune procedures, the provincial centre the
# provincial ones; district desks existed until 30/06/2025).
LEVELS_RECEIVED: dict[str, tuple[str, ...]] = {
    "commune": (ProcedureLevel.COMMUNE,),
    "district": (ProcedureLevel.DISTRICT,),
    "province": (ProcedureLevel.PROVINCE,),
    "department": (ProcedureLevel.PROVINCE,),
}


def receivable_at(queryset: QuerySet[Procedure], desk: Unit, day: dt.date) -> QuerySet[Procedure]:
    """Procedures in force on `day` that `desk` may receive.

    The rule: the procedure's level is one its host unit's desk receives (`LEVELS_RECEIVED`),
    or the host itself is one of the procedure's competent units (a department's own desk) —
    the same host chain `dossiers.services.default_competent_unit` walks.
    """
    host = desk_host(desk)
    levels: Iterable[str] = LEVELS_RECEIVED.get(host.level, ())
    own = Q(competent_units__code=host.code)
    return in_force(queryset, day).filter(Q(level__in=list(levels)) | own).distinct()
