"""The real Phú Thọ file beside motcua's own figures: units named by the portal's codes are
mapped by code; a department with the published numbers of dossiers shows no difference; one
with fewer dossiers shows the difference and the dossiers behind it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.index766.choices import MappingMethod
from motcua.index766.models import PortalUnitMapping
from motcua.index766.tests.phutho import PUBLISHED, published
from motcua.index766.tests.rows import dossier, procedure
from motcua.index766.tests.test_phutho import ON_TIME, OVERDUE
from motcua.people.models import User
from motcua.units.models import Unit

pytestmark = pytest.mark.django_db
AUGUST = "2026-M08"


@pytest.fixture
def phutho() -> dict[str, Any]:
    """H44 and its 163 units under the portal's codes; Sở Công Thương (H44.07) with exactly its
    published dossiers (482: 332 on time), Sở Ngoại vụ (H44.13) with 1 of its 2."""
    data = published()["data"]
    province = Unit.objects.create(code="H44", name="UBND tỉnh Phú Thọ", level="province")
    units = Unit.objects.bulk_create(
        Unit(
            code=c["departmentCode"],
            name=c["departmentName"].split(" - ")[0],
            level="department" if c["level"] == "PROVINCE" else "commune",
            parent=province,
        )
        for c in data["children"]
    )
    by_code = {u.code: u for u in units}
    proc = procedure([province])
    rows = {c["departmentCode"]: c for c in data["children"]}
    batch = []
    for code, take in (("H44.07", None), ("H44.13", 1)):
        row = rows[code]
        kinds = [ON_TIME[i % len(ON_TIME)] for i in range(row["totalOnTime"])]
        kinds += [OVERDUE[i % len(OVERDUE)] for i in range(row["totalOverdue"])]
        for state, received, due, finished, supplements in kinds[:take]:
            batch.append(
                dossier(
                    proc,
                    by_code[code],
                    received=received,
                    due=due,
                    state=state,
                    finished=finished,
                    supplements=supplements,
                )
            )
    Dossier.objects.bulk_create(batch)
    call_command("import", "index-published", str(PUBLISHED), "--period", AUGUST)
    return {"province": province, **by_code}


def test_every_portal_unit_is_mapped_by_code(phutho: dict) -> None:
    mapped = PortalUnitMapping.objects.filter(unit__isnull=False)
    assert mapped.count() == 164
    assert set(mapped.values_list("method", flat=True)) == {MappingMethod.CODE}
    assert PortalUnitMapping.objects.get(portal_unit_code="H44.07").unit == phutho["H44.07"]


def test_the_published_score_equals_ours_when_the_dossiers_are_the_same(phutho: dict) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x"))
    html = client.get(f"/chi-so/?unit=H44.07&period={AUGUST}").content.decode()
    assert 'data-published-score="13.78"' in html
    assert 'data-diff="received">0<' in html and 'data-diff="on_time">0<' in html
    assert 'data-diff="score">0,00<' in html
    # Sở Ngoại vụ: 2 published, 1 here; both overdue: the same score, one dossier fewer.
    html = client.get(f"/chi-so/?unit=H44.13&period={AUGUST}").content.decode()
    assert 'data-diff="received">−1<' in html and 'data-diff="late">−1<' in html
    late = re.search(r'<a href="([^"]+)" data-explain="late">', html)
    assert late is not None
    listed = client.get(late[1].replace("&amp;", "&")).content.decode()
    assert 'data-count="1"' in listed
    # The league table of the departments shows the published progress score beside ours.
    league = client.get(f"/chi-so/xep-hang/?unit=H44&period={AUGUST}&cap=department")
    text = league.content.decode()
    assert league.status_code == 200
    assert re.search(r'data-unit="H44.07".*?13,78</td>', text, re.S)
