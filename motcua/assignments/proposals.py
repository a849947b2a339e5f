"""Proposed tasks from the pasted text of an assigning letter (issue 13, item 4).

The text is cut into clauses (at ";", at the end of a sentence, at a numbered section or a
bullet). A clause that carries a deadline wording ("hoàn thành trong tháng 12/2024",
"trước ngày 10/12/2024", "chậm nhất ngày 15/12/2024", "thường xuyên", "khẩn trương", "trong
thời gian sớm nhất") becomes one draft task. Its lead is the unit named after "Giao …" in the
clause, or the units the clause opens with, else the lead of the previous clause in the same
section (the letter's "Tham mưu …" sentences keep the unit of the sentence before). Coordinating
units follow "phối hợp (với)". "Các Sở, ban, ngành tỉnh" and "Ủy ban nhân dân (các) huyện, thị
xã, thành phố" are broadcasts to every department and every district. Units are matched to the
unit tree by name, without diacritics. The officer corrects and confirms the drafts: nothing is
written here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from motcua.assignments.deadlines import DeadlineError, read_deadline
from motcua.lib.vntext import nfc

_DEADLINE = re.compile(
    r"(?:hoan thanh )?(?:cham nhat )?trong thang \d{1,2}/\d{4}"
    r"|(?:hoan thanh )?truoc ngay \d{1,2}/\d{1,2}/\d{4}"
    r"|(?:hoan thanh )?cham nhat (?:ngay )?\d{1,2}/\d{1,2}/\d{4}"
    r"|trong thoi gian som nhat|khan truong|thuong xuyen"
)
_DEPARTMENTS = re.compile(
    r"(?:giam doc so, thu truong cac (?:co quan, )?ban, nganh tinh|cac so, ban, nganh tinh)"
    r"(?: lien quan)?"
)
_DISTRICTS = re.compile(r"(?:chu tich )?uy ban nhan dan (?:cac )?huyen, thi xa, thanh pho")
_TITLES = ("giam doc ", "thu truong ", "chu tich ")
_GIAO = re.compile(r"(?<![a-z])giao (?!dich)")
_BLOCK = re.compile(r"\n(?=[ \t]*(?:-|\d+\.)\s)")
_CUT = re.compile(r";|\.(?=\s)")
_MARK = re.compile(r"\s*(?:(\d+)\.|(-))\s+")
ABBREVIATIONS = (("UBND", "Ủy ban nhân dân"), ("Uỷ", "Ủy"), ("uỷ", "ủy"))


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one (so spans map back)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        out.append(unicodedata.normalize("NFD", ch)[0].lower())
    return "".join(out)


@dataclass
class UnitRef:
    """A unit as the proposer matches it."""

    pk: int
    code: str
    name: str
    level: str
    folded: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.folded = fold_same_length(nfc(self.name))
        # "Văn phòng Ủy ban nhân dân tỉnh Đồng Tháp" is written "Văn phòng Ủy ban nhân dân tỉnh"
        short = re.sub(r" tinh [a-z ]+$", " tinh", self.folded)
        self.aliases = (self.folded, short) if short != self.folded else (self.folded,)


@dataclass
class Proposal:
    """One draft task for an officer to correct and confirm."""

    position: str
    text: str
    lead: list[UnitRef]
    coordinating: list[UnitRef]
    deadline_text: str
    kind: str
    due: dt.date | None
    title: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def broadcast(self) -> bool:
        return len(self.lead) > 1


class _Matcher:
    def __init__(self, units: Sequence[UnitRef]) -> None:
        self.names = sorted(
            ((alias, u) for u in units for alias in u.aliases), key=lambda pair: -len(pair[0])
        )
        self.departments = [u for u in units if u.level == "department"]
        self.districts = [u for u in units if u.level == "district"]

    def one(self, text: str, pos: int) -> tuple[list[UnitRef], int] | None:
        """Units named at `pos` (a broadcast phrase, or one unit's name) and where it ends."""
        if m := _DEPARTMENTS.match(text, pos):
            return self.departments, m.end()
        if m := _DISTRICTS.match(text, pos):
            return self.districts, m.end()
        for title in _TITLES:
            if text.startswith(title, pos):
                found = self._name(text, pos + len(title))
                if found:
                    return found
        return self._name(text, pos)

    def _name(self, text: str, pos: int) -> tuple[list[UnitRef], int] | None:
        for alias, unit in self.names:
            if alias and text.startswith(alias, pos):
                return [unit], pos + len(alias)
        return None

    def many(self, text: str, pos: int) -> list[UnitRef]:
        """Units named from `pos` on, joined by ", " or " và "."""
        result: list[UnitRef] = []
        while True:
            found = self.one(text, pos)
            if found is None:
                break
            units, pos = found
            result += [u for u in units if u not in result]
            for joiner in (", ", " va ", " va cac "):
                if self.one(text, pos + len(joiner)) is not None and text.startswith(joiner, pos):
                    pos += len(joiner)
                    break
            else:
                break
        return result


def _clauses(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, mark) of each clause; mark is a section number, "-" for a bullet, or ""."""
    bounds = [0, *(m.end() for m in _BLOCK.finditer(text)), len(text) + 1]
    for first, nxt in itertools.pairwise(bounds):
        block_end = nxt - 1 if nxt <= len(text) else len(text)
        mark = ""
        start = first
        if m := _MARK.match(text, first):
            mark = m.group(1) or "-"
            start = m.end()
        for cut in _CUT.finditer(text, start, block_end):
            yield start, cut.start(), mark
            mark = ""
            start = cut.end()
        yield start, block_end, mark


def propose(text: str, *, issued: dt.date, units: Sequence[UnitRef]) -> list[Proposal]:
    """The draft tasks of a letter's text (see the module docstring)."""
    for short, full in ABBREVIATIONS:
        text = text.replace(short, full)
    text = nfc(text)
    folded = fold_same_length(text)
    matcher = _Matcher(units)
    proposals: list[Proposal] = []
    section = ""
    bullet = 0
    lead: list[UnitRef] = []
    line_start = 0
    # A letter with numbered sections assigns in them: its subject line ("V/v khẩn trương …")
    # and the preamble are not tasks.
    numbered = re.search(r"(?m)^\s*\d+\.\s", text) is not None
    for start, end, mark in _clauses(text):
        raw = text[start:end]
        # a new numbered section or bullet begins with this clause
        head = raw.lstrip("\n ")
        if mark == "-":
            bullet += 1
        elif mark:
            section, bullet, lead = mark, 0, []
        offset = start + (len(raw) - len(head))
        clause = folded[offset:end]
        found_lead: list[UnitRef] = []
        for g in _GIAO.finditer(clause):
            if clause[max(0, g.start() - 5) : g.start()] == "duoc ":
                continue
            units_here = matcher.many(clause, g.end())
            if units_here:
                found_lead = units_here
                break
        if not found_lead:
            body = re.sub(r"^(?:“[^”]*”\s*:?\s*)?", "", clause)
            found_lead = matcher.many(body, 0)
        if found_lead:
            lead = found_lead
        coordinating: list[UnitRef] = []
        for p in re.finditer(r"phoi hop (?:voi )?", clause):
            coordinating += [u for u in matcher.many(clause, p.end()) if u not in coordinating]
        line_start = offset
        if numbered and not section:
            continue
        for d in _DEADLINE.finditer(clause):
            wording = text[line_start + d.start() : line_start + d.end()]
            try:
                deadline = read_deadline(wording, issued=issued)
            except DeadlineError:
                continue
            lead_units = [u for u in lead if u not in coordinating] or lead
            position = f"mục {section}" if section else ""
            if bullet:
                position += f", gạch đầu dòng {bullet}"
            sentence = " ".join(text[offset:end].split())
            proposals.append(
                Proposal(
                    position=position,
                    text=sentence,
                    lead=list(lead_units),
                    coordinating=[u for u in coordinating if u not in lead_units],
                    deadline_text=wording,
                    kind=str(deadline.kind),
                    due=deadline.due,
                    title=_title(sentence),
                    notes=[] if lead_units else ["no_lead"],
                )
            )
    return proposals


def _title(sentence: str) -> str:
    quoted = re.search(r"“([^”]+)”", sentence)
    if quoted:
        return quoted.group(1)[:200]
    words = sentence.split()
    return " ".join(words[:20]) + ("…" if len(words) > 20 else "")


def unit_refs(units: Iterable[Any]) -> list[UnitRef]:
    """UnitRefs of unit rows (anything with pk, code, name and level)."""
    return [UnitRef(u.pk, u.code, u.name, u.level) for u in units]
