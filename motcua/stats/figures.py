"""Figures of a set of dossiers for a period: the blocks every screen, file and API shows."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from motcua.stats.classification import LEAVES


def rate(numerator: int, denominator: int) -> float:
    """A percentage rounded half-up to 2 decimals; 0.0 when there is nothing to divide by.

    The one rounding rule (statistics.md §4). Screens print "—" for a zero denominator.
    """
    if not denominator:
        return 0.0
    value = Decimal(100 * numerator) / Decimal(denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class IdentityBroken(AssertionError):
    """carried_over + new ≠ resolved + refused + withdrawn + pending: the data is inconsistent."""


@dataclass
class Figures:
    """Leaf counts; every total is derived from them."""

    carried_over: int = 0
    new_online: int = 0
    new_direct: int = 0
    new_postal: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    within_deadline: int = 0
    overdue: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Figures:
        """Build from a `counts()` row."""
        return cls(**{leaf: int(row.get(leaf) or 0) for leaf in LEAVES})

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def new(self) -> int:
        return self.new_online + self.new_direct + self.new_postal

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        return self.within_deadline + self.overdue

    @property
    def finished(self) -> int:
        return self.resolved + self.refused + self.withdrawn

    def check(self) -> Figures:
        """Raise IdentityBroken unless the outcome side accounts for every counted dossier."""
        if self.received != self.finished + self.pending:
            raise IdentityBroken(
                f"received {self.received} ≠ finished {self.finished} + pending {self.pending}"
            )
        return self

    def blocks(self) -> dict[str, Any]:
        """The blocks of the statistics contract (`received`, `resolved`, ... `rates`)."""
        return {
            "received": {
                "total": self.received,
                "carried_over": self.carried_over,
                "new": self.new,
                "new_online": self.new_online,
                "new_direct": self.new_direct,
                "new_postal": self.new_postal,
            },
            "resolved": {
                "total": self.resolved,
                "early": self.early,
                "on_time": self.on_time,
                "late": self.late,
            },
            "closed_other": {"refused": self.refused, "withdrawn": self.withdrawn},
            "pending": {
                "total": self.pending,
                "within_deadline": self.within_deadline,
                "overdue": self.overdue,
            },
            "rates": {
                "online_share": rate(self.new_online, self.new),
                "resolved_on_time_or_early": rate(self.early + self.on_time, self.resolved),
            },
        }
