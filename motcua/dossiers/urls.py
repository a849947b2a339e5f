"""Web pages of the dossiers app (mounted under /ho-so/)."""

from django.urls import path, re_path

from motcua.dossiers import paper_views, views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.receipt, name="receipt"),
    path("so-theo-doi/", paper_views.register, name="register"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/tep/", views.upload, name="upload"),
    path("<str:code>/tep/<int:file_id>/", views.download, name="download"),
    path("<str:code>/thao-tac/<slug:action>/", views.act, name="act"),
    re_path(
        r"^(?P<code>[^/]+)/giay-to/(?P<slug>[a-z-]+)\.(?P<fmt>pdf|docx)$",
        paper_views.paper,
        name="paper",
    ),
]
