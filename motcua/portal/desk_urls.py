"""The desk's appointment book, mounted at /ho-so/lich-hen/ by motcua/urls.py."""

from django.urls import path

from motcua.portal import desk_views

app_name = "appointments"
urlpatterns = [
    path("", desk_views.day, name="day"),
    path("<str:code>/vang-mat/", desk_views.no_show, name="no_show"),
]
