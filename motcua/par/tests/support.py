"""Running `motcua par …` in tests and writing its CSV files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from motcua.cli import main


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """A UTF-8 CSV file with this header and these rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path


def par(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the `par` command in-process; (exit status, stdout, stderr).

    Through call_command: `motcua` itself (run_from_argv) closes the database connections
    when a command ends, which would end the test's transaction on PostgreSQL.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("par", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def par_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `motcua par ARGS` as the shell does, for arguments refused before any database
    work (argparse exits 2); (exit status, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["par", *args])
    return int(exc.value.code or 0), capsys.readouterr().err


def results(capsys: pytest.CaptureFixture[str], code: str) -> dict[str, Any]:
    """The parsed `motcua par results --set CODE --format json`."""
    status, out, err = par(capsys, "results", "--set", code, "--format", "json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    return data
