"""Builders shared by the look-up, status, rating and page-weight tests (plain functions)."""

from __future__ import annotations

import re
from typing import Any

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.procedures.models import Procedure

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def procedure_for(province: Province, **fields: Any) -> Procedure:
    """The published test procedure of commune A (10 working days)."""
    return make_procedure(units=[province.commune_a], **fields)


def received(people: dict, province: Province, procedure: Procedure, **applicant: str) -> Dossier:
    """A walk-in dossier received Mon 03/03/2025 09:00 at commune A: C1-250303-0001."""
    return services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant={**APPLICANT, **applicant},
        at=local(2025, 3, 3, 9),
    )


def returned(people: dict, province: Province, procedure: Procedure) -> Dossier:
    """A dossier received, processed, resolved and returned (March 2025)."""
    alice, dana = people["alice"], people["dana"]
    d = received(people, province, procedure)
    d = services.transfer_dossier(
        dossier=d, actor=alice, to_unit=province.commune_a, at=local(2025, 3, 3, 9, 30)
    )
    d = services.resolve_dossier(dossier=d, actor=dana, at=local(2025, 3, 10, 9))
    return services.return_result(
        dossier=d, actor=alice, recipient="Trần Văn Bình", at=local(2025, 3, 10, 10)
    )


def without_csrf(html: str) -> str:
    """The page without its per-response CSRF token (the language switch form carries one)."""
    return CSRF_INPUT.sub("", html)
