"""Web pages of the procedures app (mounted at /danh-muc-thu-tuc/)."""

from django.urls import path

from motcua.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
