"""The computed leaves of the PAR Index (§8) — filled by the computed-leaves work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.par.models import CriteriaSet


def computed_values(criteria_set: CriteriaSet, unit_code: str, as_of: dt.date) -> dict[int, Any]:
    """Filled by the computed-leaves work.

    {criterion_id: obj with .value, .points, .records (list of dicts)} for the leaves of the
    set whose value motcua computes from its own records, as of `as_of`.
    """
    return {}
