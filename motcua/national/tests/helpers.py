"""Dossiers with outbox rows, made through the real services."""

from __future__ import annotations

from typing import Any

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.national.conf import PortalConfig


def procedure_for(province: Province) -> Any:
    """A commune procedure of 10 working days in two steps."""
    p = province
    return make_procedure(
        units=[p.commune_a],
        steps=[("Tiếp nhận", p.commune_a, 4), ("Thẩm định", p.commune_a, 76)],
    )


def dossier_with_rows(province: Province, procedure: Any, rows: int, hour: int = 9) -> Dossier:
    """A walk-in dossier taken through `rows` state changes (1 to 6), each an outbox row."""
    unit = province.commune_a
    d = services.receive_dossier(
        actor=None,
        procedure=procedure,
        receiving_unit=unit,
        applicant=APPLICANT,
        at=local(2025, 3, 3, hour),
    )
    steps = [
        lambda d: services.transfer_dossier(
            dossier=d, actor=None, to_unit=unit, at=local(2025, 3, 4, hour)
        ),
        lambda d: services.request_supplement(
            dossier=d, actor=None, items=["Tờ khai"], reason="thiếu", at=local(2025, 3, 5, hour)
        ),
        lambda d: services.resume_dossier(dossier=d, actor=None, at=local(2025, 3, 6, hour)),
        lambda d: services.resolve_dossier(dossier=d, actor=None, at=local(2025, 3, 7, hour)),
        lambda d: services.return_result(
            dossier=d, actor=None, recipient="Trần Văn Bình", at=local(2025, 3, 10, hour)
        ),
    ]
    for step in steps[: rows - 1]:
        d = step(d)
    return d


def config_for(url: str, **kw: Any) -> PortalConfig:
    """Settings pointing at the fake portal, quick to time out."""
    from motcua.national.tests.fakeportal import TOKEN

    return PortalConfig(**{"url": url, "token": TOKEN, "timeout": 0.3, **kw})
