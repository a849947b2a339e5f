"""The columns of the dossier list (work queue), declared once.

A small declarative table rather than a package: each column names its header and how a
cell is computed from a dossier; the template only loops over `table.header` and `rows`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import RECEIVED_OPEN_STATES, State
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    DUE_SOON_WORKING_DAYS,
    WORKING_STATES,
    due_soon_limit,
    is_overdue,
    minutes_left,
    queue_place,
)
from motcua.lib.durations import remaining_working_text
from motcua.workcalendar.engine import DAY_MINUTES, WorkCalendar
from motcua.workcalendar.selectors import get_calendar, get_calendars

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def format_local(t: dt.datetime | None) -> str:
    """'dd/mm/yyyy HH:MM' in Vietnam time, or an em dash."""
    if t is None:
        return "—"
    return f"{timezone.localtime(t):%d/%m/%Y %H:%M}"


@dataclass
class Cell:
    """A rendered cell: text, an optional link and CSS class."""

    text: str
    href: str = ""
    css: str = ""
    title: str = ""
    # Set by the table: the column header (shown before the value when rows stack on a phone)
    # and the column name (a CSS hook: `cell-code`, `cell-procedure`, ...).
    label: str = ""
    column: str = ""

    @property
    def html(self) -> SafeString:
        """The `<td>` of the work queue (what `_queue_table.html` wrote with template tags,
        built here: 200 cells a page cost the template engine ~15 ms, issue 16)."""
        e = conditional_escape
        title = f' title="{e(self.title)}"' if self.title else ""
        if self.href:
            inner = f'<a href="{e(self.href)}">{e(self.text)}</a>'
        elif self.css:
            inner = f'<span class="{e(self.css)}"{title}>{e(self.text)}</span>'
        else:
            inner = f"<span{title}>{e(self.text)}</span>"
        return mark_safe(  # noqa: S308 — every value escaped above
            f'<td class="cell-{e(self.column)}" data-label="{e(self.label)}">{inner}</td>'
        )


def deadline_badge(
    dossier: Dossier, now: dt.datetime, calendar: WorkCalendar | None = None
) -> Cell:
    """'còn 2 ngày 3 giờ làm việc' / 'quá hạn …' / 'tạm dừng' — the dossier page's figure.

    Working time to the statutory due on the receiving unit's calendar, worded by the one
    function the dossier page uses (`remaining_working_text`).
    """
    if dossier.state == State.RESOLVED:
        # Not the state again (the row shows it): what the desk still has to do.
        return Cell(gettext("chờ trả kết quả"), css="badge")
    if dossier.state not in RECEIVED_OPEN_STATES:
        return Cell(dossier.get_state_display() if dossier.finished_at else "—", css="badge")
    if dossier.statutory_due is None:
        left = remaining_working_text(dossier.remaining_minutes, DAY_MINUTES)
        return Cell(
            gettext("tạm dừng") + (f" · {left}" if left else ""),
            css="badge badge-paused",
            title=gettext("đang tạm dừng tính thời hạn"),
        )
    cal = calendar or get_calendar(dossier.receiving_unit)
    minutes = minutes_left(cal, dossier.statutory_due, now)
    text = remaining_working_text(minutes, DAY_MINUTES)
    if is_overdue(dossier, now):
        return Cell(text, css="badge badge-late")
    css = "badge badge-soon" if minutes <= DUE_SOON_WORKING_DAYS * DAY_MINUTES else "badge badge-ok"
    return Cell(text, css=css)


@dataclass(frozen=True)
class Column:
    """One column: its header and the function giving a cell for a dossier."""

    name: str
    header: StrOrPromise
    cell: Callable[..., Cell]
    # Cells that need the table (calendars, the searching user) get it as a third argument.
    needs_table: bool = False


def _code(d: Dossier, now: dt.datetime, table: DossierTable) -> Cell:
    return Cell(d.code or "—", href=table.detail_url(d.code) if d.code else "")


def _state(d: Dossier, now: dt.datetime, table: DossierTable) -> Cell:
    return Cell(table.state_labels.get(d.state) or d.get_state_display())


def _applicant(d: Dossier, now: dt.datetime) -> Cell:
    phone = d.masked_phone
    return Cell(d.applicant_name + (f" ({phone})" if phone else ""))


def _assignee(d: Dossier, now: dt.datetime) -> Cell:
    if d.assignee_id is None:
        still_worked = d.state in WORKING_STATES or d.state == State.RESOLVED
        return Cell(gettext("chưa giao"), css="muted") if still_worked else Cell("—")
    return Cell(str(d.assignee))


def _remaining(d: Dossier, now: dt.datetime, table: DossierTable) -> Cell:
    return deadline_badge(d, now, table.calendar_of(d))


def _place(d: Dossier, now: dt.datetime, table: DossierTable) -> Cell:
    return Cell(queue_place(d, user=table.user, now=now, soon=table.soon))


PLACE = Column("place", _("Ở nhóm"), _place, needs_table=True)
ASSIGNEE = Column("assignee", _("Người được giao"), _assignee)


@dataclass
class DossierTable:
    """Work queue columns: code, procedure, applicant, state, received, due, badge, officer.

    With `search`, a column says which queue tab each found dossier sits in (`user` needed);
    `with_assignee` adds the officer the dossier is assigned to (the work queue).
    """

    dossiers: Iterable[Dossier]
    now: dt.datetime = field(default_factory=timezone.now)
    user: Any = None
    search: bool = False
    with_assignee: bool = False
    calendars: dict[int, WorkCalendar] | None = None
    columns: tuple[Column, ...] = (
        Column("code", _("Mã hồ sơ"), _code, needs_table=True),
        Column(
            "procedure",
            _("Thủ tục"),
            lambda d, now: Cell(d.procedure.name, title=d.procedure.code),
        ),
        Column("applicant", _("Người nộp"), _applicant),
        Column("state", _("Trạng thái"), _state, needs_table=True),
        Column(
            "received",
            pgettext_lazy("column", "Tiếp nhận"),
            lambda d, now: Cell(format_local(d.received_at)),
        ),
        Column("due", _("Hạn giải quyết"), lambda d, now: Cell(format_local(d.statutory_due))),
        Column(
            "remaining",
            _("Còn lại / quá hạn"),
            _remaining,
            needs_table=True,
        ),
    )

    def __post_init__(self) -> None:
        self.dossiers = list(self.dossiers)
        if self.search:
            self.columns = (*self.columns[:4], PLACE, *self.columns[4:])
        if self.with_assignee:
            self.columns = (*self.columns, ASSIGNEE)

    @cached_property
    def soon(self) -> dt.datetime:
        """The end of the "due soon" window (for the search's tab column)."""
        return due_soon_limit(self.now)

    def calendar_of(self, dossier: Dossier) -> WorkCalendar:
        """The receiving unit's calendar; those of every row are read once, in two queries."""
        if self.calendars is None:
            self.calendars = get_calendars(d.receiving_unit for d in self.dossiers)
        cal = self.calendars.get(dossier.receiving_unit_id)
        return cal if cal is not None else get_calendar(dossier.receiving_unit)

    def _cell(self, column: Column, dossier: Dossier) -> Cell:
        if column.needs_table:
            return column.cell(dossier, self.now, self)
        return column.cell(dossier, self.now)

    @cached_property
    def state_labels(self) -> dict[str, str]:
        """Each state's label in the active language, translated once per table."""
        return {value: str(label) for value, label in State.choices}

    @cached_property
    def _detail_prefix(self) -> str:
        marker = "0"
        url = reverse("dossiers:detail", args=[marker])
        return url[: -len(marker) - 1]

    def detail_url(self, code: str) -> str:
        """The dossier page of `code`, as `reverse()` gives it, with one `reverse()` per table."""
        return f"{self._detail_prefix}{quote(code, safe=RFC3986_SUBDELIMS + '~:@')}/"

    @cached_property
    def _labels(self) -> dict[str, str]:
        # Each header translated once per table, not once per cell (200 lazy strings a page).
        return {c.name: str(c.header) for c in self.columns}

    def _labelled(self, column: Column, dossier: Dossier) -> Cell:
        cell = self._cell(column, dossier)
        cell.label = self._labels[column.name]
        cell.column = column.name
        return cell

    @property
    def header(self) -> list[str]:
        """Column headers (in the active language)."""
        return [self._labels[c.name] for c in self.columns]

    @cached_property
    def rows(self) -> list[list[Cell]]:
        """One list of cells per dossier."""
        return [[self._labelled(c, d) for c in self.columns] for d in self.dossiers]

    @cached_property
    def html_rows(self) -> list[SafeString]:
        """One `<tr>` per dossier, its cells escaped (`Cell.html`)."""
        return [
            mark_safe("<tr>" + "".join(cell.html for cell in row) + "</tr>")  # noqa: S308
            for row in self.rows
        ]

    def as_dicts(self) -> list[dict[str, Any]]:
        """Rows keyed by column name (for exports and tests)."""
        return [{c.name: self._cell(c, d).text for c in self.columns} for d in self.dossiers]
