"""Fixtures: a source document of the test province (seed 003's letter re-typed)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.assignments.models import SourceDocument
from motcua.assignments.services import create_document


@pytest.fixture
def letter(province: object) -> SourceDocument:
    return create_document(
        number="1449/UBND-NC",
        issued_on=dt.date(2024, 10, 15),
        issuer_unit=province.old,  # type: ignore[attr-defined]
        summary="Về việc nâng cao Chỉ số cải cách hành chính năm 2024",
        actor=None,
    )
