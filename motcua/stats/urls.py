"""Web pages of the stats app (mounted under /thong-ke/)."""

from django.urls import path

from motcua.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.statistics_page, name="index"),
    path("ho-so/", views.figure_dossiers, name="dossiers"),
]
