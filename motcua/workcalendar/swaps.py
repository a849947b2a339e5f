"""The shipped swap table (deadlines.md §2(a)): swapped days off and Saturdays worked."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from motcua.workcalendar.engine import Override

SWAPS_CSV = Path(__file__).resolve().parent / "data" / "swaps.csv"


def shipped_rows() -> list[dict[str, Any]]:
    """Rows of data/swaps.csv with `date` parsed; loaded by the data migration."""
    with SWAPS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            rows.append({**row, "date": dt.date.fromisoformat(row["date"])})
    return rows


def shipped_overrides() -> list[Override]:
    """The shipped table as engine overlay entries (national)."""
    return [
        Override(r["date"], r["kind"], r["name"], r["document"], None, r["status"])
        for r in shipped_rows()
    ]
