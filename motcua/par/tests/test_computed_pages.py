"""Computed leaves on the pages: the running value, points today and at risk on the unit page,
the records one click away (scoped), and the appraiser's override on the appraisal page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ
from motcua.index766.tests.rows import dossier, procedure
from motcua.par.models import ComputedOverride, CriteriaSet, LeafScore, Round, Submission
from motcua.par.services import NodeSpec, save_criteria_set
from motcua.par.tests.process_support import staff  # noqa: F401

pytestmark = pytest.mark.django_db
BANDS = {"bands": [{"ge": 95, "points": 2}, {"ge": 70, "lt": 95, "points": 1}]}


def ago(days: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)


@pytest.fixture
def cset(province: Any) -> CriteriaSet:
    year = timezone.localdate().year
    nodes = [
        NodeSpec("3", "", "Cải cách thủ tục hành chính", D("3")),
        NodeSpec(
            "3.1", "3", "Hồ sơ giải quyết đúng hạn", D("2"), "bands", BANDS, "", "dossiers_on_time"
        ),
        NodeSpec("3.2", "3", "Rà soát thủ tục hành chính", D("1")),
    ]
    criteria_set, _ = save_criteria_set(
        code=f"DT-SO-{year}",
        year=year,
        unit_type="department",
        survey_max=D(0),
        nodes=nodes,
        actor=None,
    )
    proc = procedure([province.office], "2.000001")
    Dossier.objects.bulk_create(
        [
            dossier(proc, province.office, received=ago(3), due=ago(-10), code="VP-001"),
            dossier(proc, province.office, received=ago(20), due=ago(2), code="VP-002"),
        ]
    )
    return criteria_set


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_unit_page_shows_the_running_value_and_the_records_one_click_away(
    cset: CriteriaSet,
    staff: dict,  # noqa: F811
) -> None:
    sam = login(staff["sam"])
    response = sam.get(f"/chi-so-cchc/{cset.code}/VP/")
    assert response.status_code == 200  # no final score yet: the running values still show
    page = response.content.decode()
    assert 'data-computed-leaf="3.1"' in page
    assert "50%" in page and "(1/2)" in page
    assert "có nguy cơ mất 2 điểm" in page
    records = f"/chi-so-cchc/{cset.code}/VP/tu-tinh/3.1/"
    assert records in page
    listing = sam.get(records).content.decode()
    assert 'data-record="VP-001"' in listing and 'data-record="VP-002"' in listing
    # what costs points first, each code a link to the dossier
    assert listing.index('data-record="VP-002"') < listing.index('data-record="VP-001"')
    assert f'href="{reverse("dossiers:detail", kwargs={"code": "VP-002"})}"' in listing
    late = listing.split('data-record="VP-002"')[1].split("</tr>")[0]
    assert "<strong>Không</strong>" in late
    assert f"{ago(2):%d/%m/%Y}" in late
    # outside the scope, or a leaf motcua does not compute: 404
    assert login(staff["nina"]).get(records).status_code == 404
    assert sam.get(f"/chi-so-cchc/{cset.code}/VP/tu-tinh/3.2/").status_code == 404


def test_the_appraiser_overrides_a_computed_value_with_a_reason(
    cset: CriteriaSet,
    staff: dict,  # noqa: F811
) -> None:
    today = timezone.localdate()
    Round.objects.create(
        criteria_set=cset, kind="final", opens_on=today, deadline=today + dt.timedelta(days=3)
    )
    Submission.objects.create(criteria_set=cset, unit_code="VP", status="approved")
    url = f"/chi-so-cchc/{cset.code}/VP/tu-tinh/3.1/dieu-chinh/"
    # a unit officer may not override
    assert login(staff["sam"]).post(url, {"gia_tri": "96", "ly_do": "x"}).status_code == 404
    hana = login(staff["hana"])
    page = hana.get(f"/chi-so-cchc/{cset.code}/VP/tham-dinh/").content.decode()
    assert "Điều chỉnh tiêu chí 3.1" in page and "Điều chỉnh tiêu chí 3.2" not in page
    bad = hana.post(url, {"gia_tri": "96", "ly_do": ""})
    assert bad.status_code == 400 and "Hãy ghi lý do" in bad.content.decode()
    assert hana.post(url, {"gia_tri": "abc", "ly_do": "Lý do"}).status_code == 400
    assert not ComputedOverride.objects.exists()
    response = hana.post(url, {"gia_tri": "96,5", "ly_do": "VP-002 chậm do lỗi phần mềm"})
    assert response.status_code == 302
    assert LeafScore.objects.get(criterion__code="3.1", unit_code="VP").points == D("2")
    page = hana.get(f"/chi-so-cchc/{cset.code}/VP/tham-dinh/").content.decode()
    assert "VP-002 chậm do lỗi phần mềm" in page and "96,5%" in page


def test_submission_freezes_the_computed_value_and_a_later_change_shows(
    cset: CriteriaSet,
    staff: dict,  # noqa: F811
    province: Any,
) -> None:
    from motcua.par import process

    today = timezone.localdate()
    process.plan_round(
        criteria_set=cset,
        kind="self_assessment",
        opens_on=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=3),
        actor=None,
    )
    for code, points in [("3.1", "0"), ("3.2", "1")]:
        process.save_self_score(
            criteria_set=cset,
            unit_code="VP",
            criterion_code=code,
            points=points,
            not_applicable=False,
            explanation="Giải trình",
            actor=staff["sam"],
        )
    sub = process.submit(criteria_set=cset, unit_code="VP", actor=staff["sam"])
    (entry,) = [e for e in sub.evidence_pack["leaves"] if "computed" in e]
    assert entry["code"] == "3.1"
    assert (entry["computed"]["value"], entry["computed"]["points"]) == ("50.00", "0")
    assert sorted(r["code"] for r in entry["computed"]["records"]) == ["VP-001", "VP-002"]
    # a later dossier changes the running value; the appraisal page says so
    proc = procedure([province.office], "2.000009")
    Dossier.objects.bulk_create(
        [dossier(proc, province.office, received=ago(1), due=ago(-9), code="VP-003")]
    )
    page = login(staff["hana"]).get(f"/chi-so-cchc/{cset.code}/VP/tham-dinh/").content.decode()
    assert "Lưu trong bộ hồ sơ kiểm chứng khi gửi: 50% (0 điểm)." in page
    assert "Giá trị tính lại đã khác." in page and "66,67%" in page
