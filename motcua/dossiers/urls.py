"""Web pages of the dossiers app (mounted under /ho-so/)."""

from django.urls import path

from motcua.dossiers import views, views_assignment

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.receipt, name="receipt"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/tep/", views.upload, name="upload"),
    path("<str:code>/tep/<int:file_id>/", views.download, name="download"),
    path("<str:code>/thao-tac/<slug:action>/", views.act, name="act"),
    path("<str:code>/giao-xu-ly/", views_assignment.assign, name="assign"),
    path("<str:code>/nhan-xu-ly/", views_assignment.take, name="take"),
]
