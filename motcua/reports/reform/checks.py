"""Consistency checks of a reform report (reports.md §4). Pure: figures in, findings out.

A finding is `{"level": "error" | "warning", "message": <Vietnamese>, "figures": [keys]}`.
Errors block approval; warnings need a note (`services.approve_report`).

1. **Identities** (received = new + carried over, …), evaluated within each data window: a
   broken one names both sides and their difference (seed 000: 184.027 received against
   152.104 + 10.277 = 162.381, difference 21.646; 122.098 resolved against 104.695 + 16.903 +
   1.310 = 122.908, difference 810).
2. **Totals = sum of rows** for a figure carrying rows (a parent unit = its children).
3. **Percentages recomputed** from their counts with the one rounding rule (half-up, as
   `stats.figures.rate`): equal → fine; within 10^-d of the exact value → "rounding differs"
   warning (seed 004: 90,55% for 1.506/1.663 = 90,559…%); otherwise an error.
4. **One figure, one value**: a key with two values in one window is an error.
5. **One window**: a figure of kind "period" must cover the report's window.
6. **Numbering and labels**: parts I, II, III … and items 1, 2, 3 … consecutive; a heading
   that names the current or next period names the right one.
7. **Free-text numbers** in the written text are listed for the reviewer (a warning); numbers
   written as references `{{key}}` are figures, not typed copies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from motcua.reports.choices import ERROR, WARNING

ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def vn_number(value: Any, decimals: int | None = None) -> str:
    """Vietnamese number format: 184.027; 51,20 (thousands with '.', decimals with ',')."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    number = Decimal(str(value))
    if decimals is None:
        exponent = int(number.as_tuple().exponent)
        decimals = 0 if number == number.to_integral_value() else max(0, -exponent)
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def finding(level: str, message: str, figures: Iterable[str] = ()) -> dict[str, Any]:
    """One finding of the contract."""
    return {"level": level, "message": message, "figures": list(dict.fromkeys(figures))}


@dataclass(frozen=True)
class Identity:
    """left = right: `left` keys summed against `right` keys (missing optional keys are 0)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    # all keys optional, but at least one of `right` must be present
    any_right: bool = False


IDENTITIES: tuple[Identity, ...] = (
    Identity(("dossiers.received",), ("dossiers.carried_over", "dossiers.new")),
    Identity(
        ("dossiers.new",),
        ("dossiers.new_online", "dossiers.new_direct", "dossiers.new_postal"),
        frozenset({"dossiers.new_postal"}),
    ),
    Identity(
        ("dossiers.received",),
        ("dossiers.resolved", "dossiers.refused", "dossiers.withdrawn", "dossiers.pending"),
        frozenset({"dossiers.refused", "dossiers.withdrawn"}),
    ),
    Identity(("dossiers.resolved",), ("dossiers.early", "dossiers.on_time", "dossiers.late")),
    Identity(("dossiers.pending",), ("dossiers.pending_in_time", "dossiers.pending_overdue")),
    Identity(
        ("procedures.total",),
        ("procedures.province", "procedures.district", "procedures.commune", "procedures.other"),
        frozenset({"procedures.other"}),
    ),
    Identity(
        ("tasks.in_scope",),
        (
            "tasks.done_on_time",
            "tasks.done_late",
            "tasks.reported_done",
            "tasks.in_progress_not_due",
            "tasks.overdue",
            "tasks.no_deadline",
            "tasks.cancelled",
        ),
        any_right=True,
    ),
    Identity(
        ("feedback.carried_over", "feedback.received"),
        (
            "feedback.resolved",
            "feedback.forwarded",
            "feedback.redirected",
            "feedback.refused",
            "feedback.open",
        ),
        frozenset({"feedback.forwarded", "feedback.redirected", "feedback.refused"}),
    ),
    Identity(("feedback.resolved",), ("feedback.resolved_on_time", "feedback.resolved_late")),
    Identity(
        ("reports.due",),
        ("reports.on_time", "reports.late", "reports.not_sent"),
    ),
    Identity(("budget.available",), ("budget.allocated", "budget.carried_over")),
    Identity(("budget.available",), ("budget.autonomous", "budget.non_autonomous")),
)


def window_of(figure: Mapping[str, Any]) -> tuple[str, ...]:
    """A hashable signature of a figure's data window (figures are compared within one)."""
    w = figure.get("window") or {}
    kind = str(w.get("kind", "period"))
    if kind == "as_of":
        return (kind, str(w.get("as_of", "")))
    if kind == "year":
        return (kind, str(w.get("year", "")))
    return (kind, str(w.get("from", "")), str(w.get("to", "")))


def window_words(figure: Mapping[str, Any]) -> str:
    """'từ 15/06/2023 đến 14/09/2023', 'tính đến 14/09/2023' or 'năm 2022'."""
    w = figure.get("window") or {}
    if w.get("kind") == "as_of":
        return f"tính đến ngày {_day(w.get('as_of'))}"
    if w.get("kind") == "year":
        return f"năm {w.get('year')}"
    return f"từ {_day(w.get('from'))} đến {_day(w.get('to'))}"


def _day(raw: Any) -> str:
    try:
        return dt.date.fromisoformat(str(raw)).strftime("%d/%m/%Y")
    except ValueError:
        return str(raw)


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _sum(group: Mapping[str, Mapping[str, Any]], keys: Iterable[str]) -> Decimal:
    return sum((_number(group[k]["value"]) or Decimal(0) for k in keys), Decimal(0))


def check_identities(figures: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """§4.1: every identity whose figures are present, within each data window."""
    found: list[dict[str, Any]] = []
    groups: dict[tuple[str, ...], dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for f in figures:
        groups[window_of(f)].setdefault(str(f["key"]), f)
    for group in groups.values():
        for identity in IDENTITIES:
            keys = identity.left + identity.right
            present = {k for k in keys if k in group and _number(group[k].get("value")) is not None}
            if any(k not in present for k in identity.left):
                continue
            if identity.any_right:
                if not present & set(identity.right):
                    continue
            elif any(k not in present and k not in identity.optional for k in identity.right):
                continue
            used = [k for k in identity.right if k in present]
            left = _sum(group, identity.left)
            right = _sum(group, used)
            if left == right:
                continue
            sample = group[identity.left[0]]
            found.append(
                finding(
                    ERROR,
                    "{left} = {lv} nhưng {right} = {rv}: chênh lệch {diff} (số liệu {win}).".format(
                        left=" + ".join(str(group[k]["label"]) for k in identity.left),
                        lv=vn_number(left),
                        right=" + ".join(str(group[k]["label"]) for k in used),
                        rv=vn_number(right),
                        diff=vn_number(abs(left - right)),
                        win=window_words(sample),
                    ),
                    [*identity.left, *used],
                )
            )
    return found


def check_rows(figures: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """§4.2: a figure with rows equals the sum of its rows."""
    found = []
    for f in figures:
        rows = f.get("rows") or []
        total = _number(f.get("value"))
        if not rows or total is None:
            continue
        summed = sum((_number(r.get("value")) or Decimal(0) for r in rows), Decimal(0))
        if summed != total:
            found.append(
                finding(
                    ERROR,
                    f"{f['label']} = {vn_number(total)} nhưng tổng các dòng = "
                    f"{vn_number(summed)}: chênh lệch {vn_number(abs(total - summed))}.",
                    [str(f["key"])],
                )
            )
    return found


def half_up(value: Decimal, decimals: int) -> Decimal:
    """The project's rounding rule (statistics.md §4): half-up to `decimals` places."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def check_percentages(figures: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """§4.3: a percentage printed with d decimals against its counts."""
    found = []
    for f in figures:
        if f.get("measure") != "percent":
            continue
        printed = _number(f.get("value"))
        num, den = f.get("numerator"), f.get("denominator")
        if printed is None or num is None or not den:
            continue
        decimals = f.get("decimals")
        if decimals is None:
            decimals = max(0, -int(printed.as_tuple().exponent))
        exact = Decimal(100) * Decimal(num) / Decimal(den)
        expected = half_up(exact, int(decimals))
        if printed == expected:
            continue
        counts = f"{vn_number(num)}/{vn_number(den)}"
        words = (
            f"{f['label']}: ghi {vn_number(printed, decimals)}% nhưng {counts} = "
            f"{vn_number(expected, decimals)}% (làm tròn nửa lên, {decimals} chữ số thập phân)"
        )
        if abs(printed - exact) < Decimal(1).scaleb(-int(decimals)):
            found.append(finding(WARNING, f"{words}: làm tròn khác.", [str(f["key"])]))
        else:
            found.append(finding(ERROR, f"{words}: sai số liệu.", [str(f["key"])]))
    return found


def check_one_value(figures: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """§4.4: one figure (key and window) has one value."""
    values: dict[tuple[str, tuple[str, ...]], list[Any]] = defaultdict(list)
    labels: dict[str, str] = {}
    for f in figures:
        key = str(f["key"])
        labels[key] = str(f["label"])
        slot = values[(key, window_of(f))]
        if f.get("value") not in slot:
            slot.append(f.get("value"))
    found = []
    for (key, _window), seen in values.items():
        if len(seen) > 1:
            found.append(
                finding(
                    ERROR,
                    f"{labels[key]} có {len(seen)} giá trị khác nhau: "
                    f"{', '.join(vn_number(v) for v in seen)}. Một số liệu chỉ có một giá trị.",
                    [key],
                )
            )
    return found


def check_window(
    figures: Sequence[Mapping[str, Any]], first: dt.date, last: dt.date
) -> list[dict[str, Any]]:
    """§4.5: every figure of kind "period" covers the report's data window."""
    odd: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in figures:
        w = f.get("window") or {}
        if w.get("kind", "period") != "period":
            continue
        span = (str(w.get("from")), str(w.get("to")))
        if span != (first.isoformat(), last.isoformat()):
            odd[span].append(str(f["key"]))
    return [
        finding(
            ERROR,
            f"{len(keys)} số liệu tính từ {_day(span[0])} đến {_day(span[1])}, khác kỳ số liệu "
            f"của báo cáo (từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}): một báo cáo chỉ có một kỳ "
            "số liệu, trừ số liệu ghi rõ kỳ khác.",
            keys,
        )
        for span, keys in odd.items()
    ]


_PERIOD_MENTION = re.compile(
    r"(quý\s+(?:I{1,3}|IV)\b(?:\s+năm\s+\d{4})?|6\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?"
    r"|tháng\s+\d{1,2}\s+năm\s+\d{4}|năm\s+\d{4})",
    re.IGNORECASE,
)


def check_numbering(
    sections: Sequence[Mapping[str, Any]], expected: Mapping[str, str]
) -> list[dict[str, Any]]:
    """§4.6: consecutive numbers; a heading naming a period names `expected[period_ref]`.

    `sections` are the report's rendered sections (`number`, `heading`, `children`,
    `period_ref`); `expected` maps "current"/"next" to the words of those periods.
    """
    found: list[dict[str, Any]] = []

    def visit(items: list[Mapping[str, Any]], roman: bool, where: str) -> None:
        numbered = [s for s in items if str(s.get("number", ""))]
        for position, section in enumerate(numbered, start=1):
            number = str(section["number"])
            want = ROMANS[position - 1] if roman and position <= len(ROMANS) else str(position)
            if number != want:
                found.append(
                    finding(
                        ERROR,
                        f"Đánh số không liên tục{where}: mục “{number}. "
                        f"{section.get('heading', '')}” lẽ ra là “{want}.”.",
                    )
                )
        for section in items:
            ref = str(section.get("period_ref") or "")
            text = str(section.get("heading", ""))
            if ref in expected:
                mentions = _PERIOD_MENTION.findall(text)
                right = expected[ref].lower()
                for mention in mentions:
                    words = " ".join(mention.lower().split())
                    if words not in right:
                        found.append(
                            finding(
                                ERROR,
                                f"Tiêu đề “{text}” nêu “{mention}” nhưng kỳ "
                                f"{'tới' if ref == 'next' else 'báo cáo'} là {expected[ref]}.",
                            )
                        )
            children = list(section.get("children") or [])
            if children:
                visit(children, False, f" trong mục {section.get('number', '')}")

    visit(list(sections), True, "")
    return found


_REFERENCE = re.compile(r"\{\{\s*[\w.]+\s*\}\}")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
_SYMBOL = re.compile(r"\b\d+/(?:\d{4}/)?[A-ZĐ][\w.-]*")  # 166/BC-VPUBND, 30/2020/NĐ-CP
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?%?|(?<![\w.,/])\d+(?:,\d+)?%?")
_YEAR = re.compile(r"^(19|20)\d{2}$")


def free_text_numbers(text: str) -> list[str]:
    """The numbers typed in a narrative (references, dates, years and symbols left out)."""
    text = _REFERENCE.sub(" ", text)
    text = _SYMBOL.sub(" ", text)
    text = _DATE.sub(" ", text)
    numbers = []
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        if _YEAR.match(token):
            continue
        numbers.append(token)
    return numbers


def check_free_text(texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """§4.7: numbers typed in the narrative, listed for the reviewer."""
    found = []
    for key, text in texts.items():
        numbers = free_text_numbers(str(text or ""))
        if numbers:
            found.append(
                finding(
                    WARNING,
                    f"Mục {key} có số gõ trong lời văn: {', '.join(numbers)}. Hãy dẫn chiếu số "
                    "liệu của báo cáo ({{mã số liệu}}) hoặc kiểm tra lại nguồn.",
                )
            )
    return found


def run_checks(
    figures: Sequence[Mapping[str, Any]],
    *,
    first: dt.date,
    last: dt.date,
    sections: Sequence[Mapping[str, Any]] | None = None,
    expected: Mapping[str, str] | None = None,
    texts: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every check of §4; errors first."""
    found = [
        *check_identities(figures),
        *check_rows(figures),
        *check_percentages(figures),
        *check_one_value(figures),
        *check_window(figures, first, last),
        *check_numbering(sections or [], expected or {}),
        *check_free_text(texts or {}),
    ]
    return sorted(found, key=lambda f: f["level"] != ERROR)


def has_errors(findings: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any finding blocks approval."""
    return any(f.get("level") == ERROR for f in findings)


def has_warnings(findings: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any finding needs a note at approval."""
    return any(f.get("level") == WARNING for f in findings)
