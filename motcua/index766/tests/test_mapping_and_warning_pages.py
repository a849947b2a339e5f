"""The mapping page (users who configure) and the early-warning panel (officers)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.audit.models import ObjectChange
from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.assignment import assign_dossier
from motcua.dossiers.tests.factories import APPLICANT, make_procedure
from motcua.index766.choices import MappingMethod, PortalLevel
from motcua.index766.mapping import name_key
from motcua.index766.models import PortalUnitMapping
from motcua.lib.idempotency import FORM_FIELD
from motcua.people.choices import Role
from motcua.units.models import Unit


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rows(province: Province) -> list[PortalUnitMapping]:
    return [
        PortalUnitMapping.objects.create(
            portal_unit_id="u-1",
            portal_unit_code="H99.100",
            portal_unit_name="UBND xã Tháp Mười",
            portal_level=PortalLevel.COMMUNE,
        ),
        PortalUnitMapping.objects.create(
            portal_unit_id="u-2",
            portal_unit_code="H99.101",
            portal_unit_name="UBND xã Lấp Vò",
            portal_level=PortalLevel.COMMUNE,
            unit=province.new_commune_2,
            method=MappingMethod.NAME,
        ),
    ]


def test_name_keys_drop_the_portals_decorations() -> None:
    assert name_key("UBND xã Lâm Thao - Tỉnh Phú Thọ", "tinh phu tho") == "xa lam thao"
    assert name_key("UBND xã Lâm Thao - tỉnh Phú Thọ", "tinh phu tho") == "xa lam thao"
    assert name_key("Xã Lâm Thao", "tinh phu tho") == "xa lam thao"
    assert name_key("Ủy ban nhân dân xã Lâm Thao") == "xa lam thao"
    assert name_key("Sở Y tế - Tỉnh Phú Thọ", "tinh phu tho") == "so y te"
    assert name_key("UBND tỉnh Phú Thọ") == "tinh phu tho"


def test_only_users_who_configure_see_the_mapping_page(people, rows) -> None:
    assert login(people["alice"]).get("/chi-so/ghep-don-vi/").status_code == 403
    html = login(people["adam"]).get("/chi-so/ghep-don-vi/").content.decode()
    assert "1 đơn vị chưa ghép." in html
    # Unmapped first.
    assert re.findall(r'data-mapping="(\d+)"', html) == [str(rows[0].pk), str(rows[1].pk)]


def test_an_administrator_maps_a_portal_unit_in_the_change_log(people, province, rows) -> None:
    client = login(people["adam"])
    url = f"/chi-so/ghep-don-vi/{rows[0].pk}/"
    form = client.get(url).content.decode()
    assert f'value="{province.new_commune.pk}"' in form
    assert f'value="{province.commune_a.pk}"' not in form  # closed in 2025: not offered
    response = client.post(url, {"unit": province.new_commune.pk, FORM_FIELD: "t-1"})
    assert response.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].unit == province.new_commune and rows[0].method == MappingMethod.MANUAL
    change = ObjectChange.objects.get(object_id=str(rows[0].pk), reason="ghép bằng tay")
    assert change.actor == people["adam"]
    assert (change.after or {})["unit"] == province.new_commune.pk
    # One motcua unit is one portal unit.
    response = client.post(
        f"/chi-so/ghep-don-vi/{rows[1].pk}/", {"unit": province.new_commune.pk, FORM_FIELD: "t-2"}
    )
    assert response.status_code == 400
    assert "đã được ghép với «UBND xã Tháp Mười»" in response.content.decode()
    rows[1].refresh_from_db()
    assert rows[1].unit == province.new_commune_2
    # Clearing it.
    client.post(url, {"unit": "", FORM_FIELD: "t-3"})
    rows[0].refresh_from_db()
    assert rows[0].unit is None and rows[0].method == MappingMethod.NONE


def test_a_unit_outside_the_configure_scope_is_refused(people, province, rows) -> None:
    elsewhere = Unit.objects.create(code="XX", name="Ủy ban nhân dân tỉnh Khác", level="province")
    response = login(people["adam"]).post(
        f"/chi-so/ghep-don-vi/{rows[0].pk}/", {"unit": elsewhere.pk, FORM_FIELD: "t-4"}
    )
    assert response.status_code == 400
    rows[0].refresh_from_db()
    assert rows[0].unit is None
    mapped_elsewhere = PortalUnitMapping.objects.create(
        portal_unit_id="u-3",
        portal_unit_code="H98",
        portal_unit_name="UBND tỉnh Khác",
        unit=elsewhere,
        method=MappingMethod.MANUAL,
    )
    assert (
        login(people["adam"]).get(f"/chi-so/ghep-don-vi/{mapped_elsewhere.pk}/").status_code == 404
    )


def test_the_officer_sees_their_dossiers_about_to_turn_late(province: Province, settings) -> None:
    p = province
    desk = make_user("desk", (p.commune_a, Role.ONE_STOP_OFFICER))
    spec = make_user("spec", (p.commune_a, Role.SPECIALIST))
    lead = make_user("lead", (p.commune_a, Role.LEADER))
    procedure = make_procedure(units=[p.commune_a], amount=8, time_unit="working_hours")
    Unit.objects.filter(pk=p.commune_a.pk).update(valid_to=None)
    p.commune_a.refresh_from_db()
    now = timezone.now()
    dossier = services.receive_dossier(
        actor=desk,
        procedure=procedure,
        receiving_unit=p.commune_a,
        applicant=APPLICANT,
        at=now - dt.timedelta(minutes=1),
    )
    dossier = services.transfer_dossier(dossier=dossier, actor=desk, to_unit=p.commune_a, at=now)
    assign_dossier(dossier=dossier, assignee=spec, actor=lead, at=now)
    html = login(spec).get("/chi-so/canh-bao/?gio=8").content.decode()
    assert 'data-mine="1"' in html and str(dossier.code) in html
    assert f'data-unit="{p.commune_a.code}"' in html
    other = login(desk).get("/chi-so/canh-bao/?gio=8").content.decode()
    assert 'data-mine="0"' in other
    bad = login(spec).get("/chi-so/canh-bao/?gio=abc").content.decode()
    assert "không hợp lệ" in bad
