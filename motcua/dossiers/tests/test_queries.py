"""Query counts of the hot pages are pinned: fixed whatever the rows and the size of the scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.conftest import Province, make_unit, make_user
from motcua.dossiers import services
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401
from motcua.people.choices import Role
from motcua.procedures.models import Procedure

# Pinned numbers (change them only knowingly). Web pages: session, user, memberships, unit
# graph (2), then the page's own reads; the API: token, memberships, unit graph (2), then its.
# The queue reads the calendars of the rows' receiving units in 2 queries (the remaining working
# time); "Sắp đến hạn" and a search add the national calendar's 2 (the due-soon window); the
# dossier page reads the holding unit's officers once (assignment box).
QUEUE_PAGE = {
    "cua-toi": 10,
    "cua-don-vi": 10,
    "tai-quay": 10,  # the desk's tab: one filter more, no query more
    "sap-den-han": 12,
    "qua-han": 10,
    "cho-bo-sung": 10,
    "search": 12,
}
DOSSIER_PAGE = 19  # + the notices sent, the components (supplement checklist), the officers,
# the national portal outbox rows (national/_sync_state.html)
API_LIST = 6
API_DETAIL = 10


def count_queries(fetch: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
        assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return len(ctx.captured_queries)


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    """A client with token authentication: the user (and their scope) is read per request."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def add_dossiers(people: dict, province: Province, procedure: Any, n: int) -> None:  # noqa: F811
    """`n` late dossiers, `n` waiting for a supplement, and `n` due within hours."""
    quick = Procedure.objects.filter(code="2.000001").first() or make_procedure(
        "2.000001", units=[province.commune_a], amount=8, time_unit="working_hours"
    )
    now = timezone.now()
    # Receipts due within hours happen today: keep the fixture's old commune open.
    province.commune_a.valid_to = None
    province.commune_a.save(update_fields=["valid_to"])
    for i in range(n):
        in_progress(people, province, procedure, at=local(2025, 3, 3, 8, i))
        waiting = in_progress(people, province, procedure, at=local(2025, 3, 3, 8, i))
        services.request_supplement(
            dossier=waiting, actor=people["dana"], items=["A"], reason="x", at=local(2025, 3, 4, 9)
        )
        services.receive_dossier(
            actor=people["alice"],
            procedure=quick,
            receiving_unit=province.commune_a,
            applicant=APPLICANT,
            at=now - dt.timedelta(seconds=n - i),
        )
    # Every row is somebody's: the "Của tôi" tab lists them all (assignee shown in each row).
    Dossier.objects.update(assignee=people["alice"], assigned_at=now)


@pytest.mark.parametrize(
    "tab", ["cua-toi", "tai-quay", "cua-don-vi", "sap-den-han", "qua-han", "cho-bo-sung"]
)
def test_queue_page_is_fixed_for_1_and_20_dossiers(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    tab: str,
) -> None:
    client = web(people["alice"])
    add_dossiers(people, province, procedure, 1)
    few = count_queries(lambda: client.get(f"/ho-so/?tab={tab}&channel=direct"))
    add_dossiers(people, province, procedure, 20)
    many = count_queries(lambda: client.get(f"/ho-so/?tab={tab}&channel=direct"))
    assert few == many == QUEUE_PAGE[tab]
    # A search looks through every tab: the same fixed count as the widest tab.
    found = count_queries(lambda: client.get(f"/ho-so/?tab={tab}&q=TRAN+van+binh"))
    assert found == QUEUE_PAGE["search"]


def test_api_list_is_fixed_for_1_and_20_dossiers(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    client = api(people["alice"])
    add_dossiers(people, province, procedure, 1)
    few = count_queries(lambda: client.get("/api/v1/dossiers/?paused=false"))
    add_dossiers(people, province, procedure, 20)
    many = count_queries(lambda: client.get("/api/v1/dossiers/?paused=false"))
    assert few == many == API_LIST


def test_dossier_page_is_fixed_whatever_its_history(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    dana = web(people["dana"])
    short = in_progress(people, province, procedure)
    long = in_progress(people, province, procedure)
    for day in range(4, 14):
        long = services.request_supplement(
            dossier=long,
            actor=people["dana"],
            items=["A"],
            reason="x",
            justification="lần nữa" if day > 4 else "",
            at=local(2025, 3, day, 9),
        )
        long = services.resume_dossier(
            dossier=long, actor=people["alice"], at=local(2025, 3, day, 10)
        )
        long = services.transfer_dossier(
            dossier=long,
            actor=people["dana"],
            to_unit=province.commune_a,
            at=local(2025, 3, day, 11),
        )
    long = services.issue_apology(
        dossier=long,
        actor=people["dana"],
        reason="Chậm",
        new_due=local(2025, 4, 30, 16),
        delaying_unit=province.commune_a,
        at=local(2025, 3, 14, 9),
    ).dossier
    for i in range(5):
        attach_file(
            dossier=long,
            actor=people["alice"],
            upload=SimpleUploadedFile(f"{i}.txt", f"tệp {i}".encode()),
            kind="component",
        )
    first = count_queries(lambda: dana.get(f"/ho-so/{short.code}/"))
    second = count_queries(lambda: dana.get(f"/ho-so/{long.code}/"))
    assert first == second == DOSSIER_PAGE
    client = api(people["dana"])
    detail_short = count_queries(lambda: client.get(f"/api/v1/dossiers/{short.code}/"))
    detail_long = count_queries(lambda: client.get(f"/api/v1/dossiers/{long.code}/"))
    assert detail_short == detail_long == API_DETAIL


@pytest.mark.parametrize("size", [1, 10, 100])
def test_lists_do_not_grow_with_the_scope(db: None, size: int) -> None:
    """A leader who sees 1, 10 or 100 units gets the same number of queries."""
    province = make_unit("PX", "Tỉnh thử", "province")
    district = make_unit("DX", "Huyện thử", "district", province)
    communes = [make_unit(f"X{i:03d}", f"Xã {i}", "commune", district) for i in range(size - 1)]
    leader = make_user("lead", (district, Role.LEADER))
    units = [district, *communes]
    catalogue = make_procedure("9.000001", units=units)
    for i, unit in enumerate(units[:: max(1, size // 10)]):
        services.receive_dossier(
            actor=None,
            procedure=catalogue,
            receiving_unit=unit,
            applicant=APPLICANT,
            at=local(2025, 3, 3, 8, i),
        )
    services.receive_dossier(
        actor=None,
        procedure=make_procedure("9.000002", units=[district], amount=8, time_unit="working_hours"),
        receiving_unit=units[-1],
        applicant=APPLICANT,
        at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert Dossier.objects.visible_to(leader).count() == min(size, 10) + 1
    browser, client = web(leader), api(leader)
    counts = {
        "queue": count_queries(lambda: browser.get("/ho-so/?tab=cua-don-vi")),
        "soon": count_queries(lambda: browser.get("/ho-so/?tab=sap-den-han")),
        "api": count_queries(lambda: client.get("/api/v1/dossiers/")),
    }
    assert counts == {
        "queue": QUEUE_PAGE["cua-don-vi"],
        "soon": QUEUE_PAGE["sap-den-han"],
        "api": API_LIST,
    }
