"""The desk's own work ("Tại quầy"): today's intake and results waiting to be handed over.

A desk that receives for other units (the provincial centre) holds nothing once a dossier is
transferred, so "Của đơn vị" showed it only results; its officer now opens on this tab.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401

CURRENT = re.compile(r'aria-current="page"\s+hx-get="\?tab=([a-z-]+)')


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_desk_opens_on_todays_intake_and_results_to_hand_over(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    older = in_progress(people, province, procedure, at=local(2025, 3, 3, 9))
    done = in_progress(people, province, procedure, at=local(2025, 3, 4, 9))
    services.resolve_dossier(dossier=done, actor=people["dana"], at=local(2025, 3, 5))
    today = receive(people, province, procedure, at=local(2025, 3, 6, 8))
    online = services.submit_dossier(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 1, 20),  # submitted online days ago, not received yet
    )
    assert online.code and online.state == "submitted"
    # The page is opened that afternoon (the test communes exist only before 07/2025).
    monkeypatch.setattr(timezone, "now", lambda: local(2025, 3, 6, 15))

    html = signed_in(people["alice"]).get("/ho-so/").content.decode()
    assert CURRENT.findall(html) == ["tai-quay"]
    assert "Tại quầy" in html
    assert str(today.code) in html and str(done.code) in html and str(online.code) in html
    assert str(older.code) not in html  # received long ago, still being processed
    # The result's row says what is left to do, not its state twice.
    row = re.search(rf"{done.code}.*?</tr>", html, re.S)
    assert row is not None and "chờ trả kết quả" in row.group(0)

    # Another commune's desk sees none of it; a specialist does not receive: no desk tab.
    bob = signed_in(people["bob"]).get("/ho-so/?tab=tai-quay").content.decode()
    codes = set(re.findall(r"C\d-[\d-]+", bob))
    assert not {str(today.code), str(done.code), str(online.code)} & codes
    assert "hôm nay quầy chưa tiếp nhận hồ sơ nào và không có kết quả chờ trả." in bob
    nina = signed_in(people["nina"]).get("/ho-so/").content.decode()
    assert "Tại quầy" not in nina and CURRENT.findall(nina) == ["cua-don-vi"]


def test_the_desk_tab_drops_a_result_once_it_is_returned(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    done = in_progress(people, province, procedure, at=local(2025, 3, 4, 9))
    resolved = services.resolve_dossier(dossier=done, actor=people["dana"], at=local(2025, 3, 5))
    client = signed_in(people["alice"])
    assert str(done.code) in client.get("/ho-so/?tab=tai-quay").content.decode()
    services.return_result(dossier=resolved, actor=people["alice"], recipient="Bình")
    assert str(done.code) not in client.get("/ho-so/?tab=tai-quay").content.decode()
