"""The whole national catalogue of `../shared/data/tthc-catalogue-dvcqg`, imported once per test
module (`national_catalogue`), and the source pages read as they are, without the importer."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "tthc-catalogue-dvcqg"
PAGES = DATA / "raw" / "bo-tu-phap"


def source_page(code: str) -> dict[str, Any]:
    """The JSON page of `code` exactly as stored (no normalisation)."""
    return json.loads((PAGES / f"{code}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def national_catalogue(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Every file of the shared data set imported by `motcua import catalogue`, in a
    transaction rolled back after the module; the import's report."""
    assert DATA.is_dir(), f"{DATA} missing: clone shared/ beside the repository"
    rejects = tmp_path_factory.mktemp("national") / "rejects.csv"
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("import", "catalogue", str(DATA), "--rejects", str(rejects), stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
