"""Web pages of the PAR Index (mounted under /chi-so-cchc/)."""

from django.urls import path

from motcua.par import views

app_name = "par"
urlpatterns = [
    path("", views.results_page, name="results"),
]
