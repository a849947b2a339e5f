"""Web pages of the dossiers app (mounted under /ho-so/)."""

from django.urls import path, re_path

from motcua.dossiers import (
    intake_views,
    paper_views,
    result_views,
    time_limit_views,
    views,
    views_assignment,
)

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", intake_views.receipt, name="receipt"),
    path("tiep-nhan/thu-tuc/", intake_views.procedure_search, name="receipt-procedures"),
    path("tiep-nhan/thanh-phan/", intake_views.procedure_checklist, name="receipt-checklist"),
    path("tiep-nhan/nguoi-nop/", intake_views.applicant_lookup, name="receipt-applicant"),
    path("so-theo-doi/", paper_views.register, name="register"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/tep/", views.upload, name="upload"),
    path("<str:code>/tep/<int:file_id>/", views.download, name="download"),
    path("<str:code>/thao-tac/<slug:action>/", views.act, name="act"),
    path("<str:code>/buu-gui/", result_views.postal_delivery, name="postal_delivery"),
    re_path(
        r"^(?P<code>[^/]+)/giay-to/(?P<slug>[a-z-]+)\.(?P<fmt>pdf|docx)$",
        paper_views.paper,
        name="paper",
    ),
    path("<str:code>/giao-xu-ly/", views_assignment.assign, name="assign"),
    path("<str:code>/nhan-xu-ly/", views_assignment.take, name="take"),
    path("<str:code>/bat-dau-tinh-han/", time_limit_views.clock_start, name="clock_start"),
    path("<str:code>/thoi-han-toi-da/", time_limit_views.ceiling, name="ceiling"),
]
