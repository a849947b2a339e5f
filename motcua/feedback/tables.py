"""The columns of the officer's feedback queue (phản ánh, kiến nghị), declared once.

Same small declarative table as `motcua.dossiers.tables`: each column names its header and how
a cell is computed from an item; the template loops over `table.header` and `table.rows`.
Cells read only the row and its `select_related` neighbours, so a page costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.tables import Cell, format_local
from motcua.feedback.choices import OPEN_STATES, FeedbackState
from motcua.feedback.models import Feedback
from motcua.lib.durations import days_text, hours_text, minutes_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TITLE_CHARS = 60
# A due closer than this is shown as "sắp đến hạn".
SOON = dt.timedelta(days=2)


def rough_duration(delta: dt.timedelta) -> str:
    """Calendar time in its largest unit: '3 ngày', '5 giờ', '20 phút'."""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes >= 24 * 60:
        return days_text(minutes // (24 * 60))
    if minutes >= 60:
        return hours_text(minutes // 60)
    return minutes_text(minutes)


def due_of(item: Feedback) -> tuple[dt.datetime | None, StrOrPromise]:
    """The deadline that matters in the item's state, and its name.

    Open items run against the 15-working-day handling limit (766); an approved answer against
    the 2-day publication limit. Other states have no running deadline.
    """
    if item.state in OPEN_STATES:
        return item.handle_due, _("hạn xử lý")
    if item.state == FeedbackState.ANSWER_APPROVED and not item.do_not_publish:
        return item.publish_due, _("hạn công khai")
    return None, ""


def deadline_badge(item: Feedback, now: dt.datetime) -> Cell:
    """'còn 3 ngày' / 'quá hạn 2 ngày' / 'vượt định mức 1 ngày' against the running deadline."""
    due, name = due_of(item)
    if due is None:
        return Cell("—")
    if due < now:
        late = gettext("quá hạn %(duration)s") % {"duration": rough_duration(now - due)}
        return Cell(late, css="badge badge-late", title=f"{name} {format_local(due)}")
    if item.state in OPEN_STATES and item.norm_due is not None and item.norm_due < now:
        over = gettext("vượt định mức %(duration)s") % {
            "duration": rough_duration(now - item.norm_due)
        }
        return Cell(over, css="badge badge-soon", title=f"{name} {format_local(due)}")
    css = "badge badge-soon" if due - now <= SOON else "badge badge-ok"
    left = gettext("còn %(duration)s") % {"duration": rough_duration(due - now)}
    return Cell(left, css=css, title=f"{name} {format_local(due)}")


def _dues(item: Feedback, now: dt.datetime) -> Cell:
    """The norm due and the 766 handling due, both in local time."""
    if item.state not in OPEN_STATES:
        due, name = due_of(item)
        return Cell(f"{name} {format_local(due)}" if due else "—")
    norm = format_local(item.norm_due) if item.norm_due else "—"
    return Cell(
        f"{norm} / {format_local(item.handle_due)}",
        title=gettext("hạn theo định mức / hạn xử lý 15 ngày làm việc"),
    )


@dataclass(frozen=True)
class Column:
    """One column: its header and the function giving a cell for an item."""

    name: str
    header: StrOrPromise
    cell: Callable[[Feedback, dt.datetime], Cell]


def _code(f: Feedback, now: dt.datetime) -> Cell:
    return Cell(f.code, href=reverse("feedback:detail", args=[f.code]))


def _title(f: Feedback, now: dt.datetime) -> Cell:
    return Cell(Truncator(f.title).chars(TITLE_CHARS), title=f.title)


def _unit(f: Feedback, now: dt.datetime) -> Cell:
    return Cell(f.unit.name, title=f.unit.code)


def _handler(f: Feedback, now: dt.datetime) -> Cell:
    return Cell(str(f.handler) if f.handler_id else "—")


@dataclass
class FeedbackTable:
    """Queue columns: code, received, channel, title, unit, handler, dues, badge, state."""

    items: Iterable[Feedback]
    now: dt.datetime = field(default_factory=timezone.now)
    columns: tuple[Column, ...] = (
        Column("code", _("Mã phản ánh"), _code),
        Column(
            "received",
            pgettext_lazy("column", "Tiếp nhận"),
            lambda f, now: Cell(format_local(f.received_at)),
        ),
        Column("channel", _("Kênh"), lambda f, now: Cell(f.get_channel_display())),
        Column("title", _("Tiêu đề"), _title),
        Column("unit", _("Đơn vị xử lý"), _unit),
        Column("handler", _("Người xử lý"), _handler),
        Column("due", _("Hạn định mức / hạn xử lý"), _dues),
        Column("remaining", _("Còn lại / quá hạn"), deadline_badge),
        Column("state", _("Trạng thái"), lambda f, now: Cell(f.get_state_display())),
    )

    @property
    def header(self) -> list[str]:
        """Column headers (in the active language)."""
        return [str(c.header) for c in self.columns]

    @property
    def rows(self) -> list[list[Cell]]:
        """One list of cells per item."""
        return [[c.cell(f, self.now) for c in self.columns] for f in self.items]

    def as_dicts(self) -> list[dict[str, Any]]:
        """Rows keyed by column name (for exports and tests)."""
        return [{c.name: c.cell(f, self.now).text for c in self.columns} for f in self.items]
