"""Plain-text rendering of feedback statistics (`motcua stats feedback --format table`)."""

from __future__ import annotations

from collections.abc import Callable

from motcua.feedback.choices import Channel, Subject
from motcua.stats.feedback import UNCLASSIFIED, FeedbackFigures, FeedbackStatistics

COLUMNS: list[tuple[str, Callable[[FeedbackFigures], int]]] = [
    ("Kỳ trước", lambda f: f.carried_over),
    ("Tiếp nhận", lambda f: f.received),
    ("Giải quyết", lambda f: f.resolved),
    ("Đúng hạn", lambda f: f.resolved_on_time),
    ("Trễ hạn", lambda f: f.resolved_late),
    ("Chuyển", lambda f: f.forwarded),
    ("Hướng dẫn", lambda f: f.redirected),
    ("Từ chối", lambda f: f.refused),
    ("Đang trong hạn", lambda f: f.open_in_time),
    ("Đang quá hạn", lambda f: f.open_overdue),
]


def percent(value: float | None) -> str:
    """A rate as printed: `—` when its denominator is 0."""
    return "—" if value is None else f"{value:.2f}%"


def feedback_table(stats: FeedbackStatistics) -> str:
    """A readable fixed-width table: one line per row (with rates and rank), then the total."""
    lines: list[tuple[str, FeedbackFigures, str]] = [
        (r.name, r.figures, str(r.rank) if r.rank is not None else "—") for r in stats.rows
    ]
    lines.append((f"Tổng: {stats.unit.name}", stats.total, ""))
    width = min(max(len(name) for name, _, _ in lines), 48)
    head = (
        f"{'':<{width}} "
        + " ".join(f"{c:>14}" for c, _ in COLUMNS)
        + f" {'Tỷ lệ GQ':>10} {'Đúng hạn 766':>12} {'Hạng':>5}"
    )
    out = [
        f"Thống kê phản ánh, kiến nghị — {stats.period.label}",
        f"Đơn vị: {stats.unit.name} ({stats.unit.code})"
        + (" — quy về đơn vị hiện nay" if stats.as_current else ""),
        "",
        head,
        "-" * len(head),
    ]
    for name, figures, rank in lines:
        label = name if len(name) <= width else name[: width - 1] + "…"
        rates = figures.rates()
        out.append(
            f"{label:<{width}} "
            + " ".join(f"{fn(figures):>14}" for _, fn in COLUMNS)
            + f" {percent(rates['resolution']):>10} {percent(rates['on_time']):>12} {rank:>5}"
        )
    t = stats.total
    out += [
        "",
        f"Kỳ trước {t.carried_over} + tiếp nhận {t.received} = giải quyết {t.resolved} + chuyển "
        f"{t.forwarded} + hướng dẫn {t.redirected} + từ chối {t.refused} + đang trong hạn "
        f"{t.open_in_time} + đang quá hạn {t.open_overdue}",
        "Tiếp nhận theo kênh: "
        + ", ".join(f"{Channel(c).label} {n}" for c, n in t.by_channel.items() if n)
        if t.received
        else "Tiếp nhận theo kênh: —",
        "Tiếp nhận theo loại nội dung: "
        + ", ".join(
            f"{'Chưa phân loại' if s == UNCLASSIFIED else Subject(s).label} {n}"
            for s, n in t.by_subject.items()
            if n
        )
        if t.received
        else "Tiếp nhận theo loại nội dung: —",
    ]
    if stats.rows:
        out.append(
            f"Chỉ xếp hạng khi có ít nhất {stats.ranking_min} phản ánh (kỳ trước + tiếp nhận)."
        )
    return "\n".join(out)
