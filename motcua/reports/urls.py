"""Pages of the periodic reform report (báo cáo CCHC định kỳ), under /bao-cao-cchc/."""

from __future__ import annotations

from django.urls import include, path

from motcua.reports import views

app_name = "reports"

urlpatterns: list = [
    # The unit's reports, the editor, its actions and downloads (views.py).
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_editor, name="editor"),
    path("<int:pk>/kiem-tra/", views.report_checks, name="checks"),
    path("<int:pk>/muc/", views.write_section, name="write-section"),
    path("<int:pk>/cap-nhat-so-lieu/", views.refresh, name="refresh"),
    path("<int:pk>/trinh-duyet/", views.submit, name="submit"),
    path("<int:pk>/so-lieu-nhap/", views.enter_register, name="enter-register"),
    path("<int:pk>/nhap-tep-so-lieu/", views.import_registers, name="import-registers"),
    path("<int:pk>/tai/<str:fmt>/", views.download, name="download"),
    # The review, issue and sending steps, the difference list and the province's view.
    path("", include("motcua.reports.flow_urls")),
]
