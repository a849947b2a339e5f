"""Plain-text rendering of statistics (`--format table`)."""

from __future__ import annotations

from motcua.stats.figures import Figures
from motcua.stats.selectors import Statistics

COLUMNS = [
    ("Tiếp nhận", lambda f: f.received),
    ("Kỳ trước", lambda f: f.carried_over),
    ("Trực tuyến", lambda f: f.new_online),
    ("Trực tiếp", lambda f: f.new_direct),
    ("Bưu chính", lambda f: f.new_postal),
    ("Trước hạn", lambda f: f.early),
    ("Đúng hạn", lambda f: f.on_time),
    ("Quá hạn", lambda f: f.late),
    ("Trả lại", lambda f: f.refused),
    ("Rút/dừng", lambda f: f.withdrawn),
    ("Trong hạn", lambda f: f.within_deadline),
    ("Đang quá hạn", lambda f: f.overdue),
]


def as_table(stats: Statistics) -> str:
    """A readable fixed-width table: one line per row and the total."""
    lines: list[tuple[str, Figures]] = [(r.name, r.figures) for r in stats.rows]
    lines.append((f"Tổng: {stats.unit.name}", stats.total))
    width = min(max(len(name) for name, _ in lines), 48)
    head = f"{'':<{width}} " + " ".join(f"{c:>12}" for c, _ in COLUMNS)
    out = [
        f"Thống kê hồ sơ — {stats.period.label}",
        f"Đơn vị: {stats.unit.name} ({stats.unit.code})"
        + (" — quy về đơn vị hiện nay" if stats.as_current else ""),
        "",
        head,
        "-" * len(head),
    ]
    for name, figures in lines:
        label = name if len(name) <= width else name[: width - 1] + "…"
        out.append(f"{label:<{width}} " + " ".join(f"{fn(figures):>12}" for _, fn in COLUMNS))
    t = stats.total
    out += [
        "",
        f"Tỷ lệ trực tuyến: {t.blocks()['rates']['online_share']:.2f}% · "
        f"Giải quyết trước và đúng hạn: {t.blocks()['rates']['resolved_on_time_or_early']:.2f}%",
    ]
    return "\n".join(out)
