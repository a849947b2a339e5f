"""The /chi-so/ pages in Chromium at 1366 and 360 px: nothing wider than the screen, no
serious accessibility fault, the figures readable. Screenshots: var/screenshots/<test name>/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from motcua.conftest import Province
from motcua.dossiers.tests.test_papers_browser import sign_in
from motcua.index766.choices import MappingMethod, PortalLevel
from motcua.index766.models import PortalUnitMapping, PublishedFigure
from motcua.index766.tests.test_pages import MARCH, dossiers, staff  # noqa: F401
from motcua.portal.tests.browser import (  # noqa: F401
    NewPage,
    Shoot,
    axe_violations,
    browser,
    new_page,
    screenshots,
)

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("screen", SCREENS)
def test_the_index_pages_fit_the_screen(
    province: Province,
    staff: dict,  # noqa: F811
    dossiers: dict,  # noqa: F811
    new_page: NewPage,  # noqa: F811
    screenshots: Shoot,  # noqa: F811
    screen: str,
) -> None:
    PortalUnitMapping.objects.create(
        portal_unit_id="uuid-c1",
        portal_unit_code="H99.100",
        portal_unit_name="UBND xã Mỹ An",
        portal_level=PortalLevel.COMMUNE,
        unit=province.commune_a,
        method=MappingMethod.MANUAL,
    )
    PublishedFigure.objects.create(
        period_code=MARCH,
        first_day=dt.date(2025, 3, 1),
        last_day=dt.date(2025, 3, 31),
        portal_unit_id="uuid-c1",
        portal_unit_code="H99.100",
        portal_unit_name="UBND xã Mỹ An",
        portal_level=PortalLevel.COMMUNE,
        received=4,
        on_time=3,
        overdue=1,
        avg_processing_days=Decimal("2.5"),
        ratio=Decimal("75"),
        score=Decimal("15"),
        max_score=Decimal("20"),
        imported_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC),
    )
    from django.utils import timezone

    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import APPLICANT, make_procedure
    from motcua.people.models import User
    from motcua.units.models import Unit

    # A dossier due within 8 working hours now, for the early-warning panel.
    Unit.objects.filter(pk=province.commune_a.pk).update(valid_to=None)
    province.commune_a.refresh_from_db()
    quick = make_procedure(
        "2.000009",
        units=[province.commune_a],
        amount=8,
        time_unit="working_hours",
        name="Cấp bản sao trích lục hộ tịch",
    )
    services.receive_dossier(
        actor=staff["desk"],
        procedure=quick,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=timezone.now() - dt.timedelta(minutes=1),
    )
    tab = new_page(viewport=SCREENS[screen])
    # sign_in uses the password pw-<username>.
    user: Any = User.objects.get(username="lead")
    user.set_password("pw-lead")
    user.save()
    sign_in(tab, "lead")
    pages = {
        "chi-so": f"/chi-so/?unit=C1&period={MARCH}",
        "danh-sach": f"/chi-so/danh-sach/?unit=C1&period={MARCH}&indicator=progress.on_time"
        "&part=denominator",
        "xep-hang": f"/chi-so/xep-hang/?unit=D1&period={MARCH}&cap=commune",
        "canh-bao": "/chi-so/canh-bao/",
    }
    for name, url in pages.items():
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
        screenshots(tab, f"{name}-{screen}")
        assert tab.evaluate(OVERFLOW) <= 0, (url, tab.evaluate(OVERFLOW))
        assert axe_violations(tab) == [], url
    tab.goto("/chi-so/canh-bao/")
    assert tab.locator("[data-unit='C1'] tbody tr").count() == 1
    tab.goto(f"/chi-so/?unit=C1&period={MARCH}")
    assert tab.locator("[data-total]").inner_text() != ""
    assert tab.get_by_role("link", name="Chỉ số 766", exact=True).is_visible()
