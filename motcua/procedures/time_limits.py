"""Time limits as written — thời hạn giải quyết như công bố: the wording read into a spec.

The national catalogue writes a procedure's time limit per channel ("Trực tiếp 5 Ngày",
"Trực tuyến 7 Ngày"), sometimes without a unit ("1"), sometimes not at all ("Không có thông
tin"), and explains the rest in words: stages ("50 ngày, trong đó: - Cục …: 30 ngày, kể từ …"),
a ceiling for hard cases ("… kéo dài … không quá 60 ngày"), a clock that starts at another
body's letter ("kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp"), the same-day rule
("sau 15 giờ … ngày làm việc tiếp theo"), "ngay sau khi nhận đủ hồ sơ".

`parse_time_limit()` reads that wording into `Procedure.time_limit_spec` (shape below and in
docs/procedures.md). The reading is a *proposal*: an officer confirms it (or corrects it) on the
confirmation page before the procedure can be published; a bare number or no information can
never be confirmed as it stands (the clock never guesses a unit). Pure: no database access.

Spec shape (version 1)::

    {
      "version": 1,
      "source": "catalogue" | "officer",
      "as_written": "Trực tiếp: 5 Ngày; Trực tuyến: 7 Ngày; …",   # the cells, as published
      "channels": {                       # keyed by dossier channel: direct / online / postal
        "direct": {"amount": 5, "unit": "calendar_days", "cutoff": null,
                   "as_written": "5 Ngày"},
        …
      },
      "stages": [{"body": "…", "amount": 30, "unit": "calendar_days",
                  "start": "kể từ ngày nhận đủ hồ sơ", "as_written": "- Cục …: 30 ngày, …"}],
      "ceiling": {"amount": 60, "unit": "calendar_days", "condition": "trường hợp phức tạp",
                  "as_written": "…"} | null,
      "start_event": "nhận được văn bản đề nghị của Sở Tư pháp" | "",
      "start_event_as_written": "Trong thời hạn 05 ngày làm việc kể từ …" | "",
      "cutoff_as_written": "… sau 15 giờ …" | "",
      "problems": ["…"],                  # why it cannot be confirmed as read (Vietnamese)
    }

A channel's `unit` is one of the clock's units (`TimeLimitUnit`) or null when the wording
gives none; `cutoff` is "HH:MM" for `same_day`. An empty spec ({}) means "not read": the
procedure's own `time_limit_amount/unit/same_day_cutoff` apply to every channel.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings

from motcua.lib.vntext import nfc
from motcua.procedures.choices import TimeLimitUnit

SPEC_VERSION = 1
CHANNEL_KEYS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
CHANNEL_ORDER = ("direct", "online", "postal")
CHANNEL_LABELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}
NO_INFO = "Không có thông tin"

BARE_NUMBER = "thời hạn chỉ ghi số, không ghi đơn vị"
NOT_STATED = "không có thông tin về thời hạn"
STAGE_NO_UNIT = "một giai đoạn không ghi đơn vị thời hạn"

_NUM = r"(\d{1,3})"
_UNIT_WORDS = r"(ngày làm việc|ngày|giờ làm việc|giờ|tháng)"
_CELL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*$", re.S)
_SAME_DAY_NOW = re.compile(
    r"ngay sau khi (?:nhận|tiếp nhận) đủ hồ sơ|ngay trong ngày (?:tiếp nhận|nhận)", re.I
)
_CUTOFF = re.compile(
    r"[^.\n;]*sau (\d{1,2}) giờ[^.\n]*?(?:ngày làm việc tiếp theo|ngày làm việc kế tiếp)[^.\n;]*",
    re.I,
)
_SAME_DAY_RULE = re.compile(r"trong ngày làm việc nhận được hồ sơ|trong ngày tiếp nhận", re.I)
_STAGED_HEAD = re.compile(rf"{_NUM} ngày(?: làm việc)?, trong đó:", re.I)
_STAGE_LINE = re.compile(
    r"^\s*-\s*(?P<body>.+?):\s*(?P<n>\d{1,3}) (?P<unit>ngày làm việc|ngày|giờ làm việc|giờ|"
    r"tháng)\s*,?\s*(?P<start>kể từ [^;.\n]*)",
    re.I,
)
_CEILING = re.compile(
    r"(?P<cond>(?:[Tt]rường hợp|[Đđ]ối với)[^.;\n]*?)(?:\s+thì\b[^.;\n]*?|\s+)"
    r"(?:có thể |được |phải )?kéo dài"
    rf"(?P<more> thêm)?[^.;\n]*?không quá {_NUM} {_UNIT_WORDS}",
)
_STATED = re.compile(
    rf"Thời hạn giải quyết[^:.\n]{{0,20}}:\s*(?:[Tt]rong (?:thời hạn|vòng) )?{_NUM} {_UNIT_WORDS}"
)
_BASE_BEFORE = re.compile(rf"{_NUM} {_UNIT_WORDS}\s*;?\s*$")
_TIMED = re.compile(
    rf"(?:[Tt]rong (?:thời hạn|vòng) ){_NUM} {_UNIT_WORDS},? (kể từ (?:ngày|khi|thời điểm) "
    r"(?P<event>[^,.;\n]+))(?P<after>[^.;\n]*)",
)
_RECEIPT = re.compile(
    r"^(?:ngày )?(?:nhận|tiếp nhận)(?: được| đủ)*(?: hồ sơ| đơn| văn bản đề nghị(?! của))"
    r"|^nhận được (?:đơn|hồ sơ)|^nhận được văn bản đề nghị(?! của)|nộp đủ hồ sơ",
    re.I,
)
# Another public body's letter (the applicant's own letter is the receipt).
_OTHER_BODY = re.compile(
    r"(?:nhận được )?(?:văn bản|công văn|đề nghị|thông báo)[^,.;]*? của (?:Sở|Ủy ban|UBND|Bộ|"
    r"Cục|Chủ tịch|[Cc]ơ quan|Tòa án|Công an|Phòng|Ban|Viện|Thanh tra|Giám đốc)"
)


def bare_day_unit() -> str:
    """The unit "N Ngày" (no "làm việc") is read as: the MOTCUA_BARE_DAY_UNIT setting."""
    return str(getattr(settings, "MOTCUA_BARE_DAY_UNIT", TimeLimitUnit.CALENDAR_DAYS))


def _unit_of(word: str) -> str | None:
    """The clock unit of a unit word as written ('Ngày làm việc', 'ngày', 'Giờ'), else None."""
    word = word.strip().lower()
    if word == "ngày làm việc":
        return TimeLimitUnit.WORKING_DAYS.value
    if word == "ngày":
        return bare_day_unit()
    if word in {"giờ làm việc", "giờ"}:
        return TimeLimitUnit.WORKING_HOURS.value
    if word == "tháng":
        return TimeLimitUnit.CALENDAR_MONTHS.value
    return None


def _channel_reading(row: dict[str, str], steps_text: str) -> tuple[dict[str, Any], list[str]]:
    """One channel's limit from its time cell and its description."""
    cell = nfc(row.get("time") or "").strip()
    description = channel_text(row)
    reading: dict[str, Any] = {"amount": None, "unit": None, "cutoff": None, "as_written": cell}
    problems: list[str] = []
    match = _CELL.match(cell) if cell and cell != NO_INFO else None
    stated = _STATED.search(description)
    if match is None and stated:
        # No number in the cell, but the description says "Thời hạn giải quyết: 15 ngày".
        match = re.match(r"(\d+)\s*(.*)", f"{int(stated[1])} {stated[2]}")
        reading["as_written"] = stated[0].strip()
    if match:
        amount = round(float(match[1].replace(",", ".")))
        reading["amount"] = amount if amount > 0 else None
        reading["unit"] = _unit_of(match[2]) if match[2] else None
        if match[2].strip().lower() == "ngày" and re.search(
            rf"\b0?{reading['amount']} ngày làm việc", description
        ):
            reading["unit"] = TimeLimitUnit.WORKING_DAYS.value  # "tối đa 20 ngày làm việc"
        if reading["unit"] is None:
            problems.append(BARE_NUMBER)
    cutoff = _CUTOFF.search(description) or _CUTOFF.search(steps_text)
    same_day_written = _SAME_DAY_RULE.search(description) and _CUTOFF.search(description)
    if _SAME_DAY_NOW.search(description) and reading["unit"] is None:
        reading.update(amount=None, unit=TimeLimitUnit.SAME_DAY.value)
        problems = [p for p in problems if p != BARE_NUMBER]
    elif cutoff and (same_day_written or reading["unit"] is None):
        # "… trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo": same-day rule.
        # Proposed for a bare "1"; still unconfirmed until an officer confirms the unit.
        reading.update(
            amount=None, unit=TimeLimitUnit.SAME_DAY.value, cutoff=f"{int(cutoff[1]):02d}:00"
        )
        if same_day_written:
            problems = [p for p in problems if p != BARE_NUMBER]
        elif match is None:
            problems.append(NOT_STATED)  # the cell states nothing: proposed, not read
    if reading["unit"] is None and not problems:
        problems.append(NOT_STATED)
    return reading, problems


def channel_text(row: dict[str, str]) -> str:
    """A channel row's words about time: its description, and the fee cell's note (the
    scraper sometimes put "Thời hạn giải quyết: …" inside the fee's parentheses)."""
    return nfc(f"{row.get('description') or ''}\n{row.get('fee') or ''}").strip()


def _stages_in(text: str) -> list[dict[str, Any]]:
    """'N ngày, trong đó: - body: k ngày, kể từ …;' lines, as written."""
    head = _STAGED_HEAD.search(text)
    if not head:
        return []
    stages: list[dict[str, Any]] = []
    for line in text[head.end() :].splitlines():
        match = _STAGE_LINE.match(line)
        if match is None:
            if stages and line.strip() and not line.strip().startswith("-"):
                break
            continue
        stages.append(
            {
                "body": match["body"].strip(),
                "amount": int(match["n"]),
                "unit": _unit_of(match["unit"]),
                "start": match["start"].strip(),
                "as_written": line.strip(),
            }
        )
    return stages


def _timed_sentences(text: str) -> list[dict[str, Any]]:
    """'Trong thời hạn k unit kể từ <event>, <body> …' sentences of the steps text."""
    found = []
    for match in _TIMED.finditer(text):
        event = match["event"].strip()
        found.append(
            {
                "amount": int(match[1]),
                "unit": _unit_of(match[2]),
                "start": match[3].strip(),
                "event": event,
                "body": match["after"].strip(" ,"),
                "as_written": match[0].strip(),
                "receipt": bool(_RECEIPT.search(event)),
            }
        )
    return found


def _ceiling(text: str, base: dict[str, Any] | None) -> dict[str, Any] | None:
    """The first 'trường hợp … kéo dài … không quá N unit' of `text` (None if none)."""
    for match in _CEILING.finditer(text):
        amount, unit = int(match[3]), _unit_of(match[4])
        before = _BASE_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        base_amount = base.get("amount") if base else None
        if before and base_amount is None:
            base_amount = int(before[1])
        if (
            match["more"]
            and base_amount
            and unit == (base or {}).get("unit")
            and amount <= (base_amount)
        ):
            amount = base_amount + amount  # "kéo dài thêm không quá 02 ngày": an addition
        return {
            "amount": amount,
            "unit": unit,
            "condition": match["cond"].strip(),
            "as_written": match[0].strip(),
        }
    return None


def parse_time_limit(
    channels: list[dict[str, str]], *, steps_text: str = "", raw_text: str = ""
) -> dict[str, Any]:
    """The spec of a procedure from its channel rows {channel, time, fee, description} and its
    steps text (`trinh_tu_thuc_hien`); see the module docstring for the shape."""
    steps_text = nfc(steps_text or "")
    spec: dict[str, Any] = {
        "version": SPEC_VERSION,
        "source": "catalogue",
        "as_written": "; ".join(
            f"{nfc(c.get('channel', ''))}: {nfc(c.get('time') or '') or NO_INFO}" for c in channels
        ),
        "channels": {},
        "stages": [],
        "ceiling": None,
        "start_event": "",
        "start_event_as_written": "",
        "cutoff_as_written": "",
        "problems": [],
    }
    problems: list[str] = []
    descriptions = []
    for row in channels:
        key = CHANNEL_KEYS.get(nfc(row.get("channel") or "").strip())
        if key is None or key in spec["channels"]:
            continue
        reading, found = _channel_reading(row, steps_text)
        spec["channels"][key] = reading
        problems += [p for p in found if p not in problems]
        descriptions.append(channel_text(row))
    if not spec["channels"]:
        problems.append(NOT_STATED)
    description = next((d for d in descriptions if d), "")
    first = next(iter(spec["channels"].values()), None)
    # Stages: the description's "trong đó" list; else the steps' timed sentences when they
    # add up exactly to the stated limit (1.014965: 10 + 5 working days = 15).
    stages = _stages_in(description)
    timed = _timed_sentences(steps_text)
    if not stages and first and first["amount"] and len(timed) >= 2:
        same = [t for t in timed if t["unit"] == first["unit"]]
        if (
            len(same) == len(timed)
            and sum(t["amount"] for t in same) == first["amount"]
            and same[0]["receipt"]
            and not all(t["receipt"] for t in same[1:])
        ):
            stages = [
                {k: t[k] for k in ("body", "amount", "unit", "start", "as_written")} for t in same
            ]
    spec["stages"] = stages
    if any(s["unit"] is None for s in stages):
        problems.append(STAGE_NO_UNIT)
    # A start event other than receipt: the one timed sentence matching the limit counts
    # from another body's letter ("kể từ ngày nhận được văn bản đề nghị của Sở Tư pháp").
    if not stages and first and first["amount"]:
        matching = [
            t for t in timed if (t["amount"], t["unit"]) == (first["amount"], first["unit"])
        ]
        if len(matching) == 1 and not matching[0]["receipt"]:
            event = matching[0]["event"]
            if _OTHER_BODY.search(event):
                spec["start_event"] = event
                spec["start_event_as_written"] = matching[0]["as_written"]
    # In the steps text only the "trường hợp phức tạp" ceilings speak of the whole limit.
    hard = " ".join(m[0] for m in re.finditer(r"[^.\n]*phức tạp[^.\n]*", steps_text))
    ceiling = _ceiling(description, first) or _ceiling(hard, None)
    spec["ceiling"] = ceiling
    cutoff = _CUTOFF.search(description) or _CUTOFF.search(steps_text)
    if cutoff and any(c["unit"] == TimeLimitUnit.SAME_DAY for c in spec["channels"].values()):
        spec["cutoff_as_written"] = cutoff[0].strip()
    spec["problems"] = problems
    return spec


# -- reading a spec ---------------------------------------------------------------------------


def spec_confirmable(spec: dict[str, Any]) -> bool:
    """Whether every channel of the spec has a unit (and an amount unless same-day)."""
    channels = (spec or {}).get("channels") or {}
    if not channels:
        return False
    return all(
        c.get("unit") == TimeLimitUnit.SAME_DAY or (c.get("unit") and c.get("amount"))
        for c in channels.values()
    )


def channel_limit(spec: dict[str, Any] | None, channel: str) -> dict[str, Any] | None:
    """The limit of `channel` in a spec (else of its first channel); None for an empty spec."""
    channels = (spec or {}).get("channels") or {}
    if not channels:
        return None
    reading = channels.get(channel)
    if reading is None:
        reading = next((channels[k] for k in CHANNEL_ORDER if k in channels), None)
    return reading


def parse_cutoff(value: str | None) -> dt.time | None:
    """'15:00' → time(15, 0); None or '' → None."""
    if not value:
        return None
    hours, _, minutes = str(value).partition(":")
    return dt.time(int(hours), int(minutes or 0))


def unit_label(unit: str | None) -> str:
    """'ngày làm việc', 'ngày', … or 'không rõ đơn vị'."""
    if unit == TimeLimitUnit.CALENDAR_DAYS:
        return "ngày theo lịch"  # beside "ngày làm việc", a bare "ngày" reads ambiguous
    if unit in TimeLimitUnit.values:
        return str(TimeLimitUnit(unit).label)
    return "không rõ đơn vị"


def reading_text(reading: dict[str, Any] | None) -> str:
    """A channel's limit in words: '7 ngày', 'trong ngày (nhận sau 15:00: ngày làm việc sau)'."""
    if not reading or not reading.get("unit"):
        amount = (reading or {}).get("amount")
        return f"{amount} (không rõ đơn vị)" if amount else "chưa xác định"
    if reading["unit"] == TimeLimitUnit.SAME_DAY:
        if reading.get("cutoff"):
            return (
                f"trong ngày (nhận sau {reading['cutoff']} thì trả trong ngày làm việc tiếp theo)"
            )
        return "trong ngày"
    return f"{reading.get('amount')} {unit_label(reading['unit'])}"


def spec_time_limit(content: dict[str, Any] | None, channel: str) -> dict[str, Any] | None:
    """The Dossier limit fields (`time_limit_amount/unit`, `same_day_cutoff`,
    `clock_start_event`) that a confirmed spec in a version's `content` gives `channel`;
    None when the version has no confirmed reading for it."""
    content = content or {}
    spec = content.get("time_limit_spec") or {}
    if not content.get("time_limit_confirmed", False):
        return None
    reading = channel_limit(spec, channel)
    if not reading or not reading.get("unit"):
        return None
    return {
        "time_limit_amount": reading.get("amount"),
        "time_limit_unit": reading["unit"],
        "same_day_cutoff": parse_cutoff(reading.get("cutoff")),
        "clock_start_event": (spec.get("start_event") or "")[:255],
    }


def frozen_time_limit(
    procedure: Any, content: dict[str, Any] | None, channel: str
) -> dict[str, Any]:
    """What a dossier of `channel` freezes: the confirmed spec's reading of its channel, else
    the procedure's single limit (`time_limit_amount/unit`, `same_day_cutoff`)."""
    return spec_time_limit(content, channel) or {
        "time_limit_amount": procedure.time_limit_amount,
        "time_limit_unit": procedure.time_limit_unit,
        "same_day_cutoff": procedure.same_day_cutoff,
        "clock_start_event": "",
    }
