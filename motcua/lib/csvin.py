"""Reading CSV imports: UTF-8, header checks, line numbers for every message."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportProblem(Exception):
    """One or more rows are invalid; nothing was written."""

    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(f"line {line}: {reason}" for line, reason in self.errors)


def read_csv(
    path: str | Path, *, required: list[str], optional: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a UTF-8 CSV file after checking its header.

    Line numbers are those of the file as a person opens it (the header is line 1), also
    when a quoted value spans several lines.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportProblem([(0, f"cannot read {path}: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportProblem([(line, "the file is not UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblem([(1, "the file is empty: expected a header line")]) from None
    except csv.Error as exc:
        raise ImportProblem([(1, f"malformed CSV: {exc}")]) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    check_header(header, required, optional)
    errors: list[tuple[int, str]] = []
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((line, f"malformed CSV: {exc}"))
            break
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append((line, f"expected {len(header)} values, found {len(values)}"))
            continue
        yield line, dict(zip(header, values, strict=True))
    if errors:
        raise ImportProblem(errors)


def check_header(header: list[str], required: Sequence[str], optional: Sequence[str]) -> None:
    """Refuse a header row (line 1) with missing, unknown or duplicated columns, all at once."""
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(
            f"unknown column(s): {', '.join(unknown)} "
            f"(expected {', '.join(required)} and optionally {', '.join(optional)})"
        )
    if duplicated:
        problems.append(f"duplicated column(s): {', '.join(duplicated)}")
    if problems:
        raise ImportProblem([(1, "; ".join(problems))])
