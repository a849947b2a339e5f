"""Whether a procedure can be received today — thủ tục còn tiếp nhận được hay không.

A procedure whose validity has ended ("hết hiệu lực") or that has no receiving unit in force
("chưa có nơi tiếp nhận") is still shown on the portal, marked as such, but never offered:
no online submission, no appointment. The counter's intake search applies the same validity
rule through `procedures.search.receivable_at`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from motcua.procedures.models import Procedure
from motcua.procedures.search import is_in_force
from motcua.units.models import Unit


@dataclass(frozen=True)
class Offer:
    """What the portal may offer for one procedure on one day."""

    procedure: Procedure
    day: dt.date
    desks: list[Unit] = field(default_factory=list)

    @property
    def expired_since(self) -> dt.date | None:
        """The first day the procedure is no longer in force (None while it is)."""
        valid_to = self.procedure.valid_to
        if valid_to is not None and valid_to < self.day:
            return valid_to + dt.timedelta(days=1)
        return None

    @property
    def not_yet_since(self) -> dt.date | None:
        """The day the procedure comes into force, when that is after `day`."""
        valid_from = self.procedure.valid_from
        return valid_from if valid_from is not None and valid_from > self.day else None

    @property
    def in_force(self) -> bool:
        """Whether the procedure's validity covers the day."""
        return is_in_force(self.procedure, self.day)

    @property
    def receivable(self) -> bool:
        """Published, in force, and some desk receives it: it may be offered."""
        return self.procedure.published and self.in_force and bool(self.desks)

    @property
    def reason(self) -> str:
        """Why it is not offered, in a sentence for the applicant ('' when it is)."""
        since = self.expired_since
        if since is not None:
            return gettext("Thủ tục đã hết hiệu lực từ %(day)s.") % {"day": f"{since:%d/%m/%Y}"}
        start = self.not_yet_since
        if start is not None:
            return gettext("Thủ tục có hiệu lực từ %(day)s.") % {"day": f"{start:%d/%m/%Y}"}
        if not self.procedure.published:
            return gettext("Thủ tục chưa được công khai.")
        if not self.desks:
            return gettext("Chưa có nơi tiếp nhận hồ sơ của thủ tục này.")
        return ""


def offer_of(procedure: Procedure, day: dt.date | None = None) -> Offer:
    """The offer of `procedure` on `day` (default today); desks as the online form has them."""
    from motcua.portal.submission import receiving_units

    day = day or timezone.localdate()
    desks = receiving_units(procedure, day) if is_in_force(procedure, day) else []
    return Offer(procedure=procedure, day=day, desks=desks)


def not_receivable(request: HttpRequest, offer: Offer) -> HttpResponse:
    """The answer (404) of a submission or booking page for a procedure not offered."""
    return render(request, "portal/not_receivable.html", {"offer": offer}, status=404)
