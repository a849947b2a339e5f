"""Queues ordered by urgency: most overdue first, then the nearest due, then paused, then done."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401


def codes_in(html: str) -> list[str]:
    """Dossier codes in the order the table lists them."""
    return re.findall(r'<a href="/ho-so/([^/"]*-\d{6}-\d{4})/">', html)


def test_unit_tab_puts_the_most_urgent_first(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    province.commune_a.valid_to = None  # receipts today need the fixture's commune open
    province.commune_a.save(update_fields=["valid_to"])
    now = timezone.now()
    quick = make_procedure(
        "2.000001", units=[province.commune_a], amount=8, time_unit="working_hours"
    )
    resolved = in_progress(people, province, procedure, at=local(2025, 3, 3, 8))
    resolved = services.resolve_dossier(
        dossier=resolved, actor=people["dana"], at=local(2025, 3, 4, 9)
    )
    most_late = receive(people, province, procedure, at=local(2025, 3, 3, 9))
    less_late = receive(people, province, procedure, at=local(2025, 3, 10, 9))
    paused = in_progress(people, province, procedure, at=local(2025, 3, 3, 10))
    services.request_supplement(
        dossier=paused, actor=people["dana"], items=["A"], reason="Thiếu", at=local(2025, 3, 4)
    )
    later = services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=now - dt.timedelta(minutes=2),
    )
    soon = services.receive_dossier(
        actor=people["alice"],
        procedure=quick,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=now - dt.timedelta(minutes=1),
    )
    assert Dossier.objects.get(pk=paused.pk).statutory_due is None
    client = Client()
    client.force_login(people["alice"])
    html = client.get("/ho-so/?tab=cua-don-vi").content.decode()
    expected = [most_late, less_late, soon, later, paused, resolved]
    assert codes_in(html) == [d.code for d in expected]
    late_only = client.get("/ho-so/?tab=qua-han").content.decode()
    assert codes_in(late_only) == [most_late.code, less_late.code]
