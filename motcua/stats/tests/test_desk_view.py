"""Figures by receiving desk (Biểu II.06a) and the Biểu 06 export buttons of the statistics page.

A provincial centre receives for a department: by competent unit it has nothing of its own,
by receiving desk it sees every dossier it received, and each figure lists its dossiers.
"""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import Province, make_unit
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.lib.periods import parse_period
from motcua.people.choices import Role
from motcua.stats.tests.test_views import COUNT, figure_links, page_blocks
from motcua.stats.views import COLUMNS

PERIOD = "2025-M09"  # 15/08/2025 – 14/09/2025
EXPORT_LINK = re.compile(r'<a href="(/thong-ke/bieu-06/(xlsx|docx|pdf)/\?[^"]+)"')


@pytest.fixture
def centre(province: Province) -> dict[str, Any]:
    """HCC receives three dossiers for the department SYT; commune N1 receives one of its own."""
    from motcua.conftest import make_user

    p = province
    hcc = make_unit(
        "HCC", "Trung tâm Phục vụ hành chính công tỉnh", "department", p.new, kind="service_centre"
    )
    syt = make_unit("SYT", "Sở Y tế", "department", p.new, kind="department")
    desk = make_user("hana", (hcc, Role.ONE_STOP_OFFICER), full_name="Phạm Thị Hà")
    lead = make_user("lam", (hcc, Role.LEADER), full_name="Lê Văn Lâm")
    health = make_procedure("1.002001", units=[syt], amount=10, level="province")
    local_one = make_procedure("1.002002", units=[p.new_commune], amount=10)
    commune_officer = make_user("nam", (p.new_commune, Role.ONE_STOP_OFFICER))
    received = []
    for day in (20, 25, 28):
        received.append(
            services.receive_dossier(
                actor=desk,
                procedure=health,
                receiving_unit=hcc,
                competent_unit=syt,
                applicant={**APPLICANT, "name": f"Người nộp {day}"},
                at=local(2025, 8, day, 9),
            )
        )
    services.receive_dossier(
        actor=commune_officer,
        procedure=local_one,
        receiving_unit=p.new_commune,
        applicant=APPLICANT,
        at=local(2025, 8, 21, 9),
    )
    return {"hcc": hcc, "syt": syt, "desk": desk, "lead": lead, "received": received}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def independent_count(unit: Any) -> int:
    """Dossiers received at `unit` in the period, counted straight from the table."""
    period = parse_period(PERIOD)
    return Dossier.objects.filter(
        receiving_unit=unit, received_at__gte=period.start, received_at__lt=period.end
    ).count()


def test_the_centre_sees_zero_as_handler_and_its_work_as_a_desk(centre: dict[str, Any]) -> None:
    client = signed_in(centre["desk"])
    handling = client.get("/thong-ke/", {"unit": "HCC", "period": PERIOD}).content.decode()
    assert page_blocks(handling)["received"]["total"] == 0
    response = client.get("/thong-ke/", {"unit": "HCC", "period": PERIOD, "view": "desk"})
    assert response.status_code == 200
    text = response.content.decode()
    assert independent_count(centre["hcc"]) == 3
    assert page_blocks(text)["received"]["total"] == 3
    assert page_blocks(text)["received"]["new_direct"] == 3
    assert page_blocks(text)["pending"]["total"] == 3
    assert "Theo nơi tiếp nhận" in text and "Theo cơ quan giải quyết" in text
    assert 'data-view="desk" aria-current="true"' in text
    # Every figure of the desk view lists exactly as many dossiers as it counts.
    links = figure_links(text)
    assert {figure for _row, figure in links} == set(COLUMNS)
    for (_row, _figure), (value, href) in links.items():
        assert "view=desk" in href
        listed = client.get(href).content.decode()
        assert int(re.search(COUNT, listed)[1]) == value, href  # type: ignore[index]
    listed = client.get(links[("", "received")][1]).content.decode()
    codes = set(re.findall(r'href="/ho-so/([^/"]+)/"', listed))
    assert codes == {d.code for d in centre["received"]}


def test_the_department_keeps_the_dossiers_as_handler(centre: dict[str, Any]) -> None:
    from motcua.stats.selectors import dossier_statistics

    period = parse_period(PERIOD)
    assert dossier_statistics(code="SYT", period=period).total.received == 3
    assert dossier_statistics(code="SYT", period=period, view="desk").total.received == 0
    # The province counts each dossier once in either view.
    assert dossier_statistics(code="DT", period=period).total.received == 4
    assert dossier_statistics(code="DT", period=period, view="desk").total.received == 4
    by_unit = dossier_statistics(code="DT", period=period, by="unit", view="desk")
    assert {r.key: r.figures.received for r in by_unit.rows} == {"HCC": 3, "N1": 1}


def test_cli_and_api_take_the_desk_view(centre: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("stats", "dossiers", "--unit", "HCC", "--period", PERIOD, stdout=out)
    plain = json.loads(out.getvalue())
    assert "view" not in plain and plain["received"]["total"] == 0  # the contract unchanged
    for flag in (["--by-desk"], ["--view", "desk"]):
        out = io.StringIO()
        call_command("stats", "dossiers", "--unit", "HCC", "--period", PERIOD, *flag, stdout=out)
        data = json.loads(out.getvalue())
        assert data["view"] == "desk" and data["received"]["total"] == 3
        assert list(data)[:3] == ["period", "unit", "view"]
    api = APIClient()
    api.force_authenticate(centre["desk"])
    body = api.get("/api/v1/stats/dossiers/", {"unit": "HCC", "period": PERIOD, "view": "desk"})
    assert body.status_code == 200 and body.json() == data
    bad = api.get("/api/v1/stats/dossiers/", {"unit": "HCC", "period": PERIOD, "view": "x"})
    assert bad.status_code == 400 and "view" in bad.json()


def test_export_buttons_only_with_the_right(centre: dict[str, Any]) -> None:
    query = {"unit": "HCC", "period": PERIOD, "view": "desk"}
    desk_page = signed_in(centre["desk"]).get("/thong-ke/", query).content.decode()
    assert "Tải Biểu 06" not in desk_page and not EXPORT_LINK.search(desk_page)
    lead_page = signed_in(centre["lead"]).get("/thong-ke/", query).content.decode()
    links = {fmt: html.unescape(href) for href, fmt in EXPORT_LINK.findall(lead_page)}
    assert set(links) == {"xlsx", "docx", "pdf"}
    assert all(
        "unit=HCC" in h and "view=desk" in h and "period=2025-M09" in h for h in links.values()
    )
    # The URL itself refuses a user without the export right.
    assert signed_in(centre["desk"]).get(links["xlsx"]).status_code == 403
    # Another unit's leader: the centre is outside the scope, like an unknown unit.
    from motcua.conftest import make_user

    other = make_user("olivia", (centre["syt"], Role.LEADER))
    assert signed_in(other).get(links["xlsx"]).status_code == 404


def test_each_export_format_opens(centre: dict[str, Any]) -> None:
    import docx
    import openpyxl

    client = signed_in(centre["lead"])
    query = {"unit": "HCC", "period": PERIOD, "view": "desk"}
    xlsx = client.get("/thong-ke/bieu-06/xlsx/", query)
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"] and ".xlsx" in xlsx["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    text = " ".join(cells)
    assert "Trung tâm Phục vụ hành chính công tỉnh" in text and "nơi tiếp nhận" in text
    assert "Tổng cộng" in cells and 3 in [
        c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, int)
    ]
    word = client.get("/thong-ke/bieu-06/docx/", query)
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "nơi tiếp nhận" in body
    pdf = client.get("/thong-ke/bieu-06/pdf/", query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/thong-ke/bieu-06/csv/", query).status_code == 404


def test_report_command_takes_the_desk_view(centre: dict[str, Any], tmp_path: Any) -> None:
    import openpyxl

    out = tmp_path / "ii06a.xlsx"
    call_command(
        "report",
        "dossiers",
        "--unit",
        "HCC",
        "--period",
        PERIOD,
        "--by-desk",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    numbers = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, int)]
    assert 3 in numbers
