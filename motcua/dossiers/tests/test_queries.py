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

# Pinned numbers (change them only knowingly), in a process that has served the page once.
# Web pages: session, user, memberships, the change tokens (read once per GET request: the
# unit graph, the calendars and the fields are kept per process), then the page's own reads;
# the API: token, memberships, the change tokens, then its own. The dossier page also reads
# the holding unit's officers (assignment box).
QUEUE_PAGE = {
    "cua-toi": 6,
    "cua-don-vi": 6,
    "tai-quay": 6,  # the desk's tab: one filter more, no query more
    "sap-den-han": 6,
    "qua-han": 6,
    "cho-bo-sung": 6,
    "search": 6,
}
DOSSIER_PAGE = 16  # + the notices sent, the components (supplement checklist), the officers,
# the national portal outbox rows (national/_sync_state.html)
API_LIST = 5
API_DETAIL = 9


# Planner settings around the queue and dossier reads on PostgreSQL (`motcua/lib/planner.py`,
# tested in `motcua/lib/tests/test_planner.py`): statements, but no reads of data.
PLANNER_SETTINGS = ("SELECT current_setting('join_collapse_limit')", "SELECT set_config(")


def count_queries(fetch: Any) -> int:
    """Queries of `fetch()` in a process that served it once already (the steady state).

    The first request of a process also reads the unit graph and the working calendars it
    keeps (`motcua.audit.stamps`): two queries each, counted by `test_cold_process_reads`.
    """
    fetch()
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
        assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return data_queries(ctx)


def data_queries(ctx: CaptureQueriesContext) -> int:
    """The captured statements but the planner settings."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(PLANNER_SETTINGS))


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


def test_cold_process_reads_the_graph_and_calendars_once(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    """A process that has not built the unit graph and calendars yet reads them (2 + 2)."""
    from motcua.people.scope import _GRAPHS
    from motcua.workcalendar.selectors import _CALENDARS

    client = web(people["alice"])
    add_dossiers(people, province, procedure, 3)
    warm = count_queries(lambda: client.get("/ho-so/?tab=cua-don-vi"))
    _GRAPHS.clear()
    _CALENDARS.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ho-so/?tab=cua-don-vi").status_code == 200
    assert data_queries(ctx) == warm + 4


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
