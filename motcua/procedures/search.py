"""Finding procedures — tìm thủ tục: one matcher and one ranking for every page.

The catalogue (`/thu-tuc/` on the portal, `/danh-muc-thu-tuc/` in the workspace) and the
intake form's search box share these functions. Text is folded (`motcua.lib.vntext.fold`), so
"khai sinh", "KHAI SINH" and "khai sinh" typed without diacritics find the same procedures.

A procedure matches when every word typed is in its folded code and name (`search_text`) or in
its other published text (`search_body`: field, executing bodies, issuing body, applicants,
result documents — `models.search_body_for`), in any order. The matching is one SQL `LIKE`
per word on the folded columns, the same on SQLite and PostgreSQL (where a GIN trigram index
serves it, migration `0005_search_body`), and the ranking is this module's Python, so both
databases give the same results in the same order. The ranking, best first:

0. when a day is given, the procedures in force that day before those that are not (expired
   ones are listed only when asked for, and last);
1. how the words match (`match_tier`):
   0. the code typed exactly;
   1. in the name, the words as one phrase of whole words (in this order, side by side: "cap
      ban sao" in "Cấp bản sao …");
   2. in the name, the phrase inside longer words;
   3. in the name, the words in the order typed with other words between ("cấp **lại** bản
      sao");
   4. in the code and name, the words scattered;
   5. in the other text, the phrase ("khai sinh" in the result "Giấy khai sinh");
   6. anywhere else (some words in the name, some in the other text);
2. procedures of the province before reference ones (`is_reference`: a ministry's, a bank's;
   never offered, listed for officers);
3. the procedures the desk received most (counts passed by the caller, e.g. the dossiers
   received at the chosen desk over the last 12 months);
4. a name that starts with the phrase (ignoring a leading "Thủ tục") before one that only
   contains it;
5. the shorter name (closer to what was typed), then the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import overload

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
    """The folded name without a leading "Thủ tục" (from `search_text`, folded on save)."""
    code = procedure.code.lower()
    stored = procedure.search_text or ""
    if stored.startswith(code + " ") and code.isascii():
        folded = stored[len(code) + 1 :]
    else:
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


def _in_order(text: str, words: list[str]) -> bool:
    """Whether `words` occur in `text` in this order (other words may come between)."""
    position = 0
    for word in words:
        found = text.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


def match_tier(procedure: Procedure, words: list[str], name: str | None = None) -> int:
    """How well `words` match `procedure` (0 best … 6): see the module docstring."""
    phrase = " ".join(words)
    name = _name_part(procedure) if name is None else name
    if procedure.code.lower() == phrase:
        return 0
    if f" {phrase} " in f" {name} ":
        return 1
    if phrase in name:
        return 2
    if _in_order(name, words):
        return 3
    own = procedure.search_text or fold(f"{procedure.code} {procedure.name}")
    if all(word in own for word in words):
        return 4
    if phrase in (procedure.search_body or ""):
        return 5
    return 6


def rank_key(
    procedure: Procedure,
    words: list[str],
    counts: Mapping[int, int] | None = None,
    day: dt.date | None = None,
) -> tuple[int, int, int, int, int, int, str]:
    """Sort key of one matching procedure (smaller is better); see the module docstring."""
    phrase = " ".join(words)
    name = _name_part(procedure)
    received = (counts or {}).get(procedure.pk, 0)
    starts = 0 if name.startswith(phrase) else 1
    stale = 0 if day is None or is_in_force(procedure, day) else 1
    reference = 1 if procedure.is_reference else 0
    tier = match_tier(procedure, words, name)
    return (stale, tier, reference, -received, starts, len(name), procedure.code)


# What the ranking reads of each procedure: a ranked list loads these columns only.
RANK_FIELDS = (
    "pk",
    "code",
    "name",
    "search_text",
    "search_body",
    "is_reference",
    "valid_from",
    "valid_to",
)


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


class RankedProcedures(Sequence[Procedure]):
    """A ranked result that loads whole rows only for the slice read (a page of a list).

    The ranking reads `RANK_FIELDS` of every match; `Paginator` then asks for one page, whose
    procedures are fetched from `queryset` (with its `select_related`) in ranked order — two
    light queries whatever the number of matches.
    """

    def __init__(self, queryset: QuerySet[Procedure], ranked: list[Procedure]) -> None:
        self.queryset = queryset
        self.ids = [p.pk for p in ranked]

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Procedure: ...

    @overload
    def __getitem__(self, index: slice) -> list[Procedure]: ...

    def __getitem__(self, index: int | slice) -> Procedure | list[Procedure]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        rows = self.queryset.in_bulk(wanted)
        return [rows[pk] for pk in wanted if pk in rows]


def rank_lazily(
    queryset: QuerySet[Procedure],
    text: str,
    *,
    counts: Mapping[int, int] | None = None,
    day: dt.date | None = None,
) -> RankedProcedures:
    """`rank_procedures` for a paginated list: rank on `RANK_FIELDS`, load a page at a time."""
    light = queryset.select_related(None).only(*RANK_FIELDS)
    ranked = rank_procedures(light, text, counts=counts, day=day)
    return RankedProcedures(queryset, ranked)


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
