"""Officer pages of the feedback app (mounted under /pakn/)."""

from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tra-loi-mau/", views.standard_answers, name="standard_answers"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thao-tac/<slug:action>/", views.act, name="act"),
]
