"""Web pages of the PAR Index (mounted under /chi-so-cchc/)."""

from django.urls import path

from motcua.par import unit_views, views

app_name = "par"
urlpatterns = [
    path("", views.results_page, name="results"),
    path("<str:set_code>/<str:unit_code>/", unit_views.unit_page, name="unit"),
    path("<str:set_code>/<str:unit_code>/cong-suc/", unit_views.set_effort, name="effort"),
    path("<str:set_code>/<str:unit_code>/giao-nhiem-vu/", unit_views.create_task, name="task"),
]
