"""What the officer reads on the dossier page and the desk's tab: unit names without their
internal codes, the assigned officer's name (never an id), durations of the control slip in
working days and hours, and the desk tab in plain Vietnamese."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import timezone

from motcua.conftest import Province, make_user
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.result_views import PostalDeliveryForm
from motcua.dossiers.tests.test_api import procedure  # noqa: F401
from motcua.dossiers.tests.test_plain_vietnamese import dossiers, leaks_in, visible_text  # noqa: F401
from motcua.dossiers.timeline import timeline_of
from motcua.people.choices import Role


def page_text(user: object, url: str) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_the_dossier_page_names_units_without_codes(
    people: dict,
    dossiers: dict,  # noqa: F811
    province: Province,
) -> None:
    unit = province.commune_a
    text = page_text(people["alice"], f"/ho-so/{dossiers['working'].code}/")
    assert f"Nơi tiếp nhận {unit.name} Cơ quan giải quyết {unit.name}" in text
    # The dossier's own code starts with the unit's code; the unit's code alone never shows.
    assert not re.search(rf"\b{re.escape(unit.code)}\b(?!-)", text), text


def test_the_control_slip_counts_working_days(
    people: dict,
    dossiers: dict,  # noqa: F811
) -> None:
    text = page_text(people["dana"], f"/ho-so/{dossiers['late'].code}/")
    slip = text.split("Phiếu kiểm soát quá trình giải quyết", 2)[-1].split("Tạm dừng")[0]
    assert "ngày" in slip and "làm việc" in slip, slip
    assert not re.search(r"\b\d{3,} giờ\b", slip), slip  # no "3546 giờ 30 phút"


def test_an_assignment_event_never_shows_an_id(people: dict, dossiers: dict) -> None:  # noqa: F811
    event = DossierEvent(kind="dossier.assigned", data={"assignee": 11}, actor_name="demo")
    assert timeline_of([event])[0].text == "Giao xử lý"
    named = DossierEvent(
        kind="dossier.assigned", data={"assignee": "sam", "assignee_name": "Lê Hồng Huyền"}
    )
    assert timeline_of([named])[0].text == "Giao xử lý cho Lê Hồng Huyền"


def test_the_desk_tab_speaks_plain_vietnamese(people: dict, dossiers: dict) -> None:  # noqa: F811
    text = page_text(people["alice"], "/ho-so/?tab=tai-quay")
    assert "Tại quầy: hồ sơ nộp trực tuyến chờ quầy của tôi tiếp nhận" in text
    assert leaks_in(text) == []


def test_the_intake_button_is_off_for_someone_who_may_receive_nowhere(
    people: dict, province: Province
) -> None:
    client = Client()
    client.force_login(people["olga"])
    html = client.get("/ho-so/tiep-nhan/").content.decode()
    assert "Bạn không có quyền tiếp nhận hồ sơ tại đơn vị nào." in html
    # The form's "Tiếp nhận" button cannot be pressed: it could only fail.
    assert '<button type="submit" disabled>Tiếp nhận</button>' in html
    commune = province.new_commune
    commune.has_one_stop = True
    commune.save(update_fields=["has_one_stop"])
    client.force_login(make_user("desk", (commune, Role.ONE_STOP_OFFICER)))
    html = client.get("/ho-so/tiep-nhan/").content.decode()
    assert '<button type="submit">Tiếp nhận</button>' in html and "Bạn không có quyền" not in html


def test_the_postal_delivery_date_is_offered_as_day_month_year() -> None:
    html = str(PostalDeliveryForm()["delivered_on"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html
    assert PostalDeliveryForm({"delivered_on": "07/12/2026"}).is_valid()


def test_a_finished_dossier_is_not_waiting_for_an_assignment(
    people: dict,
    dossiers: dict,  # noqa: F811
) -> None:
    done = page_text(people["alice"], f"/ho-so/{dossiers['returned'].code}/")
    assert "Người được giao xử lý Không giao cho công chức nào." in done
    assert "Chưa giao cho công chức" not in done
    open_one = page_text(people["alice"], f"/ho-so/{dossiers['received'].code}/")
    assert "Chưa giao cho công chức nào của" in open_one
