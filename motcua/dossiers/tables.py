"""The columns of the dossier list (work queue), declared once.

A small declarative table rather than a package: each column names its header and how a
cell is computed from a dossier; the template only loops over `table.header` and `rows`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import RECEIVED_OPEN_STATES
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import is_overdue
from motcua.lib.durations import calendar_duration

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


def deadline_badge(dossier: Dossier, now: dt.datetime) -> Cell:
    """'còn …' / 'quá hạn …' / 'tạm dừng' (calendar time to the statutory due)."""
    if dossier.state not in RECEIVED_OPEN_STATES:
        return Cell(dossier.get_state_display() if dossier.finished_at else "—", css="badge")
    if dossier.statutory_due is None:
        return Cell(
            gettext("tạm dừng"),
            css="badge badge-paused",
            title=gettext("đang tạm dừng tính thời hạn"),
        )
    delta = (dossier.statutory_due - now).total_seconds() / 60
    if is_overdue(dossier, now):
        text = gettext("quá hạn %(duration)s") % {"duration": calendar_duration(-delta)}
        return Cell(text, css="badge badge-late")
    css = "badge badge-soon" if delta <= 2 * 24 * 60 else "badge badge-ok"
    return Cell(gettext("còn %(duration)s") % {"duration": calendar_duration(delta)}, css=css)


@dataclass(frozen=True)
class Column:
    """One column: its header and the function giving a cell for a dossier."""

    name: str
    header: StrOrPromise
    cell: Callable[[Dossier, dt.datetime], Cell]


def _code(d: Dossier, now: dt.datetime) -> Cell:
    return Cell(d.code or "—", href=reverse("dossiers:detail", args=[d.code]) if d.code else "")


def _applicant(d: Dossier, now: dt.datetime) -> Cell:
    phone = d.masked_phone
    return Cell(d.applicant_name + (f" ({phone})" if phone else ""))


@dataclass
class DossierTable:
    """Work queue columns: code, procedure, applicant, state, received, due, badge."""

    dossiers: Iterable[Dossier]
    now: dt.datetime = field(default_factory=timezone.now)
    columns: tuple[Column, ...] = (
        Column("code", _("Mã hồ sơ"), _code),
        Column(
            "procedure",
            _("Thủ tục"),
            lambda d, now: Cell(d.procedure.name, title=d.procedure.code),
        ),
        Column("applicant", _("Người nộp"), _applicant),
        Column("state", _("Trạng thái"), lambda d, now: Cell(d.get_state_display())),
        Column(
            "received",
            pgettext_lazy("column", "Tiếp nhận"),
            lambda d, now: Cell(format_local(d.received_at)),
        ),
        Column("due", _("Hạn giải quyết"), lambda d, now: Cell(format_local(d.statutory_due))),
        Column("remaining", _("Còn lại / quá hạn"), deadline_badge),
    )

    @property
    def header(self) -> list[str]:
        """Column headers (in the active language)."""
        return [str(c.header) for c in self.columns]

    @property
    def rows(self) -> list[list[Cell]]:
        """One list of cells per dossier."""
        return [[c.cell(d, self.now) for c in self.columns] for d in self.dossiers]

    def as_dicts(self) -> list[dict[str, Any]]:
        """Rows keyed by column name (for exports and tests)."""
        return [{c.name: c.cell(d, self.now).text for c in self.columns} for d in self.dossiers]
