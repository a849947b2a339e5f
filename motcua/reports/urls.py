"""Pages of the periodic reform report (báo cáo CCHC định kỳ), under /bao-cao-cchc/."""

from __future__ import annotations

from django.urls import include, path

app_name = "reports"

urlpatterns: list = [
    # The review, issue and sending steps, the difference list and the province's view.
    path("", include("motcua.reports.flow_urls")),
]
