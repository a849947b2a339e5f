"""Pages of tasks handed down (mounted under /nhiem-vu/)."""

from django.urls import path

from motcua.assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("don-vi/", views.my_obligations, name="mine"),
    path("bang-theo-doi/", views.board, name="board"),
    path("de-xuat/", views.propose, name="propose"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thao-tac/<slug:action>/", views.act, name="act"),
    path("<str:code>/bao-cao/<int:pk>/tep/", views.report_file, name="report-file"),
]
