"""The editor links the later steps' pages (flow_views.py) by the report's state and the
user's right, and only once they are mounted (this module is also the URLconf of its test:
a stand-in for those pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import include, path

from motcua.conftest import Province, make_user
from motcua.people.choices import Role
from motcua.reports.choices import ReportState
from motcua.reports.models import Report
from motcua.reports.reform import services
from motcua.reports.tests.test_reform_lifecycle import quarter  # noqa: F401 - shared fixture
from motcua.reports.views import flow_links


def _page(request: object, pk: int) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path(
        "bao-cao-cchc/",
        include(([path("<int:pk>/duyet/", _page, name="flow-review")], "reports")),
    )
]


def test_review_link_for_the_leader_only_while_in_review_and_none_for_unmounted_pages(
    quarter: dict,  # noqa: F811
    province: Province,
    settings: Any,
) -> None:
    officer = make_user("chi", (province.commune_a, Role.SPECIALIST))
    leader = make_user("lam", (province.commune_a, Role.LEADER))
    draft = services.generate_report(unit_code="C1", period="2023-Q3", actor=officer)
    report = services.submit_report(report=draft, actor=officer)
    settings.ROOT_URLCONF = "motcua.reports.tests.test_views_flow_links"
    assert flow_links(leader, draft) == []  # a draft: nothing to review yet
    assert flow_links(leader, report) == [(f"/bao-cao-cchc/{report.pk}/duyet/", "Duyệt báo cáo")]
    assert flow_links(officer, report) == []  # no approve right
    Report.objects.filter(pk=report.pk).update(state=ReportState.ISSUED)
    report.refresh_from_db()
    assert flow_links(leader, report) == []  # "flow-issue" is not mounted here: no link
