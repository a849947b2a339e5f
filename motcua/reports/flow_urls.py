"""URLs of the report's review, issue and sending steps (included by `reports/urls.py`)."""

from __future__ import annotations

from django.urls import path

from motcua.reports import flow_views as views

urlpatterns: list = [
    path("tong-hop/", views.overview, name="flow-overview"),
    path("<int:pk>/duyet/", views.review, name="flow-review"),
    path("<int:pk>/duyet/phe-duyet/", views.approve, name="flow-approve"),
    path("<int:pk>/duyet/tra-lai/", views.send_back, name="flow-return"),
    path("<int:pk>/ban-hanh/", views.issue, name="flow-issue"),
    path("<int:pk>/ban-hanh/van-ban.<str:fmt>", views.paper, name="flow-paper"),
    path("<int:pk>/gui/", views.send, name="flow-send"),
    path("<int:pk>/lap-lai/", views.regenerate, name="flow-regenerate"),
    path("<int:pk>/chenh-lech/", views.differences, name="flow-differences"),
]
