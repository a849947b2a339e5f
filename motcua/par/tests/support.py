"""Running `motcua par …` in tests and writing its CSV files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from motcua.cli import main


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """A UTF-8 CSV file with this header and these rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path


def par(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `motcua par ARGS` in-process; (exit status, stdout, stderr)."""
    capsys.readouterr()
    try:
        status = main(["par", *args])
    except SystemExit as exc:
        status = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    out, err = capsys.readouterr()
    return status, out, err


def results(capsys: pytest.CaptureFixture[str], code: str) -> dict[str, Any]:
    """The parsed `motcua par results --set CODE --format json`."""
    status, out, err = par(capsys, "results", "--set", code, "--format", "json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    return data
