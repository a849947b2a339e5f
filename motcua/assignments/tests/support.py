"""Helpers for the task tests: writing an import file, running a command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from motcua.assignments.importers import HEADER


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") or "" for k in HEADER})
    return path


def stats(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", "tasks", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def row(code: str, **kw: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "issuer_code": "TTg",
        "document": "1/CĐ-TTg",
        "issued_on": "2023-05-01",
        "title": f"Nhiệm vụ {code}",
        "lead_unit_code": "VP",
    }
    base.update(kw)
    return base
